"""What the diagram must fit into its view: the scene rectangle of everything it draws, and
the smallest zoom at which its numbers are still readable.

The item's ``boundingRect`` holds its columns; what is drawn reaches past it: the error's
"y = 0.5" to the right of the last column, a state's label above-left of s₀, the bias
badges and operators of the static layer. The view's scene rectangle is this module's
``content_rect``, so fitting the scene fits every text, and a scroll bar shows only when
the content is really larger than the view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFontInfo

from ..style import font_scale

if TYPE_CHECKING:
    from .item import UnfoldedItem

#: the smallest on-screen size of a node's number (the value font's em, in px) that a zoom
#: chosen by the diagram may give: 9 pt is 12 px at 100 %, 9 px at 75 % (its digits reach
#: up ~10 px). In presentation mode it is ``style.PRESENTATION_SCALE`` times this.
MIN_VALUE_PX = 9.0
#: a margin around the content, in scene units
MARGIN = 8.0
#: the widest number an error's label shows (``compact`` keeps it to 9 characters)
WIDEST_TARGET = "-8888.888"


def readable_scale(item: UnfoldedItem) -> float:
    """The smallest zoom at which the node values are ``MIN_VALUE_PX`` (× the presentation
    scale) high on screen."""
    em = QFontInfo(item.value_font).pixelSize() or 12
    return MIN_VALUE_PX * font_scale() / em


def value_px(item: UnfoldedItem, scale: float) -> float:
    """How high a node's number is on screen at ``scale`` (its font's em, px)."""
    return (QFontInfo(item.value_font).pixelSize() or 12) * scale


def _err_label_cases(item: UnfoldedItem, index: int) -> list[list[str]]:
    """Every text an error node's label can show (target or none), at its widest."""
    name = item.target_names[index] if item.layout.k > 1 else ""
    if name:
        return [["error", f"{name} = {WIDEST_TARGET}"], [f"no {name}:", "no error"]]
    return [["error", f"y = {WIDEST_TARGET}"], ["no target:", "no error"]]


def labels_rect(item: UnfoldedItem, t: int) -> QRectF:
    """Where the labels of column t's nodes can reach, whatever its values (scene)."""
    lay = item.layout
    dx = t * lay.width
    out = QRectF()
    for node in lay.initial if t == 0 else lay.nodes:
        if node.kind == "gate":
            continue
        rect = node.rect(dx)
        out = out.united(rect)
        if node.kind == "err":
            cases = _err_label_cases(item, node.index)
        else:
            cases = [item.label(node, t).split("\n")]
        for lines in cases:
            for bounds, *_ in item.place_label(node, rect, lines):
                out = out.united(bounds)
    return out


def header_rect(item: UnfoldedItem, t: int) -> QRectF:
    """Where column t's header ("t = 2") is written."""
    lay = item.layout
    cx = t * lay.width + (lay.center if t else lay.state_x)
    placed = item._place(QPointF(cx, lay.top + 14), f"t = {t}", item.head_font, "center", False)
    return placed[0]


def content_rect(item: UnfoldedItem) -> QRectF:
    """Everything drawn for columns 0..T (nodes, labels, headers, edges, badges,
    operators, boxes), with ``MARGIN`` around it, in scene coordinates."""
    lay = item.layout
    rect = QRectF(item.boundingRect())
    last = max(item.T, 0)
    for t in {0, min(1, last), last}:
        rect = rect.united(labels_rect(item, t)).united(header_rect(item, t))
        if t >= 1:
            rect = rect.united(item._static_rect.translated(t * lay.width, 0))
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
