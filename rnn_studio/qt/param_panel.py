"""The Model region: cell type, sizes, readout, initial state and every weight as a spin box.

The grids (param_grids.py) are built from ``doc.param_specs()``, so the panel knows no
cell by name. They are rebuilt only when the structure changes; otherwise the values are
updated in place with signals blocked (no echo back into the session). Below them: the
seed, Randomize and Reset weights (param_tools.py; what they draw and restore is in
rnn_studio.weights).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .. import weights
from ..core import ACTIVATIONS
from ..core.cells import ParamSpec
from ..document import Document
from .data_model import number_font, number_text
from .number_spin import NumberSpin, PanelCombo, UndoAwareSpinBox
from .param_grids import gate_group, initial_group
from .param_tools import WeightToolsMixin
from .plain import plain_tooltip
from .session import Session
from .style import font_changed

CELL_ITEMS = (("Basic RNN", "rnn"), ("LSTM", "lstm"), ("GRU", "gru"))
ACTIVATION_LABELS = {"tanh": "tanh", "relu": "ReLU", "sigmoid": "sigmoid σ", "identity": "identity"}
READOUT_ITEMS = (("identity  ŷ = s", "identity"), ("linear  ŷ = V·s + c", "linear"))
STEP_SIZES = ("0.001", "0.01", "0.1", "1")
STEP_HINT = (
    "Type a number (a decimal comma is fine), or change it by the arrow step with ↑/↓ "
    "or the wheel (when focused)."
)


class ParamPanel(WeightToolsMixin, QWidget):
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
        self.cell_combo = PanelCombo()
        for label, kind in CELL_ITEMS:
            self.cell_combo.addItem(label, kind)
        self._name(
            self.cell_combo,
            "cellCombo",
            "Cell type",
            "The recurrent cell: the lecture's basic RNN, an LSTM or a GRU.\n"
            "Switching keeps the data. A cell used before comes back with its last weights;\n"
            "a new one starts from the weights the seed below draws.",
        )
        self.activation_combo = PanelCombo()
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
        self._name(
            self.hidden_spin,
            "hiddenSizeSpin",
            "Hidden size",
            "h, the number of hidden units (1–16). Changing it keeps every weight "
            "that still fits;\nnew ones start seeded.",
        )
        self.readout_combo = PanelCombo()
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
        self.step_combo = PanelCombo()
        for text in STEP_SIZES:
            self.step_combo.addItem(text, float(text))
        self.step_combo.setCurrentIndex(STEP_SIZES.index("0.1"))
        self._name(
            self.step_combo,
            "stepSizeCombo",
            "Arrow step",
            "How much ↑/↓ or the mouse wheel (on a focused weight box) changes a weight.\n"
            "It has nothing to do with Randomize, which draws from ±1/√h.",
        )
        form.addRow("Arrow step ↑/↓", self.step_combo)
        outer.addLayout(form)
        self._apply_widths()

        self.scroll = QScrollArea()
        self.scroll.setObjectName("paramScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        outer.addWidget(self.scroll, 1)

        self._build_tools(outer)

        self.cell_combo.currentIndexChanged.connect(self._on_cell_chosen)
        self.activation_combo.currentIndexChanged.connect(self._on_activation_chosen)
        self.readout_combo.currentIndexChanged.connect(self._on_readout_chosen)
        self.hidden_spin.valueChanged.connect(self._on_hidden_size)
        self.step_combo.currentIndexChanged.connect(self._apply_step_size)

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

        layout.addWidget(initial_group(doc, self._new_spin))
        groups: dict[str, list[ParamSpec]] = {}
        for ps in doc.param_specs():
            groups.setdefault(ps.gate, []).append(ps)
        for gate, specs in groups.items():
            layout.addWidget(gate_group(doc, gate, specs, self._new_spin))
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
        spin.refused.connect(partial(self._on_refused, accessible))
        self._spins[(name, index)] = spin
        return spin

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
                spin.setToolTip(plain_tooltip(f"{spin.tip}\n= {number_text(value)}\n{STEP_HINT}"))
        self._sync_seed(doc)
        self._update_reset_menu(doc)

    # -- user actions --------------------------------------------------------------------------
    def _on_spin(self, name: str, index: tuple[int, ...], value: float) -> None:
        spin = self._spins.get((name, index))
        if spin is not None:
            spin.doc_value = value
        label = f"{name}[{', '.join(str(i + 1) for i in index)}]"
        # Each typed value is its own undo step; only ↑/↓ and wheel turns merge.
        stepping = spin is not None and spin.stepping
        ok = self._session.edit(
            lambda d: d.with_param(name, index, value),
            f"Change {label}",
            merge_key=f"param:{name}:{index}" if stepping else None,
        )
        if not ok:
            self._sync_controls()

    def _on_refused(self, where: str, text: str) -> None:
        self._session.messageRaised.emit(
            f"{where}: {text!r} is not a finite number; the weight stays as it was"
        )

    def _on_cell_chosen(self, _index: int) -> None:
        kind = self.cell_combo.currentData()
        seed = max(0, self.seed_spin.value())
        self._seed_typed = False
        if not self._session.edit(
            lambda d: weights.with_seed(d.with_cell(kind, seed=seed), seed),
            f"Switch to {self.cell_combo.currentText()}",
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if font_changed(event) and "_spins" in self.__dict__:
            # presentation mode: the weight boxes and bold headers take the new size
            self._font = number_font()
            self._apply_widths()
            self._rebuild_grids()
            self._sync_controls()

    def _apply_widths(self) -> None:
        """The hidden size and the arrow step need only a few characters' room."""
        room = self.fontMetrics().horizontalAdvance("0.001") + 48
        self.hidden_spin.setMaximumWidth(room)
        self.step_combo.setMaximumWidth(room)

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
