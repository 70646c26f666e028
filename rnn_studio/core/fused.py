"""The kernels of the fused backward pass: local derivatives, the recurrence, the products.

Backward propagation through time splits into three parts here:

1. *Local derivatives* K, for all steps at once: what ∂L/∂s_t (or, for the LSTM's i, f and
   g, ∂L/∂c_t) is multiplied by to give each pre-activation delta. One (T, G·h) block.
2. *The recurrence*, the one Python loop: from t = T down to 1, ∂L/∂s_t = own part + the
   part from t+1, then Δ_t = K_t ⊙ ∂L/∂s_t (in place in K), then the part for t−1 as one
   product Δ_t·W_state with the gates' state weights stacked. Preallocated rows, ``out=``.
   backprop keeps both parts of every ∂L/∂s_t (recur_simple, recur_lstm); training keeps
   none and folds the add into the product (recur_training, recur_training_lstm).
3. *Products*: every weight gradient is Δᵀ·[X, S_prev] over a range of steps (all steps:
   the totals; one step: its contribution; t..T: the running sum), ∂L/∂x = Δ·W_in.

Blocks per cell (columns in units of h):
  rnn  Δ = [z]
  lstm Δ = [i, f, g, o]
  gru  K = [r, z, n, nh, u]: the fifth block carries ∂L/∂s_t·z_t straight to s_{t-1}, so
       the recurrence is one product with [W_rs; W_zs; 0; W_ns; I]; Δ is the first four.
Everything runs under the caller's np.errstate: non-finite values flow through.
"""

from __future__ import annotations

import numpy as np

from .cells import Params
from .fused_forward import LSTM_GATES
from .trace import ModelSpec

GATES = {"rnn": ("z",), "lstm": LSTM_GATES, "gru": ("r", "z", "n", "nh")}


def next_buffer(T: int, h: int) -> np.ndarray:
    """(T+1, h): row t (1..T) receives the part of ∂L/∂s_t from step t+1, row 0 ∂L/∂s_0."""
    return np.zeros((T + 1, h))


def chunks_backwards(T: int, size: int = 4096) -> list[slice]:
    """Row ranges from the end: the local derivatives' temporaries stay size × h."""
    return [slice(lo, min(lo + size, T)) for lo in range(0, T, size)][::-1]


# -- 1. local derivatives -------------------------------------------------------------


def rnn_local(activation: str, states: np.ndarray) -> np.ndarray:
    """φ'(z_t) from s_t = φ(z_t) (relu: z > 0 exactly when s > 0), (T, h)."""
    s = states[1:]
    if activation == "tanh":
        return 1.0 - s * s
    if activation == "relu":
        return (s > 0).astype(np.float64)
    if activation == "sigmoid":
        return s * (1.0 - s)
    return np.ones_like(s)


def lstm_local(acts: np.ndarray, c_prev: np.ndarray, tanh_c: np.ndarray, f_out: np.ndarray):
    """In place: gate values [i, f, g, o] → K; tanh(c_t) → o_t·(1 − tanh²c_t); f → f_out.

    Δ_i = ∂L/∂c·g·i(1−i), Δ_f = ∂L/∂c·c_{t-1}·f(1−f), Δ_g = ∂L/∂c·i(1−g²) and
    Δ_o = ∂L/∂s·tanh(c)·o(1−o). ``f_out`` may overlap ``c_prev`` (training keeps f in the
    cells' rows): c_{t-1} is read before f_out is written."""
    h = tanh_c.shape[1]
    i, f, g, o = (acts[:, j * h : (j + 1) * h] for j in range(4))
    k_f = f * (1.0 - f)
    k_f *= c_prev
    np.copyto(f_out, f)
    f[...] = k_f
    del k_f
    k_i = i * (1.0 - i)
    k_g = g * g
    np.subtract(1.0, k_g, out=k_g)
    k_g *= i
    np.multiply(k_i, g, out=i)
    g[...] = k_g
    del k_i, k_g
    to_cell = tanh_c * tanh_c
    np.subtract(1.0, to_cell, out=to_cell)
    to_cell *= o
    k_o = 1.0 - o
    k_o *= o
    np.multiply(k_o, tanh_c, out=o)
    tanh_c[...] = to_cell


