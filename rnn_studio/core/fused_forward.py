"""Lean forward passes for the training path: only what the fused backward needs.

``run`` (trace.py) keeps every pre-activation and gate for the views. Training needs less,
and at T = 100,000 the difference is hundreds of megabytes, so these forwards keep:

- rnn: the states S (T+1, h), nothing else.
- lstm: the gate values A (T, 4h) in the order i, f, g, o, the cells C and tanh(c_t) TC.
- gru: one (T, 5h) block B = [r, z, W_ns·s_{t-1} + b_nh, n, free], which the backward
  turns into its local derivatives in place (fused.gru_local).

A and B can be made with room for the backward (``spare``), so that it needs no copy.

Each step is one product W_aug·[x_t, 1, s_{t-1}] (bias and input half included; the
states live in the last columns of that (T+1, d+1+h) array) and a few ufuncs with
``out=``. The numbers are ``run``'s up to rounding (sums in another order, ≪ 1e-12); a
sigmoid gate is σ(a) = ½ + ½·tanh(a/2) with the halving folded into its weights (exact).
Inputs are already validated float64 arrays; overflow gives inf/NaN (call under
np.errstate).
"""

from __future__ import annotations

import numpy as np

from .cells import Params
from .trace import ModelSpec, mse, readout_forward

LSTM_GATES = ("i", "f", "g", "o")


