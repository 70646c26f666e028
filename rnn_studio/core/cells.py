"""The three recurrent cells of spec/model.md: parameter shapes, one step forward, one step back.

A cell knows nothing about sequences, losses or files. The trace (``trace.py``) runs a
cell over time and the tests run its ``backward`` in reverse as the yardstick of backward.py;
both are shared by every cell, so adding a cell means adding one class here.

Vectors are 1-D float64 arrays of length h (state) or d (input). ``v`` below is always
the concatenation ``[x_t, s_{t-1}]``, inputs first, as the lecture writes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

Params = Mapping[str, np.ndarray]

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
CELL_KINDS = ("rnn", "lstm", "gru")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, computed without overflow warnings for large |z|."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    ez = np.exp(z[~positive])
    out[~positive] = ez / (1.0 + ez)
    return out


def activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return sigmoid(z)
    if name == "identity":
        return np.array(z, dtype=np.float64, copy=True)
    raise ValueError(f"unknown activation {name!r}")


def activation_slope(name: str, z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """φ'(z), using the already computed φ(z) where that is cheaper and exact."""
    if name == "tanh":
        return 1.0 - out * out
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "sigmoid":
        return out * (1.0 - out)
    if name == "identity":
        return np.ones_like(z)
    raise ValueError(f"unknown activation {name!r}")


@dataclass(frozen=True)
class ParamSpec:
    """One named parameter: its shape and which gate (if any) it belongs to."""

    name: str
    shape: tuple[int, ...]
    gate: str = ""
    #: "matrix" (rows are units, columns x1…xd, s1…sh) or "vector" (one entry per unit)
    kind: str = "matrix"


@dataclass
class StepResult:
    """Everything one forward step produced, kept so the step can be shown and undone."""

    state: np.ndarray
    cell: np.ndarray | None
    #: pre-activations by gate name (rnn: {"z": z})
    pre: dict[str, np.ndarray]
    #: gate values after their nonlinearity (lstm: i f g o; gru: r z n; rnn: none)
    gates: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class StepGrad:
    params: dict[str, np.ndarray]
    state_prev: np.ndarray
    cell_prev: np.ndarray | None


class Cell:
    """Base class: subclasses fill in the names and the two steps."""

    kind: ClassVar[str]
    label: ClassVar[str]
    gate_names: ClassVar[tuple[str, ...]] = ()
    has_cell_state: ClassVar[bool] = False

    def __init__(self, d: int, h: int, activation: str = "tanh") -> None:
        if d < 1 or h < 1:
            raise ValueError("a cell needs at least one input and one hidden unit")
        self.d = d
        self.h = h
        self.activation = activation

    def param_specs(self) -> list[ParamSpec]:
        raise NotImplementedError

    def forward(self, p: Params, x: np.ndarray, s_prev: np.ndarray, c_prev) -> StepResult:
        raise NotImplementedError

    def backward(
        self,
        p: Params,
        x: np.ndarray,
        s_prev: np.ndarray,
        c_prev: np.ndarray | None,
        step: StepResult,
        d_state: np.ndarray,
        d_cell: np.ndarray | None,
    ) -> StepGrad:
        raise NotImplementedError

    # -- helpers shared by the subclasses -------------------------------------------------
    def _w(self, name: str, gate: str = "") -> ParamSpec:
        return ParamSpec(name, (self.h, self.d + self.h), gate, "matrix")

    def _b(self, name: str, gate: str = "") -> ParamSpec:
        return ParamSpec(name, (self.h,), gate, "vector")


class BasicRNN(Cell):
    """s_t = φ(W·[x_t, s_{t-1}] + b), the lecture's cell."""

    kind = "rnn"
    label = "Basic RNN"

    def __init__(self, d: int, h: int, activation: str = "tanh") -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}")
        super().__init__(d, h, activation)

    def param_specs(self) -> list[ParamSpec]:
        return [self._w("W"), self._b("b")]

    def forward(self, p, x, s_prev, c_prev=None) -> StepResult:
        v = np.concatenate((x, s_prev))
        z = p["W"] @ v + p["b"]
        return StepResult(state=activate(self.activation, z), cell=None, pre={"z": z})

    def backward(self, p, x, s_prev, c_prev, step, d_state, d_cell=None) -> StepGrad:
        dz = d_state * activation_slope(self.activation, step.pre["z"], step.state)
        v = np.concatenate((x, s_prev))
        dv = p["W"].T @ dz
        return StepGrad({"W": np.outer(dz, v), "b": dz}, dv[self.d :], None)


