"""Run a cell over a whole sequence and keep every step: the forward Trace.

The trace is the single source every view reads from: stepping through time only moves
an index into it, it never recomputes. All arrays are float64 and read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .cells import Cell, Params, ParamSpec, StepResult, activate, make_cell, readout_specs

READOUTS = ("identity", "linear")


@dataclass(frozen=True)
class ModelSpec:
    """The structure of a model: which cell, its sizes and its readout (no numbers)."""

    cell: str = "rnn"
    d: int = 1
    h: int = 1
    k: int = 1
    activation: str = "tanh"
    readout: str = "identity"

    def __post_init__(self) -> None:
        if self.readout not in READOUTS:
            raise ValueError(f"unknown readout {self.readout!r}")
        if self.readout == "identity" and self.k != self.h:
            raise ValueError(
                f"the identity readout needs as many targets as hidden units "
                f"(k = {self.k}, h = {self.h}); use the linear readout"
            )

    def make_cell(self) -> Cell:
        return make_cell(self.cell, self.d, self.h, self.activation)

    @property
    def has_cell_state(self) -> bool:
        return self.cell == "lstm"

    def param_specs(self) -> list[ParamSpec]:
        """Every parameter of the model, cell first, then the readout, in file order."""
        return self.make_cell().param_specs() + readout_specs(self.readout, self.h, self.k)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Trace:
    """A forward pass over t = 1..T. Row t-1 of a per-step array belongs to step t."""

    spec: ModelSpec
    inputs: np.ndarray  # (T, d)
    targets: np.ndarray  # (T, k), NaN where there is no target
    mask: np.ndarray  # (T, k) bool, True where a target exists
    states: np.ndarray  # (T+1, h); states[0] is s_0
    cells: np.ndarray | None  # (T+1, h) for LSTM; cells[0] is c_0
    pre: dict[str, np.ndarray]  # pre-activations by gate (rnn: "z"), each (T, h)
    gates: dict[str, np.ndarray]  # gate values by gate name, each (T, h)
    outputs: np.ndarray  # (T, k)
    errors: np.ndarray  # (T, k), NaN where there is no target
    loss: float | None  # mean squared error over the targets; None if there are none
    params: dict[str, np.ndarray] = field(repr=False)

    @property
    def T(self) -> int:
        return self.inputs.shape[0]

    @cached_property
    def finite(self) -> bool:
        """False when the forward pass overflowed (a value is inf or NaN)."""
        arrays = [self.states, self.outputs, *self.pre.values(), *self.gates.values()]
        if self.cells is not None:
            arrays.append(self.cells)
        return all(bool(np.isfinite(a).all()) for a in arrays)

    @cached_property
    def first_nonfinite_step(self) -> int | None:
        """The first step t (1-based) with a value that is not finite, if any.

        Every per-step value counts: a pre-activation can overflow to ±inf while the
        state it feeds (tanh(inf) = 1) stays finite.
        """
        per_step = [self.states[1:], self.outputs, *self.pre.values(), *self.gates.values()]
        if self.cells is not None:
            per_step.append(self.cells[1:])
        bad = np.zeros(self.T, dtype=bool)
        for values in per_step:
            bad |= ~np.isfinite(values).all(axis=1)
        hits = np.flatnonzero(bad)
        return int(hits[0]) + 1 if hits.size else None

    def step(self, t: int) -> StepResult:
        """Step t (1-based) as the cell produced it."""
        i = t - 1
        return StepResult(
            state=self.states[t],
            cell=None if self.cells is None else self.cells[t],
            pre={name: a[i] for name, a in self.pre.items()},
            gates={name: a[i] for name, a in self.gates.items()},
        )

    @property
    def target_count(self) -> int:
        return int(self.mask.sum())


def readout_forward(spec: ModelSpec, params: Params, states: np.ndarray) -> np.ndarray:
    """ŷ for a stack of states (rows)."""
    if spec.readout == "identity":
        return states.copy()
    return states @ params["V"].T + params["c"]


def mse(
    outputs: np.ndarray, targets: np.ndarray, mask: np.ndarray
) -> tuple[np.ndarray, float | None]:
    errors = np.where(mask, outputs - np.where(mask, targets, 0.0), np.nan)
    count = int(mask.sum())
    if count == 0:
        return errors, None
    return errors, float(np.sum(np.where(mask, errors, 0.0) ** 2) / count)


def run(
    spec: ModelSpec,
    params: Params,
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
    previous: Trace | None = None,
) -> Trace:
    """Compute the forward trace. Overflow gives inf/NaN in the trace, never an exception.

    With ``previous`` (the trace before an edit) the steps that cannot have changed are
    taken from it: when the model, s_0, c_0 and T are the same, steps before the first
    changed input row are kept, and a change of targets alone recomputes only the errors.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    T = inputs.shape[0]
    if inputs.ndim != 2 or inputs.shape[1] != spec.d:
        raise ValueError(f"inputs must be T × {spec.d}, got {inputs.shape}")
    if targets.shape != (T, spec.k):
        raise ValueError(f"targets must be {T} × {spec.k}, got {targets.shape}")
    h = spec.h
    p = {name: np.asarray(a, dtype=np.float64) for name, a in params.items()}
    s0 = np.zeros(h) if initial_state is None else np.asarray(initial_state, dtype=np.float64)
    c0 = None
    if spec.has_cell_state:
        c0 = np.zeros(h) if initial_cell is None else np.asarray(initial_cell, dtype=np.float64)

    start = _first_changed_step(previous, spec, p, inputs, s0, c0)
    cell = spec.make_cell()
    states = np.empty((T + 1, h))
    states[0] = s0
    cells = None
    if c0 is not None:
        cells = np.empty((T + 1, h))
        cells[0] = c0
    with np.errstate(all="ignore"):
        if start == 0:
            pre, gates = _RUNNERS[spec.cell](cell, p, inputs, states, cells)
        else:
            pre, gates = _resume(cell, p, inputs, states, cells, previous, start)
        outputs = readout_forward(spec, p, states[1:])
        mask = ~np.isnan(targets)
        errors, loss = mse(outputs, targets, mask)

    return Trace(
        spec=spec,
        inputs=_frozen(inputs.copy()),
        targets=_frozen(targets.copy()),
        mask=_frozen(mask),
        states=_frozen(states),
        cells=None if cells is None else _frozen(cells),
        pre={k: _frozen(v) for k, v in pre.items()},
        gates={k: _frozen(v) for k, v in gates.items()},
        outputs=_frozen(outputs),
        errors=_frozen(errors),
        loss=loss,
        params={k: _frozen(v.copy()) for k, v in p.items()},
    )


