"""The main window: layout, menus and actions. It connects the parts and holds no math.

One Session is the live document. Its ``documentChanged`` reaches every view once per
change (``show_document(doc, trace)``); its ``stepChanged`` moves the views' step.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..document import Document
from ..errors import DocumentError
from ..examples import EXAMPLES, lecture
from ..explain import fmt
from ..paths import docs_dir
from .actions import make_action
from .arithmetic import ArithmeticView
from .data_table import DataTable
from .diagram import DiagramView
from .icons import refresh_icons, set_icon
from .param_panel import ParamPanel
from .player import Player
from .plot import StatePlot
from .session import Session
from .style import apply_theme, is_dark, use_contrast_style

MATH_DOC = docs_dir() / "math.md"
PROJECT_SUFFIX = ".rnn.json"
PROJECT_FILTER = "RNN Studio projects (*.rnn.json *.json)"
CSV_FILTER = "CSV tables (*.csv *.txt)"
MAX_RECENT = 8
PLAYER_KEYS = {Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End}


def _headless() -> bool:
    """No person can answer a question box on these platforms (tests, screenshots)."""
    return QGuiApplication.platformName() in ("offscreen", "minimal")


class MainWindow(QMainWindow):
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

        self.session = Session(document if document is not None else lecture(), self)
        self.table = DataTable(self.session)
        self.params = ParamPanel(self.session)
        self.diagram = DiagramView()
        self.arithmetic = ArithmeticView()
        self.plot = StatePlot()
        self.player = Player(self.session)
        self.views = (self.diagram, self.arithmetic, self.plot)

        self.setCentralWidget(self.diagram)
        self._make_docks()
        self._make_status_bar()
        self._make_actions()
        self._make_toolbars()
        self._make_menus()

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

        self._default_state = self.saveState()
        #: the default dock proportions wait for the first show (docks have no size before)
        self._proportions_pending = True
        self.resize(self._default_size())
        self._restore_settings()
        self._show_everything()
        self._update_title()
        self.diagram.setFocus()

    def _default_size(self) -> QSize:
        """1400 × 900, or 92 % of a smaller screen (a headless screen is not measured)."""
        size = QSize(1400, 900)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or _headless():
            return size
        available = screen.availableGeometry()
        return QSize(
            min(size.width(), int(available.width() * 0.92)),
            min(size.height(), int(available.height() * 0.92)),
        )

    # -- building ----------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area, tip: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setToolTip(tip)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        for button_name, what, icon_name in (
            (
                "qt_dockwidget_floatbutton",
                f"Float {title} in its own window, or dock it back",
                "dock-float",
            ),
            (
                "qt_dockwidget_closebutton",
                f"Hide {title} (View ▸ {title} shows it again)",
                "dock-close",
            ),
        ):
            button = dock.findChild(QAbstractButton, button_name)
            if button is not None:
                button.setToolTip(what)
                button.setAccessibleName(what)
                set_icon(button, icon_name)  # tinted with the palette: legible when dark
        return dock

    def _make_docks(self) -> None:
        A = Qt.DockWidgetArea
        self.setCorner(Qt.Corner.BottomLeftCorner, A.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, A.LeftDockWidgetArea)
        self.data_dock = self._dock(
            "dataDock",
            "Data",
            self.table,
            A.LeftDockWidgetArea,
            "The time series: one row per timestep, inputs then targets",
        )
        self.model_dock = self._dock(
            "modelDock",
            "Model",
            self.params,
            A.LeftDockWidgetArea,
            "The cell, its sizes and every weight",
        )
        self.arithmetic_dock = self._dock(
            "arithmeticDock",
            "Arithmetic",
            self.arithmetic,
            A.BottomDockWidgetArea,
            "The current step written out with its numbers",
        )
        self.plot_dock = self._dock(
            "plotDock",
            "Plot",
            self.plot,
            A.BottomDockWidgetArea,
            "States or outputs against the targets over t",
        )
        self.splitDockWidget(self.data_dock, self.model_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.arithmetic_dock, self.plot_dock, Qt.Orientation.Horizontal)
        self.resizeDocks([self.data_dock, self.model_dock], [220, 560], Qt.Orientation.Vertical)
        self.resizeDocks([self.data_dock], [450], Qt.Orientation.Horizontal)
        self.resizeDocks([self.arithmetic_dock], [300], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.arithmetic_dock, self.plot_dock], [600, 400], Qt.Orientation.Horizontal
        )
        self.docks = (self.data_dock, self.model_dock, self.arithmetic_dock, self.plot_dock)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.loss_label = self._status_label(
            "lossLabel", "Loss", "Mean squared error over every target"
        )
        self.length_label = self._status_label(
            "lengthLabel", "Timesteps", "T, the number of timesteps (table rows)"
        )
        self.count_label = self._status_label(
            "paramCountLabel", "Parameter count", "How many weights and biases the model has"
        )
        for label in (self.loss_label, self.length_label, self.count_label):
            bar.addPermanentWidget(label)

    def _status_label(self, name: str, accessible: str, tip: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setToolTip(tip)
        label.setContentsMargins(8, 0, 8, 0)
        return label

    def _act(self, name: str, text: str, tip: str, slot, shortcut=None, icon_name=None):
        return make_action(self, name, text, tip, slot, shortcut, icon_name)

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.action_new = self._act(
            "actionNew",
            "&New lecture example",
            "Start over on the lecture's example",
            self.new_lecture,
            K.New,
            "new",
        )
        self.action_open = self._act(
            "actionOpen", "&Open…", "Open a project or a CSV file", self.open_dialog, K.Open, "open"
        )
        self.action_save = self._act(
            "actionSave", "&Save", "Save the project", self.save, K.Save, "save"
        )
        self.action_save_as = self._act(
            "actionSaveAs",
            "Save &As…",
            "Save the project under a new name",
            self.save_as,
            "Ctrl+Shift+S",
        )
        self.action_import = self._act(
            "actionImportCsv",
            "&Import CSV…",
            "Read a table from a CSV file (the last column is the target)",
            self.import_csv,
            None,
            "import",
        )
        self.action_export = self._act(
            "actionExportCsv",
            "&Export CSV…",
            "Write the table to a CSV file",
            self.export_csv,
            None,
            "export",
        )
        self.action_quit = self._act(
            "actionQuit", "&Quit", "Close RNN Studio", self.close, "Ctrl+Q"
        )
        stack = self.session.undo_stack
        self.action_undo = stack.createUndoAction(self, "&Undo")
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcut(QKeySequence(K.Undo))
        set_icon(self.action_undo, "undo")
        self.action_undo.setToolTip("Undo the last change (Ctrl+Z)")
        self.action_redo = stack.createRedoAction(self, "&Redo")
        self.action_redo.setObjectName("actionRedo")
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        set_icon(self.action_redo, "redo")
        self.action_redo.setToolTip("Redo (Ctrl+Shift+Z or Ctrl+Y)")
        self.action_fit = self._act(
            "actionFit",
            "Zoom to &fit",
            f"{DiagramView.FIT_TIP} (Ctrl+0)",
            self.diagram.fit_all,
            "Ctrl+0",
            "fit",
        )
        self.action_zoom_in = self._act(
            "actionZoomIn",
            "Zoom &in",
            "Zoom the diagram in (Ctrl++)",
            self.diagram.zoom_in,
            [QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Ctrl+="],
        )
        self.action_zoom_out = self._act(
            "actionZoomOut",
            "Zoom &out",
            "Zoom the diagram out (Ctrl+-)",
            self.diagram.zoom_out,
            [QKeySequence.StandardKey.ZoomOut, "Ctrl+-"],
        )
        self.action_reset_zoom = self._act(
            "actionResetZoom",
            "&Readable size",
            "The zoom the diagram opens at: every step if that is readable, else values at "
            "a readable size around the current step (Ctrl+1)",
            self.diagram.reset_zoom,
            "Ctrl+1",
        )
        self.action_reset_layout = self._act(
            "actionResetLayout",
            "&Reset layout",
            "Put every region back where it started",
            self.reset_layout,
        )
        self.action_dark = self._act(
            "actionDarkTheme",
            "&Dark theme",
            "Switch between a dark and the light palette",
            lambda: None,
        )
        self.action_dark.setCheckable(True)
        self.action_dark.setChecked(is_dark())
        self.action_dark.toggled.connect(apply_theme)
        self.action_about = self._act(
            "actionAbout", "&About RNN Studio", "About RNN Studio", self.about
        )
        self.action_math = self._act(
            "actionMath",
            "The &math",
            "The equations RNN Studio computes (docs/math.md)",
            self.open_math,
            K.HelpContents,
        )
        for action in (self.action_undo, self.action_redo, *self.player.actions_in_order):
            self.addAction(action)

    def _make_toolbars(self) -> None:
        main = QToolBar("File and edit", self)
        main.setObjectName("mainToolBar")
        main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in (
            self.action_open,
            self.action_save,
            None,
            self.action_undo,
            self.action_redo,
            None,
            self.action_fit,
        ):
            if action is None:
                main.addSeparator()
            else:
                main.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, main)

        player = QToolBar("Player", self)
        player.setObjectName("playerToolBar")
        player.setAccessibleName("Player")
        for action in self.player.actions_in_order:
            player.addAction(action)
        player.addWidget(self.player)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, player)
        self.toolbars = (main, player)
        for toolbar in self.toolbars:
            extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
            if extension is not None:
                extension.setToolTip("More of this toolbar (the window is too narrow to show it)")
        for action in self.player.actions_in_order:
            button = player.widgetForAction(action)
            if button is not None:
                button.setObjectName(f"button{action.objectName()[6:]}")
                button.setAccessibleName(action.text().split("\t")[0])

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        file_menu.addAction(self.action_open)
        self.examples_menu = file_menu.addMenu("Open e&xample")
        self.examples_menu.setObjectName("examplesMenu")
        for name, (description, _make) in EXAMPLES.items():
            action = self.examples_menu.addAction(description)
            action.setObjectName(f"example:{name}")
            action.triggered.connect(lambda _c=False, n=name: self.open_example(n))
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_save)
        file_menu.addAction(self.action_save_as)
        file_menu.addSeparator()
        file_menu.addAction(self.action_import)
        file_menu.addAction(self.action_export)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        edit = bar.addMenu("&Edit")
        edit.addAction(self.action_undo)
        edit.addAction(self.action_redo)
        edit.addSeparator()
        t = self.table
        for action in (
            t.action_copy,
            t.action_paste,
            t.action_blank,
            None,
            t.action_insert_above,
            t.action_insert_below,
            t.action_delete_rows,
            None,
            t.action_add_input,
            t.action_add_target,
            t.action_rename_column,
            t.action_remove_column,
        ):
            if action is None:
                edit.addSeparator()
            else:
                edit.addAction(action)

        view = bar.addMenu("&View")
        for dock in self.docks:
            view.addAction(dock.toggleViewAction())
        for toolbar in self.toolbars:
            view.addAction(toolbar.toggleViewAction())
        view.addSeparator()
        view.addAction(self.action_zoom_in)
        view.addAction(self.action_zoom_out)
        view.addAction(self.action_reset_zoom)
        view.addAction(self.action_fit)
        view.addAction(self.action_reset_layout)
        view.addAction(self.action_dark)

        play = bar.addMenu("&Play")
        for action in self.player.actions_in_order:
            play.addAction(action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_math)
        help_menu.addAction(self.action_about)

    # -- following the session --------------------------------------------------------------
    def _show_everything(self) -> None:
        doc, trace = self.session.document, self.session.trace
        for view in self.views:
            view.show_document(doc, trace)
            view.set_step(self.session.step)
        self._update_status()

    def _on_document_changed(self, _structural: bool) -> None:
        self.statusBar().clearMessage()
        doc, trace = self.session.document, self.session.trace
        for view in self.views:
            view.show_document(doc, trace)
        self._update_status()

    def _on_step_changed(self, t: int) -> None:
        animate = self.session.step_animated
        self.diagram.set_step(t, animate=animate)
        self.arithmetic.set_step(t)
        self.plot.set_step(t)

    def _update_status(self) -> None:
        doc, trace = self.session.document, self.session.trace
        if trace.loss is None:
            self.loss_label.setText("loss —")
            self.loss_label.setToolTip("No loss: the table has no targets")
        else:
            self.loss_label.setText(f"loss {fmt(trace.loss, 4)}")
            self.loss_label.setToolTip(
                f"Mean squared error over {trace.target_count} target(s): {trace.loss!r}"
            )
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

    # -- files -----------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """True when the current document may be replaced (saved, or the user agrees)."""
        if self.session.undo_stack.isClean() or _headless():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {self.path.name if self.path else self._title}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def show_error(self, title: str, text: str) -> None:
        """A message box that does not block the caller (window-modal)."""
        self.last_message = text
        self.errorShown.emit(title, text)
        box = QMessageBox(
            QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _start_over(self, document: Document, path: Path | None, title: str) -> None:
        self.player.pause()
        self.path = path
        self.source_csv = None
        self._title = title
        self.session.reset(document)
        self._apply_view_settings(document)
        self._update_title()
        self.diagram.reset_zoom()  # a readable zoom; Fit (Ctrl+0) shows every step

    def new_lecture(self) -> None:
        if self.confirm_discard():
            self._start_over(lecture(), None, "the lecture's example")

    def open_example(self, name: str) -> None:
        if self.confirm_discard():
            self._start_over(EXAMPLES[name][1](), None, f"example {name}")

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open", self._last_folder(), f"{PROJECT_FILTER};;{CSV_FILTER};;All files (*)"
        )
        if path:
            self.open_path(path)

    def import_csv(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Import CSV", self._last_folder(), f"{CSV_FILTER};;All files (*)"
        )
        if not path:
            return
        columns = csv_header(path)
        if len(columns) < 2:
            self.open_path(path)  # reports what is wrong with the file
            return
        dialog = TargetDialog(columns, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open_path(path, targets=dialog.targets())

    def open_path(self, path: str | Path, targets: list[str] | None = None) -> bool:
        """Load a project or CSV file. A bad file shows a message and changes nothing.

        ``targets`` names a CSV table's target columns (default: the last column).
        """
        from .. import io as rio

        path = Path(path)
        try:
            document = rio.read_path(path, targets)
        except DocumentError as err:
            self.show_error("Cannot open the file", str(err))
            return False
        except (OSError, ValueError) as err:  # io promises DocumentError; be safe anyway
            self.show_error("Cannot open the file", f"{path}: {err}")
            return False
        is_csv = rio.is_csv(path)
        self._start_over(document, None if is_csv else path, path.name)
        if is_csv:
            self.source_csv = path.resolve()
        self._add_recent(path)
        self.statusBar().showMessage(f"Opened {path}")
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save As", str(self._suggested_project_path()), PROJECT_FILTER
        )
        if not path:
            return False
        if not path.endswith(".json"):
            path += PROJECT_SUFFIX
        return self.save_to(path)

    def _suggested_project_path(self) -> Path:
        """The project's own path; after Import CSV ``<csv name>.rnn.json`` beside the CSV."""
        if self.path is not None:
            return self.path
        if self.source_csv is not None:
            return self.source_csv.with_name(self.source_csv.stem + PROJECT_SUFFIX)
        return Path(self._last_folder()) / "untitled"

    def save_to(self, path: str | Path) -> bool:
        """Write the project (atomically) with the current step and speed in ``view``."""
        from .. import io as rio

        path = Path(path)
        doc = self.session.document.with_view(
            step=self.session.step, speed=self.player.speed_slider.value()
        )
        try:
            rio.write_project(doc, path)
        except (DocumentError, OSError) as err:
            self.show_error("Cannot save", str(err))
            return False
        self.path = path
        self.session.undo_stack.setClean()
        self._add_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}")
        return True

    def export_csv(self) -> bool:
        from .. import io as rio

        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", self._last_folder(), CSV_FILTER)
        if not path:
            return False
        if not Path(path).suffix:  # "exp" becomes exp.csv, as Save As adds .rnn.json
            path += ".csv"
        try:
            rio.write_csv(self.session.document, path)
        except (DocumentError, OSError) as err:
            self.show_error("Cannot export", str(err))
            return False
        self.statusBar().showMessage(f"Exported {path}")
        return True

    def _apply_view_settings(self, document: Document) -> None:
        speed = document.view.get("speed") if isinstance(document.view, dict) else None
        if isinstance(speed, int) and not isinstance(speed, bool):
            self.player.speed_slider.setValue(speed)

    # -- settings ------------------------------------------------------------------------------
    def _settings(self) -> QSettings:
        return QSettings()

    def _restore_settings(self) -> None:
        s = self._settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = s.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
            self._proportions_pending = False  # the user's own layout wins
        if str(s.value("view/dark", "false")).lower() == "true" and not is_dark():
            self.action_dark.setChecked(True)
        speed = s.value("player/speed")
        if speed is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.player.speed_slider.setValue(int(speed))

    def save_settings(self) -> None:
        s = self._settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("player/speed", self.player.speed_slider.value())
        s.setValue("view/dark", self.action_dark.isChecked())
        s.sync()

    def recent_files(self) -> list[str]:
        value = self._settings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        path_text = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != path_text]
        files.insert(0, path_text)
        self._settings().setValue("recentFiles", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for f in files:
            action = self.recent_menu.addAction(f)
            action.triggered.connect(lambda _c=False, f=f: self._open_recent(f))

    def _open_recent(self, path: str) -> None:
        if self.confirm_discard():
            self.open_path(path)

    def _last_folder(self) -> str:
        files = self.recent_files()
        return str(Path(files[0]).parent) if files else str(Path.home())

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks:
            dock.show()
        self._apply_default_proportions()

    def _apply_default_proportions(self) -> None:
        """Give the arithmetic room for a lecture line (a ~66-character line unwrapped)."""
        width = self.width()
        if width < 1100:  # a small window keeps Qt's own split
            return
        self.resizeDocks([self.data_dock], [min(400, width * 2 // 7)], Qt.Orientation.Horizontal)
        rest = width - self.data_dock.width()
        self.resizeDocks(
            [self.arithmetic_dock, self.plot_dock],
            [rest * 64 // 100, rest * 36 // 100],
            Qt.Orientation.Horizontal,
        )

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._proportions_pending:
            self._proportions_pending = False
            # after this event: the docks get their first sizes from the layout first
            QTimer.singleShot(0, self, self._apply_default_proportions)

    # -- help -----------------------------------------------------------------------------------
    def open_math(self) -> QDialog | None:
        """Help ▸ The math: docs/math.md in a window of its own (non-modal).

        Shown in the app itself: a launcher for .md files is often missing, and then
        nothing visible would happen. Without the page, a message says so.
        """
        try:
            text = MATH_DOC.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "The math",
                "The page on the math (docs/math.md) is not installed with this copy of "
                f"RNN Studio ({err.strerror if isinstance(err, OSError) else err}).\n"
                "Every step's arithmetic is written out in the Arithmetic region, and "
                "hovering a weight in the diagram names it.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("mathMissingBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_message = box.text()
            box.open()
            return None
        if self._math_dialog is None:
            self._math_dialog = MathDialog(self)
        self._math_dialog.show_markdown(text, MATH_DOC.parent)
        return self._math_dialog

    def about(self) -> None:
        from .. import __version__

        QMessageBox.about(
            self,
            "About RNN Studio",
            f"<b>RNN Studio</b> {__version__}<br>Watch a recurrent network compute, step by "
            "step, with the numbers: the lecture's basic RNN, the LSTM and the GRU.",
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            refresh_icons(self)
        super().changeEvent(event)

    # -- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.confirm_discard():
            event.ignore()
            return
        self.player.pause()
        self.diagram.stop_animation()
        self.save_settings()
        super().closeEvent(event)

    def stop_timers(self) -> None:
        """Stop the playing and any animation (also done on close)."""
        self.player.pause()
        self.diagram.stop_animation()


def single_shot_quit(app, ms: int) -> QTimer:
    """A timer (parented to the app) that quits after ``ms``: used by main()'s test hook."""
    timer = QTimer(app)
    timer.setSingleShot(True)
    timer.timeout.connect(app.quit)
    timer.start(ms)
    return timer


def csv_header(path: str | Path) -> list[str]:
    """The column names of a CSV file's header row ([] when it cannot be read)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            first = next((line for line in f if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return []
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader([first], delimiter=delimiter))
    return [name.strip() for name in rows[0]] if rows else []


class MathDialog(QDialog):
    """docs/math.md rendered as Markdown; non-modal, so the window stays usable beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mathDialog")
        self.setWindowTitle("The math — RNN Studio")
        self.setModal(False)
        self.resize(760, 720)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("mathBrowser")
        self.browser.setAccessibleName("The math RNN Studio computes")
        self.browser.setOpenExternalLinks(True)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def show_markdown(self, text: str, folder: Path) -> None:
        self.browser.setSearchPaths([str(folder)])
        self.browser.setMarkdown(text)
        self.show()
        self.raise_()
        self.activateWindow()


class TargetDialog(QDialog):
    """Choose which columns of a CSV table are targets (the others are inputs)."""

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvTargetDialog")
        self.setWindowTitle("Import CSV: choose the targets")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the target columns; the others are inputs."))
        self.list = QListWidget()
        self.list.setObjectName("csvColumns")
        self.list.setAccessibleName("Columns of the CSV table")
        self.list.setToolTip("Ticked: a target column (y). Unticked: an input column (x).")
        use_contrast_style(self.list)
        for i, name in enumerate(columns):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            last = i == len(columns) - 1
            item.setCheckState(Qt.CheckState.Checked if last else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(self._check)
        self._check()

    def targets(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _check(self, *_args) -> None:
        n = len(self.targets())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(0 < n < self.list.count())
        ok.setToolTip("" if ok.isEnabled() else "At least one target and one input are needed")
