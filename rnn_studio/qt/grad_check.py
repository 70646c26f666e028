"""Check gradients: every entry's backpropagated gradient against a central difference.

``gradCheckDialog`` holds ``gradCheckTable``: one row per parameter entry (file order,
then s₀ and c₀), with ∂L/∂θ by backward propagation through time, by the central
difference (L(θ+ε) − L(θ−ε)) / 2ε with ε = 1e-6, and their relative difference. A
summary above says whether they agree; rows that do not are marked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import CheckRow, gradient_check
from ..document import Document
from ..explain import fmt

#: above this relative difference an entry is flagged (float64 central differences of a
#: smooth loss agree to ~1e-7 or better; relu's kinks and overflow do not)
TOLERANCE = 1e-5
COLUMNS = ("parameter", "backprop", "central difference", "relative difference")


def check_rows(doc: Document) -> list[CheckRow]:
    """The document's gradient check (core.gradient_check on its numbers)."""
    return gradient_check(
        doc.spec,
        doc.params,
        doc.inputs,
        doc.targets,
        doc.initial_state,
        doc.initial_cell if doc.cell == "lstm" else None,
    )


def entry_name(row: CheckRow) -> str:
    """ "W[1, 3]": 1-based, as the Model panel's rows and columns are read."""
    return f"{row.name}[{', '.join(str(i + 1) for i in row.index)}]"


def _relative_text(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.1e}"


class GradCheckDialog(QDialog):
    """The table of a document's gradient check."""

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradCheckDialog")
        self.setWindowTitle("Check gradients")
        self.setAccessibleName("Check gradients")
        self.rows: list[CheckRow] = []
        self.summary = QLabel()
        self.summary.setObjectName("gradCheckSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget(len(self.rows), len(COLUMNS))
        self.table.setObjectName("gradCheckTable")
        self.table.setAccessibleName("Gradient check: backprop against central differences")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.load(doc)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 460)

    def load(self, doc: Document) -> None:
        """Check ``doc`` (again: the dialog shows the document as it is now)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.rows = check_rows(doc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.table.setRowCount(len(self.rows))
        self._fill()

    def _fill(self) -> None:
        bad = QColor("#c0392b")
        worst = 0.0
        flagged = 0
        for r, row in enumerate(self.rows):
            cells = (
                entry_name(row),
                fmt(row.backprop, 8),
                fmt(row.numeric, 8),
                _relative_text(row.relative),
            )
            values = (None, row.backprop, row.numeric, row.relative)
            off = not (row.relative <= TOLERANCE)  # NaN counts as off
            flagged += off
            if row.relative == row.relative:
                worst = max(worst, row.relative)
            for c, (text, value) in enumerate(zip(cells, values, strict=True)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, value if value is not None else row.name)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if off:
                    item.setForeground(bad)
                self.table.setItem(r, c, item)
        n = len(self.rows)
        if flagged:
            self.summary.setText(
                f"{flagged} of {n} entries differ by more than {TOLERANCE:g} (marked): "
                "a kink (relu at 0), an overflow, or a loss that is not smooth there."
            )
        else:
            self.summary.setText(
                f"All {n} entries agree: the largest relative difference is "
                f"{_relative_text(worst)} (ε = 1e-6)."
            )


def open_grad_check(doc: Document, parent: QWidget | None = None) -> GradCheckDialog:
    """Show the gradient check of ``doc`` (not modal: the window stays usable); one
    dialog per window, checking the document as it is each time it is opened."""
    dialog = parent.findChild(GradCheckDialog, "gradCheckDialog") if parent else None
    if dialog is None:
        dialog = GradCheckDialog(doc, parent)
    else:
        dialog.load(doc)
    dialog.show()
    dialog.raise_()
    return dialog
