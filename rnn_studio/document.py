"""The document: a data table, a model and its parameters. No Qt, no files.

A Document is an immutable value. Every edit is a method that returns a new document
(or the same one when nothing changed), so an undo command only has to keep the
document before and after. The live window holds one current document; see
``rnn_studio/qt/session.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .core import ACTIVATIONS, CELL_KINDS, READOUTS, ModelSpec, Trace, run
from .core.cells import ParamSpec
from .core.initial import initial_params
from .core.optim import OPTIMIZERS as OPTIMIZERS  # re-exported: io.py reads it here
from .core.train import TrainConfig
from .errors import DocumentError
from .jsontext import describe
from .validation import (
    MAX_COLUMNS,
    MAX_HIDDEN,
    MAX_NAME_LENGTH,
    check_name,
    check_names,
    check_params,
    check_size,
    matrix,
    name_problem,
    vector,
)

__all__ = ["MAX_COLUMNS", "MAX_HIDDEN", "MAX_NAME_LENGTH", "Document", "name_problem"]


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


def parse_number(text: str | float | int) -> float:
    """A finite float from a cell's text, or DocumentError saying why not.

    Accepts a decimal comma ("0,5") as typed by many European spreadsheet users.
    """
    if isinstance(text, bool):
        raise DocumentError(f"{text!r} is not a number")
    if isinstance(text, int | float):
        value = float(text)
    else:
        stripped = str(text).strip().replace("\u2212", "-")
        if not stripped:
            raise DocumentError("the cell is empty; a number is needed")
        if stripped.count(",") == 1 and "." not in stripped:
            stripped = stripped.replace(",", ".")
        try:
            value = float(stripped)
        except ValueError:
            raise DocumentError(f"{str(text).strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise DocumentError(f"{text!r} is not a finite number")
    return value


@dataclass(frozen=True)
class TrainingSettings:
    """A document's ``training`` block (spec/file-format.md); ``to_config`` gives the core's
    TrainConfig. ``seed`` None trains the document's own weights, an integer draws fresh
    ones first."""

    optimizer: str = "sgd"
    learning_rate: float = 0.1
    epochs: int = 100
    seed: int | None = None
    momentum: float = 0.9
    #: max total gradient norm; None (or 0) = no clipping
    clip: float | None = None

    def to_config(self) -> TrainConfig:
        """The settings as the core's TrainConfig (ValueError naming a setting that is out
        of range)."""
        return TrainConfig(
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            momentum=self.momentum,
            clip=self.clip,
            seed=self.seed,
        )


@dataclass(frozen=True, eq=False)
class Document:
    """Everything a project file holds. Construct through ``Document.create`` to validate."""

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

    def with_cell_value(self, row: int, column: int, value: float | str | None) -> Document:
        """Set one table cell. ``None`` or "" blanks a target; inputs must be numbers."""
        if not (0 <= row < self.T and 0 <= column < self.d + self.k):
            raise DocumentError(f"there is no cell at row {row + 1}, column {column + 1}")
        name = self.column_names[column]
        where = f"row {row + 1}, column {name!r}"
        is_target = column >= self.d
        if value is None or (isinstance(value, str) and not value.strip()):
            if not is_target:
                raise DocumentError("an input cannot be blank; type a number", where=where)
            number = math.nan
        else:
            try:
                number = parse_number(value)
            except DocumentError as err:
                raise DocumentError(err.message, where=where) from None
        if is_target:
            y = self.targets.copy()
            old = y[row, column - self.d]
            if (math.isnan(old) and math.isnan(number)) or old == number:
                return self
            y[row, column - self.d] = number
            return self._with(targets=y)
        x = self.inputs.copy()
        if x[row, column] == number:
            return self
        x[row, column] = number
        return self._with(inputs=x)

    def with_block(self, top: int, left: int, block: list[list[str | float | None]]) -> Document:
        """Paste a block of cells at (top, left), growing the table by rows when needed.

        Checks every cell first: on any bad cell nothing changes and the error names it.
        Columns beyond the last one are refused (a paste never invents columns).
        """
        if not block:
            return self
        width = max(len(r) for r in block)
        if left + width > self.d + self.k:
            raise DocumentError(
                f"the pasted block is {width} columns wide but only "
                f"{self.d + self.k - left} column(s) fit from column {left + 1}"
            )
        needed = top + len(block) - self.T
        doc = self.with_rows_inserted(self.T, needed) if needed > 0 else self
        x, y = doc.inputs.copy(), doc.targets.copy()
        for i, cells in enumerate(block):
            for j, value in enumerate(cells):
                row, col = top + i, left + j
                name = doc.column_names[col]
                where = f"row {row + 1}, column {name!r}"
                blank = value is None or (isinstance(value, str) and not value.strip())
                if col < doc.d:
                    if blank:
                        raise DocumentError("an input cannot be blank", where=where)
                    try:
                        x[row, col] = parse_number(value)
                    except DocumentError as err:
                        raise DocumentError(err.message, where=where) from None
                else:
                    try:
                        y[row, col - doc.d] = math.nan if blank else parse_number(value)
                    except DocumentError as err:
                        raise DocumentError(err.message, where=where) from None
        new = doc._with(inputs=x, targets=y)
        return self if new.equals(self) and new.T == self.T else new

    def with_rows_inserted(self, at: int, count: int = 1) -> Document:
        """Insert ``count`` timesteps before row ``at``: inputs 0, targets blank."""
        if count <= 0:
            return self
        at = max(0, min(at, self.T))
        x = np.insert(self.inputs, at, np.zeros((count, self.d)), axis=0)
        y = np.insert(self.targets, at, np.full((count, self.k), np.nan), axis=0)
        return self._with(inputs=x, targets=y)

    def with_rows_removed(self, rows: list[int] | range) -> Document:
        rows = sorted({r for r in rows if 0 <= r < self.T})
        if not rows:
            return self
        if len(rows) >= self.T:
            raise DocumentError("a sequence needs at least one timestep; not every row can go")
        return self._with(
            inputs=np.delete(self.inputs, rows, axis=0),
            targets=np.delete(self.targets, rows, axis=0),
        )

    def with_column_renamed(self, column: int, name: str) -> Document:
        name = name.strip()
        names = list(self.column_names)
        if names[column] == name:
            return self
        if not name:
            raise DocumentError("a column needs a name")
        check_name(name)
        if name in names:
            raise DocumentError(f"there is already a column named {name!r}")
        names[column] = name
        return self._with(input_names=tuple(names[: self.d]), target_names=tuple(names[self.d :]))

    def with_input_added(self, name: str | None = None, values: np.ndarray | None = None):
        """Append an input column (zeros); W gains a column of zeros, keeping the rest."""
        name = name or _fresh_name("x", self.column_names)
        check_name(name)
        check_size(self.d + 1, self.k, self.hidden_size)
        if name in self.column_names:
            raise DocumentError(f"there is already a column named {name!r}")
        col = np.zeros((self.T, 1)) if values is None else np.reshape(values, (self.T, 1))
        x = np.hstack((self.inputs, col))
        return self._reshaped(input_names=self.input_names + (name,), inputs=x)

    def with_input_removed(self, column: int) -> Document:
        if self.d <= 1:
            raise DocumentError("the model needs at least one input column")
        names = list(self.input_names)
        del names[column]
        x = np.delete(self.inputs, column, axis=1)
        return self._reshaped(input_names=tuple(names), inputs=x, dropped_input=column)

    def with_target_added(self, name: str | None = None) -> Document:
        name = name or _fresh_name("y", self.column_names)
        check_name(name)
        check_size(self.d, self.k + 1, self.hidden_size)
        if name in self.column_names:
            raise DocumentError(f"there is already a column named {name!r}")
        y = np.hstack((self.targets, np.full((self.T, 1), np.nan)))
        readout = (
            "linear" if self.readout == "identity" and self.k + 1 != self.hidden_size else None
        )
        return self._reshaped(target_names=self.target_names + (name,), targets=y, readout=readout)

    def with_target_removed(self, column: int) -> Document:
        """Remove target column ``column`` (0-based among the targets)."""
        if self.k <= 1:
            raise DocumentError("the model needs at least one target column")
        names = list(self.target_names)
        del names[column]
        y = np.delete(self.targets, column, axis=1)
        readout = (
            "linear" if self.readout == "identity" and self.k - 1 != self.hidden_size else None
        )
        return self._reshaped(
            target_names=tuple(names), targets=y, readout=readout, dropped_target=column
        )

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
        old_spec, new_spec = self.spec, new.spec
        d0, h0, d1, h1 = old_spec.d, old_spec.h, new_spec.d, new_spec.h
        fresh = initial_params(new_spec, seed=0)
        params: dict[str, np.ndarray] = {}
        for ps in new_spec.param_specs():
            old = self.params.get(ps.name)
            if old is None:
                if ps.name == "V":  # a new linear readout starts as ŷ = s, so nothing jumps
                    params[ps.name] = np.eye(*ps.shape)
                elif ps.gate == "readout":
                    params[ps.name] = np.zeros(ps.shape)
                else:
                    params[ps.name] = fresh[ps.name]
                continue
            a = np.zeros(ps.shape)
            if ps.gate == "readout":  # V: k × h, c: k
                src = old
                if dropped_target is not None:
                    src = np.delete(src, dropped_target, axis=0)
                rows = min(src.shape[0], a.shape[0])
                if ps.kind == "matrix":
                    cols = min(src.shape[1], a.shape[1])
                    a[:rows, :cols] = src[:rows, :cols]
                else:
                    a[:rows] = src[:rows]
            elif ps.kind == "matrix":  # h × (d + h): an input block and a state block
                x_part, s_part = old[:, :d0], old[:, d0:]
                if dropped_input is not None:
                    x_part = np.delete(x_part, dropped_input, axis=1)
                rows = min(h0, h1)
                xd = min(x_part.shape[1], d1)
                a[:rows, :xd] = x_part[:rows, :xd]
                sh = min(h0, h1)
                a[:rows, d1 : d1 + sh] = s_part[:rows, :sh]
                # A new unit gets seeded weights of its own, or it would never learn (its
                # state and every gradient through it would stay 0). Old units do not read
                # it (their new columns stay 0), so every output stays what it was.
                a[rows:] = fresh[ps.name][rows:]
            else:
                n = min(old.shape[0], ps.shape[0])
                a[:n] = old[:n]
                a[n:] = fresh[ps.name][n:]
            params[ps.name] = a
        s0 = np.zeros(h1)
        c0 = np.zeros(h1)
        m = min(h0, h1)
        s0[:m] = self.initial_state[:m]
        c0[:m] = self.initial_cell[:m]
        return new._with(params=params, initial_state=s0, initial_cell=c0)


# -- validation helpers ---------------------------------------------------------------
def _fresh_name(prefix: str, taken: tuple[str, ...]) -> str:
    """The next free name: x3 after x1, x2; y2 beside a lone y."""
    i = 2 if prefix in taken else 1
    while f"{prefix}{i}" in taken:
        i += 1
    return f"{prefix}{i}"
