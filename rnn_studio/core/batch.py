"""The loss for N parameter settings at once: one forward pass over time, states N × h.

The loss landscape (``landscape.py``) needs the loss at thousands of nearby parameter
settings. Running ``trace.run`` for each would pay numpy's per-call overhead T times per
setting; here every step is a handful of array operations on N rows at once.

Two ways a parameter can differ between the settings:

* a few of its entries vary (the landscape: two entries): the setting-independent rest
  is one shared matrix, so ``W·[x_t, s]`` is a single (N × h) · (h × G) product plus,
  for each varying entry, one N-vector update, and the input half of every product is
  computed once for all steps and all settings;
* many entries vary (settings drawn at random): the parameter is kept as an
  (N, *shape) stack and multiplied setting by setting (``np.matmul`` over the stack).

The numbers are those of ``run(...).loss`` for each setting (within rounding: the sums
are taken in another order). Overflow gives inf or NaN in the result, never an
exception or a warning. A setting whose sequence has no target at all has no loss: NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .trace import ModelSpec

#: A parameter with at most this many varying entries is handled as shared + updates.
SPARSE_ENTRIES = 4
#: Stored states (block × N × h floats) kept for the readout before it is applied.
_STATE_BLOCK = 1 << 19
#: Input steps whose input half of W·[x, s] is computed in one product.
_INPUT_BLOCK = 4096

#: Gates by cell, in the stacked row order: (parameter suffix, the squashing function).
_GATES = {
    "rnn": (("", ""),),
    "lstm": (("_i", "sigmoid"), ("_f", "sigmoid"), ("_g", "tanh"), ("_o", "sigmoid")),
    "gru": (("_r", "sigmoid"), ("_z", "sigmoid"), ("_n", "tanh")),
}
#: Every row of a gate is computed pre-multiplied by this (exact: powers of two), so that
#: one exp gives σ(z) = 1/(1 + exp(−z)) and tanh(z) = 2/(1 + exp(−2z)) − 1; numpy's exp is
#: about twice as fast as its tanh, and these are the forward pass's main cost.
_PRESCALE = {"sigmoid": -1.0, "tanh": -2.0, "relu": 1.0, "identity": 1.0}

EntryValues = tuple[str, tuple[int, ...], np.ndarray]


def batched_loss(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
) -> np.ndarray:
    """The loss of N settings: each parameter is (N, *shape), or (*shape) when shared.

    ``initial_state`` / ``initial_cell`` may be (h,) or (N, h). Returns (N,) losses;
    with nothing batched, N = 1.
    """
    shapes = _shapes(spec, params)
    batch_sizes = {
        name: np.shape(a)[0] for name, a in params.items() if np.ndim(a) == len(shapes[name]) + 1
    }
    for name, a in params.items():
        if np.shape(a) not in (shapes[name], (batch_sizes.get(name, -1), *shapes[name])):
            raise ValueError(
                f"{name} must be {shapes[name]} or (N, *{shapes[name]}), got {np.shape(a)}"
            )
    for name, start in (("initial_state", initial_state), ("initial_cell", initial_cell)):
        if start is not None and np.ndim(start) == 2:
            batch_sizes[name] = np.shape(start)[0]
    sizes = set(batch_sizes.values())
    if len(sizes) > 1:
        raise ValueError(f"the batched parameters disagree on N: {batch_sizes}")
    n = sizes.pop() if sizes else 1

    base: dict[str, np.ndarray] = {}
    dense: dict[str, np.ndarray] = {}
    entries: list[EntryValues] = []
    for name, a in params.items():
        a = np.asarray(a, dtype=np.float64)
        if name not in batch_sizes:
            base[name] = a
            continue
        varies = ~np.all(a == a[0], axis=0)
        if np.count_nonzero(varies) <= SPARSE_ENTRIES:
            base[name] = a[0].copy()
            for index in zip(*np.nonzero(varies), strict=True):
                index = tuple(int(i) for i in index)
                entries.append((name, index, a[(slice(None), *index)]))
        else:
            base[name] = a[0]
            dense[name] = a
    return _losses(spec, base, dense, entries, n, inputs, targets, initial_state, initial_cell)


def entry_losses(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    entries: Sequence[EntryValues],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
) -> np.ndarray:
    """The loss of N settings that share ``params`` except the listed entries.

    ``entries`` is a sequence of (name, index, values) with values of shape (N,): the
    fast path the landscape takes (nothing of size N × parameters is built).
    """
    shapes = _shapes(spec, params)
    sizes = {np.shape(values) for _, _, values in entries}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        raise ValueError(f"the entries' values must all be one (N,) array, got shapes {sizes}")
    for name, index, _ in entries:
        if name not in shapes or len(index) != len(shapes[name]):
            raise ValueError(f"no entry {name}{list(index)} in this model")
    n = next(iter(sizes))[0]
    base = {name: np.asarray(a, dtype=np.float64) for name, a in params.items()}
    return _losses(spec, base, {}, list(entries), n, inputs, targets, initial_state, initial_cell)


def _shapes(spec: ModelSpec, params: Mapping[str, np.ndarray]) -> dict[str, tuple[int, ...]]:
    shapes = {p.name: p.shape for p in spec.param_specs()}
    missing = [name for name in shapes if name not in params]
    unknown = [name for name in params if name not in shapes]
    if missing or unknown:
        raise ValueError(f"parameters do not fit the model: missing {missing}, unknown {unknown}")
    return shapes


@dataclass
class _Fix:
    """One varying entry as an update of a pre-activation column (values pre-scaled)."""

    row: int  # the stacked pre-activation column (cell) or the output column (readout)
    values: np.ndarray  # (N,)
    column: int = -1  # state (or, for V, state) column it multiplies; -1: none
    coef: np.ndarray | None = None  # (T,) per-step factor for input and bias entries


@dataclass
class _Stack:
    """A cell's weights, gates stacked in rows: shared (G, ·) or per setting (N, G, ·)."""

    w_in: np.ndarray  # (G, d) or (N, G, d)
    w_state: np.ndarray  # (G, h) or (N, G, h)
    b_in: np.ndarray  # (G,) or (N, G)
    b_state: np.ndarray  # (G,) or (N, G); GRU: b_nh in the n rows, else 0
    state_fixes: list[_Fix]  # prod[:, row] += values · s[:, column]
    input_fixes: list[_Fix]  # (rows of the input half) += values · coef[t]
    readout_fixes: list[_Fix]  # y[..., row] += values · s[..., column] (or · 1)

    @property
    def dense(self) -> bool:
        return self.w_state.ndim == 3


