"""The trace table's columns, shared by the text, CSV, Markdown and LaTeX renderers.

One column per input, per hidden unit of each intermediate (z for the basic RNN, the
gates and c for LSTM and GRU), per unit of s, and for each target ŷ, y and the error;
with gradients also ∂L/∂s per unit. Each column carries its header in three spellings
(Unicode, ASCII for CSV, LaTeX) so every format names it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import Gradients, Trace
from ..document import Document
from .numbers import array_text, num

GATES = {"rnn": (), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}


@dataclass
class Column:
    text: str  # header in text and markdown (Unicode)
    ascii: str  # header in CSV
    latex: str  # header in LaTeX (math mode)
    values: list[float | None]  # one per step; None = blank (no target)


def gates(doc: Document) -> tuple[str, ...]:
    """The gates a cell shows, in spec/model.md's order (none for the basic RNN)."""
    return GATES[doc.cell]


def gradient_names(doc: Document) -> list[str]:
    """Every parameter of the file, then initial_state (and initial_cell for the LSTM)."""
    names = [ps.name for ps in doc.param_specs()] + ["initial_state"]
    if doc.cell == "lstm":
        names.append("initial_cell")
    return names


def latex_name(name: str) -> str:
    """A user's column name in LaTeX text mode, its special characters escaped."""
    out = []
    for ch in name:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(ch)
    return "".join(out)


def _unit(name: str, j: int, h: int) -> str:
    return name if h == 1 else f"{name}[{j + 1}]"


def table_columns(doc: Document, trace: Trace, grads: Gradients | None) -> list[Column]:
    T, h, k = trace.T, doc.hidden_size, doc.k
    cols = [Column("t", "t", "$t$", [float(t) for t in range(1, T + 1)])]
    for j, name in enumerate(doc.input_names):
        cols.append(Column(name, name, latex_name(name), list(trace.inputs[:, j])))

    def units(symbol: str, latex: str, data: np.ndarray) -> None:
        for j in range(h):
            tex = f"${latex}$" if h == 1 else f"${latex}_{{{j + 1}}}$"
            cols.append(Column(_unit(symbol, j, h), _unit(symbol, j, h), tex, list(data[:, j])))

    if doc.cell == "rnn":
        units("z", "z", trace.pre["z"])
    else:
        for g in gates(doc):
            units(g, g, trace.gates[g])
        if doc.cell == "lstm":
            units("c", "c", trace.cells[1:])
    units("s", "s", trace.states[1:])
    for j, name in enumerate(doc.target_names):
        one = k == 1
        tex_name = latex_name(name)
        mask = trace.mask[:, j]
        cols.append(
            Column(
                "ŷ" if one else f"ŷ({name})",
                "yhat" if one else f"yhat({name})",
                "$\\hat{y}$" if one else f"$\\hat{{y}}$ ({tex_name})",
                list(trace.outputs[:, j]),
            )
        )
        cols.append(
            Column(
                name,
                name,
                tex_name,
                [float(v) if m else None for v, m in zip(trace.targets[:, j], mask, strict=True)],
            )
        )
        cols.append(
            Column(
                "error" if one else f"error({name})",
                "error" if one else f"error({name})",
                "error" if one else f"error ({tex_name})",
                [float(v) if m else None for v, m in zip(trace.errors[:, j], mask, strict=True)],
            )
        )
    if grads is not None:
        for j in range(h):
            tex = (
                "$\\partial L/\\partial s$" if h == 1 else f"$\\partial L/\\partial s_{{{j + 1}}}$"
            )
            cols.append(
                Column(_unit("∂L/∂s", j, h), _unit("dL/ds", j, h), tex, list(grads.d_state[:, j]))
            )
    return cols


def _cell_text(value: float | None, precision: int, integer: bool = False) -> str:
    if value is None:
        return ""
    if integer:
        return str(int(value))
    return num(value, precision)


def rows(cols: list[Column], precision: int, blank: str = "") -> list[list[str]]:
    """The table's cells as text, one row per step; ``blank`` where there is no target."""
    T = len(cols[0].values)
    out = []
    for i in range(T):
        row = []
        for n, col in enumerate(cols):
            text = _cell_text(col.values[i], precision, integer=n == 0)
            row.append(text if text else blank)
        out.append(row)
    return out


def loss_text(trace: Trace, precision: int) -> str:
    if trace.loss is None:
        return "loss: none (no step has a target)"
    n = trace.target_count
    return (
        f"loss = {num(trace.loss, precision)}   "
        f"(mean of error² over {n} target{'s' if n != 1 else ''})"
    )


def gradient_lines(doc: Document, grads: Gradients, precision: int) -> list[str]:
    """The gradient totals, one parameter a line, matrix rows aligned under each other."""
    lines = ["gradients (∂L/∂θ, summed over the steps):"]
    names = gradient_names(doc)
    width = max(len(n) for n in names)
    for name in names:
        a = np.asarray(grads.totals[name])
        label = f"  ∂L/∂{name:<{width}} = "
        if a.ndim == 2:
            texts = [array_text(row, precision) for row in a]
            lines.append(label + texts[0])
            lines.extend(" " * len(label) + r for r in texts[1:])
        else:
            lines.append(label + array_text(a, precision))
    return lines
