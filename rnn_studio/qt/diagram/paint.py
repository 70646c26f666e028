"""The changing layer: the current step's band, headers, moving dots, nodes with their
values and gate bars, painted for the exposed columns only."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QStyleOptionGraphicsItem,
)

from ..style import font_scale
from .colors import (
    BAD,
    DETAIL_LOD,
    MIN_FIT_COLUMN_PX,
    NEGATIVE,
    NODE_H,
    OVERVIEW_COLUMN_PX,
    POSITIVE,
    ROW,
    _alpha,
    _mix,
    compact,
)
from .labels import LabelsMixin
from .layout import NodeSpec
from .timeline import BACK_APPEAR


class PaintMixin(LabelsMixin):
    """``paint`` and its parts, for UnfoldedItem."""

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        """The changing layer: current-step band, headers, moving dots, nodes and values.

        The static layer (edges, boxes, badges) is the view's cached background, see
        ``paint_static``: a value edit or an animation frame never redraws it.
        """
        if self.trace is None:
            return
        lay = self.layout
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod > 0.05)
        if lay.width * lod < OVERVIEW_COLUMN_PX:
            t0 = max(0, int(exposed.left() // lay.width) - 1)
            t1 = min(self.T, int(exposed.right() // lay.width) + 1)
            self._paint_overview(painter, t0, t1, lod)
            return
        detail = lod >= DETAIL_LOD
        self._font_id = 0
        self._shape_ctx = self._shape_context(painter)
        # nodes and labels reach less far beyond their column than the edges do
        n0 = max(0, int((exposed.left() - self._node_right) // lay.width))
        n1 = min(self.T, int((exposed.right() - self._node_left) // lay.width))
        # a column beside the exposed area is there only for its labels reaching in: its
        # shapes would all be clipped away (also when the exposed area, widened by the
        # view for antialiasing, just touches the column's side)
        inside = [exposed.intersects(self._shapes_rect(t)) for t in range(n0, n1 + 1)]
        for t, shapes in zip(range(n0, n1 + 1), inside, strict=True):
            if shapes:
                self._paint_column_back(painter, t, detail)
        if n0 - 1 <= self.anim_step <= n1 + 1:
            self._paint_dots(painter, self.anim_step, lod)
        if self.backward is not None:  # the error signal, right to left
            for t in range(max(1, n0), min(self.T, n1 + 1) + 1):
                self.paint_signal(painter, t)
        for t, shapes in zip(range(n0, n1 + 1), inside, strict=True):
            if shapes:
                self._paint_nodes(painter, t, detail)
            elif detail:
                self._queue_labels(t, exposed)
        self._write_texts(painter)

    def _paint_column_back(self, painter: QPainter, t: int, detail: bool) -> None:
        lay, col = self.layout, self.colors
        dx = t * lay.width
        current = self.current_column()
        if t == current:
            rect = self.column_rect(t).adjusted(4, 2, -4, -2)
            self._draw_shape(painter, rect, self._band_pen, self._band, band=True)
        cx = dx + (lay.center if t else lay.state_x)
        if detail:
            painter.setPen(col.accent if t == current else col.dim)
            self._text(painter, QPointF(cx, lay.top + 14), f"t = {t}", self.head_font, "center")
        elif t and lay.width * painter.worldTransform().m11() >= MIN_FIT_COLUMN_PX:
            # zoomed out to see every step ("fit"): the step's number at a readable size,
            # so that "the store at step 1, recalled at step 9" can be found
            at = painter.worldTransform().map(QPointF(cx, lay.top))
            painter.save()
            painter.resetTransform()
            grow = font_scale()  # (in presentation mode as big as every other text)
            font = self.head_font
            if grow != 1.0:
                font = QFont(font)
                font.setPointSizeF(font.pointSizeF() * grow)
            painter.setFont(font)
            painter.setPen(col.accent if t == current else col.dim)
            painter.drawText(
                QRectF(at.x() - 30 * grow, at.y() + 1, 60 * grow, 16 * grow),
                Qt.AlignmentFlag.AlignCenter,
                str(t),
            )
            painter.restore()
            self._font_id = 0

    def _paint_dots(self, painter: QPainter, t: int, lod: float) -> None:
        """The values travelling along the edges while step t animates.

        With few edges each dot carries its product w·v (0.7·0.1 → 0.07), so the learner
        sees the terms that the sum then adds up.
        """
        lay, col = self.layout, self.colors
        shown = self.shown(t)
        if not 0.0 < shown < 1.0:
            return
        dx = t * lay.width
        label = lod >= DETAIL_LOD and self._weighted_per_column <= 12
        painter.setPen(QPen(col.base, 1.2))
        products: list[tuple[QPointF, str]] = []
        for edge in lay.edges:
            if edge.start <= shown <= edge.end and edge.end > edge.start:
                f = (shown - edge.start) / (edge.end - edge.start)
                f = f * f * (3 - 2 * f)
                point = edge.line(dx).pointAt(f)
                color = self._pens[edge.key].color() if edge.key else col.text
                painter.setBrush(color)
                painter.drawEllipse(point, 5.0, 5.0)
                if label and edge.key is not None:
                    value = self._values[edge.key] * self._source(edge, t)
                    products.append((point, compact(value)))
        painter.setPen(col.text)
        for at, text in self.product_labels(products):
            self._text(painter, at, text, self.small_value_font, "left", halo=True)

    def product_labels(self, products: list[tuple[QPointF, str]]) -> list[tuple[QPointF, str]]:
        """Where the travelling products are written (left-centre point, text).

        Dots leaving one source together would write their products on top of each
        other: a product is written only where it overlaps none written before it, so
        the labels appear one by one as the dots part.
        """
        metrics = QFontMetricsF(self.small_value_font)
        taken: list[QRectF] = []
        out = []
        for point, text in products:
            at = QPointF(point.x() + 8, point.y() - 9)
            box = QRectF(at.x() - 2, at.y() - 7, metrics.horizontalAdvance(text) + 4, 14)
            if any(box.intersects(other) for other in taken):
                continue
            taken.append(box)
            out.append((at, text))
        return out

    def _paint_nodes(self, painter: QPainter, t: int, detail: bool) -> None:
        lay, col = self.layout, self.colors
        dx = t * lay.width
        shown = self.shown(t)
        nodes = lay.initial if t == 0 else lay.nodes
        for node in nodes:
            if node.kind == "gate":
                self._paint_gate(painter, node, t, dx, shown, detail)
                continue
            rect = node.rect(dx)
            grad = self.grad(node, t) if self.backward is not None else None
            visible = t == 0 or node.kind == "x" or shown >= node.appear
            if grad is not None:
                self._paint_grad_node(painter, node, t, rect, grad, detail)
            elif not visible:
                self._draw_shape(painter, rect, self._blank_pen, col.base)
            else:
                value = self.value(node, t)
                no_target = node.kind == "err" and not self.trace.mask[t - 1, node.index]
                if node.kind == "x" or no_target:
                    fill = self._input_fill
                    edge = col.box_edge
                elif not math.isfinite(value):
                    fill = _mix(col.base, BAD, 0.35)
                    edge = BAD
                else:
                    fill, edge = self._fill(value)
                if node.kind == "err" and math.isfinite(value) and not no_target:
                    edge = self._error_edge
                fade = 1.0
                if t == self.anim_step and node.kind != "x":
                    fade = min(1.0, (shown - node.appear) / 0.05 + 0.25)
                    edge, fill = _alpha(edge, fade), _alpha(fill, fade)
                self._draw_shape(painter, rect, self._node_pen(edge), fill)
                if detail:  # written after every shape, with one font (see paint)
                    color = col.text if fade >= 1.0 else _alpha(col.text, fade)
                    self._values_to_write.append((rect.center(), self.text(node, t), color))
            if node.kind == "s" and t == self.anim_step and lay.cell == "rnn":
                # the sum forms, then the activation fires: a ring closes around Σ z
                lo, hi = node.appear - 0.15, node.appear
                if lo <= shown < hi:
                    f = (shown - lo) / (hi - lo)
                    painter.setPen(QPen(col.accent, 2.4))
                    painter.setBrush(col.base)
                    painter.drawRoundedRect(rect, NODE_H / 2, NODE_H / 2)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawArc(rect.adjusted(-5, -5, 5, 5), 90 * 16, int(-360 * 16 * f))
                    if detail:
                        painter.setPen(col.text)
                        self._text(
                            painter,
                            rect.center(),
                            self._sum_text(node, t),
                            self.value_font,
                            "center",
                        )
            if detail:
                self._labels_to_write += self._label_lines(node, rect, t, grad is not None)

    def _paint_grad_node(
        self, painter: QPainter, node: NodeSpec, t: int, rect: QRectF, grad: float, detail: bool
    ) -> None:
        """A node showing its gradient: filled by sign and relative size, its number."""
        col = self.colors
        if math.isfinite(grad):
            fill, edge = self._fill(self.grad_fraction(grad))
        else:
            fill, edge = _mix(col.base, BAD, 0.35), BAD
        fade = 1.0
        if t == self.back_anim:
            fade = min(1.0, (self.back_shown(t) - BACK_APPEAR[node.kind]) / 0.05 + 0.25)
            edge, fill = _alpha(edge, fade), _alpha(fill, fade)
        self._draw_shape(painter, rect, self._node_pen(edge), fill)
        if detail:
            color = col.text if fade >= 1.0 else _alpha(col.text, fade)
            self._values_to_write.append((rect.center(), self.grad_text(node, t, grad), color))

    def _write_texts(self, painter: QPainter) -> None:
        """The values, then the labels, collected while the shapes were drawn."""
        for center, text, color in self._values_to_write:
            painter.setPen(color)
            self._text(painter, center, text, self.value_font, "center")
        if self._labels_to_write:
            painter.setPen(self.colors.dim)
            font = self.label_font
            for placed in self._labels_to_write:
                self._draw_placed(painter, placed, font)
        self._values_to_write.clear()
        self._labels_to_write.clear()

    def _paint_gate(
        self, painter: QPainter, node: NodeSpec, t: int, dx: float, shown: float, detail: bool
    ) -> None:
        """One unit's gate value as a horizontal bar: 0…1, or −1…1 from the middle (tanh)."""
        col = self.colors
        rect = node.rect(dx)
        grad = self.grad(node, t) if self.backward is not None else None
        if grad is not None:
            self._paint_delta(painter, node, t, rect, grad, detail)
            return
        lo, hi = node.fill
        f = 0.0 if shown <= lo else 1.0 if shown >= hi else (shown - lo) / (hi - lo)
        if f <= 0.0:
            return
        value = self.value(node, t)
        if not math.isfinite(value):
            painter.fillRect(rect, _alpha(BAD, 0.7))
            return
        color = POSITIVE if value >= 0 else NEGATIVE
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        if node.gate in ("g", "n"):  # tanh: −1…1, filled from the middle
            mid = rect.center().x()
            width = rect.width() / 2 * min(1.0, abs(value)) * f
            left = mid if value >= 0 else mid - width
            painter.drawRoundedRect(QRectF(left, rect.top(), width, rect.height()), 2, 2)
            painter.setPen(QPen(col.dim, 1.0))
            painter.drawLine(QLineF(mid, rect.top() - 2, mid, rect.bottom() + 2))
        else:
            width = rect.width() * max(0.0, min(1.0, value)) * f
            painter.drawRoundedRect(QRectF(rect.left(), rect.top(), width, rect.height()), 2, 2)
        if detail and self.layout.h == 1 and f >= 1.0:  # the value in the box's head
            box = next(g.rect for g in self.layout.gate_boxes if g.gate == node.gate)
            painter.setPen(col.text)
            self._text(
                painter,
                QPointF(box.right() + dx - 5, box.top() + 9),
                self.text(node, t),
                self.small_value_font,
                "right",
            )

    def _paint_delta(
        self, painter: QPainter, node: NodeSpec, t: int, rect: QRectF, delta: float, detail: bool
    ) -> None:
        """A gate's delta as a bar from the middle: its sign and size relative to the
        largest gradient shown; its number in the box's head (one unit)."""
        if not math.isfinite(delta):
            painter.fillRect(rect, _alpha(BAD, 0.7))
            return
        col = self.colors
        frac = min(1.0, abs(self.delta_fraction(delta)))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(POSITIVE if delta >= 0 else NEGATIVE)
        mid = rect.center().x()
        width = rect.width() / 2 * frac
        left = mid if delta >= 0 else mid - width
        painter.drawRoundedRect(QRectF(left, rect.top(), width, rect.height()), 2, 2)
        painter.setPen(QPen(col.dim, 1.0))
        painter.drawLine(QLineF(mid, rect.top() - 2, mid, rect.bottom() + 2))
        if detail and self.layout.h == 1:
            box = next(g.rect for g in self.layout.gate_boxes if g.gate == node.gate)
            painter.setPen(col.text)
            self._text(
                painter,
                QPointF(box.right() + t * self.layout.width - 5, box.top() + 9),
                self.grad_text(node, t, delta),
                self.small_value_font,
                "right",
            )

    def _paint_overview(self, painter: QPainter, t0: int, t1: int, lod: float) -> None:
        """Zoomed far out: the computed band, the current step and the state's path."""
        lay, col = self.layout, self.colors
        w = lay.width
        painter.setPen(Qt.PenStyle.NoPen)
        done = QRectF(t0 * w, lay.top, (min(self.step, t1) - t0 + 1) * w, lay.bottom - lay.top)
        if self.step >= t0:
            painter.fillRect(done, _alpha(col.accent, 0.08))
        tr = self.trace
        assert tr is not None
        painter.setPen(QPen(col.accent, 2 / max(lod, 1e-6)))
        x = (self.step + 0.5) * w
        painter.drawLine(QLineF(x, lay.top, x, lay.bottom))
        ts = np.arange(t0, t1 + 1)
        xs = ts * w + lay.state_x
        amp = ROW * 0.42
        for j, y0 in enumerate(lay.state_ys):
            values = np.clip(np.nan_to_num(tr.states[t0 : t1 + 1, j], nan=0.0), -1.0, 1.0)
            ys = y0 - values * amp
            for upto, color in ((self.step, POSITIVE), (self.T, col.faint)):
                lo, hi = (t0, min(upto, t1)) if color is POSITIVE else (max(t0, self.step), t1)
                if hi <= lo:
                    continue
                pen = QPen(color, 1.5 / max(lod, 1e-6))
                painter.setPen(pen)
                pts = [
                    QPointF(px, py)
                    for px, py in zip(
                        xs[lo - t0 : hi - t0 + 1], ys[lo - t0 : hi - t0 + 1], strict=True
                    )
                ]
                painter.drawPolyline(pts)
