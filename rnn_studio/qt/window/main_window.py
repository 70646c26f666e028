"""The main window: composed of its parts, it connects them and holds no math.

One Session is the live document. Its ``documentChanged`` reaches every view once per
change (``show_document(doc, trace)``); its ``stepChanged`` moves the views' step.
The window's other jobs live beside this module, one mixin each: layout, actions, menus,
files, export, dialogs; and two helpers it owns: the autosaver and the recovery offer.
To add a dock: a widget and one ``self._dock(...)`` line in ``layout._make_docks``; a menu
entry: an action in ``actions._make_actions`` and one ``addAction`` in ``menus``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from ...document import Document
from ...examples import lecture_example
from ..arithmetic import ArithmeticView
from ..backward_pass import install as install_backward
from ..data_table import DataTable
from ..diagram import DiagramView
from ..loss_label import LossStatus
from ..param_panel import ParamPanel
from ..player import Player
from ..plot import StatePlot
from ..session import Session
from ..training import window_part as training_part
from .actions import ActionsMixin
from .autosave import Autosaver
from .dialogs import DialogsMixin, MathDialog
from .export import ExportMixin
from .files import FilesMixin
from .layout import LayoutMixin
from .menus import MenusMixin
from .recovery import RecoveryDialog, offer_recovery

PLAYER_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}


class MainWindow(
    LayoutMixin, ActionsMixin, MenusMixin, FilesMixin, ExportMixin, DialogsMixin, QMainWindow
):
    """RNN Studio's window, opening on the lecture's example (or ``document``)."""

    #: a message box was shown (title, text) — lets tests see it without blocking
    errorShown = Signal(str, str)

    def __init__(self, document: Document | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setAccessibleName("RNN Studio")
        self.setWindowTitle("RNN Studio")
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.path: Path | None = None
        self._math_dialog: MathDialog | None = None
        #: the CSV file the table was imported from (Save suggests a project beside it)
        self.source_csv: Path | None = None
        self._title = "the lecture's example"
        self.last_message = ""

        self.session = Session(document if document is not None else lecture_example(), self)
        self.table = DataTable(self.session)
        self.params = ParamPanel(self.session)
        self.diagram = DiagramView()
        self.arithmetic = ArithmeticView()
        self.plot = StatePlot()
        self.player = Player(self.session)
        self.views = (self.diagram, self.arithmetic, self.plot)
        #: copies unsaved work to the data folder a few seconds after the last change
        self.autosave = Autosaver(self)

        self.setCentralWidget(self.diagram)
        self._make_docks()
        training_part.install(self)  # the Training and Landscape docks
        self._make_status_bar()
        self.plot.follow(self.session)  # its Change per edit; the whole trace or not
        #: lossLabel: the loss of the steps computed so far (qt/loss_label.py)
        self.loss_status = LossStatus(self.session, self.plot, self.loss_label)
        self._make_actions()
        self._make_toolbars()
        self._make_menus()
        training_part.add_menu(self)

        s = self.session
        s.documentChanged.connect(self._on_document_changed)
        s.stepChanged.connect(self._on_step_changed)
        s.messageRaised.connect(self.show_message)
        # a changed document clears the status bar; so does a valid entry that changed nothing
        self.table.data_model.acceptedUnchanged.connect(self.statusBar().clearMessage)
        s.undo_stack.cleanChanged.connect(self._update_title)
        self.player.durationChanged.connect(self.diagram.set_animation_duration)
        self.diagram.set_animation_duration(self.player.duration)
        # The diagram would scroll and the read-only arithmetic would move its text cursor
        # on these keys; in them the keys drive the player instead.
        for w in (
            self.diagram,
            self.diagram.viewport(),
            self.arithmetic,
            self.arithmetic.viewport(),
        ):
            w.installEventFilter(self)

        self.backward_pass = install_backward(self)  # the lecture's step 2 (qt/backward_pass.py)

        self._default_state = self.saveState()
        #: the default dock proportions wait for the first show (docks have no size before)
        self._proportions_pending = True
        self.resize(self._default_size())
        self._restore_settings()
        self._show_everything()
        self._update_title()
        self.diagram.setFocus()

    # -- following the session --------------------------------------------------------------
    def _show_everything(self) -> None:
        doc, trace = self.session.document, self.session.trace
        for view in self.views:
            view.show_document(doc, trace)
            view.set_step(self.session.step)
        self.backward_pass.reveal.refresh()
        self._update_status()

    def _on_document_changed(self, _structural: bool) -> None:
        self.statusBar().clearMessage()
        stagger = self.training.stagger
        for view in self.views:
            if stagger.is_collecting:  # a training preview: each view in a frame of its own
                stagger.defer(lambda view=view: self._show_in(view))
            else:
                self._show_in(view)
        self._update_status()

    def _show_in(self, view) -> None:
        view.show_document(self.session.document, self.session.trace)

    def _on_step_changed(self, t: int) -> None:
        animate = self.session.step_animated
        self.diagram.set_step(t, animate=animate)
        # the arithmetic and the plot show step t as its phases come (qt/reveal.py)
        self.backward_pass.reveal.step(t, animate)

    def _update_status(self) -> None:
        doc = self.session.document
        self.loss_status.refresh()
        self.length_label.setText(f"T = {doc.T}")
        n = doc.parameter_count
        self.count_label.setText(f"{n} parameter{'s' if n != 1 else ''}")

    def show_message(self, text: str) -> None:
        """A refused edit or a warning: shown in the status bar until the next change.

        No timeout: a status bar timeout is a running QTimer, and none may outlive a test.
        """
        self.last_message = text
        self.statusBar().showMessage(f"⚠ {text}")

    def _update_title(self, *_args) -> None:
        name = self.path.name if self.path is not None else self._title
        self.setWindowTitle(f"{name}[*] — RNN Studio")
        self.setWindowModified(not self.session.undo_stack.isClean())

    # -- keys ----------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and self.player.handle_key(
            event.key()
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() in PLAYER_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            return self.player.handle_key(event.key())
        return super().eventFilter(obj, event)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        training_part.shutdown(self)  # a run ends first: what it learned is one undo step
        if not self.confirm_discard():
            event.ignore()
            return
        self.player.pause()
        self.diagram.stop_animation()
        self.save_settings()
        self.autosave.finish()  # a clean close leaves nothing to recover
        super().closeEvent(event)

    def offer_recovery(self) -> RecoveryDialog | None:
        """At start: offer back the work a crashed instance left (``recoveryDialog``)."""
        return offer_recovery(self)

    def stop_timers(self) -> None:
        """Stop the playing and any animation (also done on close)."""
        training_part.shutdown(self)
        self.player.pause()
        self.diagram.stop_animation()


def single_shot_quit(app, ms: int) -> QTimer:
    """A timer (parented to the app) that quits after ``ms``: used by main()'s test hook."""
    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(app.quit)
    timer.start(ms)
    return timer
