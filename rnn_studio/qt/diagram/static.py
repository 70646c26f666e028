"""The static layer: edges, cell and gate boxes, bias badges and operators. It looks the
same in every column, so it is drawn once per zoom and blitted, as the view's cached
background: an edit of the table or an animation frame never redraws it."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QPainter,
    QPen,
)

from .colors import CACHE_MAX_LOD, DETAIL_LOD, HOVER, OVERVIEW_COLUMN_PX, _alpha, _mix
from .layout import OpSpec


class StaticMixin:
    """Paints the static layer of the columns meeting a rectangle."""

    def paint_static(self, painter: QPainter, rect: QRectF, lod: float) -> None:
        """Edges, cell and gate boxes, badges of the columns meeting ``rect`` (scene)."""
        if self.trace is None:
            return
        lay = self.layout
        if lay.width * lod < OVERVIEW_COLUMN_PX:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        t0 = max(1, int((rect.left() - self._static_rect.right()) // lay.width))
        t1 = min(self.T, int((rect.right() - self._static_rect.left()) // lay.width) + 1)
        cached = self.use_caches and lod <= CACHE_MAX_LOD
        template = self._template_for(painter, lod) if cached else None
        for t in range(t0, t1 + 1):
            if template is None:
                self._draw_static(painter, t * lay.width, lod)
            else:
                self._blit(painter, template, t * lay.width)
        self._font_id = 0

    def _draw_static(self, painter: QPainter, dx: float, lod: float) -> None:
        """A column's cell box, edges, bias badges, operators and gate boxes."""
        lay, col = self.layout, self.colors
        detail = lod >= DETAIL_LOD
        box = lay.cell_box.translated(dx, 0)
        painter.setPen(QPen(col.box_edge, 1.2))
        painter.setBrush(col.box)
        painter.drawRoundedRect(box, 10, 10)
        if detail:
            painter.setFont(self.label_font)
            painter.setPen(col.dim)
            # the rnn's state labels sit at its top left, its input edges at the bottom:
            # its title goes top right, where no edge runs
            side = Qt.AlignmentFlag.AlignLeft if lay.cell != "rnn" else Qt.AlignmentFlag.AlignRight
            painter.drawText(
                QRectF(box.left() + 8, box.top() + 3, box.width() - 16, 16),
                side | Qt.AlignmentFlag.AlignVCenter,
                lay.title,
            )
        hover = self.hover_key
        connector = QPen(col.dim, 1.3)
        connector.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        highlighted: list[QLineF] = []
        for edge in lay.edges:
            line = edge.line(dx)
            if edge.key is None:
                pen = connector
            elif hover is None:
                pen = self._pens[edge.key]
            elif edge.key == hover:
                highlighted.append(line)
                continue
            else:
                pen = self._dim_pens[edge.key]
            painter.setPen(pen)
            painter.drawLine(line)
        if highlighted and hover is not None:
            pen = QPen(HOVER, self._pens[hover].widthF() + 2.5)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLines(highlighted)
        for badge in lay.badges:  # biases
            pen = self._pens[badge.key]
            color = HOVER if badge.key == hover else pen.color()
            if hover is not None and badge.key != hover:
                color = _alpha(color, 0.25)
            center = QPointF(badge.x + dx, badge.y)
            painter.setPen(QPen(color, 1.0 + pen.widthF() * 0.5))
            painter.setBrush(col.base)
            painter.drawEllipse(center, 6.5, 6.5)
            if detail:
                painter.setFont(self.badge_font)
                painter.setPen(col.text)
                painter.drawText(
                    QRectF(center.x() - 7, center.y() - 7.5, 14, 14),
                    Qt.AlignmentFlag.AlignCenter,
                    "b" if badge.key[0] != "c" else "c",
                )
        for op in lay.ops:
            self._paint_op(painter, op, dx, lod)
        for gbox in lay.gate_boxes:
            rect = gbox.rect.translated(dx, 0)
            painter.setPen(QPen(col.box_edge, 1.1))
            painter.setBrush(col.base)
            painter.drawRoundedRect(rect, 5, 5)
            if detail:
                painter.setFont(self.gate_font)
                painter.setPen(col.text)
                painter.drawText(
                    QRectF(rect.left() + 5, rect.top() + 1, rect.width() - 10, 16),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    gbox.gate,
                )
            for j in range(lay.h):  # the empty tracks of the unit bars
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(_mix(col.base, col.text, 0.09))
                painter.drawRoundedRect(
                    QRectF(rect.left() + 6, rect.top() + 18 + j * 12, rect.width() - 12, 8), 2, 2
                )

    def _paint_op(self, painter: QPainter, op: OpSpec, dx: float, lod: float) -> None:
        col = self.colors
        x, y = op.x + dx, op.y
        if op.symbol.startswith("label:"):
            if lod < 0.42:
                return
            painter.setFont(self.label_font)
            painter.setPen(col.dim)
            painter.drawText(
                QRectF(x - 60, y - 8, 120, 16), Qt.AlignmentFlag.AlignCenter, op.symbol[6:]
            )
            return
        painter.setPen(QPen(col.box_edge, 1.2))
        painter.setBrush(col.base)
        painter.drawEllipse(QPointF(x, y), 8.5, 8.5)
        painter.setPen(QPen(col.text, 1.4))
        if op.symbol == "×":
            painter.drawLine(QLineF(x - 3.5, y - 3.5, x + 3.5, y + 3.5))
            painter.drawLine(QLineF(x - 3.5, y + 3.5, x + 3.5, y - 3.5))
        elif op.symbol == "+":
            painter.drawLine(QLineF(x - 4.5, y, x + 4.5, y))
            painter.drawLine(QLineF(x, y - 4.5, x, y + 4.5))
        else:  # the GRU's interpolation (1 − z)·n + z·s
            painter.drawLine(QLineF(x - 4.5, y + 3, x + 4.5, y - 3))