def _first_changed_step(
    previous: Trace | None, spec: ModelSpec, p: dict[str, np.ndarray], inputs, s0, c0
) -> int:
    """How many leading steps of ``previous`` are still right (0 = recompute all)."""
    if previous is None or previous.spec != spec or inputs.shape[0] != previous.T:
        return 0
    if not np.array_equal(previous.states[0], s0):
        return 0
    if c0 is not None and not np.array_equal(previous.cells[0], c0):
        return 0
    if previous.params.keys() != p.keys():
        return 0
    if not all(np.array_equal(previous.params[n], a) for n, a in p.items()):
        return 0
    changed = np.flatnonzero((previous.inputs != inputs).any(axis=1))
    return int(changed[0]) if changed.size else inputs.shape[0]


def _resume(cell, p, inputs, states, cells, previous: Trace, start: int):
    """Copy steps 1..start from ``previous`` and run the rest from there."""
    T = inputs.shape[0]
    states[: start + 1] = previous.states[: start + 1]
    if cells is not None:
        cells[: start + 1] = previous.cells[: start + 1]
    if start == T:
        return dict(previous.pre), dict(previous.gates)
    tail_cells = None if cells is None else cells[start:]
    pre_tail, gates_tail = _RUNNERS[cell.kind](cell, p, inputs[start:], states[start:], tail_cells)

    def stitch(old: dict[str, np.ndarray], tail: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: np.concatenate((old[k][:start], v)) for k, v in tail.items()}

    return stitch(previous.pre, pre_tail), stitch(previous.gates, gates_tail)


# The sequence runners below compute exactly what ``cell.forward`` computes step by step
# (``run_stepwise``), with the input half of every W·[x, s] done for all steps in one
# product and the gates stacked. They can differ from the step-by-step form only in
# summation order (far below 1e-12) and keep editing a 2,000-step table interactive.


def _sigmoid_fast(a: np.ndarray) -> np.ndarray:
    """σ(a) = ½(1 + tanh(a/2)): no overflow, no masks, one ufunc chain."""
    return 0.5 + 0.5 * np.tanh(0.5 * a)


def _run_rnn(
    cell: Cell, p: dict[str, np.ndarray], inputs: np.ndarray, states: np.ndarray, cells=None
):
    d = cell.d
    w_state = p["W"][:, d:]
    z_all = inputs @ p["W"][:, :d].T + p["b"]
    activation = cell.activation
    for t in range(inputs.shape[0]):
        z = z_all[t]
        z += w_state @ states[t]
        if activation == "tanh":
            np.tanh(z, out=states[t + 1])
        else:
            states[t + 1] = activate(activation, z)
    return {"z": z_all}, {}