class LSTM(Cell):
    """PyTorch's LSTM: gates i, f, g, o; c_t = f⊙c_{t-1} + i⊙g; s_t = o⊙tanh(c_t)."""

    kind = "lstm"
    label = "LSTM"
    gate_names = ("i", "f", "g", "o")
    has_cell_state = True

    def param_specs(self) -> list[ParamSpec]:
        specs: list[ParamSpec] = []
        for g in self.gate_names:
            specs += [self._w(f"W_{g}", g), self._b(f"b_{g}", g)]
        return specs

    def forward(self, p, x, s_prev, c_prev) -> StepResult:
        v = np.concatenate((x, s_prev))
        pre = {g: p[f"W_{g}"] @ v + p[f"b_{g}"] for g in self.gate_names}
        gates = {
            "i": sigmoid(pre["i"]),
            "f": sigmoid(pre["f"]),
            "g": np.tanh(pre["g"]),
            "o": sigmoid(pre["o"]),
        }
        c = gates["f"] * c_prev + gates["i"] * gates["g"]
        s = gates["o"] * np.tanh(c)
        return StepResult(state=s, cell=c, pre=pre, gates=gates)

    def backward(self, p, x, s_prev, c_prev, step, d_state, d_cell) -> StepGrad:
        i, f, g, o = (step.gates[k] for k in self.gate_names)
        tanh_c = np.tanh(step.cell)
        dc = d_cell + d_state * o * (1.0 - tanh_c * tanh_c)
        d_pre = {
            "i": dc * g * i * (1.0 - i),
            "f": dc * c_prev * f * (1.0 - f),
            "g": dc * i * (1.0 - g * g),
            "o": d_state * tanh_c * o * (1.0 - o),
        }
        v = np.concatenate((x, s_prev))
        grads: dict[str, np.ndarray] = {}
        dv = np.zeros(self.d + self.h)
        for name in self.gate_names:
            grads[f"W_{name}"] = np.outer(d_pre[name], v)
            grads[f"b_{name}"] = d_pre[name]
            dv += p[f"W_{name}"].T @ d_pre[name]
        return StepGrad(grads, dv[self.d :], dc * f)


class GRU(Cell):
    """PyTorch's GRU: gates r, z (update), n; s_t = (1 − z)⊙n + z⊙s_{t-1}."""

    kind = "gru"
    label = "GRU"
    gate_names = ("r", "z", "n")

    def param_specs(self) -> list[ParamSpec]:
        return [
            self._w("W_r", "r"),
            self._b("b_r", "r"),
            self._w("W_z", "z"),
            self._b("b_z", "z"),
            self._w("W_n", "n"),
            self._b("b_n", "n"),
            self._b("b_nh", "n"),
        ]

    def forward(self, p, x, s_prev, c_prev=None) -> StepResult:
        d = self.d
        v = np.concatenate((x, s_prev))
        a_r = p["W_r"] @ v + p["b_r"]
        a_z = p["W_z"] @ v + p["b_z"]
        r = sigmoid(a_r)
        u = sigmoid(a_z)
        hidden_n = p["W_n"][:, d:] @ s_prev + p["b_nh"]
        a_n = p["W_n"][:, :d] @ x + p["b_n"] + r * hidden_n
        n = np.tanh(a_n)
        s = (1.0 - u) * n + u * s_prev
        return StepResult(
            state=s,
            cell=None,
            pre={"r": a_r, "z": a_z, "n": a_n, "nh": hidden_n},
            gates={"r": r, "z": u, "n": n},
        )

    def backward(self, p, x, s_prev, c_prev, step, d_state, d_cell=None) -> StepGrad:
        d = self.d
        r, u, n = step.gates["r"], step.gates["z"], step.gates["n"]
        hidden_n = step.pre["nh"]
        dn = d_state * (1.0 - u)
        du = d_state * (s_prev - n)
        da_n = dn * (1.0 - n * n)
        d_hidden_n = da_n * r
        da_r = da_n * hidden_n * r * (1.0 - r)
        da_z = du * u * (1.0 - u)
        v = np.concatenate((x, s_prev))
        w_n = np.empty((self.h, d + self.h))
        w_n[:, :d] = np.outer(da_n, x)
        w_n[:, d:] = np.outer(d_hidden_n, s_prev)
        grads = {
            "W_r": np.outer(da_r, v),
            "b_r": da_r,
            "W_z": np.outer(da_z, v),
            "b_z": da_z,
            "W_n": w_n,
            "b_n": da_n,
            "b_nh": d_hidden_n,
        }
        dv = p["W_r"].T @ da_r + p["W_z"].T @ da_z
        d_prev = d_state * u + dv[d:] + p["W_n"][:, d:].T @ d_hidden_n
        return StepGrad(grads, d_prev, None)


CELLS: dict[str, type[Cell]] = {"rnn": BasicRNN, "lstm": LSTM, "gru": GRU}


def make_cell(kind: str, d: int, h: int, activation: str = "tanh") -> Cell:
    try:
        cls = CELLS[kind]
    except KeyError:
        raise ValueError(f"unknown cell {kind!r}; expected one of {', '.join(CELLS)}") from None
    return cls(d, h, activation)


def readout_specs(readout: str, h: int, k: int) -> list[ParamSpec]:
    """The readout's parameters: none for identity, V (k × h) and c (k) for linear."""
    if readout == "identity":
        return []
    if readout == "linear":
        return [
            ParamSpec("V", (k, h), "readout", "matrix"),
            ParamSpec("c", (k,), "readout", "vector"),
        ]
    raise ValueError(f"unknown readout {readout!r}")
