"""The switch between the per-unit and the compact vector view (View ▸ Compact vectors,
``actionCompactView``, and the ``compactViewButton`` in the diagram's corner).

From ``THRESHOLD`` hidden units on, one node per unit is a hairball of edges: the
compact view is the default there, the per-unit view below it. The default is taken
again when a document is opened (a new ``Session.origin``) or the hidden size changes;
in between, the learner's choice stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton

from .compact_item import CompactItem
from .compact_layout import build_compact_layout
from .item import UnfoldedItem
from .layout import build_layout

if TYPE_CHECKING:
    from ...document import Document
    from .view import DiagramView

_PLACE_ON = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.FontChange)
THRESHOLD = 4  # hidden units from which the compact view is the default
SHORTCUT = "Ctrl+Shift+V"
TIP = (
    "Compact vectors: one node per vector, each weight matrix a small heat map on its "
    f"edge (the default from {THRESHOLD} hidden units); off: one node per unit "
    f"({SHORTCUT})"
)


class CompactSwitch(QObject):
    """Which view a DiagramView shows, its action and its button."""

    #: the view shown changed (True: compact)
    compactChanged = Signal(bool)

    @classmethod
    def of(cls, view: DiagramView) -> CompactSwitch:
        """The view's switch (made on first use)."""
        switch = view.findChild(CompactSwitch, "compactSwitch")
        return switch if switch is not None else cls(view)

    def __init__(self, view: DiagramView) -> None:
        super().__init__(view)
        self.setObjectName("compactSwitch")
        self.view = view
        self._choice: bool | None = None  # the learner's, for this shape
        self._shape: tuple | None = None
        self._compact = False
        self.action = QAction("&Compact vectors", view)
        self.action.setObjectName("actionCompactView")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        self.action.setToolTip(TIP)
        self.action.setStatusTip(TIP)
        self.action.toggled.connect(self.set_compact)
        self.button = QToolButton(view)
        self.button.setObjectName("compactViewButton")
        self.button.setAccessibleName("Compact vector view")
        self.button.setText("Compact vectors")
        self.button.setToolTip(TIP)
        self.button.setCheckable(True)
        self.button.setAutoRaise(False)
        # a click leaves the focus where it was: Space keeps playing, never re-clicks it
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.set_compact)
        self.button.adjustSize()
        for watched in (view, view.viewport(), self.button):
            watched.installEventFilter(self)
        self._place_button()

    # -- what is shown -------------------------------------------------------------------
    def is_compact(self) -> bool:
        return self._compact

    def wants_compact(self, doc: Document) -> bool:
        """The view to show for ``doc``: the learner's choice while the shape stays, else
        the default for its hidden size."""
        session = getattr(self.view, "_session", None)
        shape = (doc.hidden_size, id(session.origin) if session is not None else None)
        if shape != self._shape:
            self._shape, self._choice = shape, None
        return self._choice if self._choice is not None else doc.hidden_size >= THRESHOLD

    def make_item(self, doc: Document) -> UnfoldedItem:
        """The item for ``doc``: compact or per unit (see ``wants_compact``)."""
        compact = self.wants_compact(doc)
        args = (
            doc.cell,
            doc.d,
            doc.hidden_size,
            doc.k,
            doc.readout,
            doc.activation,
            doc.input_names,
            doc.target_names,
        )
        if compact:
            item: UnfoldedItem = CompactItem(build_compact_layout(*args), self.view)
        else:
            item = UnfoldedItem(build_layout(*args), self.view)
        self._show_state(compact)
        return item

    def set_compact(self, on: bool) -> None:
        """The learner's choice: redraw the diagram in that view (same step, same phase)."""
        on = bool(on)
        self._choice = on
        view = self.view
        if on == self._compact:
            self._show_state(on)
            return
        old = view.item()
        doc, trace = view._doc, view._trace
        if doc is None or trace is None:
            self._show_state(on)
            return
        backward = old.backward if old is not None else None
        passed = old.passed if old is not None else 0
        view._structure = None  # rebuilt by show_document
        view.show_document(doc, trace)
        if backward is not None:
            view.show_backward(backward, passed)

    def _show_state(self, compact: bool) -> None:
        changed = compact != self._compact
        self._compact = compact
        for widget in (self.action, self.button):
            widget.blockSignals(True)
            widget.setChecked(compact)
            widget.blockSignals(False)
        if changed:
            self.compactChanged.emit(compact)

    # -- the button in the diagram's top right corner ----------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # the view or its viewport resized (a scroll bar came), the button's font changed
        # (presentation mode): back into the corner
        if event.type() in _PLACE_ON:
            self._place_button()
        return False

    def _place_button(self) -> None:
        port = self.view.viewport().geometry()
        self.button.adjustSize()
        # bottom right: the corner the columns' contents reach least (labels are at the
        # top right, the first column at the left)
        self.button.move(
            port.right() - self.button.width() - 6, port.bottom() - self.button.height() - 6
        )
        self.button.raise_()
