"""A step's backward arithmetic written out with its numbers, as the lecture writes it.

The lecture, t = 2 then t = 1 (the order the error signal travels)::

    ∂L/∂ŷ₂ = 2·0.3791/2 = 0.3791
    ∂L/∂s₂ = 0.3791
    ∂L/∂z₂ = 0.3791·(1 − 0.8791²) = 0.0861
    ∂L/∂W += 0.0861·[0.7, 0.9, 0.5299] = [0.0603, 0.0775, 0.0456]
    ∂L/∂b += 0.0861
    ...
    ∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643

One line per quantity: ∂L/∂ŷ_t for every output, the readout's part of its gradients,
then per hidden unit the error signal ∂L/∂s_t (its own output's part + what comes back
from step t+1), for the LSTM ∂L/∂c_t, the pre-activation deltas (the basic RNN's ∂L/∂z_t;
a gate's δ is ∂L/∂ of its weighted sum), and this step's part of every weight and bias.
At t = 1 the signal's last stop, ∂L/∂s₀ (and ∂L/∂c₀), closes the pass.

Every printed result is read from the Backward object, never recomputed here, so the
window, the command line and the totals of ``trace --grad`` cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .core import Backward
from .explain import MINUS, _Names, fmt, sub

#: Beyond this many products, the part of ∂L/∂s_t that comes back from step t+1 is
#: shown as its value instead of written out term by term.
MAX_TERMS = 8

D = "∂L/∂"


def gfmt(value: float, precision: int = 4) -> str:
    """``fmt``, but a number too small for ``precision`` decimals that is not zero keeps
    its size in scientific notation (2.4e-15, not 0): a vanishing signal is not zero."""
    value = float(value)
    if value != 0 and math.isfinite(value) and abs(value) < 0.5 * 10.0**-precision:
        return f"{value:.1e}"
    return fmt(value, precision)


def explain_backward_step(
    backward: Backward,
    t: int,
    target_names: Sequence[str] | None = None,
    precision: int = 4,
) -> list[str]:
    """The lines of step t's backward computation (t = 1..T), in the signal's order."""
    trace = backward.trace
    if not 1 <= t <= trace.T:
        raise IndexError(f"step {t} is outside 1..{trace.T}")
    w = _Writer(backward, t, precision)
    lines = w.output_lines(target_names)
    for j in range(trace.spec.h):
        lines.append(w.state_line(j))
        lines += w.cell_lines(j)
    if t == 1:
        lines += w.initial_lines()
    return lines


def explain_backward_text(backward: Backward, t: int, target_names=None, precision: int = 4) -> str:
    return "\n".join(explain_backward_step(backward, t, target_names, precision))


class _Writer:
    """Step t's backward lines; holds the step's numbers and the formatting."""

    def __init__(self, backward: Backward, t: int, precision: int) -> None:
        self.b = backward
        self.trace = backward.trace
        self.spec = self.trace.spec
        self.t = t
        self.i = t - 1
        self.p = self.trace.params
        self.precision = precision
        self.names = _Names(t, self.spec.h)
        self.contribution = backward.contribution(t)

    # -- formatting ---------------------------------------------------------------

    def n(self, value: float) -> str:
        return gfmt(value, self.precision)

    def x(self, value: float) -> str:
        """A number as a factor of a product."""
        text = gfmt(value, self.precision)
        return f"({text})" if text.startswith("-") else text

    def vec(self, values: np.ndarray) -> str:
        return "[" + ", ".join(self.n(v) for v in values) + "]"

    def unit(self, j: int) -> str:
        return f"[{j + 1}]" if self.spec.h > 1 else ""

    def sym(self, letter: str, j: int, t: int | None = None) -> str:
        return self.names.sym(letter, j, t)

    def _param(self, name: str, j: int, size: int) -> str:
        """∂L/∂W (one unit) or ∂L/∂W[2,·] (row 2 of several)."""
        return f"{D}{name}" + (f"[{j + 1},·]" if size > 1 else "")

    def _bias(self, name: str, j: int, size: int) -> str:
        return f"{D}{name}" + (f"[{j + 1}]" if size > 1 else "")

    def weight_lines(self, w: str, bias: str | None, j: int, delta: float, v: np.ndarray):
        """``∂L/∂W += δ·[v] = [...]`` and ``∂L/∂b += δ``, the step's part of row j."""
        h = self.spec.h
        row = self.contribution[w][j]
        lines = [f"{self._param(w, j, h)} += {self.x(delta)}·{self.vec(v)} = {self.vec(row)}"]
        if bias is not None:
            lines.append(f"{self._bias(bias, j, h)} += {self.n(self.contribution[bias][j])}")
        return lines

    # -- the output ---------------------------------------------------------------

    def output_lines(self, target_names: Sequence[str] | None) -> list[str]:
        trace, i, k = self.trace, self.i, self.spec.k
        out = _Names(self.t, k)
        count = trace.target_count
        y_names = (
            list(target_names)
            if target_names
            else (["y"] if k == 1 else [f"y{q + 1}" for q in range(k)])
        )
        lines = []
        for q in range(k):
            head = f"{D}{out.sym('ŷ', q)}"
            value = self.n(self.b.d_output[i, q])
            if not trace.mask[i, q]:
                lines.append(f"{head} = 0   (no target at step {self.t}: {y_names[q]} is blank)")
            else:
                lines.append(f"{head} = 2·{self.x(trace.errors[i, q])}/{count} = {value}")
        if self.spec.readout == "linear":
            s = trace.states[self.t]
            for q in range(k):
                dy = self.b.d_output[i, q]
                row = self.contribution["V"][q]
                lines.append(
                    f"{self._param('V', q, k)} += {self.x(dy)}·{self.vec(s)} = {self.vec(row)}"
                )
                lines.append(f"{self._bias('c', q, k)} += {self.n(self.contribution['c'][q])}")
        return lines

    # -- the error signal arriving at s_t -------------------------------------------

    def own_part(self, j: int) -> str:
        """∂L/∂s_t[j]'s part from step t's own output, written out."""
        dy = self.b.d_output[self.i]
        if self.spec.readout == "identity":
            return self.n(dy[j])
        v = self.p["V"][:, j]
        return " + ".join(f"{self.x(a)}·{self.x(b)}" for a, b in zip(v, dy, strict=True))

    def from_step(self, u: int, j: int, value: float) -> str:
        """The part of ∂L/∂s_{u-1}[j] that comes back from step u: Σ weight·δ."""
        spec, d = self.spec, self.spec.d
        deltas = self.b.deltas
        u_i = u - 1
        terms: list[tuple[float, float]] = []
        if spec.cell == "gru":
            terms.append((self.b.d_state[u_i, j], self.trace.gates["z"][u_i, j]))
            pairs = [("W_r", "r"), ("W_z", "z"), ("W_n", "nh")]
        elif spec.cell == "lstm":
            pairs = [(f"W_{g}", g) for g in ("i", "f", "g", "o")]
        else:
            pairs = [("W", "z")]
        for w, g in pairs:
            col = self.p[w][:, d + j]
            terms += list(zip(col, deltas[g][u_i], strict=True))
        if len(terms) > MAX_TERMS:
            return f"{self.x(value)} (from step {u})"
        return " + ".join(f"{self.x(a)}·{self.x(b)}" for a, b in terms)

    def state_line(self, j: int) -> str:
        t, T = self.t, self.trace.T
        total = self.n(self.b.d_state[self.i, j])
        parts = [self.own_part(j)]
        if t < T:
            parts.append(self.from_step(t + 1, j, self.b.d_state_from_next[self.i, j]))
        text = " + ".join(parts)
        tail = "" if text == total else f" = {total}"
        return f"{D}{self.sym('s', j)} = {text}{tail}"

    # -- through the cell -------------------------------------------------------------

    def cell_lines(self, j: int) -> list[str]:
        cell = self.spec.cell
        if cell == "rnn":
            return self.rnn_lines(j)
        if cell == "lstm":
            return self.lstm_lines(j)
        return self.gru_lines(j)

    def concat(self) -> np.ndarray:
        return np.concatenate((self.trace.inputs[self.i], self.trace.states[self.i]))

    def rnn_lines(self, j: int) -> list[str]:
        i = self.i
        ds = self.b.d_state[i, j]
        dz = self.b.deltas["z"][i, j]
        s = self.trace.states[self.t, j]
        z = self.trace.pre["z"][i, j]
        act = self.spec.activation
        head = f"{D}{self.sym('z', j)}"
        if act == "tanh":
            slope = f"{self.x(ds)}·(1 {MINUS} {self.x(s)}²)"
        elif act == "sigmoid":
            slope = f"{self.x(ds)}·{self.x(s)}·(1 {MINUS} {self.x(s)})"
        elif act == "relu":
            slope = f"{self.x(ds)}·{1 if z > 0 else 0}"
        else:
            slope = f"{D}{self.sym('s', j)}"
        line = f"{head} = {slope} = {self.n(dz)}"
        return [line, *self.weight_lines("W", "b", j, dz, self.concat())]

    def lstm_lines(self, j: int) -> list[str]:
        i, t, T = self.i, self.t, self.trace.T
        g = {k: self.trace.gates[k][i, j] for k in ("i", "f", "g", "o")}
        ds = self.b.d_state[i, j]
        dc = self.b.d_cell[i, j]
        c, c_prev = self.trace.cells[t, j], self.trace.cells[t - 1, j]
        x, n = self.x, self.n
        sym = self.sym
        tanh_c = f"tanh({n(c)})"
        symbolic = f"{D}{sym('s', j)}·{sym('o', j)}·(1 {MINUS} tanh({sym('c', j)})²)"
        numbers = f"{x(ds)}·{x(g['o'])}·(1 {MINUS} {tanh_c}²)"
        if t < T:
            symbolic += f" + {D}{sym('c', j, t + 1)}·{sym('f', j, t + 1)}"
            numbers += f" + {x(self.b.d_cell[i + 1, j])}·{x(self.trace.gates['f'][i + 1, j])}"
        lines = [f"{D}{sym('c', j)} = {symbolic} = {numbers} = {n(dc)}"]
        dc_s, one = f"{D}{sym('c', j)}", f"(1 {MINUS} "
        forms = {
            "i": (
                f"{dc_s}·{sym('g', j)}·{sym('i', j)}·{one}{sym('i', j)})",
                f"{x(dc)}·{x(g['g'])}·{x(g['i'])}·{one}{x(g['i'])})",
            ),
            "f": (
                f"{dc_s}·{sym('c', j, t - 1)}·{sym('f', j)}·{one}{sym('f', j)})",
                f"{x(dc)}·{x(c_prev)}·{x(g['f'])}·{one}{x(g['f'])})",
            ),
            "g": (
                f"{dc_s}·{sym('i', j)}·{one}{sym('g', j)}²)",
                f"{x(dc)}·{x(g['i'])}·{one}{x(g['g'])}²)",
            ),
            "o": (
                f"{D}{sym('s', j)}·tanh({sym('c', j)})·{sym('o', j)}·{one}{sym('o', j)})",
                f"{x(ds)}·{tanh_c}·{x(g['o'])}·{one}{x(g['o'])})",
            ),
        }
        v = self.concat()
        weights = []
        for gate in ("i", "f", "g", "o"):
            delta = self.b.deltas[gate][i, j]
            symbolic, numbers = forms[gate]
            lines.append(f"δ{sym(gate, j)} = {symbolic} = {numbers} = {n(delta)}")
            weights += self.weight_lines(f"W_{gate}", f"b_{gate}", j, delta, v)
        return lines + weights

    def gru_lines(self, j: int) -> list[str]:
        i, t, d = self.i, self.t, self.spec.d
        tr = self.trace
        r, u, nv = (tr.gates[k][i, j] for k in ("r", "z", "n"))
        hidden = tr.pre["nh"][i, j]
        s_prev = tr.states[t - 1, j]
        ds = self.b.d_state[i, j]
        dl = {k: self.b.deltas[k][i, j] for k in ("r", "z", "n", "nh")}
        x, n, sym = self.x, self.n, self.sym
        ds_s, one = f"{D}{sym('s', j)}", f"(1 {MINUS} "
        lines = [
            f"δ{sym('n', j)} = {ds_s}·{one}{sym('z', j)})·{one}{sym('n', j)}²)"
            f" = {x(ds)}·{one}{x(u)})·{one}{x(nv)}²) = {n(dl['n'])}",
            f"δ{sym('nh', j)} = δ{sym('n', j)}·{sym('r', j)} = {x(dl['n'])}·{x(r)} = {n(dl['nh'])}",
            f"δ{sym('r', j)} = δ{sym('n', j)}·(W_ns·s{sub(t - 1)} + b_nh){self.unit(j)}"
            f"·{sym('r', j)}·{one}{sym('r', j)})"
            f" = {x(dl['n'])}·{x(hidden)}·{x(r)}·{one}{x(r)}) = {n(dl['r'])}",
            f"δ{sym('z', j)} = {ds_s}·({sym('s', j, t - 1)} {MINUS} {sym('n', j)})"
            f"·{sym('z', j)}·{one}{sym('z', j)})"
            f" = {x(ds)}·({x(s_prev)} {MINUS} {x(nv)})·{x(u)}·{one}{x(u)}) = {n(dl['z'])}",
        ]
        v = self.concat()
        lines += self.weight_lines("W_r", "b_r", j, dl["r"], v)
        lines += self.weight_lines("W_z", "b_z", j, dl["z"], v)
        h = self.spec.h
        row = self.contribution["W_n"][j]
        xs, ss = tr.inputs[i], tr.states[t - 1]
        lines.append(
            f"{self._param('W_nx', j, h)} += {x(dl['n'])}·{self.vec(xs)} = {self.vec(row[:d])}"
        )
        lines.append(
            f"{self._param('W_ns', j, h)} += {x(dl['nh'])}·{self.vec(ss)} = {self.vec(row[d:])}"
        )
        lines.append(f"{self._bias('b_n', j, h)} += {n(self.contribution['b_n'][j])}")
        lines.append(f"{self._bias('b_nh', j, h)} += {n(self.contribution['b_nh'][j])}")
        return lines

    # -- the end of the pass: s₀ (and c₀) -------------------------------------------

    def initial_lines(self) -> list[str]:
        totals = self.b.totals
        lines = []
        for j in range(self.spec.h):
            value = totals["initial_state"][j]
            text = self.from_step(1, j, value)
            total = self.n(value)
            tail = "" if text == total else f" = {total}"
            lines.append(f"{D}{self.sym('s', j, 0)} = {text}{tail}")
        if self.spec.cell == "lstm":
            for j in range(self.spec.h):
                dc, f = self.b.d_cell[0, j], self.trace.gates["f"][0, j]
                lines.append(
                    f"{D}{self.sym('c', j, 0)} = {D}{self.sym('c', j, 1)}·{self.sym('f', j, 1)}"
                    f" = {self.x(dc)}·{self.x(f)} = {self.n(totals['initial_cell'][j])}"
                )
        return lines