def _augmented(inputs: np.ndarray, s0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(V, S): V's row t-1 is [x_t, 1, s_{t-1}], so one product W_aug·v gives a step's
    pre-activations with the bias; S (T+1, h) is the view of V's state columns."""
    T, d = inputs.shape
    v = np.zeros((T + 1, d + 1 + s0.shape[0]))
    v[:T, :d] = inputs
    v[:T, d] = 1.0
    states = v[:, d + 1 :]
    states[0] = s0
    return v, states


def _weights(p: Params, d: int, names: tuple[str, ...], scale: np.ndarray) -> np.ndarray:
    """[W_x, b, W_s] of the named gates stacked, each row times ``scale``."""
    w = np.vstack([p[f"W{n}"] for n in names])
    b = np.concatenate([p[f"b{n}"] for n in names])
    return np.hstack((w[:, :d], b[:, None], w[:, d:])) * scale[:, None]


def _block(T: int, gates: int, h: int, spare: int) -> np.ndarray:
    """(T, gates·h), or with spare columns (T + 1, (gates + spare)·h): the training path
    writes ∂L/∂ŷ's part of ∂L/∂s_t into row t's last h columns (fused.recur_training)."""
    if not spare:
        return np.empty((T, gates * h))
    return np.empty((T + 1, (gates + spare) * h))


def forward_rnn(p: Params, inputs: np.ndarray, s0: np.ndarray, activation: str) -> np.ndarray:
    """States (T+1, h) of s_t = φ(W·[x_t, s_{t-1}] + b)."""
    T, d = inputs.shape
    h = s0.shape[0]
    v, states = _augmented(inputs, s0)
    half = 0.5 if activation == "sigmoid" else 1.0
    w = _weights(p, d, ("",), np.full(h, half))
    z = np.empty(h)
    for vt, s in zip(v[:-1], states[1:], strict=True):
        if activation == "identity":
            np.dot(w, vt, out=s)
            continue
        np.dot(w, vt, out=z)
        if activation == "tanh":
            np.tanh(z, out=s)
        elif activation == "relu":
            np.maximum(z, 0.0, out=s)
        else:
            np.tanh(z, out=s)
            np.multiply(s, 0.5, out=s)
            np.add(s, 0.5, out=s)
    return states


def forward_lstm(
    p: Params, inputs: np.ndarray, s0: np.ndarray, c0: np.ndarray, spare: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(A, S, C, TC): gate values (T, 4h), states and cells (T+1, h), tanh(c_t) (T, h).

    With ``spare``, A has that many more columns of width h and one more row, for the
    backward's use (see _block)."""
    T, d = inputs.shape
    h = s0.shape[0]
    # ½ for the sigmoid gates i, f, o; 1 for g (tanh)
    scale = np.repeat([0.5, 0.5, 1.0, 0.5], h)
    offset = np.repeat([0.5, 0.5, 0.0, 0.5], h)
    w = _weights(p, d, tuple(f"_{g}" for g in LSTM_GATES), scale)
    v, states = _augmented(inputs, s0)
    block = _block(T, 4, h, spare)
    acts = block[:T, : 4 * h]
    cells = np.empty((T + 1, h))
    tanh_c = np.empty((T, h))
    cells[0] = c0
    ig = np.empty(h)
    gates = (acts[:, j * h : (j + 1) * h] for j in range(4))  # zipped: unpacking is slower
    rows = zip(v[:-1], acts, *gates, cells[:-1], cells[1:], tanh_c, states[1:], strict=True)
    for vt, a, i, f, g, o, c_prev, c, tc, s in rows:
        np.dot(w, vt, out=a)
        np.tanh(a, out=a)
        np.multiply(a, scale, out=a)
        np.add(a, offset, out=a)
        np.multiply(f, c_prev, out=c)
        np.multiply(i, g, out=ig)
        np.add(c, ig, out=c)
        np.tanh(c, out=tc)
        np.multiply(o, tc, out=s)
    return block, states, cells, tanh_c


def forward_gru(
    p: Params, inputs: np.ndarray, s0: np.ndarray, spare: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(B, S): the (T, 5h) block [r, z, W_ns·s_{t-1} + b_nh, n, free] and the states
    (``spare`` as in forward_lstm)."""
    T, d = inputs.shape
    h = s0.shape[0]
    # one product gives a_r/2, a_z/2 and W_ns·s + b_nh: x's columns of the last are 0
    w_n = np.hstack((np.zeros((h, d)), p["b_nh"][:, None], p["W_n"][:, d:]))
    w = np.vstack((_weights(p, d, ("_r", "_z"), np.full(2 * h, 0.5)), w_n))
    v, states = _augmented(inputs, s0)
    block = _block(T, 5, h, spare)
    np.matmul(inputs, p["W_n"][:, :d].T, out=block[:T, 3 * h : 4 * h])
    block[:T, 3 * h : 4 * h] += p["b_n"]
    tmp = np.empty(h)
    r, u, hn, n = (block[:T, j * h : (j + 1) * h] for j in range(4))
    pre, rz = block[:T, : 3 * h], block[:T, : 2 * h]
    rows = zip(v[:-1], pre, rz, r, u, hn, n, states[:-1], states[1:], strict=True)
    for vt, pre_t, rz, r, u, hn, n, s_prev, s in rows:
        np.dot(w, vt, out=pre_t)
        np.tanh(rz, out=rz)
        np.multiply(rz, 0.5, out=rz)
        np.add(rz, 0.5, out=rz)
        np.multiply(r, hn, out=tmp)
        np.add(n, tmp, out=n)
        np.tanh(n, out=n)
        np.subtract(s_prev, n, out=s)  # s = n + z·(s_{t-1} − n) = (1 − z)·n + z·s_{t-1}
        np.multiply(s, u, out=s)
        np.add(s, n, out=s)
    return block, states


def forward_states(
    spec: ModelSpec, p: Params, inputs: np.ndarray, s0: np.ndarray, c0: np.ndarray | None
) -> np.ndarray:
    """Only the states (T+1, h), for a loss."""
    if spec.cell == "rnn":
        return forward_rnn(p, inputs, s0, spec.activation)
    if spec.cell == "lstm":
        return forward_lstm(p, inputs, s0, c0)[1]
    return forward_gru(p, inputs, s0)[1]


def forward_loss(
    spec: ModelSpec,
    p: Params,
    inputs: np.ndarray,
    targets: np.ndarray,
    s0: np.ndarray,
    c0: np.ndarray | None,
) -> float | None:
    """The mean squared error of a forward pass (None without targets), nothing else kept."""
    states = forward_states(spec, p, inputs, s0, c0)
    outputs = readout_forward(spec, p, states[1:])
    return mse(outputs, targets, ~np.isnan(targets))[1]
