"""File ▸ Import CSV: choose every column's role in one step, with a preview.

Each column of the preview has a role box above it (input, target, ignore); text columns
such as a date start ignored. A table with one numeric column starts as "predict the
next value" (xₜ = vₜ, yₜ = vₜ₊₁), with more earlier values as inputs if wanted. The line
under the preview says what the import will make, or what is wrong; OK is enabled only
when it can be made. The logic is rnn_studio.importing; this is its face.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import importing as imp
from ..document import Document
from ..errors import DocumentError

PREVIEW_ROWS = 8
ROLE_LABELS = {imp.INPUT: "input x", imp.TARGET: "target y", imp.IGNORE: "ignore"}


class ImportDialog(QDialog):
    """Roles for the columns of ``table`` (or a series to predict); ``document()`` after OK."""

    def __init__(self, table: imp.Table, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import {name}" if name else "Import CSV")
        self.table = table
        self._document: Document | None = None
        layout = QVBoxLayout(self)

        self.columns_mode = QRadioButton("Each column in its role (choose above each column)")
        self.columns_mode.setObjectName("importModeColumns")
        self.next_mode = QRadioButton("Predict the next value of")
        self.next_mode.setObjectName("importModeNext")
        self.next_mode.setToolTip("xₜ = vₜ (and earlier values), yₜ = vₜ₊₁: a series' next value")
        self.series_combo = QComboBox()
        self.series_combo.setObjectName("importSeriesCombo")
        self.series_combo.setAccessibleName("The series to predict")
        for j, ok in enumerate(table.numeric):
            if ok:
                self.series_combo.addItem(table.names[j], j)
        self.lags_spin = QSpinBox()
        self.lags_spin.setObjectName("importLagsSpin")
        self.lags_spin.setAccessibleName("How many values to look back")
        self.lags_spin.setRange(1, imp.MAX_LAGS)
        self.lags_spin.setPrefix("from the last ")
        self.lags_spin.setSuffix(" value(s)")
        layout.addWidget(self.columns_mode)
        row = QHBoxLayout()
        row.addWidget(self.next_mode)
        row.addWidget(self.series_combo)
        row.addWidget(self.lags_spin)
        row.addStretch(1)
        layout.addLayout(row)

        self.preview = QTableWidget(1 + min(PREVIEW_ROWS, len(table.rows)), len(table.names))
        self.preview.setObjectName("importPreview")
        self.preview.setAccessibleName("The first rows of the table, with each column's role")
        self.preview.setHorizontalHeaderLabels(list(table.names))
        self.preview.setVerticalHeaderLabels(
            ["role"] + [str(t + 1) for t in range(self.preview.rowCount() - 1)]
        )
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.role_boxes: list[QComboBox] = []
        for j, role in enumerate(imp.default_roles(table)):
            box = QComboBox()
            box.setObjectName(f"importRole:{table.names[j]}")
            box.setAccessibleName(f"Role of column {table.names[j]}")
            for key, label in ROLE_LABELS.items():
                box.addItem(label, key)
            box.setCurrentIndex(box.findData(role))
            if not table.numeric[j]:
                box.setToolTip("A text column (a date, a label): it can only be ignored")
            box.currentIndexChanged.connect(self._update)
            self.preview.setCellWidget(0, j, box)
            self.role_boxes.append(box)
            for t, cells in enumerate(table.rows[:PREVIEW_ROWS]):
                item = QTableWidgetItem(cells[j])
                item.setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    if table.numeric[j]
                    else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                )
                self.preview.setItem(t + 1, j, item)
        self.preview.resizeColumnsToContents()
        layout.addWidget(self.preview, 1)

        self.message = QLabel()
        self.message.setObjectName("importMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names from the file, as text
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        series = imp.is_series(table)
        self.next_mode.setEnabled(self.series_combo.count() > 0)
        (self.next_mode if series else self.columns_mode).setChecked(True)
        for widget in (self.columns_mode, self.next_mode):
            widget.toggled.connect(self._update)
        self.series_combo.currentIndexChanged.connect(self._update)
        self.lags_spin.valueChanged.connect(self._update)
        self.resize(640, 420)
        self._update()

    # -- reading the choice --------------------------------------------------------------------
    def roles(self) -> list[str]:
        return [box.currentData() for box in self.role_boxes]

    def document(self) -> Document | None:
        """The document the choice makes (None when it cannot be made)."""
        return self._document

    def _build(self) -> Document:
        if self.next_mode.isChecked():
            return imp.next_value(
                self.table, self.series_combo.currentData(), self.lags_spin.value()
            )
        return imp.build(self.table, self.roles())

    def _update(self, *_args) -> None:
        next_value = self.next_mode.isChecked()
        for box in self.role_boxes:
            box.setEnabled(not next_value)
        self.series_combo.setEnabled(next_value)
        self.lags_spin.setEnabled(next_value)
        try:
            doc = self._build()
        except DocumentError as err:
            self._document = None
            self.message.setText(f"⚠ {err}")
        else:
            self._document = doc
            self.message.setText(
                f"{doc.T} timesteps; inputs: {', '.join(doc.input_names)}; "
                f"targets: {', '.join(doc.target_names)}"
            )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self._document is not None
        )


def ask_import(parent: QWidget, path) -> Document | None:
    """Read the CSV at ``path`` and ask for its columns' roles: the document, or None
    (cancelled, or the file cannot be read: then ``parent.show_error`` says why)."""
    from pathlib import Path

    try:
        table = imp.read_table(path)
    except DocumentError as err:
        show = getattr(parent, "show_error", None)
        if show is not None:
            show("Cannot import the file", str(err))
        return None
    dialog = ImportDialog(table, Path(path).name, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.document()
    finally:
        dialog.deleteLater()