def _run_lstm(cell: Cell, p, inputs, states, cells):
    d, h = cell.d, cell.h
    names = cell.gate_names  # i, f, g, o
    w_in = np.vstack([p[f"W_{g}"][:, :d] for g in names])
    w_state = np.vstack([p[f"W_{g}"][:, d:] for g in names])
    bias = np.concatenate([p[f"b_{g}"] for g in names])
    T = inputs.shape[0]
    a_all = inputs @ w_in.T + bias  # (T, 4h): pre-activations, completed in the loop
    act = np.empty_like(a_all)
    for t in range(T):
        a = a_all[t]
        a += w_state @ states[t]
        v = act[t]
        v[:] = _sigmoid_fast(a)
        v[2 * h : 3 * h] = np.tanh(a[2 * h : 3 * h])
        c = v[h : 2 * h] * cells[t] + v[:h] * v[2 * h : 3 * h]
        cells[t + 1] = c
        states[t + 1] = v[3 * h :] * np.tanh(c)
    pre = {g: a_all[:, j * h : (j + 1) * h] for j, g in enumerate(names)}
    gates = {g: act[:, j * h : (j + 1) * h] for j, g in enumerate(names)}
    return pre, gates


def _run_gru(cell: Cell, p, inputs, states, cells=None):
    d, h = cell.d, cell.h
    w_rz_in = np.vstack([p["W_r"][:, :d], p["W_z"][:, :d]])
    w_rz_state = np.vstack([p["W_r"][:, d:], p["W_z"][:, d:]])
    w_n_state = p["W_n"][:, d:]
    T = inputs.shape[0]
    a_rz = inputs @ w_rz_in.T + np.concatenate([p["b_r"], p["b_z"]])  # (T, 2h)
    a_n_in = inputs @ p["W_n"][:, :d].T + p["b_n"]  # (T, h)
    hidden_n = np.empty((T, h))
    a_n = np.empty((T, h))
    rz = np.empty((T, 2 * h))
    n = np.empty((T, h))
    for t in range(T):
        s_prev = states[t]
        a = a_rz[t]
        a += w_rz_state @ s_prev
        g = _sigmoid_fast(a)
        rz[t] = g
        hn = w_n_state @ s_prev + p["b_nh"]
        hidden_n[t] = hn
        an = a_n_in[t] + g[:h] * hn
        a_n[t] = an
        nt = np.tanh(an)
        n[t] = nt
        u = g[h:]
        states[t + 1] = (1.0 - u) * nt + u * s_prev
    pre = {"r": a_rz[:, :h], "z": a_rz[:, h:], "n": a_n, "nh": hidden_n}
    gates = {"r": rz[:, :h], "z": rz[:, h:], "n": n}
    return pre, gates


_RUNNERS = {"rnn": _run_rnn, "lstm": _run_lstm, "gru": _run_gru}


def run_stepwise(
    spec: ModelSpec,
    params: Params,
    inputs: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The plain loop over ``cell.forward``: states, cells, pre, gates. The runners'
    yardstick in the tests; slower, not used by the app."""
    inputs = np.asarray(inputs, dtype=np.float64)
    T, h = inputs.shape[0], spec.h
    p = {name: np.asarray(a, dtype=np.float64) for name, a in params.items()}
    states = np.empty((T + 1, h))
    states[0] = np.zeros(h) if initial_state is None else initial_state
    cells = None
    if spec.has_cell_state:
        cells = np.empty((T + 1, h))
        cells[0] = np.zeros(h) if initial_cell is None else initial_cell
    with np.errstate(all="ignore"):
        pre, gates = _run_generic(spec.make_cell(), p, inputs, states, cells)
    return states, cells, pre, gates


def _run_generic(cell, p, inputs, states, cells):
    T = inputs.shape[0]
    pre: dict[str, np.ndarray] = {}
    gates: dict[str, np.ndarray] = {}
    for t in range(T):
        c_prev = None if cells is None else cells[t]
        step = cell.forward(p, inputs[t], states[t], c_prev)
        if t == 0:
            pre = {k: np.empty((T, v.shape[0])) for k, v in step.pre.items()}
            gates = {k: np.empty((T, v.shape[0])) for k, v in step.gates.items()}
        for k, v in step.pre.items():
            pre[k][t] = v
        for k, v in step.gates.items():
            gates[k][t] = v
        states[t + 1] = step.state
        if cells is not None:
            cells[t + 1] = step.cell
    return pre, gates