def gru_local(block: np.ndarray, s_prev: np.ndarray) -> None:
    """In place: [r, z, hn, n, ·] → K = [Kr, Kz, Kn, Knh, z], every Δ = K ⊙ ∂L/∂s_t.

    Kn = (1−z)(1−n²), Knh = Kn·r, Kr = Kn·hn·r(1−r), Kz = (s_{t-1} − n)·z(1−z)."""
    h = s_prev.shape[1]
    r, u, hn, n, carry = (block[:, j * h : (j + 1) * h] for j in range(5))
    carry[...] = u
    k = 1.0 - u
    k *= u
    np.subtract(s_prev, n, out=u)
    u *= k
    np.multiply(n, n, out=n)
    np.subtract(1.0, n, out=n)
    np.subtract(1.0, carry, out=k)
    n *= k  # Kn
    np.multiply(n, r, out=k)  # Knh
    one_minus_r = 1.0 - r
    r *= one_minus_r
    del one_minus_r
    r *= hn
    r *= n
    hn[...] = n
    n[...] = k


# -- 2. the recurrence ----------------------------------------------------------------


def recur_simple(
    k: np.ndarray, d_own: np.ndarray, w_back: np.ndarray, nxt: np.ndarray, d_state: np.ndarray
) -> None:
    """rnn and gru: Δ_t = K_t ⊙ ∂L/∂s_t (in place in k), ∂L/∂s_{t-1} from Δ_t·w_back.

    ``k`` is (T, G·h), ``w_back`` (G·h, h). ``d_state`` may be ``d_own`` itself."""
    T, h = d_own.shape
    k3 = k.reshape(T, k.shape[1] // h, h)
    rows = zip(k[::-1], k3[::-1], d_own[::-1], nxt[:0:-1], d_state[::-1], nxt[-2::-1], strict=True)
    for kt, kt3, own, from_next, ds, prev in rows:
        np.add(own, from_next, out=ds)
        np.multiply(kt3, ds, out=kt3)
        np.dot(kt, w_back, out=prev)


def recur_lstm(
    k: np.ndarray,
    to_cell: np.ndarray,
    forget: np.ndarray,
    d_own: np.ndarray,
    w_back: np.ndarray,
    nxt: np.ndarray,
    d_state: np.ndarray,
    d_cell: np.ndarray,
) -> np.ndarray:
    """The LSTM's two carries; returns ∂L/∂c_0. ``d_cell`` receives ∂L/∂c_t in total."""
    T, h = d_own.shape
    k4 = k.reshape(T, 4, h)
    carry = np.zeros(h)
    rows = zip(
        k[::-1],
        k4[::-1, :3],
        k4[::-1, 3],
        to_cell[::-1],
        forget[::-1],
        d_own[::-1],
        nxt[:0:-1],
        d_state[::-1],
        d_cell[::-1],
        nxt[-2::-1],
        strict=True,
    )
    for kt, k_ifg, k_o, tc, f, own, from_next, ds, dc, prev in rows:
        np.add(own, from_next, out=ds)
        np.multiply(ds, tc, out=dc)
        np.add(dc, carry, out=dc)
        np.multiply(k_ifg, dc, out=k_ifg)
        np.multiply(k_o, ds, out=k_o)
        np.multiply(dc, f, out=carry)
        np.dot(kt, w_back, out=prev)
    return carry


def recur_training(k: np.ndarray, gates: int, w_ext: np.ndarray, ds: np.ndarray) -> None:
    """rnn and gru in training, where ∂L/∂s_t is not kept: two numpy calls per step.

    Row t-1 of ``k`` is [K_t (gates·h), own part of ∂L/∂s_{t-1}] (zeros in row 0), and
    ``w_ext`` is back_weights with I below, so one product gives ∂L/∂s_{t-1} whole.
    ``ds`` holds ∂L/∂s_T on entry, ∂L/∂s_0 on return."""
    T, h = k.shape[0], ds.shape[0]
    k_gates = k.reshape(T, gates + 1, h)[:, :gates]
    for kt, kt_gates in zip(k[::-1], k_gates[::-1], strict=True):
        np.multiply(kt_gates, ds, out=kt_gates)
        np.dot(kt, w_ext, out=ds)


def recur_training_lstm(
    k: np.ndarray, to_cell: np.ndarray, forget: np.ndarray, w_ext: np.ndarray, ds: np.ndarray
) -> np.ndarray:
    """The LSTM in training (layout as recur_training, 4 gates); returns ∂L/∂c_0."""
    T, h = k.shape[0], ds.shape[0]
    k5 = k.reshape(T, 5, h)
    carry, dc = np.zeros(h), np.empty(h)
    rows = zip(k[::-1], k5[::-1, :3], k5[::-1, 3], to_cell[::-1], forget[::-1], strict=True)
    for kt, k_ifg, k_o, tc, f in rows:
        np.multiply(ds, tc, out=dc)
        np.add(dc, carry, out=dc)
        np.multiply(k_ifg, dc, out=k_ifg)
        np.multiply(k_o, ds, out=k_o)
        np.multiply(dc, f, out=carry)
        np.dot(kt, w_ext, out=ds)
    return carry


def back_weights(spec: ModelSpec, p: Params) -> np.ndarray:
    """The state halves of the cell's weights, stacked to match its K block."""
    d, h = spec.d, spec.h
    if spec.cell == "rnn":
        return np.ascontiguousarray(p["W"][:, d:])
    if spec.cell == "lstm":
        return np.vstack([p[f"W_{g}"][:, d:] for g in LSTM_GATES])
    zeros = np.zeros((h, h))
    return np.vstack([p["W_r"][:, d:], p["W_z"][:, d:], zeros, p["W_n"][:, d:], np.eye(h)])


# -- 3. products ------------------------------------------------------------------------


def _halves(gx: np.ndarray, gs: np.ndarray) -> np.ndarray:
    return np.concatenate((gx, gs), axis=1)


def param_gradients(
    spec: ModelSpec,
    delta: np.ndarray,
    d_output: np.ndarray,
    inputs: np.ndarray,
    states: np.ndarray,
    lo: int,
    hi: int,
) -> dict[str, np.ndarray]:
    """Σ over steps lo+1..hi (rows lo..hi-1) of every parameter's gradient, file order.

    ``delta`` is the (T, G·h) block of pre-activation deltas; an empty range gives zeros."""
    h = spec.h
    D = delta[lo:hi]
    x, s_prev = inputs[lo:hi], states[lo:hi]
    out: dict[str, np.ndarray] = {}
    bias = D.sum(axis=0)
    if spec.cell == "rnn":
        out["W"] = _halves(D.T @ x, D.T @ s_prev)
        out["b"] = bias
    elif spec.cell == "lstm":
        gx, gs = D.T @ x, D.T @ s_prev
        for j, g in enumerate(LSTM_GATES):
            rows = slice(j * h, (j + 1) * h)
            out[f"W_{g}"] = _halves(gx[rows], gs[rows])
            out[f"b_{g}"] = bias[rows]
    else:
        gx, gs = D[:, : 3 * h].T @ x, D.T @ s_prev
        r, z, n, nh = (slice(j * h, (j + 1) * h) for j in range(4))
        out["W_r"], out["b_r"] = _halves(gx[r], gs[r]), bias[r]
        out["W_z"], out["b_z"] = _halves(gx[z], gs[z]), bias[z]
        out["W_n"], out["b_n"] = _halves(gx[n], gs[nh]), bias[n]
        out["b_nh"] = bias[nh]
    if spec.readout == "linear":
        d_out = d_output[lo:hi]
        out["V"] = d_out.T @ states[lo + 1 : hi + 1]
        out["c"] = d_out.sum(axis=0)
    return out


def input_gradients(spec: ModelSpec, p: Params, delta: np.ndarray) -> np.ndarray:
    """∂L/∂x_t for every step, (T, d): Δ·W_in in one product."""
    d = spec.d
    if spec.cell == "rnn":
        return delta @ p["W"][:, :d]
    if spec.cell == "lstm":
        return delta @ np.vstack([p[f"W_{g}"][:, :d] for g in LSTM_GATES])
    w_in = np.vstack([p["W_r"][:, :d], p["W_z"][:, :d], p["W_n"][:, :d]])
    return delta[:, : 3 * spec.h] @ w_in


def _row_sq(a: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, a)


def weight_norms(
    spec: ModelSpec, delta: np.ndarray, inputs: np.ndarray, states: np.ndarray
) -> np.ndarray:
    """‖step t's part of the cell's weight gradients‖_F, (T,), using ‖δ⊗v‖ = ‖δ‖·‖v‖."""
    h = spec.h
    x_sq, s_sq = _row_sq(inputs), _row_sq(states[:-1])
    if spec.cell in ("rnn", "lstm"):
        return np.sqrt(_row_sq(delta) * (x_sq + s_sq))
    rz, n, nh = delta[:, : 2 * h], delta[:, 2 * h : 3 * h], delta[:, 3 * h : 4 * h]
    return np.sqrt(_row_sq(rz) * (x_sq + s_sq) + _row_sq(n) * x_sq + _row_sq(nh) * s_sq)
