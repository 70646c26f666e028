"""The Model region: cell type, sizes, readout, initial state and every weight as a spin box.

The grids are built from ``doc.param_specs()``, so the panel knows no cell by name: a
matrix of shape h × (d + h) is laid out with columns x1…xd, s1…sh and one row per unit,
its biases beside it. The grids are rebuilt only when the structure changes; otherwise
the values are updated in place with signals blocked (no echo back into the session).
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from PySide6.QtCore import QEvent, QLocale, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core import ACTIVATIONS
from ..core.cells import ParamSpec
from ..document import Document, initial_params
from ..examples import lecture
from ..explain import GATE_TITLES, fmt
from .data_table import number_font, number_text
from .icons import set_icon
from .session import Session

CELL_ITEMS = (("Basic RNN", "rnn"), ("LSTM", "lstm"), ("GRU", "gru"))
ACTIVATION_LABELS = {"tanh": "tanh", "relu": "ReLU", "sigmoid": "sigmoid σ", "identity": "identity"}
READOUT_ITEMS = (("identity  ŷ = s", "identity"), ("linear  ŷ = V·s + c", "linear"))
GROUP_TITLES = {
    "": "cell  s = φ(W·[x, s] + b)",
    **{g: f"{title} {g}" for g, title in GATE_TITLES.items()},
    "readout": "readout  ŷ = V·s + c",
}
STEP_SIZES = ("0.001", "0.01", "0.1", "1")
LIMIT = 100.0
STEP_HINT = "Type a number, or change it by the step size with ↑/↓ or the wheel (when focused)."
DECIMALS = 17  # kept internally, so a value reads back exactly; 4 are shown


_UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))


def _is_undo_key(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y (or the platform's undo/redo keys)."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return QKeySequence(event.keyCombination()) in _UNDO_KEYS


def pass_undo_keys(spin: QDoubleSpinBox | QSpinBox, event: QEvent) -> bool:
    """Let the window's Undo/Redo win over the line edit's own undo (True: handled).

    A student who changes a weight and presses Ctrl+Z means the document's undo. A value
    typed but not yet entered is committed first, so Ctrl+Z takes it back (and Redo
    brings it again) instead of silently dropping it.
    """
    if event.type() != QEvent.Type.ShortcutOverride or not _is_undo_key(event):
        return False
    spin.interpretText()
    event.ignore()  # not overridden: the shortcut goes to the window's action
    return True


class UndoAwareSpinBox(QSpinBox):
    """A QSpinBox (the hidden size) on which Ctrl+Z undoes the document."""

    def event(self, event: QEvent) -> bool:
        if pass_undo_keys(self, event):
            return True
        return super().event(event)


class NumberSpin(QDoubleSpinBox):
    """A spin box for one weight: shows 4 decimals, keeps more, never rounds on its own.

    Leaving the box without typing does not change the value (the text shown is read back
    as the value it came from), so a weight like 0.548813 stays exact until the user
    changes it. The wheel acts only when the box has focus, so scrolling the panel does
    not change weights by accident.
    """

    _size: QSize | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        self.setDecimals(DECIMALS)
        self.setRange(-LIMIT, LIMIT)
        self.setKeyboardTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # No arrow buttons: the grid reads like the matrix; ↑/↓ and the wheel still step.
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.doc_value = math.nan

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return fmt(value, 4)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        if text.strip() == self.textFromValue(self.value()):
            return self.value()
        try:
            return float(text.strip().replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            return self.value()

    def set_document_value(self, value: float) -> None:
        """Show ``value`` without emitting (the session already has it)."""
        if value == self.doc_value:
            return
        self.doc_value = value
        with QSignalBlocker(self):
            if not -LIMIT <= value <= LIMIT:
                self.setRange(min(-LIMIT, value), max(LIMIT, value))
            self.setValue(value)

    def event(self, event: QEvent) -> bool:
        if pass_undo_keys(self, event):
            return True
        return super().event(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Qt's own hint would make room for 12 decimals; 4 are shown.
        if NumberSpin._size is None:
            width = self.fontMetrics().horizontalAdvance("-0.0000") + 12
            NumberSpin._size = QSize(width, super().sizeHint().height())
        return NumberSpin._size

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()


def _column_labels(doc: Document, ps: ParamSpec) -> list[str]:
    if ps.gate == "readout":
        return [f"s{j + 1}" for j in range(doc.hidden_size)]
    return list(doc.input_names) + [f"s{j + 1}" for j in range(doc.hidden_size)]


def _row_labels(doc: Document, ps: ParamSpec) -> list[str]:
    if ps.gate == "readout":
        return [f"ŷ {name}" for name in doc.target_names]
    return [f"unit {j + 1}" for j in range(ps.shape[0])]


class ParamPanel(QWidget):
    """The Model region. Every control calls ``session.edit``; nothing else changes."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paramPanel")
        self.setAccessibleName("Model")
        self._session = session
        self._spins: dict[tuple[str, tuple[int, ...]], NumberSpin] = {}
        self._grid_key: tuple | None = None
        self._synced: tuple | None = None  # the _sync_key the controls show
        self._grid_widget: QWidget | None = None
        #: how many times the grids were built (tests check a change rebuilds them once)
        self.grid_builds = 0
        self._font = number_font()
        self._build_static()
        self._rebuild_grids()
        self._sync_controls()
        session.documentChanged.connect(self._on_document_changed)

    # -- building -----------------------------------------------------------------------------
    def _build_static(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.cell_combo = QComboBox()
        for label, kind in CELL_ITEMS:
            self.cell_combo.addItem(label, kind)
        self._name(
            self.cell_combo,
            "cellCombo",
            "Cell type",
            "The recurrent cell: the lecture's basic RNN, an LSTM or a GRU.\n"
            "Switching keeps the data. A cell used before comes back with its last weights;\n"
            "a new one starts from seeded weights (the seed below).",
        )
        self.activation_combo = QComboBox()
        for act in ACTIVATIONS:
            self.activation_combo.addItem(ACTIVATION_LABELS[act], act)
        self._name(
            self.activation_combo,
            "activationCombo",
            "Activation",
            "φ, the basic RNN's activation: s = φ(W·[x, s] + b).\n"
            "LSTM and GRU use σ and tanh in their gates.",
        )
        self.hidden_spin = UndoAwareSpinBox()
        self.hidden_spin.setRange(1, 16)
        self.hidden_spin.setKeyboardTracking(False)
        self.hidden_spin.setMaximumWidth(90)
        self._name(
            self.hidden_spin,
            "hiddenSizeSpin",
            "Hidden size",
            "h, the number of hidden units (1–16). Changing it keeps every weight "
            "that still fits;\nnew ones start seeded.",
        )
        self.readout_combo = QComboBox()
        for label, kind in READOUT_ITEMS:
            self.readout_combo.addItem(label, kind)
        self._name(
            self.readout_combo,
            "readoutCombo",
            "Readout",
            "How the output is read from the state: identity (ŷ = s, needs as many "
            "targets as hidden units)\nor linear (ŷ = V·s + c).",
        )
        form.addRow("Cell", self.cell_combo)
        form.addRow("Activation φ", self.activation_combo)
        form.addRow("Hidden units h", self.hidden_spin)
        form.addRow("Readout", self.readout_combo)
        outer.addLayout(form)

        self.scroll = QScrollArea()
        self.scroll.setObjectName("paramScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        outer.addWidget(self.scroll, 1)

        tools = QHBoxLayout()
        tools.setSpacing(6)
        self.step_combo = QComboBox()
        for text in STEP_SIZES:
            self.step_combo.addItem(f"± {text}", float(text))
        self.step_combo.setCurrentIndex(STEP_SIZES.index("0.1"))
        self._name(
            self.step_combo,
            "stepSizeCombo",
            "Step size",
            "How much an arrow key, a click on a spin box's arrows or the mouse wheel "
            "(on a focused box)\nchanges a weight.",
        )
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setPrefix("seed ")
        self._name(
            self.seed_spin,
            "seedSpin",
            "Seed",
            "The seed for Randomize and for a new cell's weights: the same seed gives "
            "the same weights.",
        )
        self.randomize_button = QPushButton("Randomize")
        set_icon(self.randomize_button, "randomize")
        self._name(
            self.randomize_button,
            "randomizeButton",
            "Randomize weights",
            "Draw new weights: every weight and bias uniformly from ±1/√h.\n"
            "Each click moves the seed on by one (after you type a seed, the first click "
            "uses it),\nso the seed shown always gives the weights shown.",
        )
        self.reset_button = QPushButton("Reset to the lecture's values")
        set_icon(self.reset_button, "reset")
        self._name(self.reset_button, "resetButton", "Reset to the lecture's values", "")
        tools.addWidget(self.step_combo)
        tools.addWidget(self.seed_spin)
        outer.addLayout(tools)
        buttons = QHBoxLayout()
        buttons.addWidget(self.randomize_button)
        buttons.addWidget(self.reset_button)
        outer.addLayout(buttons)

        self.cell_combo.currentIndexChanged.connect(self._on_cell_chosen)
        self.activation_combo.currentIndexChanged.connect(self._on_activation_chosen)
        self.readout_combo.currentIndexChanged.connect(self._on_readout_chosen)
        self.hidden_spin.valueChanged.connect(self._on_hidden_size)
        self.step_combo.currentIndexChanged.connect(self._apply_step_size)
        self.randomize_button.clicked.connect(self.randomize)
        self._seed_set_by_user = True  # the first Randomize uses the seed shown
        self.seed_spin.valueChanged.connect(self._on_seed_set)
        self.reset_button.clicked.connect(self.reset_values)

    @staticmethod
    def _name(widget: QWidget, name: str, accessible: str, tip: str) -> None:
        widget.setObjectName(name)
        widget.setAccessibleName(accessible)
        if tip:
            widget.setToolTip(tip)

    def _structure_key(self, doc: Document) -> tuple:
        return (doc.spec.cell, doc.d, doc.hidden_size, doc.k, doc.readout, doc.column_names)

    def _rebuild_grids(self) -> None:
        """Make every spin box for the document's structure (only when it changed)."""
        doc = self._session.document
        self._grid_key = self._structure_key(doc)
        self.grid_builds += 1
        self._spins = {}
        container = QWidget()
        container.setObjectName("paramGrids")
        layout = QVBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        layout.addWidget(self._initial_group(doc))
        groups: dict[str, list[ParamSpec]] = {}
        for ps in doc.param_specs():
            groups.setdefault(ps.gate, []).append(ps)
        for gate, specs in groups.items():
            layout.addWidget(self._gate_group(doc, gate, specs))
        layout.addStretch(1)
        self._apply_step_size()
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self._grid_widget = container
        self.scroll.setWidget(container)

    def _new_spin(
        self, parent: QWidget, name: str, index: tuple[int, ...], accessible: str, tip: str
    ) -> NumberSpin:
        spin = NumberSpin(parent)
        spin.setFont(self._font)
        spin.setObjectName(f"param:{name}:" + ":".join(str(i) for i in index))
        spin.setAccessibleName(accessible)
        spin.tip = tip
        spin.valueChanged.connect(partial(self._on_spin, name, index))
        self._spins[(name, index)] = spin
        return spin

    def _header(self, text: str, tip: str = "") -> QLabel:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        if tip:
            label.setToolTip(tip)
        return label

    def _initial_group(self, doc: Document) -> QGroupBox:
        box = QGroupBox("initial state")
        box.setObjectName("group:initial")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(3)
        grid.setContentsMargins(6, 4, 6, 4)
        h = doc.hidden_size
        for j in range(h):
            grid.addWidget(self._header(f"s{j + 1}", f"hidden unit {j + 1}"), 0, j + 1)
        rows = [("initial_state", "s₀", "the state before step 1")]
        if doc.cell == "lstm":
            rows.append(("initial_cell", "c₀", "the LSTM's cell state before step 1"))
        for r, (name, symbol, what) in enumerate(rows, start=1):
            label = QLabel(symbol)
            label.setToolTip(what)
            grid.addWidget(label, r, 0)
            for j in range(h):
                spin = self._new_spin(
                    box,
                    name,
                    (j,),
                    f"{symbol} unit {j + 1}",
                    f"{symbol}[{j + 1}]: {what}, unit {j + 1}",
                )
                grid.addWidget(spin, r, j + 1)
        grid.setColumnStretch(h + 1, 1)
        return box

    def _gate_group(self, doc: Document, gate: str, specs: list[ParamSpec]) -> QGroupBox:
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
            title = QLabel(ps.name)
            title.setToolTip(f"matrix {ps.name}: {rows} × {cols}")
            grid.addWidget(title, row0, 0)
            for c, text in enumerate(col_labels):
                grid.addWidget(self._header(text, f"column {text} of {ps.name}"), row0, c + 1)
            # the biases sit beside the (first) matrix whose rows they share
            side = [v for v in vectors if v.shape[0] == rows] if m_index == 0 else []
            for n, vs in enumerate(side):
                grid.addWidget(self._header(vs.name, f"bias {vs.name}"), row0, cols + 1 + n)
            for i in range(rows):
                label = QLabel(row_labels[i])
                grid.addWidget(label, row0 + 1 + i, 0)
                for c in range(cols):
                    spin = self._new_spin(
                        box,
                        ps.name,
                        (i, c),
                        f"{ps.name} row {i + 1}, column {col_labels[c]}",
                        f"{ps.name}[{row_labels[i]}, {col_labels[c]}]: weight from "
                        f"{col_labels[c]} into {row_labels[i]}",
                    )
                    grid.addWidget(spin, row0 + 1 + i, c + 1)
                for n, vs in enumerate(side):
                    spin = self._new_spin(
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
            grid.addWidget(QLabel(vs.name), row0, 0)
            for i in range(vs.shape[0]):
                spin = self._new_spin(
                    box, vs.name, (i,), f"{vs.name} row {i + 1}", f"{vs.name}[{i + 1}]"
                )
                grid.addWidget(spin, row0, i + 1)
            row0 += 1
        return box

    # -- following the session ---------------------------------------------------------------
    def _on_document_changed(self, _structural: bool) -> None:
        doc = self._session.document
        if self._structure_key(doc) != self._grid_key:
            self._rebuild_grids()
        elif self._synced is not None and self._sync_key(doc) == self._synced:
            # A table edit: the Document keeps unchanged arrays as the same objects, so
            # every control already shows these values; don't visit hundreds of spin boxes.
            return
        self._sync_controls()

    def _sync_key(self, doc: Document) -> tuple:
        """What the controls show, by identity for the arrays (compared element-wise)."""
        return (
            doc.cell,
            doc.activation,
            doc.hidden_size,
            doc.readout,
            self._grid_key,
            _Same(doc.params),
            _Same(doc.initial_state),
            _Same(doc.initial_cell),
            _Same(self._session.origin),
        )

    def _sync_controls(self) -> None:
        """Show the document's values in every control, without echo."""
        doc = self._session.document
        self._synced = self._sync_key(doc)
        with QSignalBlocker(self.cell_combo):
            self.cell_combo.setCurrentIndex(self.cell_combo.findData(doc.cell))
        with QSignalBlocker(self.activation_combo):
            self.activation_combo.setCurrentIndex(self.activation_combo.findData(doc.activation))
        self.activation_combo.setEnabled(doc.cell == "rnn")
        if self.hidden_spin.value() != doc.hidden_size:  # setValue repaints even if equal
            with QSignalBlocker(self.hidden_spin):
                self.hidden_spin.setValue(doc.hidden_size)
        with QSignalBlocker(self.readout_combo):
            self.readout_combo.setCurrentIndex(self.readout_combo.findData(doc.readout))
        for (name, index), spin in self._spins.items():
            if name in ("initial_state", "initial_cell"):
                value = float(getattr(doc, name)[index])
            else:
                value = float(doc.params[name][index])
            if value != spin.doc_value:
                spin.set_document_value(value)
                spin.setToolTip(f"{spin.tip}\n= {number_text(value)}\n{STEP_HINT}")
        self._update_reset_tip(doc)

    def _reset_choice(self, doc: Document) -> tuple[str, str]:
        """What "Reset" restores for this model: (button text, tooltip)."""
        if _lecture_shaped(doc):
            return (
                "Reset to the lecture's values",
                "Put back the lecture's weights W = (0.7, 0.3, 0.4), b = 0.4 and s₀ = 0.",
            )
        if self._session.origin.spec == doc.spec:
            return (
                "Reset to the opened values",
                "Put back every weight and the initial state as they were when this model "
                "was opened.\n(The lecture's values fit only its shape: a basic RNN with 2 "
                "inputs and 1 unit.)",
            )
        return (
            "Reset to seeded values",
            "The lecture's values fit only its shape (a basic RNN with 2 inputs and 1 unit);\n"
            "for this model every weight goes back to the seeded start (seed 0) and the "
            "initial state to 0.",
        )

    def _update_reset_tip(self, doc: Document) -> None:
        text, tip = self._reset_choice(doc)
        if self.reset_button.text() != text:
            self.reset_button.setText(text)
            self.reset_button.setAccessibleName(text)
        self.reset_button.setToolTip(tip)

    # -- user actions --------------------------------------------------------------------------
    def _on_spin(self, name: str, index: tuple[int, ...], value: float) -> None:
        spin = self._spins.get((name, index))
        if spin is not None:
            spin.doc_value = value
        label = f"{name}[{', '.join(str(i + 1) for i in index)}]"
        ok = self._session.edit(
            lambda d: d.with_param(name, index, value),
            f"Change {label}",
            merge_key=f"param:{name}:{index}",
        )
        if not ok:
            self._sync_controls()

    def _on_cell_chosen(self, _index: int) -> None:
        kind = self.cell_combo.currentData()
        seed = self.seed_spin.value()
        if not self._session.edit(
            lambda d: d.with_cell(kind, seed=seed), f"Switch to {self.cell_combo.currentText()}"
        ):
            self._sync_controls()

    def _on_activation_chosen(self, _index: int) -> None:
        act = self.activation_combo.currentData()
        if not self._session.edit(lambda d: d.with_activation(act), f"Activation {act}"):
            self._sync_controls()

    def _on_readout_chosen(self, _index: int) -> None:
        readout = self.readout_combo.currentData()
        if not self._session.edit(lambda d: d.with_readout(readout), f"Readout {readout}"):
            self._sync_controls()

    def _on_hidden_size(self, h: int) -> None:
        if not self._session.edit(lambda d: d.with_hidden_size(h), f"Hidden size {h}"):
            self._sync_controls()

    def _apply_step_size(self, *_args) -> None:
        step = float(self.step_combo.currentData())
        for spin in self._spins.values():
            spin.setSingleStep(step)

    def randomize(self) -> None:
        """Draw new weights with the seed shown if the user just set it, else the next one.

        So every click changes the weights, and the seed shown is always the one that
        drew the weights shown (type it again to get them back).
        """
        spin = self.seed_spin
        seed = spin.value()
        if not self._seed_set_by_user:
            seed = seed + 1 if seed < spin.maximum() else spin.minimum()
            with QSignalBlocker(spin):
                spin.setValue(seed)
        self._seed_set_by_user = False
        self._session.edit(
            lambda d: d.with_params(initial_params(d.spec, seed)), f"Randomize (seed {seed})"
        )

    def _on_seed_set(self, _seed: int) -> None:
        self._seed_set_by_user = True

    def reset_values(self) -> None:
        origin = self._session.origin

        def reset(d: Document) -> Document:
            if _lecture_shaped(d):
                ref = lecture()
                new = d.with_params({**d.params, "W": ref.params["W"], "b": ref.params["b"]})
                return new.with_initial_state(ref.initial_state)
            if origin.spec == d.spec:
                new = d.with_params(dict(origin.params)).with_initial_state(origin.initial_state)
                for j, value in enumerate(origin.initial_cell):
                    new = new.with_param("initial_cell", (j,), float(value))
                return new
            return d.with_params(initial_params(d.spec, 0)).with_initial_state(
                np.zeros(d.hidden_size)
            )

        self._session.edit(reset, self.reset_button.text())

    # -- for tests and the window --------------------------------------------------------------
    def spin(self, name: str, *index: int) -> NumberSpin | None:
        return self._spins.get((name, tuple(index)))

    @property
    def spin_count(self) -> int:
        return len(self._spins)


class _Same:
    """Equal to another ``_Same`` only when both wrap the very same object."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj

    __hash__ = None  # type: ignore[assignment]


def _lecture_shaped(doc: Document) -> bool:
    """The lecture's values fit: a basic RNN with 2 inputs and 1 hidden unit."""
    return doc.cell == "rnn" and doc.d == 2 and doc.hidden_size == 1