def _stack(spec, base, dense, entries, n, inputs) -> _Stack:
    d, h = spec.d, spec.h
    gates = _GATES[spec.cell]
    squash = [f or spec.activation for _, f in gates]
    scale = np.concatenate([np.full(h, _PRESCALE[f]) for f in squash])
    base = dict(base)
    for name, index, _ in entries:
        base[name] = base[name].copy()
        base[name][index] = 0.0
    cell_names = [f"W{s}" for s, _ in gates] + [f"b{s}" for s, _ in gates]
    if spec.cell == "gru":
        cell_names.append("b_nh")
    stacked = any(name in dense for name in cell_names)

    def get(name: str) -> np.ndarray:
        a = dense.get(name, base[name])
        return np.broadcast_to(a, (n, *base[name].shape)) if stacked else a

    w = np.concatenate([get(f"W{s}") for s, _ in gates], axis=-2) * scale[:, None]
    b_in = np.concatenate([get(f"b{s}") for s, _ in gates], axis=-1) * scale
    b_state = np.zeros_like(b_in)
    if spec.cell == "gru":
        b_state[..., 2 * h :] = get("b_nh") * scale[2 * h :]
    stack = _Stack(w[..., :d], w[..., d:], b_in, b_state, [], [], [])

    offsets = {f"{kind}{s}": j * h for j, (s, _) in enumerate(gates) for kind in ("W", "b")}
    offsets["b_nh"] = 2 * h
    for name, index, values in entries:
        values = np.asarray(values, dtype=np.float64)
        if name in ("V", "c"):
            column = index[1] if name == "V" else -1
            stack.readout_fixes.append(_Fix(index[0], values, column))
            continue
        row = offsets[name] + index[0]
        values = values * scale[row]
        if name == "b_nh":
            stack.state_fixes.append(_Fix(row, values))
        elif name.startswith("b"):
            stack.input_fixes.append(_Fix(row, values, coef=np.ones(inputs.shape[0])))
        elif index[1] < d:
            stack.input_fixes.append(_Fix(row, values, coef=inputs[:, index[1]].copy()))
        else:
            stack.state_fixes.append(_Fix(row, values, index[1] - d))
    return stack


