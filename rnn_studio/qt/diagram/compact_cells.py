"""The compact view's vectors, painted: each a strip of cells filled by value (or, in the
backward pass, by gradient), its number written in the cell once its phase came.

For speed at T = 2,000 a vector's geometry (cell rectangles, the lines between them, its
frame) is built once, in column-local coordinates, and drawn with the painter moved to
the column; a vector's values are read from the trace as one row; the numbers are drawn
from prepared static texts after every shape, with one font.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QStaticText, QTransform

from .colors import BAD, _alpha, _mix
from .compact_layout import VectorSpec


def _geometry(vec: VectorSpec) -> tuple[list[QRectF], list[QLineF], list[tuple[float, float]]]:
    """A vector's cells, the lines between them and the cells' centres (local)."""
    cells = [node.rect() for node in vec.cells]
    if vec.vertical:
        lines = [QLineF(c.left(), c.top(), c.right(), c.top()) for c in cells[1:]]
    else:
        lines = [QLineF(c.left(), c.top(), c.left(), c.bottom()) for c in cells[1:]]
    centers = [(c.center().x(), c.center().y()) for c in cells]
    return cells, lines, centers


class CompactCellsMixin:
    """``_paint_nodes`` (and its texts) for CompactItem."""

    def _paint_nodes(self, painter: QPainter, t: int, detail: bool) -> None:
        lay = self.layout
        geometry = self.__dict__.setdefault("_vector_geometry", {})
        dx = t * lay.width
        painter.translate(dx, 0)
        try:
            for vec in lay.initial_vectors if t == 0 else lay.vectors:
                geo = geometry.get(id(vec))
                if geo is None:
                    geo = geometry[id(vec)] = _geometry(vec)
                self._paint_vector(painter, vec, geo, t, dx, detail)
        finally:
            painter.translate(-dx, 0)
        if detail:
            self._labels_to_write += self._vector_labels(t)

    def _row(self, vec: VectorSpec, t: int) -> list[float]:
        """The vector's values at step t, read from the trace as one row."""
        tr = self.trace
        kind = vec.kind
        if kind == "x":
            row = tr.inputs[t - 1]
        elif kind in ("s", "s0"):
            row = tr.states[t]
        elif kind in ("c", "c0"):
            row = tr.cells[t]
        elif kind == "yhat":
            row = tr.outputs[t - 1]
        elif kind == "err":
            row = tr.errors[t - 1]
        else:
            row = tr.gates[vec.gate][t - 1]
        return row.tolist()

    def _paint_vector(
        self, painter: QPainter, vec: VectorSpec, geo, t: int, dx: float, detail: bool
    ) -> None:
        col = self.colors
        cells, lines, centers = geo
        first = vec.cells[0]
        shown = self.shown(t)
        gate = vec.kind == "gate"
        start = first.fill[0] if gate else first.appear
        ready = first.fill[1] if gate else first.appear
        known = t == 0 or vec.kind == "x" or shown >= start
        backward = self.backward is not None
        if not known and not backward:
            painter.setPen(self._blank_pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(vec.rect)
            return
        fade = 1.0
        if t == self.anim_step and vec.kind != "x":
            fade = max(0.0, min(1.0, (shown - start) / 0.05 + 0.25))
        values = self._row(vec, t) if known else [math.nan] * len(cells)
        plain = vec.kind == "x"
        mask = self.trace.mask[t - 1] if vec.kind == "err" else None
        write = detail and (t == 0 or shown >= ready or plain)
        text_color = col.text if fade >= 1.0 else _alpha(col.text, fade)
        queue = self._cell_texts
        drawn = False
        for node, cell, (cx, cy), value in zip(vec.cells, cells, centers, values, strict=True):
            grad = self.grad(node, t) if backward else None
            if grad is not None:
                if math.isfinite(grad):
                    frac = self.delta_fraction(grad) if gate else self.grad_fraction(grad)
                    fill = self._fill(frac)[0]
                else:
                    fill = _mix(col.base, BAD, 0.35)
                text = self.grad_text(node, t, grad) if detail else ""
            elif not known:
                continue
            else:
                if plain or (mask is not None and not mask[node.index]):
                    fill = self._input_fill
                elif not math.isfinite(value):
                    fill = _mix(col.base, BAD, 0.35)
                else:
                    fill = self._fill(value)[0]
                text = self.text(node, t) if write else ""
            drawn = True
            painter.fillRect(cell, fill if fade >= 1.0 or grad is not None else _alpha(fill, fade))
            if text:
                queue.append((cx + dx, cy, text, text_color if grad is None else col.text))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if not drawn:
            painter.setPen(self._blank_pen)
            painter.drawRect(vec.rect)
            return
        if lines:
            painter.setPen(self._cell_line_pen())
            painter.drawLines(lines)
        painter.setPen(self._node_pen(self._error_edge if vec.kind == "err" else col.box_edge))
        painter.drawRect(vec.rect)

    def _cell_line_pen(self) -> QPen:
        pen = self.__dict__.get("_cell_pen")
        if pen is None or pen[0] is not self.colors:
            pen = (self.colors, QPen(_alpha(self.colors.base, 0.9), 1.0))
            self._cell_pen = pen
        return pen[1]

    @property
    def _cell_texts(self) -> list:
        return self.__dict__.setdefault("_cell_text_queue", [])

    def _write_texts(self, painter: QPainter) -> None:
        """The cells' numbers (one font, prepared texts), then the names and the rest."""
        queue = self._cell_texts
        if queue:
            font = self.value_font
            painter.setFont(font)
            self._font_id = id(font)
            statics = self.__dict__.setdefault("_cell_statics", {})
            color: QColor | None = None
            for x, y, text, c in queue:
                entry = statics.get(text)
                if entry is None:
                    if len(statics) > 6000:
                        statics.clear()
                    static = QStaticText(text)
                    static.setTextFormat(Qt.TextFormat.PlainText)
                    static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
                    static.prepare(QTransform(), font)
                    size = static.size()
                    entry = statics[text] = (static, size.width() / 2, size.height() / 2)
                if c is not color:
                    painter.setPen(c)
                    color = c
                static, hw, hh = entry
                painter.drawStaticText(QPointF(x - hw, y - hh), static)
            queue.clear()
        super()._write_texts(painter)
