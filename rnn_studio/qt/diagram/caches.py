"""The drawing caches: the static layer's picture per zoom, node shapes per look and
sub-pixel position, prepared static texts, pens and fills. ``use_caches = False`` (an
export to a vector format) draws everything directly instead."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)

from .colors import (
    NEGATIVE,
    POSITIVE,
    SHAPE_CACHE_MAX_LOD,
    SHAPE_SUBPIXEL,
    Placed,
    _mix,
    _shape,
)


class CachesMixin:
    """Pictures and prepared texts kept between paints (see the module's docstring)."""

    #: False: every shape and the static layer drawn directly (a vector export, a test)
    use_caches: bool = True
    #: above this zoom node shapes are drawn directly (their pictures would be big)
    shape_cache_max_lod: float = SHAPE_CACHE_MAX_LOD

    def static_changed(self) -> None:
        """The static layer looks different now (weights, hover, palette): redraw it."""
        self._template = None
        self.view.resetCachedContent()
        self.view.viewport().update()

    def _template_for(self, painter: QPainter, lod: float) -> tuple[QPixmap, QRectF]:
        """The static part of a column (edges, boxes, badges) drawn once at this zoom.

        Every column t ≥ 1 looks the same apart from its values, so one picture serves
        them all; it is redrawn only when the zoom, the weights, the hover or the
        palette change. That keeps a value edit at T = 2,000 to a few blits and nodes.
        """
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        key = (round(lod, 5), dpr, self.hover_key, self._pens_version, id(self.colors))
        if self._template is not None and self._template[0] == key:
            return self._template[1], self._template[2]
        rect = self._static_rect
        scale = lod * dpr
        pixmap = QPixmap(
            max(1, math.ceil(rect.width() * scale)), max(1, math.ceil(rect.height() * scale))
        )
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.scale(scale, scale)
        p.translate(-rect.left(), -rect.top())
        self._draw_static(p, 0.0, lod)
        p.end()
        pixmap.setDevicePixelRatio(dpr)
        self._template = (key, pixmap, rect)
        return pixmap, rect

    def _blit(self, painter: QPainter, template: tuple[QPixmap, QRectF], dx: float) -> None:
        pixmap, rect = template
        origin = painter.worldTransform().map(QPointF(dx + rect.left(), rect.top()))
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QPointF(round(origin.x()), round(origin.y())), pixmap)
        painter.restore()

    def _compute_static_rect(self) -> QRectF:
        lay = self.layout
        rect = QRectF(lay.cell_box)
        for e in lay.edges:
            rect = rect.united(QRectF(QPointF(e.x1, e.y1), QPointF(e.x2, e.y2)).normalized())
        for b in lay.badges:
            rect = rect.united(QRectF(b.x - 9, b.y - 9, 18, 18))
        for op in lay.ops:
            half = 60 if op.symbol.startswith("label:") else 22
            rect = rect.united(QRectF(op.x - half, op.y - 10, 2 * half, 20))
        for g in lay.gate_boxes:
            rect = rect.united(g.rect)
        return rect.adjusted(-8, -8, 8, 8)

    def _text(
        self,
        painter: QPainter,
        at: QPointF,
        text: str,
        font: QFont,
        align: str,
        halo: bool = False,
    ) -> None:
        """Draw cached static text: ``align`` center, left or right of ``at``, centred in y.

        ``halo`` puts a patch of background behind it, to stay legible over edges.
        """
        self._draw_placed(painter, self._place(at, text, font, align, halo), font)

    def _place(self, at: QPointF, text: str, font: QFont, align: str, halo: bool) -> Placed:
        """Where ``_text`` puts a text: (its bounds, its top-left, the static text, halo)."""
        key = (text, id(font))
        static = self._static_texts.get(key)
        if static is None:
            if len(self._static_texts) > 6000:
                self._static_texts.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            static.prepare(QTransform(), font)
            self._static_texts[key] = static
        size = static.size()
        if align == "center":
            x = at.x() - size.width() / 2
        elif align == "right":
            x = at.x() - size.width()
        else:
            x = at.x()
        top = at.y() - size.height() / 2
        # a plain rectangle: cheap, and at label size it looks the same
        patch = QRectF(x - 2, top + 1, size.width() + 4, size.height() - 2) if halo else None
        # with room for glyphs reaching past the text's box (accents, antialiasing)
        bounds = QRectF(x - 6, top - 4, size.width() + 12, size.height() + 8)
        return bounds, QPointF(x, top), static, patch

    def _draw_placed(self, painter: QPainter, placed: Placed, font: QFont) -> None:
        _, pos, static, patch = placed
        if patch is not None:
            painter.fillRect(patch, self._halo)
        if self._font_id != id(font):
            painter.setFont(font)
            self._font_id = id(font)
        painter.drawStaticText(pos, static)

    def _shape_context(self, painter: QPainter) -> tuple[QTransform, float, float] | None:
        """What ``_draw_shape`` needs of the painter (its transform, zoom and device pixel
        ratio), taken once per paint; None where shapes are drawn directly."""
        wt = painter.worldTransform()
        lod = wt.m11()
        if (
            not self.use_caches
            or wt.type().value > QTransform.TransformationType.TxScale.value
            or not 0 < lod <= self.shape_cache_max_lod
            or wt.m22() != lod
            or not painter.testRenderHint(QPainter.RenderHint.Antialiasing)
        ):
            return None
        device = painter.device()
        return wt, lod, device.devicePixelRatioF() if device is not None else 1.0

    def _draw_shape(
        self, painter: QPainter, rect: QRectF, pen: QPen, fill: QColor, band: bool = False
    ) -> None:
        """A node's rounded rectangle (or the current step's ``band``), from a cached
        picture when the zoom allows it.

        The picture is drawn at the shape's sub-pixel offset (to 1/64 pixel) and blitted
        at a whole device pixel, so it looks like the shape drawn directly.
        """
        context = self._shape_ctx
        if context is None or pen.style() != Qt.PenStyle.SolidLine:
            # (dashes would fall a little differently)
            _shape(painter, rect, pen, fill, band)
            return
        wt, lod, dpr = context
        scale = lod * dpr
        x = (rect.left() * lod + wt.dx()) * dpr
        y = (rect.top() * lod + wt.dy()) * dpr
        ix, iy = math.floor(x), math.floor(y)
        fx = round((x - ix) * SHAPE_SUBPIXEL)
        fy = round((y - iy) * SHAPE_SUBPIXEL)
        key = (
            band,
            rect.width(),
            rect.height(),
            scale,
            fx,
            fy,
            pen.color().rgba(),
            pen.widthF(),
            fill.rgba(),
        )
        entry = self._shapes.get(key)
        if entry is None:
            if len(self._shapes) > 3000:
                self._shapes.clear()
            margin = math.ceil(pen.widthF() * scale) + 2
            pixmap = QPixmap(
                math.ceil(rect.width() * scale) + 2 * margin + 1,
                math.ceil(rect.height() * scale) + 2 * margin + 1,
            )
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.translate(margin + fx / SHAPE_SUBPIXEL, margin + fy / SHAPE_SUBPIXEL)
            p.scale(scale, scale)
            _shape(p, QRectF(0, 0, rect.width(), rect.height()), pen, fill, band)
            p.end()
            pixmap.setDevicePixelRatio(dpr)
            entry = self._shapes[key] = (pixmap, margin)
        pixmap, margin = entry
        painter.resetTransform()
        painter.drawPixmap(QPointF((ix - margin) / dpr, (iy - margin) / dpr), pixmap)
        painter.setWorldTransform(wt)

    def _node_pen(self, color: QColor) -> QPen:
        key = color.rgba()
        pen = self._pens_by_color.get(key)
        if pen is None:
            if len(self._pens_by_color) > 500:
                self._pens_by_color.clear()
            pen = self._pens_by_color[key] = QPen(color, 1.2)
        return pen

    def _fill(self, value: float) -> tuple[QColor, QColor]:
        """A node's fill and border: blue or orange by sign, stronger with |value| (cached)."""
        key = (value >= 0, int(min(1.0, abs(value)) * 20))
        pair = self._fills.get(key)
        if pair is None:
            col = self.colors
            tint = POSITIVE if key[0] else NEGATIVE
            pair = (_mix(col.base, tint, 0.12 + 0.38 * key[1] / 20), _mix(col.base, tint, 0.85))
            self._fills[key] = pair
        return pair