def _losses(spec, base, dense, entries, n, inputs, targets, initial_state, initial_cell):
    inputs = np.asarray(inputs, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    T, h = inputs.shape[0], spec.h
    if inputs.ndim != 2 or inputs.shape[1] != spec.d:
        raise ValueError(f"inputs must be T × {spec.d}, got {inputs.shape}")
    if targets.shape != (T, spec.k):
        raise ValueError(f"targets must be {T} × {spec.k}, got {targets.shape}")
    mask = ~np.isnan(targets)
    count = int(mask.sum())
    if count == 0 or n == 0:
        return np.full(n, np.nan)
    with np.errstate(all="ignore"):
        stack = _stack(spec, base, dense, entries, n, inputs)
        loss = _Loss(spec, base, dense, stack.readout_fixes, targets, mask, n)
        # Settings are columns: every row slice below (a gate, a unit) is contiguous.
        states = _columns(initial_state, h, n)
        cells = _columns(initial_cell, h, n) if spec.cell == "lstm" else None
        _forward(spec, stack, inputs, states, cells, loss)
        return loss.total() / count


def _columns(start: np.ndarray | None, h: int, n: int) -> np.ndarray:
    """s_0 (or c_0) as an (h, N) array: one column per setting."""
    if start is None:
        return np.zeros((h, n))
    a = np.asarray(start, dtype=np.float64)
    if a.shape == (n, h):
        return np.ascontiguousarray(a.T)
    if a.shape != (h,):
        raise ValueError(f"an initial state must be ({h},) or ({n}, {h}), got {a.shape}")
    return np.repeat(a[:, None], n, axis=1)


class _Loss:
    """Keeps the states of the steps that have a target and applies the readout in blocks."""

    def __init__(self, spec, base, dense, fixes: list[_Fix], targets, mask, n):
        self.identity = spec.readout == "identity"
        if not self.identity:
            V, c = dense.get("V", base["V"]).copy(), dense.get("c", base["c"]).copy()
            for fix in fixes:  # the varying entries are added per setting in flush()
                if fix.column >= 0:
                    V[..., fix.row, fix.column] = 0.0
                else:
                    c[..., fix.row] = 0.0
            self.V = V  # (k, h) or (N, k, h)
            self.c = c.T[None, :, None] if c.ndim == 1 else c.T[None]  # (1, k, 1 or N)
        self.fixes = fixes
        steps = np.flatnonzero(mask.any(axis=1))
        self.wanted = np.zeros(targets.shape[0], dtype=bool)
        self.wanted[steps] = True
        self.targets = np.where(mask, targets, 0.0)[:, :, None]  # (T, k, 1)
        self.mask = mask[:, :, None]
        self.block = max(1, min(len(steps), _STATE_BLOCK // max(1, n * spec.h)))
        self.buffer = np.empty((self.block, spec.h, n))
        self.kept: list[int] = []
        self.sum = np.zeros(n)

    def keep(self, t: int, states: np.ndarray) -> None:
        self.buffer[len(self.kept)] = states
        self.kept.append(t)
        if len(self.kept) == self.block:
            self.flush()

    def flush(self) -> None:
        m = len(self.kept)
        if m == 0:
            return
        s = self.buffer[:m]  # (m, h, N)
        if self.identity:
            y = s.copy()
        elif self.V.ndim == 3:
            y = np.einsum("nkj,mjn->mkn", self.V, s) + self.c
        else:
            y = np.matmul(self.V, s) + self.c
        for fix in self.fixes:
            y[:, fix.row] += fix.values * s[:, fix.column] if fix.column >= 0 else fix.values
        steps = np.array(self.kept)
        y -= self.targets[steps]
        y = np.where(self.mask[steps], y, 0.0)
        self.sum += np.einsum("mkn,mkn->n", y, y)
        self.kept.clear()

    def total(self) -> np.ndarray:
        self.flush()
        return self.sum


def _forward(spec, stack: _Stack, inputs, states, cells, loss: _Loss) -> None:
    """Run the steps on (h, N) states, handing the states of target steps to ``loss``."""
    T, h = inputs.shape[0], spec.h
    g, n = stack.w_state.shape[-2], states.shape[1]
    gru = spec.cell == "gru"
    pre = np.empty((g, n))
    scratch = np.empty((h, n))
    a_n = np.empty((h, n)) if gru else None
    n_fixes = [f for f in stack.input_fixes if gru and f.row >= 2 * h]
    pre_fixes = [f for f in stack.input_fixes if not (gru and f.row >= 2 * h)]
    for t in range(T):
        # What is added to W_s·s: the input half and the biases (GRU: only in the r and z
        # rows; its n rows take b_nh, and the input half goes to a_n after the reset gate).
        if stack.dense:
            np.einsum("ngj,jn->gn", stack.w_state, states, out=pre)
            pre_add = np.einsum("ngd,d->gn", stack.w_in, inputs[t]) + stack.b_in.T
            if gru:
                n_add = pre_add[2 * h :].copy()
                pre_add[2 * h :] = stack.b_state[:, 2 * h :].T
        else:
            if t % _INPUT_BLOCK == 0:
                block = inputs[t : t + _INPUT_BLOCK] @ stack.w_in.T + stack.b_in
                if gru:
                    n_block = block[:, 2 * h :, None].copy()
                    block[:, 2 * h :] = stack.b_state[2 * h :]
                block = block[:, :, None]  # (steps, G, 1): broadcast over the settings
            np.matmul(stack.w_state, states, out=pre)
            pre_add = block[t % _INPUT_BLOCK]
            if gru:
                n_add = n_block[t % _INPUT_BLOCK]
        pre += pre_add
        for fix in stack.state_fixes:
            pre[fix.row] += fix.values * states[fix.column] if fix.column >= 0 else fix.values
        for fix in pre_fixes:
            pre[fix.row] += fix.values * fix.coef[t]
        if spec.cell == "rnn":
            _rnn_step(spec.activation, pre, states)
        elif spec.cell == "lstm":
            _lstm_step(h, pre, states, cells, scratch)
        else:
            # a_n = W_nx·x + b_n + r ⊙ (W_ns·s + b_nh) (all times −2); s = n + u ⊙ (s − n)
            _sigmoid(pre[: 2 * h])
            np.multiply(pre[:h], pre[2 * h :], out=a_n)
            a_n += n_add
            for fix in n_fixes:
                a_n[fix.row - 2 * h] += fix.values * fix.coef[t]
            _tanh(a_n)
            np.subtract(states, a_n, out=scratch)
            scratch *= pre[h : 2 * h]
            np.add(a_n, scratch, out=states)
        if loss.wanted[t]:
            loss.keep(t, states)


def _sigmoid(a: np.ndarray) -> None:
    """σ(z) in place, given a = −z."""
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)


def _tanh(a: np.ndarray) -> None:
    """tanh(z) in place, given a = −2z: 2σ(2z) − 1, finite at ±inf."""
    _sigmoid(a)
    a *= 2.0
    a -= 1.0


def _rnn_step(activation: str, pre: np.ndarray, states: np.ndarray) -> None:
    if activation == "tanh":
        _tanh(pre)
    elif activation == "relu":
        np.maximum(pre, 0.0, out=pre)
    elif activation == "sigmoid":
        _sigmoid(pre)
    states[:] = pre


def _lstm_step(h: int, pre, states, cells, scratch) -> None:
    _sigmoid(pre)  # i, f, o; the g rows hold σ(2g)
    g = pre[2 * h : 3 * h]
    g *= 2.0
    g -= 1.0
    cells *= pre[h : 2 * h]
    np.multiply(pre[:h], g, out=scratch)
    cells += scratch
    np.multiply(cells, -2.0, out=scratch)
    _tanh(scratch)
    np.multiply(pre[3 * h :], scratch, out=states)
