"""``trace --format json``: the object of spec/cli.md, every number at full precision."""

from __future__ import annotations

from typing import Any

from ..core import Gradients, Trace
from ..document import Document
from .columns import gates, gradient_names
from .numbers import Finite
from .steps import step_contribution, step_lines


def _step_obj(doc: Document, trace: Trace, t: int, clean: Finite) -> dict[str, Any]:
    """One step (t = 1..T), keys in spec/cli.md's order."""
    i = t - 1
    step: dict[str, Any] = {"t": t}
    if doc.cell == "rnn":
        step["z"] = clean(trace.pre["z"][i], "z", t)
    else:
        step["gates"] = {g: clean(trace.gates[g][i], f"gates.{g}", t) for g in gates(doc)}
        if doc.cell == "lstm":
            step["cell"] = clean(trace.cells[t], "cell", t)
    step["state"] = clean(trace.states[t], "state", t)
    step["output"] = clean(trace.outputs[i], "output", t)
    no_target = ~trace.mask[i]
    step["target"] = clean(trace.targets[i], "target", t, blank=no_target)
    step["error"] = clean(trace.errors[i], "error", t, blank=no_target)
    return step


def _gradients_obj(doc: Document, grads: Gradients, clean: Finite) -> dict[str, Any]:
    """Every parameter by its name in the file, s_0 (c_0), then ∂L/∂x_t as ``inputs``."""
    obj = {name: clean(grads.totals[name], f"gradients.{name}") for name in gradient_names(doc)}
    inputs = getattr(grads, "inputs", None)  # None: bptt.py's Gradients, before backward.py
    if inputs is not None:
        obj["inputs"] = clean(inputs, "gradients.inputs")
    return obj


def trace_json(doc: Document, trace: Trace, grads: Gradients | None) -> dict[str, Any]:
    """The object ``trace --format json`` prints (spec/cli.md), full precision, valid JSON."""
    clean = Finite()
    obj: dict[str, Any] = {
        "cell": doc.cell,
        "T": trace.T,
        "d": doc.d,
        "h": doc.hidden_size,
        "k": doc.k,
        "steps": [_step_obj(doc, trace, t, clean) for t in range(1, trace.T + 1)],
        "loss": None if trace.loss is None else clean(trace.loss, "loss"),
    }
    if grads is not None:
        obj["gradients"] = _gradients_obj(doc, grads, clean)
    if clean.bad:
        obj["warnings"] = clean.warnings()
    return obj


def step_json(
    doc: Document, trace: Trace, grads: Gradients | None, t: int, precision: int
) -> dict[str, Any]:
    """``trace --step T --format json``: the step's numbers and its arithmetic lines."""
    clean = Finite()
    obj: dict[str, Any] = {"t": t}
    if t == 0:
        obj["state"] = clean(trace.states[0], "state", 0)
        if trace.cells is not None:
            obj["cell"] = clean(trace.cells[0], "cell", 0)
    else:
        obj.update(_step_obj(doc, trace, t, clean))
        if grads is not None:
            obj["d_state"] = clean(grads.d_state[t - 1], "d_state", t)
            obj["contributions"] = {
                name: clean(part, f"contributions.{name}", t)
                for name, part in step_contribution(grads, t).items()
            }
    obj["lines"] = step_lines(doc, trace, None, t, precision)
    if clean.bad:
        obj["warnings"] = clean.warnings()
    return obj
