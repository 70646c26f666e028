"""A step's arithmetic written out with its numbers, as the lecture writes it.

    s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299
    ŷ₁ = s₁ = 0.5299
    error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299

Shared by the window's arithmetic panel and the command line's ``trace --step``.
Numbers print as short as they can without lying: a number that is exact at the chosen
precision prints in its shortest form (0.59, 0), any other to ``precision`` decimals
(1.3720), as the lecture's slides do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .core import Trace

_SUB = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
MINUS = "−"  # U+2212, the operator; negative numbers keep an ASCII "-" so they paste back

GATE_TITLES = {
    "i": "input gate",
    "f": "forget gate",
    "g": "candidate",
    "o": "output gate",
    "r": "reset gate",
    "z": "update gate",
    "n": "candidate",
}


def sub(n: int | str) -> str:
    """Subscript digits: sub(12) == '₁₂'."""
    return str(n).translate(_SUB)


def fmt(value: float, precision: int = 4) -> str:
    """Shortest faithful text for a number at ``precision`` decimals.

    >>> fmt(0.59), fmt(1.37195824), fmt(0.0), fmt(-0.25), fmt(2.0)
    ('0.59', '1.3720', '0', '-0.25', '2')
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if abs(value) >= 1e15:  # fixed point would print ~all of a float's 300 digits
        return f"{value:.{precision + 1}g}"
    rounded = round(value, precision)
    scale = max(1.0, abs(value))
    if abs(value - rounded) <= 1e-12 * scale:
        text = f"{rounded:.{precision}f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{precision}f}"
    if text == "-0":
        text = "0"
    elif text == "-0." + "0" * precision:  # tiny but not zero: keep the digits, drop the sign
        text = text[1:]
    return text


def fmt_operand(value: float, precision: int = 4) -> str:
    """A number someone typed (a weight, an input) as typed; any other as ``fmt`` does.

    A value whose shortest faithful text has at most 10 significant digits was typed (or
    is a short decimal anyway): 0.123456 stays 0.123456, so the operands shown add up to
    the result shown. A drawn or computed value (16–17 digits) keeps ``precision``.

    >>> fmt_operand(0.123456), fmt_operand(0.5488135039273248), fmt_operand(2.0)
    ('0.123456', '0.5488', '2')
    """
    value = float(value)
    if value != 0 and math.isfinite(value) and abs(value) < 1e15:
        text = repr(value)
        mantissa = text.split("e")[0].lstrip("-").replace(".", "").strip("0")
        if len(mantissa) <= 10:
            return text[:-2] if text.endswith(".0") else text
    return fmt(value, precision)


def _factor(value: float, precision: int) -> str:
    """A number as a factor of a product: negatives in parentheses."""
    text = fmt_operand(value, precision)
    return f"({text})" if text.startswith("-") else text


def _weighted_sum(row: np.ndarray, v: np.ndarray, bias: float | None, precision: int) -> str:
    terms = [
        f"{_factor(w, precision)}·{_factor(x, precision)}" for w, x in zip(row, v, strict=True)
    ]
    if bias is not None:
        terms.append(_factor(bias, precision))
    return " + ".join(terms)


class _Names:
    """Symbols for step t and unit j, with the unit shown only when h > 1."""

    def __init__(self, t: int, h: int) -> None:
        self.t = t
        self.h = h

    def sym(self, letter: str, j: int, t: int | None = None) -> str:
        step = self.t if t is None else t
        unit = f"[{j + 1}]" if self.h > 1 else ""
        return f"{letter}{sub(step)}{unit}"


def explain_step(
    trace: Trace,
    t: int,
    target_names: Sequence[str] | None = None,
    precision: int = 4,
) -> list[str]:
    """The lines of step t's computation (t = 1..T); t = 0 describes the initial state."""
    spec = trace.spec
    h = spec.h
    names = _Names(t, h)
    if t == 0:
        lines = [
            f"{names.sym('s', j)} = {fmt(trace.states[0, j], precision)}   (initial state)"
            for j in range(h)
        ]
        if trace.cells is not None:
            lines += [
                f"{names.sym('c', j)} = {fmt(trace.cells[0, j], precision)}   (initial cell state)"
                for j in range(h)
            ]
        return lines
    if not 1 <= t <= trace.T:
        raise IndexError(f"step {t} is outside 0..{trace.T}")
    if spec.cell == "rnn":
        lines = _rnn_lines(trace, t, names, precision)
    elif spec.cell == "lstm":
        lines = _lstm_lines(trace, t, names, precision)
    else:
        lines = _gru_lines(trace, t, names, precision)
    return lines + _output_lines(trace, t, names, target_names, precision)


def explain_text(trace: Trace, t: int, target_names=None, precision: int = 4) -> str:
    return "\n".join(explain_step(trace, t, target_names, precision))


def _concat(trace: Trace, t: int) -> np.ndarray:
    return np.concatenate((trace.inputs[t - 1], trace.states[t - 1]))


def _rnn_lines(trace: Trace, t: int, names: _Names, precision: int) -> list[str]:
    p = trace.params
    v = _concat(trace, t)
    act = trace.spec.activation
    fn = {"tanh": "tanh", "relu": "relu", "sigmoid": "σ", "identity": ""}[act]
    lines = []
    for j in range(trace.spec.h):
        z = trace.pre["z"][t - 1, j]
        s = trace.states[t, j]
        total = _weighted_sum(p["W"][j], v, p["b"][j], precision)
        lhs = names.sym("s", j)
        if fn:
            lines.append(f"{lhs} = {fn}({total}) = {fn}({fmt(z, precision)}) = {fmt(s, precision)}")
        else:
            lines.append(f"{lhs} = {total} = {fmt(s, precision)}")
    return lines


