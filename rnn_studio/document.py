"""The document: a data table, a model and its parameters. No Qt, no files.

A Document is an immutable value. Every edit is a method that returns a new document
(or the same one when nothing changed), so an undo command only has to keep the
document before and after. The live window holds one current document; see
``rnn_studio/qt/session.py``. The table's edits are a mixin (document_table.py); how the
weights follow a change of shape is reshape.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .core import ACTIVATIONS, CELL_KINDS, READOUTS, ModelSpec, Trace, run
from .core.cells import ParamSpec
from .core.initial import initial_params as initial_params  # re-exported: tests read it here
from .core.optim import OPTIMIZERS as OPTIMIZERS  # re-exported: io.py reads it here
from .document_table import TableEdits
from .errors import DocumentError
from .jsontext import describe
from .reshape import carried_params
from .training_settings import TrainingSettings as TrainingSettings
from .typed_number import parse_number as parse_number
from .validation import (
    MAX_COLUMNS,
    MAX_HIDDEN,
    MAX_NAME_LENGTH,
    check_names,
    check_params,
    check_size,
    matrix,
    name_problem,
    vector,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_HIDDEN",
    "MAX_NAME_LENGTH",
    "OPTIMIZERS",
    "Document",
    "TrainingSettings",
    "initial_params",
    "name_problem",
    "parse_number",
]


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Document(TableEdits):
    """Everything a project file holds. Construct through ``Document.create`` to validate.

    The table's edits (cells, blocks, rows, columns) are in rnn_studio/document_table.py.
    """

    input_names: tuple[str, ...]
    target_names: tuple[str, ...]
    inputs: np.ndarray  # (T, d)
    targets: np.ndarray  # (T, k), NaN = no target at that step
    cell: str = "rnn"
    activation: str = "tanh"
    hidden_size: int = 1
    readout: str = "identity"
    params: dict[str, np.ndarray] = field(default_factory=dict)
    initial_state: np.ndarray = field(default_factory=lambda: np.zeros(1))
    initial_cell: np.ndarray = field(default_factory=lambda: np.zeros(1))
    training: TrainingSettings | None = None
    view: dict[str, Any] = field(default_factory=dict)
    #: the weights of the other cell types this document had, so that switching
    #: LSTM → GRU → LSTM comes back to the same LSTM; not saved, not compared
    parked: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    # -- construction -----------------------------------------------------------------
    @classmethod
    def create(
        cls,
        *,
        input_names,
        target_names,
        inputs,
        targets,
        cell: str = "rnn",
        activation: str = "tanh",
        hidden_size: int = 1,
        readout: str = "identity",
        params: dict[str, Any] | None = None,
        initial_state=None,
        initial_cell=None,
        training: TrainingSettings | None = None,
        view: dict[str, Any] | None = None,
        seed: int = 0,
    ) -> Document:
        """A validated document. Missing params are drawn with ``initial_params(seed)``."""
        input_names = tuple(input_names)
        target_names = tuple(target_names)
        check_names("input_names", input_names)
        check_names("target_names", target_names)
        clash = set(input_names) & set(target_names)
        if clash:
            raise DocumentError(
                f"column name {sorted(clash)[0]!r} is used for an input and a target",
                where="key 'target_names'",
            )
        if cell not in CELL_KINDS:
            raise DocumentError(
                f"unknown cell {cell!r}; expected rnn, lstm or gru", where="key 'cell'"
            )
        if activation not in ACTIVATIONS:
            raise DocumentError(
                f"unknown activation {activation!r}; expected {', '.join(ACTIVATIONS)}",
                where="key 'activation'",
            )
        if readout not in READOUTS:
            raise DocumentError(
                f"unknown readout {readout!r}; expected identity or linear", where="key 'readout'"
            )
        if isinstance(hidden_size, bool) or not isinstance(hidden_size, int) or hidden_size < 1:
            raise DocumentError(
                f"hidden_size must be an integer ≥ 1, found {describe(hidden_size)}",
                where="key 'hidden_size'",
            )
        d, k, h = len(input_names), len(target_names), hidden_size
        check_size(d, k, h)
        if readout == "identity" and k != h:
            raise DocumentError(
                f"the identity readout needs as many targets as hidden units "
                f"(found {k} target column(s) and hidden_size {h}); use readout 'linear'",
                where="key 'readout'",
            )
        x = matrix("inputs", inputs, cols=d, allow_blank=False)
        y = matrix("targets", targets, cols=k, allow_blank=True)
        if x.shape[0] < 1:
            raise DocumentError("at least one timestep is needed", where="key 'inputs'")
        if y.shape[0] != x.shape[0]:
            raise DocumentError(
                f"expected {x.shape[0]} rows (one per timestep, as in 'inputs'), "
                f"found {y.shape[0]}",
                where="key 'targets'",
            )
        spec = ModelSpec(cell, d, h, k, activation, readout)
        if params is None:
            params = initial_params(spec, seed)
        checked = check_params(spec, params)
        s0 = vector("initial_state", initial_state, h)
        c0 = vector("initial_cell", initial_cell, h)
        return cls(
            input_names=input_names,
            target_names=target_names,
            inputs=_ro(x),
            targets=_ro(y),
            cell=cell,
            activation=activation,
            hidden_size=h,
            readout=readout,
            params=checked,
            initial_state=_ro(s0),
            initial_cell=_ro(c0),
            training=training,
            view=dict(view or {}),
        )

    # -- derived ----------------------------------------------------------------------
    @property
    def T(self) -> int:
        return self.inputs.shape[0]

    @property
    def d(self) -> int:
        return len(self.input_names)

    @property
    def k(self) -> int:
        return len(self.target_names)

    @property
    def spec(self) -> ModelSpec:
        # the activation belongs to the basic RNN; LSTM and GRU fix their own nonlinearities
        activation = self.activation if self.cell == "rnn" else "tanh"
        return ModelSpec(self.cell, self.d, self.hidden_size, self.k, activation, self.readout)

    def param_specs(self) -> list[ParamSpec]:
        return self.spec.param_specs()

    @property
    def parameter_count(self) -> int:
        return sum(int(np.prod(ps.shape)) for ps in self.param_specs())

    @property
    def column_names(self) -> tuple[str, ...]:
        return self.input_names + self.target_names

    def trace(self, previous: Trace | None = None) -> Trace:
        """The forward trace; ``previous`` (the trace before an edit) saves the steps
        that the edit cannot have changed."""
        return run(
            self.spec,
            self.params,
            self.inputs,
            self.targets,
            self.initial_state,
            self.initial_cell if self.cell == "lstm" else None,
            previous=previous,
        )

    def same_shape(self, other: Document) -> bool:
        """True when only numbers differ (no rebuild of diagrams or panels needed)."""
        return self.spec == other.spec and self.T == other.T

    def equals(self, other: Document) -> bool:
        if self.spec != other.spec or self.column_names != other.column_names:
            return False
        if self.training != other.training:
            return False
        pairs = [
            (self.inputs, other.inputs),
            (self.targets, other.targets),
            (self.initial_state, other.initial_state),
            (self.initial_cell, other.initial_cell),
        ]
        pairs += [(self.params[n], other.params[n]) for n in self.params]
        return all(a.shape == b.shape and np.array_equal(a, b, equal_nan=True) for a, b in pairs)

    def value_at(self, row: int, column: int) -> float:
        """Table cell (row, column): inputs first, then targets; NaN = blank target."""
        if column < self.d:
            return float(self.inputs[row, column])
        return float(self.targets[row, column - self.d])

    # -- edits: each returns a new document --------------------------------------------
    def _with(self, **changes: Any) -> Document:
        for key in ("inputs", "targets", "initial_state", "initial_cell"):
            if key in changes:
                changes[key] = _ro(changes[key])
        if "params" in changes:
            changes["params"] = {n: _ro(a) for n, a in changes["params"].items()}
        return replace(self, **changes)

    def with_hidden_size(self, h: int) -> Document:
        """Change h, keeping every weight that still fits; the readout turns linear if needed."""
        if h == self.hidden_size:
            return self
        if h < 1:
            raise DocumentError("hidden_size must be at least 1")
        check_size(self.d, self.k, h)
        readout = "linear" if self.readout == "identity" and self.k != h else None
        return self._reshaped(hidden_size=h, readout=readout)

    def with_readout(self, readout: str) -> Document:
        if readout == self.readout:
            return self
        if readout == "identity" and self.k != self.hidden_size:
            raise DocumentError(
                f"the identity readout (ŷ = s) needs hidden size = number of targets "
                f"({self.k}); hidden size is {self.hidden_size}"
            )
        return self._reshaped(readout=readout)

    def with_activation(self, activation: str) -> Document:
        if activation == self.activation:
            return self
        if activation not in ACTIVATIONS:
            raise DocumentError(f"unknown activation {activation!r}")
        return self._with(activation=activation)

    def with_cell(self, cell: str, seed: int = 0) -> Document:
        """Switch the cell type, keeping the data and the readout.

        The new cell gets the weights it had when this document last used it (if they
        still fit its shape), else seeded ones; the current cell's weights are parked.
        """
        if cell == self.cell:
            return self
        if cell not in CELL_KINDS:
            raise DocumentError(f"unknown cell {cell!r}")
        spec = replace(self.spec, cell=cell)
        params = initial_params(spec, seed)
        cell_specs = [ps for ps in spec.param_specs() if ps.gate != "readout"]
        parked = self.parked.get(cell, {})
        if all(ps.name in parked and parked[ps.name].shape == ps.shape for ps in cell_specs):
            params.update({ps.name: parked[ps.name] for ps in cell_specs})
        for ps in spec.param_specs():  # keep the readout across the switch
            if ps.gate == "readout" and ps.name in self.params:
                params[ps.name] = self.params[ps.name]
        own = {n: a for n, a in self.params.items() if n not in ("V", "c")}
        return self._with(cell=cell, params=params, parked={**self.parked, self.cell: own})

    def with_param(self, name: str, index: tuple[int, ...], value: float) -> Document:
        """Set one entry of a parameter, or of ``initial_state`` / ``initial_cell``."""
        value = parse_number(value)
        if name in ("initial_state", "initial_cell"):
            vec = getattr(self, name).copy()
            if vec[index] == value:
                return self
            vec[index] = value
            return self._with(**{name: vec})
        if name not in self.params:
            raise DocumentError(f"the model has no parameter {name!r}")
        a = self.params[name].copy()
        if a[index] == value:
            return self
        a[index] = value
        return self._with(params={**self.params, name: a})

    def with_params(self, params: dict[str, np.ndarray]) -> Document:
        """Replace every parameter at once (randomize, reset, training)."""
        return self._with(params=check_params(self.spec, params))

    def with_initial_state(self, values) -> Document:
        return self._with(initial_state=vector("initial_state", values, self.hidden_size))

    def with_view(self, **view: Any) -> Document:
        return replace(self, view={**self.view, **view})

    def with_training(self, training: TrainingSettings | None) -> Document:
        return replace(self, training=training)

    # -- reshaping ----------------------------------------------------------------------
    def _reshaped(
        self,
        *,
        dropped_input: int | None = None,
        dropped_target: int | None = None,
        readout: str | None = None,
        **changes: Any,
    ) -> Document:
        """Apply a change of d, k or h, carrying over every weight that still has a place."""
        new = replace(self, **changes)
        if readout is not None:
            new = replace(new, readout=readout)
        params, s0, c0 = carried_params(
            self.spec,
            new.spec,
            self.params,
            self.initial_state,
            self.initial_cell,
            dropped_input=dropped_input,
            dropped_target=dropped_target,
        )
        return new._with(params=params, initial_state=s0, initial_cell=c0)
