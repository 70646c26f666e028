"""One step's arithmetic written out (``trace --step T``): explain.py's forward lines,
and with gradients the step's backward pieces."""

from __future__ import annotations

import numpy as np

from ..core import Gradients, Trace
from ..document import Document
from ..explain import explain_step
from ..explain_backward import explain_backward_step


def step_contribution(grads: Gradients, t: int) -> dict[str, np.ndarray]:
    """Step t's (1-based) part of every parameter's gradient, in the file's order."""
    return dict(grads.contribution(t))


def step_lines(
    doc: Document, trace: Trace, grads: Gradients | None, t: int, precision: int
) -> list[str]:
    lines = explain_step(trace, t, doc.target_names, precision)
    if grads is None or t == 0:
        return lines
    lines.append("")
    lines.append(f"backward at step {t}:")
    lines += explain_backward_step(grads, t, doc.target_names, precision)
    return lines
