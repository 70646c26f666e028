"""Lean forward passes for the training path: only what the fused backward needs.

``run`` (trace.py) keeps every pre-activation and gate for the views. Training needs less,
and at T = 100,000 the difference is hundreds of megabytes, so these forwards keep:

- rnn: the states S (T+1, h); the pre-activations are computed in S's own rows.
- lstm: the gate values A (T, 4h) in the order i, f, g, o, the cells C and tanh(c_t) TC.
- gru: one (T, 5h) block B = [r, z, n, W_ns·s_{t-1} + b_nh, free], which the backward
  turns into its local derivatives in place (fused.gru_local).

They compute what ``run`` computes, in the same order of operations; a sigmoid gate is
σ(a) = ½ + ½·tanh(a/2) with the halving folded into its weights, which is exact (scaling
by ½ commutes with rounding). Inputs are already validated float64 arrays; overflow gives
inf/NaN (call under np.errstate).
"""

from __future__ import annotations

import numpy as np

from .cells import Params
from .trace import ModelSpec, mse, readout_forward

LSTM_GATES = ("i", "f", "g", "o")


def forward_rnn(p: Params, inputs: np.ndarray, s0: np.ndarray, activation: str) -> np.ndarray:
    """States (T+1, h) of s_t = φ(W·[x_t, s_{t-1}] + b)."""
    T, d = inputs.shape
    h = s0.shape[0]
    states = np.empty((T + 1, h))
    states[0] = s0
    z_all = states[1:]
    np.matmul(inputs, p["W"][:, :d].T, out=z_all)
    z_all += p["b"]
    w_state = np.ascontiguousarray(p["W"][:, d:])
    if activation == "sigmoid":
        z_all *= 0.5
        w_state *= 0.5
    hidden = np.empty(h)
    for prev, z in zip(states[:-1], z_all, strict=True):
        np.dot(w_state, prev, out=hidden)
        np.add(z, hidden, out=z)
        if activation == "tanh":
            np.tanh(z, out=z)
        elif activation == "relu":
            np.maximum(z, 0.0, out=z)
        elif activation == "sigmoid":
            np.tanh(z, out=z)
            np.multiply(z, 0.5, out=z)
            np.add(z, 0.5, out=z)
    return states


def forward_lstm(
    p: Params, inputs: np.ndarray, s0: np.ndarray, c0: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(A, S, C, TC): gate values (T, 4h), states and cells (T+1, h), tanh(c_t) (T, h)."""
    T, d = inputs.shape
    h = s0.shape[0]
    # ½ for the sigmoid gates i, f, o; 1 for g (tanh)
    scale = np.repeat([0.5, 0.5, 1.0, 0.5], h)
    offset = np.repeat([0.5, 0.5, 0.0, 0.5], h)
    w_in = np.vstack([p[f"W_{g}"][:, :d] for g in LSTM_GATES]) * scale[:, None]
    w_state = np.vstack([p[f"W_{g}"][:, d:] for g in LSTM_GATES]) * scale[:, None]
    bias = np.concatenate([p[f"b_{g}"] for g in LSTM_GATES]) * scale
    acts = np.empty((T, 4 * h))
    np.matmul(inputs, w_in.T, out=acts)
    acts += bias
    states = np.empty((T + 1, h))
    cells = np.empty((T + 1, h))
    tanh_c = np.empty((T, h))
    states[0] = s0
    cells[0] = c0
    hidden = np.empty(4 * h)
    ig = np.empty(h)
    rows = zip(
        acts,
        acts.reshape(T, 4, h),
        states[:-1],
        states[1:],
        cells[:-1],
        cells[1:],
        tanh_c,
        strict=True,
    )
    for a, a4, s_prev, s, c_prev, c, tc in rows:
        np.dot(w_state, s_prev, out=hidden)
        np.add(a, hidden, out=a)
        np.tanh(a, out=a)
        np.multiply(a, scale, out=a)
        np.add(a, offset, out=a)
        i, f, g, o = a4
        np.multiply(f, c_prev, out=c)
        np.multiply(i, g, out=ig)
        np.add(c, ig, out=c)
        np.tanh(c, out=tc)
        np.multiply(o, tc, out=s)
    return acts, states, cells, tanh_c


def forward_gru(p: Params, inputs: np.ndarray, s0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(B, S): the (T, 5h) block [r, z, n, W_ns·s_{t-1} + b_nh, free] and the states."""
    T, d = inputs.shape
    h = s0.shape[0]
    half = np.repeat([0.5, 0.5, 1.0], h)[:, None]
    w_in = np.vstack([p["W_r"][:, :d], p["W_z"][:, :d], p["W_n"][:, :d]]) * half
    w_state = np.vstack([p["W_r"][:, d:] * 0.5, p["W_z"][:, d:] * 0.5, p["W_n"][:, d:]])
    bias = np.concatenate([p["b_r"] * 0.5, p["b_z"] * 0.5, p["b_n"]])
    b_nh = p["b_nh"]
    block = np.empty((T, 5 * h))
    np.matmul(inputs, w_in.T, out=block[:, : 3 * h])
    block[:, : 3 * h] += bias
    states = np.empty((T + 1, h))
    states[0] = s0
    hidden = np.empty(3 * h)
    hidden_rz, hidden_n = hidden[: 2 * h], hidden[2 * h :]
    tmp = np.empty(h)
    rows = zip(block[:, : 2 * h], block.reshape(T, 5, h), states[:-1], states[1:], strict=True)
    for rz, b5, s_prev, s in rows:
        r, u, n, hn, _ = b5
        np.dot(w_state, s_prev, out=hidden)
        np.add(rz, hidden_rz, out=rz)
        np.tanh(rz, out=rz)
        np.multiply(rz, 0.5, out=rz)
        np.add(rz, 0.5, out=rz)
        np.add(hidden_n, b_nh, out=hn)
        np.multiply(r, hn, out=tmp)
        np.add(n, tmp, out=n)
        np.tanh(n, out=n)
        np.subtract(1.0, u, out=tmp)
        np.multiply(tmp, n, out=s)
        np.multiply(u, s_prev, out=tmp)
        np.add(s, tmp, out=s)
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