def _gate_line(fn: str, row, v, bias, pre, value, lhs: str, precision: int) -> str:
    total = _weighted_sum(row, v, bias, precision)
    return f"{lhs} = {fn}({total}) = {fn}({fmt(pre, precision)}) = {fmt(value, precision)}"


def _lstm_lines(trace: Trace, t: int, names: _Names, precision: int) -> list[str]:
    p = trace.params
    v = _concat(trace, t)
    i = t - 1
    f_ = lambda x: fmt(x, precision)  # noqa: E731
    lines = []
    for j in range(trace.spec.h):
        for g in ("i", "f", "g", "o"):
            fn = "tanh" if g == "g" else "σ"
            lines.append(
                _gate_line(
                    fn,
                    p[f"W_{g}"][j],
                    v,
                    p[f"b_{g}"][j],
                    trace.pre[g][i, j],
                    trace.gates[g][i, j],
                    names.sym(g, j),
                    precision,
                )
            )
        gi, gf, gg, go = (trace.gates[g][i, j] for g in ("i", "f", "g", "o"))
        c_prev, c = trace.cells[t - 1, j], trace.cells[t, j]
        c_sym, c_prev_sym = names.sym("c", j), names.sym("c", j, t - 1)
        lines.append(
            f"{c_sym} = {names.sym('f', j)}·{c_prev_sym} + {names.sym('i', j)}·{names.sym('g', j)}"
            f" = {_factor(gf, precision)}·{_factor(c_prev, precision)}"
            f" + {_factor(gi, precision)}·{_factor(gg, precision)} = {f_(c)}"
        )
        lines.append(
            f"{names.sym('s', j)} = {names.sym('o', j)}·tanh({c_sym})"
            f" = {_factor(go, precision)}·tanh({f_(c)}) = {f_(trace.states[t, j])}"
        )
    return lines


def _gru_lines(trace: Trace, t: int, names: _Names, precision: int) -> list[str]:
    p = trace.params
    d = trace.spec.d
    v = _concat(trace, t)
    x, s_prev = trace.inputs[t - 1], trace.states[t - 1]
    i = t - 1
    f_ = lambda x: fmt(x, precision)  # noqa: E731
    lines = []
    for j in range(trace.spec.h):
        for g in ("r", "z"):
            lines.append(
                _gate_line(
                    "σ",
                    p[f"W_{g}"][j],
                    v,
                    p[f"b_{g}"][j],
                    trace.pre[g][i, j],
                    trace.gates[g][i, j],
                    names.sym(g, j),
                    precision,
                )
            )
        r = trace.gates["r"][i, j]
        u = trace.gates["z"][i, j]
        n = trace.gates["n"][i, j]
        x_part = _weighted_sum(p["W_n"][j, :d], x, p["b_n"][j], precision)
        s_part = _weighted_sum(p["W_n"][j, d:], s_prev, p["b_nh"][j], precision)
        lines.append(
            f"{names.sym('n', j)} = tanh({x_part} + {_factor(r, precision)}·({s_part}))"
            f" = tanh({f_(trace.pre['n'][i, j])}) = {f_(n)}"
        )
        s_prev_j = trace.states[t - 1, j]
        lines.append(
            f"{names.sym('s', j)} = (1 {MINUS} {names.sym('z', j)})·{names.sym('n', j)}"
            f" + {names.sym('z', j)}·{names.sym('s', j, t - 1)}"
            f" = (1 {MINUS} {f_(u)})·{_factor(n, precision)}"
            f" + {_factor(u, precision)}·{_factor(s_prev_j, precision)}"
            f" = {f_(trace.states[t, j])}"
        )
    return lines


def _output_lines(
    trace: Trace, t: int, names: _Names, target_names: Sequence[str] | None, precision: int
) -> list[str]:
    spec = trace.spec
    k = spec.k
    i = t - 1
    f_ = lambda x: fmt(x, precision)  # noqa: E731
    y_names = (
        list(target_names)
        if target_names
        else (["y"] if k == 1 else [f"y{j + 1}" for j in range(k)])
    )
    out_names = _Names(t, k)
    lines = []
    for j in range(k):
        y_hat = out_names.sym("ŷ", j)
        if spec.readout == "identity":
            lines.append(f"{y_hat} = {names.sym('s', j)} = {f_(trace.outputs[i, j])}")
        else:
            total = _weighted_sum(
                trace.params["V"][j], trace.states[t], trace.params["c"][j], precision
            )
            lines.append(f"{y_hat} = {total} = {f_(trace.outputs[i, j])}")
    for j in range(k):
        y_hat = out_names.sym("ŷ", j)
        label = "error" if k == 1 else f"error({y_names[j]})"
        if not trace.mask[i, j]:
            lines.append(f"{label}: no target at step {t} ({y_names[j]} is blank)")
            continue
        target = trace.targets[i, j]
        target_text = _factor(target, precision)
        lines.append(
            f"{label} = {y_hat} {MINUS} {y_names[j]} = {f_(trace.outputs[i, j])} {MINUS} "
            f"{target_text} = {f_(trace.errors[i, j])}"
        )
    return lines
