"""The Model panel's grids: one titled group per gate, laid out like its matrices.

A matrix of shape h × (d + h) gets columns x1…xd, s1…sh and one row per unit, its biases
beside it; the readout's V and c the same with rows ŷ per target. The panel passes
``new_spin``, which makes (and registers) the spin box of one entry.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from ..core.cells import ParamSpec
from ..document import Document
from ..explain import GATE_TITLES
from .number_spin import NumberSpin
from .plain import plain_tooltip, set_plain

GROUP_TITLES = {
    "": "cell  s = φ(W·[x, s] + b)",
    **{g: f"{title} {g}" for g, title in GATE_TITLES.items()},
    "readout": "readout  ŷ = V·s + c",
}

#: new_spin(parent, name, index, accessible name, tooltip) -> the entry's spin box
NewSpin = Callable[[QWidget, str, tuple[int, ...], str, str], NumberSpin]


def _column_labels(doc: Document, ps: ParamSpec) -> list[str]:
    if ps.gate == "readout":
        return [f"s{j + 1}" for j in range(doc.hidden_size)]
    return list(doc.input_names) + [f"s{j + 1}" for j in range(doc.hidden_size)]


def _row_labels(doc: Document, ps: ParamSpec) -> list[str]:
    if ps.gate == "readout":
        return [f"ŷ {name}" for name in doc.target_names]
    return [f"unit {j + 1}" for j in range(ps.shape[0])]


def _label(text: str, tip: str = "") -> QLabel:
    """A label that shows ``text`` (a column name, perhaps ``<b>x</b>``) as the text it is."""
    label = QLabel()
    set_plain(label, text)
    if tip:
        label.setToolTip(plain_tooltip(tip))
    return label


def _header(text: str, tip: str = "") -> QLabel:
    label = _label(text, tip)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    return label


def initial_group(doc: Document, new_spin: NewSpin) -> QGroupBox:
    """s₀ (and the LSTM's c₀), one box per unit."""
    box = QGroupBox("initial state")
    box.setObjectName("group:initial")
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(4)
    grid.setVerticalSpacing(3)
    grid.setContentsMargins(6, 4, 6, 4)
    h = doc.hidden_size
    for j in range(h):
        grid.addWidget(_header(f"s{j + 1}", f"hidden unit {j + 1}"), 0, j + 1)
    rows = [("initial_state", "s₀", "the state before step 1")]
    if doc.cell == "lstm":
        rows.append(("initial_cell", "c₀", "the LSTM's cell state before step 1"))
    for r, (name, symbol, what) in enumerate(rows, start=1):
        grid.addWidget(_label(symbol, what), r, 0)
        for j in range(h):
            spin = new_spin(
                box,
                name,
                (j,),
                f"{symbol} unit {j + 1}",
                f"{symbol}[{j + 1}]: {what}, unit {j + 1}",
            )
            grid.addWidget(spin, r, j + 1)
    grid.setColumnStretch(h + 1, 1)
    return box


def gate_group(doc: Document, gate: str, specs: list[ParamSpec], new_spin: NewSpin) -> QGroupBox:
    """One titled grid per gate: the matrix, then its bias vectors as extra columns."""
    box = QGroupBox(GROUP_TITLES.get(gate, f"gate {gate}"))
    box.setObjectName(f"group:{gate or 'cell'}")
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(4)
    grid.setVerticalSpacing(3)
    grid.setContentsMargins(6, 4, 6, 4)
    row0 = 0
    matrices = [ps for ps in specs if ps.kind == "matrix"]
    vectors = [ps for ps in specs if ps.kind == "vector"]
    for m_index, ps in enumerate(matrices):
        rows, cols = ps.shape
        col_labels = _column_labels(doc, ps)
        row_labels = _row_labels(doc, ps)
        grid.addWidget(_label(ps.name, f"matrix {ps.name}: {rows} × {cols}"), row0, 0)
        for c, text in enumerate(col_labels):
            grid.addWidget(_header(text, f"column {text} of {ps.name}"), row0, c + 1)
        # the biases sit beside the (first) matrix whose rows they share
        side = [v for v in vectors if v.shape[0] == rows] if m_index == 0 else []
        for n, vs in enumerate(side):
            grid.addWidget(_header(vs.name, f"bias {vs.name}"), row0, cols + 1 + n)
        for i in range(rows):
            grid.addWidget(_label(row_labels[i]), row0 + 1 + i, 0)
            for c in range(cols):
                spin = new_spin(
                    box,
                    ps.name,
                    (i, c),
                    f"{ps.name} row {i + 1}, column {col_labels[c]}",
                    f"{ps.name}[{row_labels[i]}, {col_labels[c]}]: weight from "
                    f"{col_labels[c]} into {row_labels[i]}",
                )
                grid.addWidget(spin, row0 + 1 + i, c + 1)
            for n, vs in enumerate(side):
                spin = new_spin(
                    box,
                    vs.name,
                    (i,),
                    f"{vs.name} row {i + 1}",
                    f"{vs.name}[{row_labels[i]}]: bias of {row_labels[i]}",
                )
                grid.addWidget(spin, row0 + 1 + i, cols + 1 + n)
        vectors = [v for v in vectors if v not in side]
        row0 += rows + 1
        grid.setColumnStretch(cols + 1 + len(side), 1)
    for vs in vectors:  # a vector without a matrix to sit beside
        grid.addWidget(_label(vs.name), row0, 0)
        for i in range(vs.shape[0]):
            spin = new_spin(box, vs.name, (i,), f"{vs.name} row {i + 1}", f"{vs.name}[{i + 1}]")
            grid.addWidget(spin, row0, i + 1)
        row0 += 1
    return box
