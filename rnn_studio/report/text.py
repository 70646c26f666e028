"""``trace --format text``: a header line, the table (basic RNN) or one block per step
(LSTM, GRU: one line per gate), the loss, and with gradients their totals."""

from __future__ import annotations

from ..core import Gradients, Trace
from ..document import Document
from ..explain import GATE_TITLES
from .columns import gates, gradient_lines, loss_text, rows, table_columns
from .numbers import array_text, num

CELL_TITLES = {"rnn": "basic RNN", "lstm": "LSTM", "gru": "GRU"}


def header(doc: Document, trace: Trace) -> str:
    """``basic RNN (tanh): 2 inputs, 1 hidden unit, 1 target, 2 steps, identity readout``."""
    what = CELL_TITLES[doc.cell] + (f" ({doc.activation})" if doc.cell == "rnn" else "")

    def n(count: int, word: str) -> str:
        return f"{count} {word}{'s' if count != 1 else ''}"

    return (
        f"{what}: {n(doc.d, 'input')}, {n(doc.hidden_size, 'hidden unit')}, "
        f"{n(doc.k, 'target')}, {n(trace.T, 'step')}, {doc.readout} readout"
    )


def aligned(headers: list[str], body: list[list[str]]) -> list[str]:
    """Right-aligned columns under a dashed rule."""
    widths = [max(len(h), *(len(r[j]) for r in body)) for j, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return lines


def render_text(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    out = [header(doc, trace), ""]
    if doc.cell == "rnn":
        cols = table_columns(doc, trace, grads)
        out += aligned([c.text for c in cols], rows(cols, precision, blank="–"))
    else:
        out += _step_blocks(doc, trace, grads, precision)
    out += ["", loss_text(trace, precision)]
    if not trace.finite:
        out.append(
            f"warning: the forward pass overflowed at step {trace.first_nonfinite_step}; "
            f"∞ and NaN above are what it computed"
        )
    if grads is not None:
        out += [""] + gradient_lines(doc, grads, precision)
    return "\n".join(out) + "\n"


def _step_blocks(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> list[str]:
    """LSTM and GRU: one block per step, one line per gate."""
    f = lambda a: array_text(a, precision)  # noqa: E731
    out: list[str] = []
    for t in range(1, trace.T + 1):
        i = t - 1
        inputs = ", ".join(
            f"{name} = {num(v, precision)}"
            for name, v in zip(doc.input_names, trace.inputs[i], strict=True)
        )
        block: list[tuple[str, str]] = []
        for g in gates(doc):
            block.append((f"{GATE_TITLES[g]} {g}", f(trace.gates[g][i])))
        if doc.cell == "lstm":
            block.append(("cell c", f(trace.cells[t])))
        block.append(("state s", f(trace.states[t])))
        block.append(("output ŷ", f(trace.outputs[i])))
        targets = [
            num(v, precision) if m else "–"
            for v, m in zip(trace.targets[i], trace.mask[i], strict=True)
        ]
        errors = [
            num(v, precision) if m else "–"
            for v, m in zip(trace.errors[i], trace.mask[i], strict=True)
        ]
        block.append(("target y", "[" + ", ".join(targets) + "]"))
        block.append(("error ŷ − y", "[" + ", ".join(errors) + "]"))
        if grads is not None:
            block.append(("∂L/∂s", f(grads.d_state[i])))
        width = max(len(label) for label, _ in block)
        out.append(f"step {t}: {inputs}")
        out += [f"  {label:<{width}}  {value}" for label, value in block]
        if t < trace.T:
            out.append("")
    return out
