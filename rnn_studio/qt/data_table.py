"""The Data region: the time-series table as a model over the session's document, and its view.

Rows are timesteps t = 1..T, columns the inputs then the targets. Every edit goes through
``Session.edit`` (one undo command, one recompute); a bulk paste is a single edit. The
model is data_model.py; the actions and the column edits are mixins (table_actions.py,
table_columns.py); pasting is table_paste.py.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

from ..document import Document
from .data_model import BLANK as BLANK  # the names others import from here
from .data_model import DataModel
from .data_model import display_text as display_text
from .data_model import number_font as number_font
from .data_model import number_text as number_text
from .session import Session
from .style import font_changed
from .table_actions import TableActionsMixin
from .table_columns import ColumnsMixin, HeaderEditor
from .table_paste import ask_extra_columns, paste_block
from .table_paste import parse_block as parse_block

PLAYER_KEYS_TIP = (
    "In the table Space and the arrows edit and move between cells; "
    "the player keys (Space, ←/→, Home/End) work outside it (click the diagram)."
)


class DataTable(TableActionsMixin, ColumnsMixin, QTableView):
    """The Data region's view: edit in place, rows and columns, copy and paste."""

    #: asks whether a block wider than the table adds input or target columns
    ask_extra_columns = staticmethod(ask_extra_columns)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("dataTable")
        self.setAccessibleName("Data table")
        self.setAccessibleDescription(
            "One row per timestep: input columns, then target columns. Type to edit a cell."
        )
        self.setToolTip(
            "The sequence: one row per timestep t, inputs then targets.\n"
            "Type to edit a cell; a blank target means no target at that step.\n"
            "Ctrl+V pastes a block from a spreadsheet, Ctrl+C copies the selection,\n"
            "Delete blanks the selected targets; right-click for rows and columns.\n"
            + PLAYER_KEYS_TIP
        )
        # (not as a status tip: hovering the table would wipe a warning from the status bar)
        self.data_model = DataModel(session, self)
        self.setModel(self.data_model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(56)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setToolTip("Column names: double-click to rename")
        corner = self.findChild(QAbstractButton, "qt_tableview_cornerbutton")
        if corner is not None:
            corner.setToolTip("Select every cell")
        self._editor: HeaderEditor | None = None
        self._make_actions()
        selection = self.selectionModel()
        selection.selectionChanged.connect(self._update_column_actions)
        selection.currentChanged.connect(self._update_column_actions)
        session.documentChanged.connect(self._update_column_actions)
        self._update_column_actions()
        self.verticalHeader().setToolTip(
            "Timesteps t = 1..T; the step shown is tinted. Double-click one to show it."
        )
        self.verticalHeader().sectionDoubleClicked.connect(self.show_step)
        session.stepChanged.connect(self._follow_step)
        header = self.horizontalHeader()
        header.sectionDoubleClicked.connect(self.start_rename)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if font_changed(event) and "data_model" in self.__dict__:
            self.data_model.refresh_fonts()  # presentation mode: bigger numbers, taller rows
            self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    # -- the step shown ----------------------------------------------------------------------
    def show_step(self, row: int) -> None:
        """Move the player to the timestep of ``row`` (0-based), as the row header's
        double-click does."""
        self._session.set_step(row + 1)

    def _follow_step(self, t: int) -> None:
        """Keep the row of the step shown in view (not while a cell is being typed in)."""
        if t < 1 or self.state() == QAbstractItemView.State.EditingState:
            return
        index = self.data_model.index(t - 1, max(0, self.currentIndex().column()))
        if index.isValid():
            self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    # -- selection helpers ----------------------------------------------------------------------
    def _selected(self) -> list[QModelIndex]:
        indexes = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not indexes and self.currentIndex().isValid():
            indexes = [self.currentIndex()]
        return indexes

    def _selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self._selected()})

    def _current_column(self) -> int:
        current = self.currentIndex()
        if current.isValid():
            return current.column()
        cols = sorted({i.column() for i in self._selected()})
        return cols[0] if cols else self.data_model.columnCount() - 1

    # -- edits --------------------------------------------------------------------------------
    def _finish_editing(self) -> None:
        """Enter what is typed in an open cell editor before a row edit (Insert, Ctrl+I,
        Ctrl+Delete reach the table while a cell is being edited)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and self.viewport().isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def insert_above(self) -> None:
        self._finish_editing()
        rows = self._selected_rows()
        at = rows[0] if rows else 0
        self._session.edit(lambda d: d.with_rows_inserted(at, 1), "Insert timestep")

    def insert_below(self) -> None:
        self._finish_editing()
        rows = self._selected_rows()
        at = rows[-1] + 1 if rows else self._session.document.T
        self._session.edit(lambda d: d.with_rows_inserted(at, 1), "Insert timestep")

    def delete_rows(self) -> None:
        self._finish_editing()
        rows = self._selected_rows()
        if not rows:
            self._session.messageRaised.emit("select the timesteps (rows) to delete first")
            return
        text = "Delete timestep" if len(rows) == 1 else f"Delete {len(rows)} timesteps"
        self._session.edit(lambda d: d.with_rows_removed(rows), text)

    def copy_selection(self) -> str:
        """Copy the selection's bounding block, tab-separated, to the clipboard."""
        indexes = self._selected()
        if not indexes:
            return ""
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        top, bottom, left, right = min(rows), max(rows), min(cols), max(cols)
        chosen = {(i.row(), i.column()) for i in indexes}
        model = self.data_model
        lines = []
        for r in range(top, bottom + 1):
            cells = []
            for c in range(left, right + 1):
                cells.append(
                    model.data(model.index(r, c), Qt.ItemDataRole.EditRole)
                    if (r, c) in chosen
                    else ""
                )
            lines.append("\t".join(cells))
        text = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> bool:
        """Paste a block at the selection's top-left, growing the table: one edit.

        One value over a selection fills the whole selection; a block wider than the
        table offers to add the columns it needs (``ask_extra_columns``).
        """
        if text is None:
            text = QGuiApplication.clipboard().text()
        indexes = self._selected()
        top = min((i.row() for i in indexes), default=0)
        left = min((i.column() for i in indexes), default=0)
        block = parse_block(text or "")
        if len(block) == 1 and len(block[0]) == 1 and len(indexes) > 1:
            bottom = max(i.row() for i in indexes)
            right = max(i.column() for i in indexes)
            cells = [[block[0][0]] * (right - left + 1) for _ in range(bottom - top + 1)]
            text = "\n".join("\t".join(row) for row in cells)
        return paste_block(self._session, self, text or "", top, left, self.ask_extra_columns)

    def blank_targets(self) -> None:
        indexes = self._selected()
        doc = self._session.document
        cells = sorted({(i.row(), i.column()) for i in indexes if i.column() >= doc.d})
        if not cells:
            if indexes:
                self._session.messageRaised.emit(
                    "an input cannot be blank; only target cells can be cleared"
                )
            return

        def blank(d: Document) -> Document:
            for r, c in cells:
                d = d.with_cell_value(r, c, None)
            return d

        self._session.edit(blank, "Clear targets")
