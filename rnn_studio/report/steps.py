"""One step's arithmetic written out (``trace --step T``): explain.py's forward lines,
and with gradients the step's backward pieces."""

from __future__ import annotations

import numpy as np

from ..core import Gradients, Trace
from ..document import Document
from ..explain import explain_step, sub
from .numbers import array_text, num, parenthesised


def step_contribution(grads: Gradients, t: int) -> dict[str, np.ndarray]:
    """Step t's (1-based) part of every parameter's gradient, in the file's order."""
    contribution = getattr(grads, "contribution", None)
    if contribution is None:  # bptt.py's Gradients, before core/backward.py's Backward
        return {name: c[t - 1] for name, c in grads.contributions.items()}
    return dict(contribution(t))


def step_lines(
    doc: Document, trace: Trace, grads: Gradients | None, t: int, precision: int
) -> list[str]:
    lines = explain_step(trace, t, doc.target_names, precision)
    if grads is None or t == 0:
        return lines
    i = t - 1
    f = lambda v: num(v, precision)  # noqa: E731
    lines.append("")
    lines.append(f"backward at step {t}:")
    for j in range(doc.hidden_size):
        unit = f"[{j + 1}]" if doc.hidden_size > 1 else ""
        lhs = f"∂L/∂s{sub(t)}{unit}"
        if t == trace.T:
            lines.append(f"{lhs} = {f(grads.d_state[i, j])} (from ŷ{sub(t)}; no later step)")
            continue
        lines.append(
            f"{lhs} = {f(grads.d_state_from_output[i, j])} (from ŷ{sub(t)})"
            f" + {parenthesised(f(grads.d_state_from_next[i, j]))} (from step {t + 1})"
            f" = {f(grads.d_state[i, j])}"
        )
    part = step_contribution(grads, t)
    for ps in doc.param_specs():
        lines.append(f"step {t}'s part of ∂L/∂{ps.name} = {array_text(part[ps.name], precision)}")
    return lines
