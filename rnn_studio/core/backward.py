"""Backward propagation through time, fused: one block of deltas instead of T × parameters.

A learner steps through the backward pass one timestep at a time, so ``Backward`` keeps,
per step t, the error signal arriving at s_t (from its own output and from step t+1),
∂L/∂c_t for the LSTM, and the pre-activation deltas of every gate. Everything else — a
step's contribution to each parameter's gradient, the running sum from T down to t, the
totals — is a matrix product over the kept deltas, computed when asked for (fused.py).

``loss_and_gradients`` is the training path: its own lean forward (fused_forward.py), no
Trace, buffers reused in place. cells.py's per-step ``backward`` stays the readable
yardstick both are tested against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import fused
from .cells import Params
from .fused_forward import forward_gru, forward_lstm, forward_rnn
from .trace import ModelSpec, Trace, readout_forward


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class Backward:
    """∂L/∂(everything) for one trace. Row t-1 of a per-step array belongs to step t."""

    trace: Trace = field(repr=False)
    #: ∂L/∂ŷ_t, zero where there is no target, (T, k)
    d_output: np.ndarray
    #: the part of ∂L/∂s_t that comes from step t's own output, (T, h)
    d_state_from_output: np.ndarray
    #: the part of ∂L/∂s_t that comes back from step t+1, (T, h); zero at t = T
    d_state_from_next: np.ndarray
    #: ∂L/∂s_t in total, the error signal arriving at step t, (T, h)
    d_state: np.ndarray
    #: LSTM: ∂L/∂c_t in total (from c_{t+1} and through s_t), (T, h); None otherwise
    d_cell: np.ndarray | None
    #: pre-activation deltas by gate, each (T, h), views of one (T, G·h) block
    deltas: dict[str, np.ndarray]
    #: every parameter's gradient, plus "initial_state" (and "initial_cell" for the LSTM)
    totals: dict[str, np.ndarray]
    #: ∂L/∂x_t, (T, d)
    inputs: np.ndarray
    #: the (T, G·h) block the deltas are views of
    delta_block: np.ndarray = field(repr=False)

    @property
    def T(self) -> int:
        return self.trace.T

    def _sum(self, lo: int, hi: int) -> dict[str, np.ndarray]:
        spec, trace = self.trace.spec, self.trace
        if trace.target_count == 0:  # nothing to learn: zeros even where the forward overflowed
            return {ps.name: np.zeros(ps.shape) for ps in spec.param_specs()}
        with np.errstate(all="ignore"):
            grads = fused.param_gradients(
                spec, self.delta_block, self.d_output, trace.inputs, trace.states, lo, hi
            )
        return {name: _frozen(g) for name, g in grads.items()}

    def contribution(self, t: int) -> dict[str, np.ndarray]:
        """Step t's (1-based) part of every parameter's gradient."""
        if not 1 <= t <= self.T:
            raise ValueError(f"step {t} is outside 1..{self.T}")
        return self._sum(t - 1, t)

    def running_sum(self, t: int) -> dict[str, np.ndarray]:
        """Σ over steps u = t..T: what the backward pass has accumulated once it passed t.

        running_sum(1) is the totals (parameters only), running_sum(T + 1) all zeros."""
        if not 1 <= t <= self.T + 1:
            raise ValueError(f"step {t} is outside 1..{self.T + 1}")
        return self._sum(t - 1, self.T)

    @cached_property
    def state_norms(self) -> np.ndarray:
        """‖∂L/∂s_t‖ per step, (T,)."""
        with np.errstate(all="ignore"):
            return _frozen(np.sqrt(np.einsum("ij,ij->i", self.d_state, self.d_state)))

    @cached_property
    def weight_shares(self) -> np.ndarray:
        """Step t's share of ‖∂L/∂W‖: ‖C_t‖ / Σ_u ‖C_u‖ over the cell's weight matrices."""
        trace = self.trace
        with np.errstate(all="ignore"):
            norms = fused.weight_norms(trace.spec, self.delta_block, trace.inputs, trace.states)
            total = norms.sum()
            shares = norms / total if total != 0 else np.zeros_like(norms)
        return _frozen(shares)

    @cached_property
    def contributions(self) -> dict[str, np.ndarray]:
        """Dense per-step contributions, name → (T, *shape): small T only (compatibility)."""
        steps = [self.contribution(t) for t in range(1, self.T + 1)]
        dense = {}
        for ps in self.trace.spec.param_specs():
            stacked = np.array([s[ps.name] for s in steps]).reshape(self.T, *ps.shape)
            dense[ps.name] = _frozen(stacked)
        return dense


#: the old name, kept for existing callers
Gradients = Backward


def _d_output(errors: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
    """∂L/∂ŷ_t of the mean squared error: 2·e/count where a target exists, else 0."""
    return np.where(mask, 2.0 * np.where(mask, errors, 0.0) / max(count, 1), 0.0)


def _from_output(spec: ModelSpec, p: Params, d_output: np.ndarray) -> np.ndarray:
    return d_output @ p["V"] if spec.readout == "linear" else d_output.copy()


def backprop(trace: Trace) -> Backward:
    """Exact gradients of the trace's loss (zero everywhere if it has no targets)."""
    spec, p = trace.spec, trace.params
    T, h = trace.T, spec.h
    count = trace.target_count
    with np.errstate(all="ignore"):
        d_output = _d_output(trace.errors, trace.mask, count)
        d_own = _from_output(spec, p, d_output)
        nxt = fused.next_buffer(T, h)
        d_state = np.empty((T, h))
        d_cell = None
        c0_grad = None
        w_back = fused.back_weights(spec, p)
        if spec.cell == "rnn":
            block = fused.rnn_local(spec.activation, trace.states)
        elif spec.cell == "lstm":
            block = np.hstack([trace.gates[g] for g in fused.LSTM_GATES])
            to_cell = np.tanh(trace.cells[1:])
            forget = np.empty((T, h))
            fused.lstm_local(block, trace.cells[:-1], to_cell, forget)
        else:
            g = trace.gates
            block = np.hstack([g["r"], g["z"], trace.pre["nh"], g["n"], np.empty((T, h))])
            fused.gru_local(block, trace.states[:-1])
        if count == 0:
            block[...] = 0.0
            d_own[...] = 0.0
        if spec.cell == "lstm":
            d_cell = np.empty((T, h))
            c0_grad = fused.recur_lstm(block, to_cell, forget, d_own, w_back, nxt, d_state, d_cell)
        else:
            fused.recur_simple(block, d_own, w_back, nxt, d_state)
        delta = block[:, : 4 * h] if spec.cell == "gru" else block
        if count:
            totals = fused.param_gradients(spec, delta, d_output, trace.inputs, trace.states, 0, T)
        else:  # zeros even where the forward overflowed (0·inf would be NaN)
            totals = {ps.name: np.zeros(ps.shape) for ps in spec.param_specs()}
        totals["initial_state"] = nxt[0].copy()
        if c0_grad is not None:
            totals["initial_cell"] = c0_grad
        d_inputs = fused.input_gradients(spec, p, delta)
    _frozen(block)
    _frozen(delta)  # gru: a view made before the block was frozen
    names = fused.GATES[spec.cell]
    return Backward(
        trace=trace,
        d_output=_frozen(d_output),
        d_state_from_output=_frozen(d_own),
        d_state_from_next=_frozen(nxt[1:]),
        d_state=_frozen(d_state),
        d_cell=None if d_cell is None else _frozen(d_cell),
        deltas={g: delta[:, j * h : (j + 1) * h] for j, g in enumerate(names)},
        totals={name: _frozen(a) for name, a in totals.items()},
        inputs=_frozen(d_inputs),
        delta_block=delta,
    )


