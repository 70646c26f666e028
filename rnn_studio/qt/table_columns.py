"""The data table's columns: add, remove and rename them (in place, over the header).

A mixin of DataTable (qt/data_table.py). Names are the user's text: in a menu item an
``&`` is doubled (else it would mark a shortcut), in a tooltip the name is escaped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QMenu

from ..document import Document
from .icons import icon
from .plain import plain_tooltip


class HeaderEditor(QLineEdit):
    """The inline editor for a column name; Escape cancels."""

    cancelled = Signal()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class ColumnsMixin:
    """DataTable's column edits; needs ``_session``, ``_selected`` and ``_current_column``."""

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
        editor = HeaderEditor(header.viewport())
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
