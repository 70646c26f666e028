"""The backward value source: what a node shows once the error signal has reached it.

Where the forward pass shows a value, the backward pass shows the gradient of the loss
with respect to it: ∂L/∂ŷ_t on the output, ∂L/∂s_t on the state, ∂L/∂c_t on the LSTM's
cell state and each gate's delta (∂L/∂ of its weighted sum) on its bar; ∂L/∂s₀ (∂L/∂c₀)
at the start. Inputs and errors keep their forward values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...explain import sub
from .colors import MAX_NODE_CHARS, compact
from .layout import NodeSpec
from .timeline import BACK_APPEAR


def grad_compact(value: float) -> str:
    """A gradient in a node: as ``compact``, but a tiny one that is not zero keeps its
    size (2e-15, not 0), which is what a vanishing signal looks like."""
    if value != 0 and math.isfinite(value) and abs(value) < 5e-5:
        for digits in (1, 0):
            mantissa, exponent = f"{value:.{digits}e}".split("e")
            text = f"{mantissa}e{int(exponent)}"
            if len(text) <= MAX_NODE_CHARS:
                return text
        return text
    return compact(value)


def grad_value(backward: Any, node: NodeSpec, t: int) -> float | None:
    """The backward quantity node shows at step t, or None where it shows none."""
    kind, i = node.kind, node.index
    if kind == "yhat":
        return float(backward.d_output[t - 1, i])
    if kind == "s":
        return float(backward.d_state[t - 1, i])
    if kind == "c":
        return float(backward.d_cell[t - 1, i])
    if kind == "gate":
        return float(backward.deltas[node.gate][t - 1, i])
    if kind == "s0":
        return float(backward.totals["initial_state"][i])
    if kind == "c0":
        return float(backward.totals["initial_cell"][i])
    return None


def grad_scale(arrays: list[np.ndarray]) -> float:
    """The largest finite |gradient| in ``arrays``: fills and widths are relative to it
    (gradients are often far below the values' 0..1, and would all look blank)."""
    largest = 0.0
    for a in arrays:
        finite = np.abs(a[np.isfinite(a)])
        if finite.size:
            largest = max(largest, float(finite.max()))
    return largest or 1.0


class GradientsMixin:
    """The item's backward values: which node shows a gradient now, its text, its label."""

    _grad_texts: dict
    _grad_scale: float = 1.0
    _delta_scale: float = 1.0

    def set_backward_source(self, backward: Any) -> None:
        """A new backward pass (or None): its texts and its scale."""
        if backward is self.backward:
            return
        self.backward = backward
        self._grad_texts = {}
        if backward is None:
            self._grad_scale = self._delta_scale = 1.0
            return
        signals = [backward.d_output, backward.d_state]
        if backward.d_cell is not None:
            signals.append(backward.d_cell)
        self._grad_scale = grad_scale(signals)
        # the gates' deltas on their own scale: they are often an order smaller
        self._delta_scale = grad_scale(list(backward.deltas.values()))

    def grad(self, node: NodeSpec, t: int) -> float | None:
        """The gradient node shows at step t, if the signal has reached it (else None)."""
        if self.backward is None:
            return None
        appear = BACK_APPEAR.get(node.kind)
        if appear is None or self.back_shown(t) < appear:
            return None
        return grad_value(self.backward, node, t)

    def grad_fraction(self, value: float) -> float:
        """|value| relative to the largest shown, signed: what fills and widths use."""
        if not math.isfinite(value):
            return value
        return value / self._grad_scale

    def delta_fraction(self, value: float) -> float:
        """A gate's delta relative to the largest delta of the sequence."""
        return value / self._delta_scale if math.isfinite(value) else value

    def grad_text(self, node: NodeSpec, t: int, value: float) -> str:
        key = (t, node.kind + node.gate, node.index)
        text = self._grad_texts.get(key)
        if text is None:
            if len(self._grad_texts) > 20000:
                self._grad_texts.clear()
            text = self._grad_texts[key] = grad_compact(value)
        return text

    def grad_label(self, node: NodeSpec, t: int) -> str:
        unit = f"[{node.index + 1}]" if self.layout.h > 1 else ""
        kind = node.kind
        if kind in ("s", "s0"):
            return f"∂L/∂s{sub(t)}{unit}"
        if kind in ("c", "c0"):
            return f"∂L/∂c{sub(t)}{unit}"
        if kind == "yhat":
            name = self.target_names[node.index] if self.layout.k > 1 else ""
            return f"∂L/∂ŷ{sub(t)}" + (f" {name}" if name else "")
        return ""
