"""Markdown: ``trace --format markdown`` (the table, the loss, the gradients) and the
document ``export -o trace.md`` writes (the table, then each step's arithmetic)."""

from __future__ import annotations

from collections.abc import Iterable

from ..core import Gradients, Trace
from ..document import Document
from .columns import gradient_lines, loss_text, rows, table_columns
from .steps import arithmetic_sections


def render_markdown(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    cols = table_columns(doc, trace, grads)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [line([c.text for c in cols]), "| " + " | ".join("---:" for _ in cols) + " |"]
    out += [line(r) for r in rows(cols, precision, blank="–")]
    out += ["", f"**{loss_text(trace, precision)}**"]
    if grads is not None:
        out += ["", "```", *gradient_lines(doc, grads, precision), "```"]
    return "\n".join(out) + "\n"


def markdown_document(
    doc: Document,
    trace: Trace,
    steps: Iterable[int],
    precision: int,
    title: str = "",
    grads: Gradients | None = None,
) -> str:
    """A hand-in page: a heading, the trace table and loss, then each step's arithmetic;
    with ``grads`` also each step's backward lines, in the order the signal travels."""
    out = [f"# {title or 'RNN Studio trace'}", "", render_markdown(doc, trace, None, precision)]
    for heading, lines in arithmetic_sections(doc, trace, steps, precision, grads):
        out += [f"## {heading}", "", "```", *lines, "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