def _checked(spec: ModelSpec, inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    inputs = np.asarray(inputs, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    if inputs.ndim != 2 or inputs.shape[1] != spec.d:
        raise ValueError(f"inputs must be T × {spec.d}, got {inputs.shape}")
    if targets.shape != (inputs.shape[0], spec.k):
        raise ValueError(f"targets must be {inputs.shape[0]} × {spec.k}, got {targets.shape}")
    return inputs, targets


def _loss_and_d_output(
    spec: ModelSpec,
    p: Params,
    states: np.ndarray,
    targets: np.ndarray,
    out: np.ndarray | None = None,
) -> tuple[float | None, np.ndarray]:
    """The loss and ∂L/∂ŷ in one buffer, ``out`` if given (what mse and _d_output
    compute, without their temporaries)."""
    outputs = states[1:] if spec.readout == "identity" else readout_forward(spec, p, states[1:])
    errors = np.subtract(outputs, targets, out=out)
    missing = np.isnan(targets)
    errors[missing] = 0.0
    count = errors.size - int(missing.sum())
    del missing
    if count == 0:
        return None, errors
    loss = float(np.einsum("ij,ij->", errors, errors) / count)  # no T × k temporary
    errors *= 2.0
    errors /= count
    return loss, errors


def loss_and_gradients(
    spec: ModelSpec,
    params: Params,
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
) -> tuple[float | None, dict[str, np.ndarray]]:
    """The loss and ∂L/∂θ for every name in ``params``, without building a Trace.

    The training path: a forward that keeps only what the backward needs, then the fused
    backward overwriting those buffers in place. Loss None (and zero gradients) when there
    is no target; non-finite values come back as they are."""
    inputs, targets = _checked(spec, inputs, targets)
    p = {name: np.asarray(a, dtype=np.float64) for name, a in params.items()}
    T, h = inputs.shape[0], spec.h
    s0 = np.zeros(h) if initial_state is None else np.asarray(initial_state, dtype=np.float64)
    c0 = np.zeros(h) if initial_cell is None else np.asarray(initial_cell, dtype=np.float64)
    with np.errstate(all="ignore"):
        # every block gets h spare columns and a row: row t's own part of ∂L/∂s_t
        if spec.cell == "rnn":
            states = forward_rnn(p, inputs, s0, spec.activation)
            block = np.empty((T + 1, 2 * h))
        elif spec.cell == "lstm":
            block, states, cells, to_cell = forward_lstm(p, inputs, s0, c0, spare=1)
        else:
            block, states = forward_gru(p, inputs, s0, spare=1)
        own = block[1:, -h:]
        identity = spec.readout == "identity"
        loss, d_output = _loss_and_d_output(spec, p, states, targets, own if identity else None)
        if loss is None:
            return None, {name: np.zeros_like(a) for name, a in p.items()}
        if not identity:
            np.matmul(d_output, p["V"], out=own)
        block[0, -h:] = 0.0
        ds = block[T, -h:].copy()  # ∂L/∂s_T, where the recurrence starts
        block = block[:T]
        if spec.cell == "rnn":
            block[:, :h] = fused.rnn_local(spec.activation, states)
        w_ext = np.vstack((fused.back_weights(spec, p), np.eye(h)))
        if spec.cell == "lstm":
            forget = cells[1:]  # c_t is not needed once the local derivatives are formed
            for rows in fused.chunks_backwards(T):  # backwards: forget overlaps c_{t-1}
                fused.lstm_local(block[rows, : 4 * h], cells[rows], to_cell[rows], forget[rows])
            fused.recur_training_lstm(block, to_cell, forget, w_ext, ds)
        else:
            if spec.cell == "gru":
                for rows in fused.chunks_backwards(T):
                    fused.gru_local(block[rows, : 5 * h], states[rows])
            fused.recur_training(block, block.shape[1] // h - 1, w_ext, ds)
        block = block[:, : len(fused.GATES[spec.cell]) * h]
        grads = fused.param_gradients(spec, block, d_output, inputs, states, 0, T)
    return loss, {name: grads[name] for name in p}
