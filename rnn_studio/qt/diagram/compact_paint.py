"""Painting the compact vector view: the static layer (cell box, connections, operators
and every matrix as a heat map, the same in each column, so cached and blitted as the
per-unit view's edges are) and the changing layer (the vectors' strips of cells, filled
by value or, in the backward pass, by gradient; the backward signal as a ribbon of its h
components running right to left).

The colours are the per-unit view's: blue for positive, orange for negative, stronger
with the size (``CachesMixin._fill`` for values, relative to the largest weight for the
heat maps), grey for a zero weight, red for what is not finite.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from ...explain import sub
from .back_paint import _ease
from .colors import BAD, HOVER, NEGATIVE, POSITIVE, ZERO, Placed, _alpha, _mix, compact
from .compact_layout import MatrixSpec, VectorSpec
from .timeline import BACK_DOWN


class CompactPaintMixin:
    """The compact view's layers, for CompactItem (overrides of the per-unit painting)."""

    # -- the static layer -------------------------------------------------------------------
    def _compute_static_rect(self) -> QRectF:
        lay = self.layout
        rect = QRectF(lay.cell_box)
        for e in lay.edges:
            rect = rect.united(QRectF(QPointF(e.x1, e.y1), QPointF(e.x2, e.y2)).normalized())
        for op in lay.ops:
            half = 30 if op.symbol.startswith("label:") else 12
            rect = rect.united(QRectF(op.x - half, op.y - 10, 2 * half, 20))
        for m in lay.matrices:
            rect = rect.united(m.rect.adjusted(-34, -16, 4, 4))
        return rect.adjusted(-8, -8, 8, 8)

    def heat_color(self, value: float) -> QColor:
        """A matrix entry's colour: its sign's hue, stronger relative to the largest
        |weight| (as the per-unit view's edge widths); grey for zero."""
        if not math.isfinite(value):
            return BAD
        if value == 0:
            return _mix(self.colors.base, ZERO, 0.45)
        if self._largest_version != self._pens_version:  # new weights: a new scale
            finite = [abs(v) for v in self._values.values() if math.isfinite(v)]
            self._largest = max(finite, default=1.0) or 1.0
            self._largest_version = self._pens_version
        largest = self._largest
        frac = min(1.0, abs(value) / largest) ** 0.5  # small weights stay visible
        return _mix(self.colors.base, POSITIVE if value > 0 else NEGATIVE, 0.18 + 0.82 * frac)

    def _draw_static(self, painter: QPainter, dx: float, lod: float) -> None:
        """A column's cell box, connections, operators and heat maps."""
        lay, col = self.layout, self.colors
        box = lay.cell_box.translated(dx, 0)
        painter.setPen(QPen(col.box_edge, 1.2))
        painter.setBrush(col.box)
        painter.drawRoundedRect(box, 10, 10)
        detail = lod >= 0.42
        if detail:
            painter.setFont(self.label_font)
            painter.setPen(col.dim)
            painter.drawText(
                QRectF(box.left() + 8, box.top() + 3, box.width() - 16, 16),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                lay.title,
            )
        connector = QPen(col.dim, 1.4)
        connector.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(connector)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawLines([e.line(dx) for e in lay.edges])
        for op in lay.ops:
            self._paint_op(painter, op, dx, lod)
        for m in lay.matrices:
            self._draw_matrix(painter, m, dx, detail)

    def _draw_matrix(self, painter: QPainter, m: MatrixSpec, dx: float, detail: bool) -> None:
        col = self.colors
        painter.setPen(Qt.PenStyle.NoPen)
        hovered = None
        for r in range(m.rows):
            for c in range(m.cols):
                key = m.key(r, c)
                rect = m.cell_rect(r, c, dx)
                painter.fillRect(rect, self.heat_color(self._values.get(key, 0.0)))
                if key == self.hover_key:
                    hovered = rect
        rect = m.rect.translated(dx, 0)
        grid = QPen(_alpha(col.base, 0.7), 0.6)
        painter.setPen(grid)
        lines = []
        for c in range(1, m.cols):
            x = rect.left() + c * rect.width() / m.cols
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
        for r in range(1, m.rows):
            y = rect.top() + r * rect.height() / m.rows
            lines.append(QLineF(rect.left(), y, rect.right(), y))
        if lines:
            painter.drawLines(lines)
        if m.param.startswith("W_") and m.cols > self.layout.d:  # x_t's columns | s_{t-1}'s
            x = rect.left() + self.layout.d * rect.width() / m.cols
            painter.setPen(QPen(col.text, 1.2))
            painter.drawLine(QLineF(x, rect.top() - 2, x, rect.bottom() + 2))
        painter.setPen(QPen(col.box_edge, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        if hovered is not None:
            painter.setPen(QPen(HOVER, 2.0))
            painter.drawRect(hovered.adjusted(-1, -1, 1, 1))
        if detail:
            painter.setFont(self.badge_font if m.vector else self.label_font)
            painter.setPen(col.dim)
            if m.label_side == "left":
                area = QRectF(rect.left() - 40, rect.center().y() - 8, 36, 16)
                align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            elif m.label_side == "bottom":
                area = QRectF(rect.center().x() - 30, rect.bottom() + 1, 60, 12)
                align = Qt.AlignmentFlag.AlignCenter
            else:
                area = QRectF(rect.center().x() - 30, rect.top() - 17, 60, 14)
                align = Qt.AlignmentFlag.AlignCenter
            painter.drawText(area, align, m.title)

    # -- the changing layer: the vectors' names -------------------------------------------
    def _queue_labels(self, t: int, exposed: QRectF) -> None:
        self._labels_to_write += [p for p in self._vector_labels(t) if p[0].intersects(exposed)]

    def place_label(self, node, rect, lines) -> list:
        """(For the fit's extents: a compact cell has no label of its own; the vectors'
        names are inside ``boundingRect``.)"""
        return []

    def _vector_labels(self, t: int) -> list[Placed]:
        """The names of column t's vectors (and the targets beside the error), placed."""
        vectors = self.layout.initial_vectors if t == 0 else self.layout.vectors
        # a vector's name turns into its gradient's (∂L/∂s₂) when the signal reaches it
        grads = self.backward is not None and self.back_shown(t) > 0
        if grads:
            grads = tuple(self.grad(v.cells[0], t) is not None for v in vectors)
        key = (t, "compact-labels", grads)
        placed = self._label_cache.get(key)
        if placed is not None:
            return placed
        placed = []
        font = self.label_font
        for vec in vectors:
            rect = vec.rect.translated(t * self.layout.width, 0)
            text = self._vector_name(vec, t)
            kind = vec.kind
            if kind == "x":
                spots = [(QPointF(rect.center().x(), rect.bottom() + 10), text, "center")]
            elif kind in ("yhat", "err") and not vec.vertical:
                spots = [(QPointF(rect.right() + 6, rect.center().y()), text, "left")]
                if kind == "err":
                    spots = [
                        (QPointF(rect.right() + 6, rect.center().y() - 6), text, "left"),
                        (
                            QPointF(rect.right() + 6, rect.center().y() + 7),
                            self._targets(t),
                            "left",
                        ),
                    ]
            elif kind in ("yhat", "err"):
                spots = [(QPointF(rect.center().x(), rect.top() - 9), text, "center")]
                if kind == "err":
                    spots += [
                        (QPointF(rect.right() + 6, n.y), self._target(t, n.index), "left")
                        for n in vec.cells
                    ]
            elif kind in ("gate", "c", "c0"):
                spots = [(QPointF(rect.left() - 4, rect.top() - 8), text, "right")]
            else:
                spots = [(QPointF(rect.center().x() + 6, rect.top() - 9), text, "left")]
            placed += [self._place(at, s, font, align, False) for at, s, align in spots]
        if len(self._label_cache) > 20000:
            self._label_cache.clear()
        self._label_cache[key] = placed
        return placed

    def _vector_name(self, vec: VectorSpec, t: int) -> str:
        grad = self.backward is not None and self.grad(vec.cells[0], t) is not None
        step = sub(t)
        if vec.kind == "gate":
            return f"δ{vec.gate}{step}" if grad else f"{vec.gate}{step}"
        if vec.kind == "err":
            return f"error{step}"
        letter = {"s0": "s", "c0": "c", "yhat": "ŷ"}.get(vec.kind, vec.kind)
        return f"∂L/∂{letter}{step}" if grad else f"{letter}{step}"

    def _target(self, t: int, m: int) -> str:
        tr = self.trace
        if t < 1 or not tr.mask[t - 1, m]:
            return "no target"
        name = self.target_names[m] if self.layout.k > 1 else "y"
        return f"{name} = {compact(tr.targets[t - 1, m], 9)}"

    def _targets(self, t: int) -> str:
        tr = self.trace
        if self.layout.k == 1:
            return self._target(t, 0)
        values = [
            compact(tr.targets[t - 1, m], 9) if tr.mask[t - 1, m] else "—"
            for m in range(self.layout.k)
        ]
        return "y = " + ", ".join(values)

    # -- the backward signal ------------------------------------------------------------------
    def paint_signal(self, painter: QPainter, t: int) -> None:
        """What step t sends back to t−1, as a ribbon of its h components (each stripe
        coloured by its sign and size) growing from s_t leftwards to s_{t-1}."""
        f = self.signal_along(painter, t)
        if f is None:
            return
        states, cells = self.signal_into_previous(t)
        dx = t * self.layout.width
        for name, y, right, left in self.layout.signal_lines:
            values = states if name == "s" else cells
            if values:
                x0, x1 = dx + right, dx + right + (left - right) * f
                self._ribbon(painter, y, x0, x1, values)

    def _ribbon(self, painter: QPainter, y: float, x0: float, x1: float, values) -> None:
        col = self.colors
        n = len(values)
        stripe = min(2.0, 16.0 / n)  # at most 16 units high: it fits between the rows
        top = y - stripe * n / 2
        painter.fillRect(QRectF(x1, top - 2, x0 - x1, stripe * n + 4), col.base)
        painter.setPen(QPen(col.dim, 0.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(x1, top - 0.5, x0 - x1, stripe * n + 1))
        for j, v in enumerate(values):
            if not math.isfinite(v):
                color = BAD
            elif v == 0:
                color = _mix(col.base, col.faint, 0.35)
            else:
                frac = min(1.0, abs(self.grad_fraction(v)))
                color = _mix(col.base, POSITIVE if v > 0 else NEGATIVE, 0.3 + 0.7 * frac)
            painter.fillRect(QRectF(x1, top + j * stripe, x0 - x1, stripe), color)
        size = stripe * n / 2 + 4
        head = QPolygonF(
            [QPointF(x1 - size, y), QPointF(x1 + 2, y - size), QPointF(x1 + 2, y + size)]
        )
        painter.setPen(QPen(col.base, 1.0))
        painter.setBrush(col.dim)
        painter.drawPolygon(head)

    def _paint_down(self, painter: QPainter, t: int, shown: float) -> None:
        """The dot from ŷ_t down to s_t: the output's part of the signal arriving."""
        lo, hi = BACK_DOWN
        if not lo <= shown <= hi or not self.layout.readout_path:
            return
        (xa, ya), (xb, yb) = self.layout.readout_path
        f = _ease((shown - lo) / (hi - lo))
        dx = t * self.layout.width
        value = float(self.backward.d_output[t - 1].sum())
        painter.setPen(QPen(self.colors.base, 1.2))
        painter.setBrush(POSITIVE if value > 0 else NEGATIVE if value < 0 else self.colors.faint)
        painter.drawEllipse(QPointF(dx + xa + (xb - xa) * f, ya + (yb - ya) * f), 5.0, 5.0)
