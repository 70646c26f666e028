"""The Data region: the time-series table as a model over the session's document, and its view.

Rows are timesteps t = 1..T, columns the inputs then the targets. Every edit goes through
``Session.edit`` (one undo command, one recompute); a bulk paste is a single edit.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from ..document import Document
from .actions import make_action
from .data_model import BLANK as BLANK  # the names others import from here
from .data_model import DataModel
from .data_model import display_text as display_text
from .data_model import number_font as number_font
from .data_model import number_text as number_text
from .icons import icon
from .plain import plain_tooltip
from .scale_actions import make_scale_actions
from .session import Session
from .style import font_changed
from .table_paste import ask_extra_columns, paste_block
from .table_paste import parse_block as parse_block

PLAYER_KEYS_TIP = (
    "In the table Space and the arrows edit and move between cells; "
    "the player keys (Space, ←/→, Home/End) work outside it (click the diagram)."
)


class _HeaderEditor(QLineEdit):
    """The inline editor for a column name; Escape cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class DataTable(QTableView):
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
        self._editor: _HeaderEditor | None = None
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

    # -- actions ------------------------------------------------------------------------------
    def _action(self, name: str, text: str, tip: str, slot, shortcut=None, icon_name=None):
        action = make_action(self, name, text, tip, slot, shortcut, icon_name)
        if shortcut is not None:  # the table's keys act only while it has the focus
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        A = self._action
        self.action_insert_above = A(
            "actionInsertRowAbove",
            "Insert timestep above",
            "Insert a timestep (row) above the selection: inputs 0, no target (Ctrl+Shift+I)",
            self.insert_above,
            "Ctrl+Shift+I",
            "row-add",
        )
        self.action_insert_below = A(
            "actionInsertRowBelow",
            "Insert timestep below",
            "Insert a timestep (row) below the selection: inputs 0, no target (Ctrl+I or Insert)",
            self.insert_below,
            ["Ctrl+I", "Ins"],
            "row-add",
        )
        self.action_delete_rows = A(
            "actionDeleteRows",
            "Delete timesteps",
            "Delete the selected timesteps (rows) (Ctrl+Delete)",
            self.delete_rows,
            "Ctrl+Del",
            "row-remove",
        )
        self.action_add_input = A(
            "actionAddInput",
            "Add input column",
            "Add an input column (zeros); W gains a column of zeros",
            self.add_input,
            None,
            "column-add",
        )
        self.action_add_target = A(
            "actionAddTarget",
            "Add target column",
            "Add a target column (blank: no targets yet)",
            self.add_target,
            None,
            "column-add",
        )
        self.action_remove_column = A(
            "actionRemoveColumn",
            "Remove column",
            "Remove the current column",
            self.remove_column,
            None,
            "column-remove",
        )
        self.action_rename_column = A(
            "actionRenameColumn",
            "Rename column…",
            "Rename the current column (or double-click its header)",
            lambda: self.start_rename(self._current_column()),
        )
        sep = QAction(self)
        sep.setSeparator(True)
        self.addAction(sep)
        self.action_copy = A(
            "actionCopy",
            "Copy",
            "Copy the selected cells, tab-separated (Ctrl+C)",
            self.copy_selection,
            QKeySequence.StandardKey.Copy,
        )
        self.action_paste = A(
            "actionPaste",
            "Paste",
            "Paste a block (tab- or comma-separated) at the selection, "
            "adding timesteps when needed (Ctrl+V)",
            self.paste,
            QKeySequence.StandardKey.Paste,
        )
        self.action_blank = A(
            "actionBlankTargets",
            "Clear targets",
            "Blank the selected target cells: no target at those steps (Delete)",
            self.blank_targets,
            QKeySequence.StandardKey.Delete,
        )
        self.action_blank.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)]
        )
        separator = QAction(self)
        separator.setSeparator(True)
        self.addAction(separator)
        self.scale_actions = make_scale_actions(self, self._session)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    @property
    def table_actions(self) -> list[QAction]:
        return list(self.actions())

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

    def add_input(self) -> None:
        self._session.edit(lambda d: d.with_input_added(), "Add input column")

    def add_target(self) -> None:
        self._session.edit(lambda d: d.with_target_added(), "Add target column")

    def _columns_to_remove(self) -> list[int]:
        """The selected columns when the selection spans several, else the current one."""
        cols = sorted({i.column() for i in self._selected()})
        return cols if len(cols) > 1 else [self._current_column()]

    def _update_column_actions(self, *_args) -> None:
        """Name the column(s) the menu's Remove and Rename act on."""
        doc = self._session.document
        names = [doc.column_names[c] for c in self._columns_to_remove() if 0 <= c < doc.d + doc.k]
        if len(names) > 1:
            text = f"Remove columns {', '.join(names)}"
        else:
            text = f"Remove column {names[0]}" if names else "Remove column"
        if self.action_remove_column.text() != _menu_text(text):
            self.action_remove_column.setText(_menu_text(text))
            tip = f"{text} (inputs and targets; at least one of each stays)"
            self.action_remove_column.setToolTip(plain_tooltip(tip))
            self.action_remove_column.setStatusTip(tip)
        col = self._current_column()
        named = 0 <= col < doc.d + doc.k
        rename = f"Rename column {_menu_text(doc.column_names[col])}…" if named else ""
        if rename and self.action_rename_column.text() != rename:
            self.action_rename_column.setText(rename)

    def remove_column(self, column: int | None = None) -> None:
        """Remove ``column``, or the selected columns, or the current one: one edit.

        Removing every input or every target is refused by the document (a message).
        """
        doc = self._session.document
        cols = self._columns_to_remove() if column is None else [column]
        cols = [c for c in cols if 0 <= c < doc.d + doc.k]
        if not cols:
            return
        names = [doc.column_names[c] for c in cols]

        def remove(d: Document) -> Document:
            for c in sorted(cols, reverse=True):  # targets first, then inputs, right to left
                d = d.with_target_removed(c - d.d) if c >= d.d else d.with_input_removed(c)
            return d

        plural = "s" if len(names) > 1 else ""
        self._session.edit(remove, f"Remove column{plural} {', '.join(names)}")

    def rename_column(self, column: int, name: str) -> bool:
        return self._session.edit(
            lambda d: d.with_column_renamed(column, name), f"Rename column to {name.strip()}"
        )

    def start_rename(self, column: int) -> QLineEdit | None:
        """Open an inline editor over the header of ``column``; Enter renames, Escape cancels."""
        doc = self._session.document
        if not 0 <= column < doc.d + doc.k:
            return None
        self._close_editor()
        header = self.horizontalHeader()
        editor = _HeaderEditor(header.viewport())
        editor.setObjectName("columnNameEditor")
        editor.setAccessibleName(f"New name for column {doc.column_names[column]}")
        editor.setToolTip("Type the column's new name; Enter renames, Escape cancels")
        editor.setText(doc.column_names[column])
        x = header.sectionViewportPosition(column)
        editor.setGeometry(x, 0, max(header.sectionSize(column), 80), header.height())
        editor.selectAll()
        done = {"flag": False}

        def finish(commit: bool) -> None:
            if done["flag"]:
                return
            done["flag"] = True
            text = editor.text()
            self._close_editor()
            if commit:
                self.rename_column(column, text)

        editor.editingFinished.connect(lambda: finish(True))
        editor.cancelled.connect(lambda: finish(False))
        self._editor = editor
        editor.show()
        editor.setFocus()
        return editor

    def _close_editor(self) -> None:
        editor, self._editor = self._editor, None
        if editor is not None:
            editor.hide()
            editor.deleteLater()

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

    # -- menus ---------------------------------------------------------------------------------
    def _header_menu(self, pos) -> None:
        column = self.horizontalHeader().logicalIndexAt(pos)
        menu = QMenu(self)
        if column >= 0:
            name = _menu_text(self._session.document.column_names[column])
            menu.addAction(f"Rename {name}…", lambda: self.start_rename(column))
            menu.addAction(
                icon("column-remove"), f"Remove {name}", lambda: self.remove_column(column)
            )
            menu.addSeparator()
        menu.addAction(self.action_add_input)
        menu.addAction(self.action_add_target)
        menu.popup(self.horizontalHeader().mapToGlobal(pos))


def _menu_text(name: str) -> str:
    """A name in a menu item's text: ``&`` shows as itself, not as a shortcut's mark."""
    return name.replace("&", "&&")
