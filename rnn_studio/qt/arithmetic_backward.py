"""The arithmetic panel's backward pass: the steps the error signal has passed, written
out as the lecture does (``explain_backward_step``), the step passed last at the bottom
and emphasised, earlier ones (later steps) dimmed above it."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from ..core import Backward
from ..explain import fmt
from ..explain_backward import explain_backward_step

#: at most this many passed steps are written out above the current one
HISTORY = 6


def _line(text: str) -> str:
    escaped = html.escape(text)
    if "NaN" in text or "∞" in text:
        escaped += " <span style='font-style:italic'>(not a finite number)</span>"
    return escaped


def backward_paragraphs(
    backward: Backward,
    passed: int,
    target_names: Sequence[str] | None,
    colors: dict[str, str],
    indent: str,
    budget: int,
    lines_of: Callable[[int], list[str]] | None = None,
    reveal: Callable[[str], bool] | None = None,
) -> list[str]:
    """The panel's paragraphs (one text block each) after ``passed`` backward steps.

    ``lines_of(t)`` gives step t's lines (the panel keeps them while stepping); by
    default they are written afresh. ``reveal``: which lines of the current step have
    appeared (the step animating); None: all."""
    if lines_of is None:

        def lines_of(t: int) -> list[str]:
            return explain_backward_step(backward, t, target_names)

    trace = backward.trace
    T = trace.T
    parts: list[str] = []
    dim, text = colors["dim"], colors["text"]
    loss = "no loss (no target)" if trace.loss is None else f"L = {fmt(trace.loss, 4)}"
    head = (
        f"<p style='color:{colors['head']}; font-weight:700; margin:0 0 2px 0'>"
        f"&nbsp;Backward pass — {html.escape(loss)}</p>"
    )
    if passed <= 0:
        band = f"background-color:{colors['band']};"
        return [
            head,
            f"<p style='{band} color:{text}; {indent}'>The error signal starts at step {T}: "
            f"“Next” computes ∂L/∂ŷ{_sub(T)}, then carries it back towards step 1.</p>",
        ]
    current = T - passed + 1
    steps: list[int] = []
    lines_total = 0
    for t in range(current, min(T, current + HISTORY) + 1):
        n = len(lines_of(t)) + 1
        if steps and lines_total + n > budget:
            break
        steps.append(t)
        lines_total += n
    parts.append(head)
    if steps[-1] < T:
        parts.append(
            f"<p style='color:{dim}; margin:0 0 4px 0'>… steps {T}–{steps[-1] + 1} are "
            "above: move the slider back to read them</p>"
        )
    for t in reversed(steps):
        is_current = t == current
        band = f"background-color:{colors['band']};" if is_current else ""
        color = colors["head"] if is_current else dim
        parts.append(
            f"<p style='{band} color:{color}; font-weight:{700 if is_current else 600}; "
            f"margin:6px 0 0 0'>&nbsp;Step {t}, backward</p>"
        )
        line_color = text if is_current else dim
        for line in lines_of(t):
            if is_current and reveal is not None and not reveal(line):
                continue
            parts.append(f"<p style='{band} color:{line_color}; {indent}'>{_line(line)}</p>")
    if current == 1:
        parts.append(
            f"<p style='color:{dim}; margin-top:6px'>The signal has reached s₀: every "
            "gradient is complete (the Model panel shows the totals).</p>"
        )
    return parts


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
