"""The data table's model over the session's document: rows are timesteps, columns the
inputs then the targets; the row of the step shown is marked (tinted, in bold).

Every edit goes through ``Session.edit`` (one undo command, one recompute).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from ..document import Document
from .plain import plain_tooltip
from .session import Session
from .table_paste import BLANK

Index = QModelIndex | QPersistentModelIndex


def number_text(value: float) -> str:
    """A number as it is typed back: the shortest text that reads back exactly."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def display_text(value: float) -> str:
    """A number for the eye: at most 8 significant digits."""
    text = f"{value:.8g}"
    return "0" if text == "-0" else text


def number_font() -> QFont:
    """A fixed-pitch font at the application's size, so digits line up in columns."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    size = QApplication.font().pointSizeF()
    if size > 0:
        font.setPointSizeF(size)
    return font


class DataModel(QAbstractTableModel):
    """The table of the session's document. Value edits emit dataChanged; shape edits reset."""

    #: a valid entry that left the document as it was (no documentChanged follows)
    acceptedUnchanged = Signal()

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._doc = session.document
        self._font = number_font()
        self._bold = QFont(self._font)
        self._input_tint = QColor(70, 130, 230, 24)
        self._target_tint = QColor(240, 150, 30, 30)
        self._bold.setBold(True)
        #: the row (0-based) of the step the player shows, or -1 at step 0
        self.current_row = session.step - 1
        session.documentChanged.connect(self._on_document_changed)
        session.stepChanged.connect(self._on_step)

    @property
    def document(self) -> Document:
        return self._doc

    # -- read ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._doc.T

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._doc.d + self._doc.k

    def is_target(self, column: int) -> bool:
        return column >= self._doc.d

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < self._doc.T and 0 <= col < self._doc.d + self._doc.k):
            return None
        value = self._doc.value_at(row, col)
        blank = math.isnan(value)
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            return BLANK if blank else display_text(value)
        if role == R.EditRole:
            return "" if blank else number_text(value)
        if role == R.ToolTipRole:
            name = self._doc.column_names[col]
            if blank:
                return f"no target at this step (t = {row + 1}); type a number to add one"
            kind = "target" if self.is_target(col) else "input"
            return plain_tooltip(f"{kind} {name} at t = {row + 1}: {number_text(value)}")
        if role == R.TextAlignmentRole:
            if blank:
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == R.FontRole:
            return self._bold if row == self.current_row else self._font
        if role == R.ForegroundRole and blank:
            return QGuiApplication.palette().placeholderText().color()
        if role == R.BackgroundRole:
            if row == self.current_row:
                return self._current_tint()
            return self._target_tint if self.is_target(col) else self._input_tint
        if role == R.AccessibleTextRole:
            name = self._doc.column_names[col]
            return f"{name}, t = {row + 1}: " + ("blank" if blank else number_text(value))
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        R = Qt.ItemDataRole
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self._doc.d + self._doc.k:
                return None
            name = self._doc.column_names[section]
            if role == R.DisplayRole:
                return name  # QHeaderView draws its text as plain text
            if role == R.ToolTipRole:  # a tooltip would take a name like <b>x</b> as markup
                kind = "target" if self.is_target(section) else "input"
                return plain_tooltip(
                    f"{kind} column “{name}” — double-click to rename, right-click for more"
                )
            if role == R.ForegroundRole and self.is_target(section):
                return QColor(200, 110, 0)
            return None
        if not 0 <= section < self._doc.T:
            return None
        if role == R.DisplayRole:
            return str(section + 1)
        if role == R.ToolTipRole:
            shown = " (the step shown)" if section == self.current_row else ""
            return f"timestep t = {section + 1}{shown} — double-click to show this step"
        if role == R.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    # -- write -----------------------------------------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Set a cell from a number or text. Refused text leaves the cell as it was."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, col = index.row(), index.column()
        if isinstance(value, str) and value.strip() == BLANK:
            value = ""
        name = self._doc.column_names[col] if col < len(self._doc.column_names) else "?"
        before = self._session.document
        ok = self._session.edit(
            lambda doc: doc.with_cell_value(row, col, value), f"Edit {name} at t = {row + 1}"
        )
        if ok and self._session.document is before:
            self.acceptedUnchanged.emit()  # a valid entry: an earlier warning is stale now
        return ok

    def refresh_fonts(self) -> None:
        """Take the application font's size (presentation mode) for every cell."""
        self._font = number_font()
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        if self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.FontRole])

    # -- follow the session -------------------------------------------------------------------
    @staticmethod
    def _current_tint() -> QColor:
        color = QColor(QGuiApplication.palette().highlight().color())
        color.setAlpha(70)
        return color

    def _on_step(self, t: int) -> None:
        """Mark the row of the step shown (and unmark the last one): two rows repainted.

        The row header is left as it is: a changed header text or font makes the header
        measure all T sections again on every step (a player step cost twice as much)."""
        old, self.current_row = self.current_row, t - 1
        last = self.columnCount() - 1
        for row in {old, self.current_row}:
            if 0 <= row < self.rowCount() and last >= 0:
                self.dataChanged.emit(
                    self.index(row, 0),
                    self.index(row, last),
                    [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole],
                )

    def _on_document_changed(self, _structural: bool) -> None:
        old, new = self._doc, self._session.document
        if new is old:
            return
        if (old.T, old.d, old.k) != (new.T, new.d, new.k):
            self.beginResetModel()
            self._doc = new
            self.endResetModel()
            return
        self._doc = new
        if old.column_names != new.column_names:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, new.d + new.k - 1)
        box = _changed_box(old, new)
        if box is not None:
            top, left, bottom, right = box
            self.dataChanged.emit(self.index(top, left), self.index(bottom, right))


def _changed_box(old: Document, new: Document) -> tuple[int, int, int, int] | None:
    """The smallest block of cells that differs between two same-shaped tables."""
    import numpy as np

    a = np.hstack((old.inputs, old.targets))
    b = np.hstack((new.inputs, new.targets))
    diff = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if not diff.any():
        return None
    rows = np.flatnonzero(diff.any(axis=1))
    cols = np.flatnonzero(diff.any(axis=0))
    return int(rows[0]), int(cols[0]), int(rows[-1]), int(cols[-1])
