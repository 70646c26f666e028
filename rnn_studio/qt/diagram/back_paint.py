"""The backward pass drawn: the error signal travelling right to left.

Each step the signal has passed carries its part of ∂L/∂s_{t-1} back along the state line
(and, for the LSTM, its part of ∂L/∂c_{t-1} along the cell line) to the step before: a
band whose width is the signal's size (relative to the largest in the sequence) and
whose colour is its sign. While a step animates, a dot first runs from ŷ_t down to s_t,
then the band grows from s_t leftwards to s_{t-1}.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from .colors import BAD, NEGATIVE, NODE_H, NODE_W, POSITIVE, _alpha
from .timeline import BACK_ALONG, BACK_DOWN


def _ease(f: float) -> float:
    f = max(0.0, min(1.0, f))
    return f * f * (3 - 2 * f)


class BackPaintMixin:
    """Paints the backward signal of one column (see the module's docstring)."""

    def signal_into_previous(self, t: int) -> tuple[list[float], list[float]]:
        """What step t sends back to step t−1, per unit: its part of ∂L/∂s_{t-1} and
        (LSTM) of ∂L/∂c_{t-1}."""
        b = self.backward
        h = self.layout.h
        if t == 1:
            states = [float(v) for v in b.totals["initial_state"]]
            cells = [float(v) for v in b.totals.get("initial_cell", [])]
            return states, cells
        states = [float(b.d_state_from_next[t - 2, j]) for j in range(h)]
        cells = []
        if b.d_cell is not None:
            f = self.trace.gates["f"]
            cells = [float(b.d_cell[t - 1, j] * f[t - 1, j]) for j in range(h)]
        return states, cells

    def _signal_pen(self, value: float) -> QPen:
        if not math.isfinite(value):
            color, width = BAD, 6.0
        else:
            frac = min(1.0, abs(self.grad_fraction(value)))
            color = POSITIVE if value > 0 else NEGATIVE if value < 0 else QColor(self.colors.faint)
            width = 1.5 + 8.0 * frac
        pen = QPen(_alpha(color, 0.8), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen

    def signal_along(self, painter: QPainter, t: int) -> float | None:
        """How far (0..1, eased) column t's signal has come along to t−1; None before it
        leaves s_t. While step t animates, the dot from ŷ_t down to s_t is painted here."""
        if self.backward is None or t < 1:
            return None
        shown = self.back_shown(t)
        if shown <= 0.0:
            return None
        if t == self.back_anim:
            self._paint_down(painter, t, shown)
        lo, hi = BACK_ALONG
        if shown <= lo:
            return None
        return _ease((shown - lo) / (hi - lo))

    def paint_signal(self, painter: QPainter, t: int) -> None:
        """Column t's backward signal, as far as it has come (nothing before it starts)."""
        f = self.signal_along(painter, t)
        if f is None:
            return
        lay = self.layout
        w = lay.width
        states, cells = self.signal_into_previous(t)
        right = t * w + lay.state_x - NODE_W / 2
        left = (t - 1) * w + lay.state_x + NODE_W / 2
        lines = [(y, v, right, left) for y, v in zip(lay.state_ys, states, strict=True)]
        c_nodes = [n for n in lay.nodes if n.kind == "c"]
        for node, v in zip(c_nodes, cells, strict=False):
            lines.append(
                (node.y, v, t * w + node.x - NODE_W / 2, (t - 1) * w + node.x + NODE_W / 2)
            )
        for y, value, x0, x1 in lines:
            end = x0 + (x1 - x0) * f
            pen = self._signal_pen(value)
            # a halo of the background sets it apart from the weight's edge beneath
            halo = QPen(self.colors.base, pen.widthF() + 4)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawLine(QLineF(x0, y, end, y))
            painter.setPen(pen)
            painter.drawLine(QLineF(x0, y, end, y))
            # an arrowhead at its front: the signal travels right to left
            size = 5.0 + pen.widthF() * 0.6
            head = QPolygonF(
                [
                    QPointF(end - size, y),
                    QPointF(end + size * 0.6, y - size * 0.8),
                    QPointF(end + size * 0.6, y + size * 0.8),
                ]
            )
            painter.setPen(QPen(self.colors.base, 1.0))
            painter.setBrush(pen.color())
            painter.drawPolygon(head)

    def _paint_down(self, painter: QPainter, t: int, shown: float) -> None:
        """The dot from ŷ_t down to s_t: the output's part of the signal arriving."""
        lo, hi = BACK_DOWN
        if not lo <= shown <= hi:
            return
        f = _ease((shown - lo) / (hi - lo))
        lay = self.layout
        dx = t * lay.width
        outs = [n for n in lay.nodes if n.kind == "yhat"]
        states = [n for n in lay.nodes if n.kind == "s"]
        identity = self.trace.spec.readout == "identity"
        for out in outs:
            value = float(self.backward.d_output[t - 1, out.index])
            for s in [states[out.index]] if identity else states:
                start = QPointF(out.x + dx, out.y + NODE_H / 2)
                end = QPointF(s.x + dx, s.y - NODE_H / 2)
                point = start + (end - start) * f
                color = POSITIVE if value > 0 else NEGATIVE if value < 0 else self.colors.faint
                painter.setPen(QPen(self.colors.base, 1.2))
                painter.setBrush(color)
                painter.drawEllipse(point, 5.0, 5.0)
