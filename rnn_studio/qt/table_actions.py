"""The data table's actions: rows, columns, copy, paste and clear, with their keys.

A mixin of DataTable (qt/data_table.py): the actions are the table's context menu and its
keyboard shortcuts (active only while the table has the focus).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from .actions import make_action
from .scale_actions import make_scale_actions


class TableActionsMixin:
    """Makes DataTable's actions (``action_insert_above`` …); the slots are the table's."""

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
