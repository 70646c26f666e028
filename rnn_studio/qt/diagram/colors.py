"""Colours, sizes and the few drawing primitives every layer of the diagram shares."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPalette,
    QPen,
    QStaticText,
)

from ...explain import fmt

ParamKey = tuple[str, tuple[int, ...]]
#: a text placed for drawing: its bounds, its top-left, the static text, its halo patch
Placed = tuple[QRectF, QPointF, QStaticText, QRectF | None]

POSITIVE = QColor("#2f7fe0")  # blue: a positive weight or value
NEGATIVE = QColor("#e8681a")  # orange: a negative one
HOVER = QColor("#d0248f")  # magenta: the hovered (shared) weight, in every step
BAD = QColor("#c0392b")  # red: an error, or a value that is not finite

NODE_W, NODE_H = 60.0, 26.0
ROW = 40.0  # vertical distance between units
IN_GAP = 72.0  # horizontal distance between two input nodes
GATE_W = 70.0
DETAIL_LOD = 0.42
OVERVIEW_COLUMN_PX = 18  # narrower columns on screen are drawn as an overview
CACHE_MAX_LOD = 1.6  # above it, columns are drawn directly instead of from the cached picture

ZERO = QColor("#8f949b")  # grey: a zero weight, neither positive nor negative
MIN_FIT_COLUMN_PX = 30  # "fit" shows every step while a column keeps at least this width
READABLE_SCALE = 0.95  # at this zoom the 9 pt values are ~11 px high
MAX_NODE_CHARS = 7  # what fits in a node at the value font
SHAPE_CACHE_MAX_LOD = 4.0  # above it, node shapes are drawn directly (big pixmaps)
SHAPE_SUBPIXEL = 64  # a cached node shape per 1/64 device pixel of position


def compact(value: float, width: int = MAX_NODE_CHARS) -> str:
    """A node's number in at most ``width`` characters: ``fmt`` while it fits (fewer
    decimals first), else scientific, −1234569.01 → "-1.23e6" (never spilling out)."""
    text = fmt(value, 4)
    if len(text) <= width or not math.isfinite(value):
        return text
    for decimals in (3, 2, 1, 0):
        text = fmt(value, decimals)
        if len(text) <= width and text not in ("0", "-0"):
            return text
    for digits in (3, 2, 1, 0):
        mantissa, exponent = f"{value:.{digits}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
        if len(text) <= width:
            return text
    return text


def _shape(painter: QPainter, rect: QRectF, pen: QPen, fill: QColor, band: bool) -> None:
    """A node's rounded rectangle, or the current step's band (a tint inside a frame)."""
    if band:
        painter.fillRect(rect.adjusted(3, 3, -3, -3), fill)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect, 12, 12)
    else:
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, NODE_H / 2, NODE_H / 2)


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        a.alphaF() + (b.alphaF() - a.alphaF()) * t,
    )


def _alpha(c: QColor, a: float) -> QColor:
    out = QColor(c)
    out.setAlphaF(max(0.0, min(1.0, a)))
    return out


@dataclass
class Colors:
    base: QColor
    text: QColor
    dim: QColor
    faint: QColor
    accent: QColor
    box: QColor
    box_edge: QColor
    dark: bool

    @classmethod
    def from_palette(cls, pal: QPalette) -> Colors:
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        accent = pal.color(QPalette.ColorRole.Highlight)
        return cls(
            base=base,
            text=text,
            dim=_mix(text, base, 0.45),
            faint=_mix(text, base, 0.72),
            accent=accent,
            box=_mix(base, text, 0.045),
            box_edge=_mix(base, text, 0.28),
            dark=base.lightnessF() < 0.5,
        )
