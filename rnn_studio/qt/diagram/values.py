"""What the diagram's nodes show, read from a trace at paint time (the value source)."""

from __future__ import annotations

import math

import numpy as np

from ...core import Trace
from ...explain import fmt, sub
from .colors import compact
from .layout import EdgeSpec, NodeSpec


def node_value(tr: Trace, node: NodeSpec, t: int) -> float:
    """The value a node of column t shows, read from a trace."""
    kind, i = node.kind, node.index
    if kind == "x":
        return float(tr.inputs[t - 1, i])
    if kind == "s":
        return float(tr.states[t, i])
    if kind == "s0":
        return float(tr.states[0, i])
    if kind == "c":
        return float(tr.cells[t, i])
    if kind == "c0":
        return float(tr.cells[0, i])
    if kind == "yhat":
        return float(tr.outputs[t - 1, i])
    if kind == "err":
        return float(tr.errors[t - 1, i])
    return float(tr.gates[node.gate][t - 1, i])


def _same_targets(old: Trace | None, new: Trace) -> bool:
    """Whether two traces have the same targets and target mask (what labels show)."""
    return (
        old is not None
        and old.targets.shape == new.targets.shape
        and np.array_equal(old.mask, new.mask)
        and np.array_equal(old.targets, new.targets, equal_nan=True)
    )


class ValuesMixin:
    """What the nodes show: values, their texts and labels, read from the trace."""

    def value(self, node: NodeSpec, t: int) -> float:
        assert self.trace is not None
        return node_value(self.trace, node, t)

    def text(self, node: NodeSpec, t: int) -> str:
        key = (t, node.kind + node.gate, node.index)
        text = self._texts.get(key)
        if text is None:
            value = self.value(node, t)
            if node.kind == "err" and math.isnan(value) and self.trace is not None:
                text = "—" if not self.trace.mask[t - 1, node.index] else "NaN"
            else:
                text = compact(value)
            self._texts[key] = text
        return text

    def label(self, node: NodeSpec, t: int) -> str:
        unit = f"[{node.index + 1}]" if self.layout.h > 1 else ""
        kind = node.kind
        if kind == "x":
            return self.input_names[node.index]
        if kind in ("s", "s0"):
            return f"s{sub(t)}{unit}"
        if kind in ("c", "c0"):
            return f"c{sub(t)}{unit}"
        name = self.target_names[node.index] if self.layout.k > 1 else ""
        if kind == "yhat":
            return f"ŷ{sub(t)}" + (f" {name}" if name else "")
        if kind == "err":
            if self.trace is not None and self.trace.mask[t - 1, node.index]:
                y = compact(self.trace.targets[t - 1, node.index], 9)
                return f"error\ny = {y}" if not name else f"error\n{name} = {y}"
            return "no target:\nno error" if not name else f"no {name}:\nno error"
        return ""

    def _look(self, trace: Trace | None, t: int) -> list:
        """What the nodes of computed column t ≥ 1 show of ``trace``'s values: the text
        (4 digits) and fill of each node, a gate's exact value (its bar's length)."""
        out: list = []
        if trace is None:
            return out
        for node in self.layout.nodes:
            value = node_value(trace, node, t)
            if node.kind == "gate":
                out.append(value if math.isfinite(value) else repr(value))
            elif math.isfinite(value):
                out.append((compact(value), value >= 0, int(min(1.0, abs(value)) * 20)))
            else:
                out.append(repr(value))
        return out

    def _source(self, edge: EdgeSpec, t: int) -> float:
        """The value an edge carries into step t: an input, the previous state or s_t."""
        tr = self.trace
        assert tr is not None and edge.key is not None
        name, index = edge.key
        if name == "V":
            return float(tr.states[t, index[1]])
        column = index[1]
        if column < self.layout.d:
            return float(tr.inputs[t - 1, column])
        return float(tr.states[t - 1, column - self.layout.d])

    def _sum_text(self, node: NodeSpec, t: int) -> str:
        tr = self.trace
        if tr is None or "z" not in tr.pre:
            return ""
        return "Σ " + fmt(tr.pre["z"][t - 1, node.index], 3)
