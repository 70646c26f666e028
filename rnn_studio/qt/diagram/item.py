"""The painted network: one QGraphicsItem for every column, its data, geometry and hover."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
)

from ...core import Trace
from ...explain import GATE_TITLES, fmt, sub
from ..analysis import changed_steps
from ..plain import plain_html, plain_tooltip
from .back_paint import BackPaintMixin
from .caches import CachesMixin
from .colors import (
    BAD,
    NEGATIVE,
    NODE_W,
    OVERVIEW_COLUMN_PX,
    POSITIVE,
    ZERO,
    Colors,
    ParamKey,
    Placed,
    _alpha,
    _mix,
)
from .gradients import GradientsMixin
from .layout import Layout, NodeSpec
from .paint import PaintMixin
from .static import StaticMixin
from .timeline import TimelineMixin
from .values import ValuesMixin, _same_targets

if TYPE_CHECKING:
    from .view import DiagramView


class UnfoldedItem(
    PaintMixin,
    BackPaintMixin,
    StaticMixin,
    CachesMixin,
    ValuesMixin,
    GradientsMixin,
    TimelineMixin,
    QGraphicsItem,
):
    """All columns t = 0..T, painted from the trace; only exposed columns are drawn."""

    def __init__(self, layout: Layout, view: DiagramView) -> None:
        super().__init__()
        self.layout = layout
        self.view = view
        self.trace: Trace | None = None
        self.T = 0
        self.step = 0
        self.anim_step = -1  # the step being animated, if any
        self.progress = 1.0  # animation progress of anim_step
        self._grad_texts = {}
        self.hover_key: ParamKey | None = None
        self.input_names: tuple[str, ...] = ()
        self.target_names: tuple[str, ...] = ()
        self._pens: dict[ParamKey, QPen] = {}
        self._dim_pens: dict[ParamKey, QPen] = {}
        self._pens_version = 0
        self._values: dict[ParamKey, float] = {}
        self._template: tuple | None = None
        self._static_texts: dict[tuple[str, int], QStaticText] = {}
        self._static_rect = self._compute_static_rect()
        self._font_id = 0
        nodes = layout.nodes + layout.initial
        # how far nodes and their labels reach left and right of their column's origin
        self._node_left = min(n.x - n.w / 2 for n in nodes) - 70
        self._node_right = max(n.x + n.w / 2 for n in nodes) + 100 - layout.width
        # how far a column's shapes (nodes, their values and rings) reach from its origin
        self._shape_left = min(n.x - n.w / 2 for n in layout.nodes) - 8
        self._shape_right = max(n.x + n.w / 2 for n in layout.nodes) + 8
        self._fills: dict[tuple[bool, int], tuple[QColor, QColor]] = {}
        #: node shapes (rounded rect, fill, border) drawn once per look, size, zoom and
        #: sub-pixel position, blitted per node: a third of the cost of drawing them
        self._shapes: dict[tuple, tuple[QPixmap, int]] = {}
        self._shape_ctx: tuple[QTransform, float, float] | None = None  # set per paint
        self._weighted_per_column = sum(1 for e in layout.edges if e.key is not None)
        self._texts: dict[tuple[int, str, int], str] = {}
        self._values_to_write: list[tuple[QPointF, str, QColor]] = []
        self._labels_to_write: list[Placed] = []
        #: label lines per (t, node), placed; they depend on t, the names and the targets
        self._label_cache: dict[tuple[int, str, int], list[Placed]] = {}
        self.set_colors(Colors.from_palette(view.palette()))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptHoverEvents(True)
        self.value_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.value_font.setPointSizeF(9.0)
        self.label_font = QFont(view.font())
        self.label_font.setPointSizeF(9.0)
        self.small_value_font = QFont(self.value_font)
        self.small_value_font.setPointSizeF(9.0)
        self.gate_font = QFont(view.font())
        self.gate_font.setPointSizeF(9.0)
        self.gate_font.setBold(True)
        self.gate_font.setItalic(True)
        self.badge_font = QFont(view.font())
        self.badge_font.setPointSizeF(6.5)
        self.head_font = QFont(view.font())
        self.head_font.setPointSizeF(9.5)
        self.head_font.setBold(True)

    def set_colors(self, colors: Colors) -> None:
        self.colors = colors
        self._blank_pen = QPen(colors.faint, 1.1, Qt.PenStyle.DashLine)
        self._input_fill = _mix(colors.base, colors.text, 0.08)
        self._error_edge = _mix(colors.base, BAD, 0.8)
        self._band = _alpha(colors.accent, 0.10 if not colors.dark else 0.18)
        self._band_pen = QPen(_alpha(colors.accent, 0.8), 2)
        self._fills = {}
        self._pens_by_color: dict[int, QPen] = {}
        self._shapes = {}
        self._halo = _alpha(colors.base, 0.85)
        if self._template is not None:
            self.static_changed()
        self.update()

    def set_trace(self, trace: Trace, input_names, target_names, change=None) -> None:
        """Show a new trace of the same shape, repainting only the columns that change.

        ``change``: the session's Change from this item's trace to ``trace``, if it has
        one (else the steps that changed are found here)."""
        old = self.trace
        if change is not None and change.old is old and change.new is trace:
            changed = change.steps
        else:
            changed = changed_steps(old, trace)
        names = (tuple(input_names), tuple(target_names))
        renamed = names != (self.input_names, self.target_names)
        if renamed:
            changed = (0, trace.T)
        self.trace = trace
        self.T = trace.T
        self.input_names, self.target_names = names
        if changed is None:
            return
        first, last = changed
        # steps before `first` keep their values, and their cached texts
        self._texts = {k: v for k, v in self._texts.items() if k[0] < first} if first else {}
        # the labels read only the names, t and the targets: an edit of an input or of a
        # weight keeps them
        if renamed or not _same_targets(old, trace):
            self._label_cache = {k: v for k, v in self._label_cache.items() if k[0] < first}
        values = {key: float(trace.params[key[0]][key[1]]) for key in self._param_keys()}
        if values == self._values:  # a table edit: the weights and their pens stay
            region = self._edit_region(first, last, old)
            if region is not None:
                self.update(region)
            return
        finite = [abs(v) for v in values.values() if math.isfinite(v)]
        largest = max(finite, default=1.0) or 1.0
        pens = {}
        for key, value in values.items():
            if value == 0:  # no sign, carries nothing: a grey dashed hairline
                pen = QPen(ZERO, 1.0, Qt.PenStyle.DashLine)
                pens[key] = pen
                continue
            color = POSITIVE if value > 0 else NEGATIVE
            size = min(1.0, abs(value) / largest) if math.isfinite(value) else 1.0
            pen = QPen(color, 0.8 + 3.6 * size)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pens[key] = pen
        self._pens = pens
        self._dim_pens = {}
        for key, pen in pens.items():
            dim = QPen(pen)
            dim.setColor(_alpha(pen.color(), 0.22))
            self._dim_pens[key] = dim
        self._pens_version += 1
        self._values = values
        self.static_changed()
        self.prepareGeometryChange()
        self.update()

    def _param_keys(self) -> set[ParamKey]:
        """The weights this item draws (the compact view's heat maps have no edges)."""
        return {e.key for e in self.layout.edges if e.key} | {b.key for b in self.layout.badges}

    def pen_for(self, key: ParamKey) -> QPen:
        return self._pens[key]

    def _edit_region(self, first: int, last: int, old: Trace | None) -> QRectF | None:
        """What a table edit of steps first..last changes on screen (None: nothing).

        Steps first..(the step shown) get new values; after it only the edited rows'
        inputs and target labels change (no state is shown there yet). Of the columns on
        screen, those after the edited rows are repainted only if they look different:
        an edit's effect on the state fades within a few steps, below the 4 digits shown.
        Zoomed out to the overview, or while a step animates (its dots reach into the
        column before), the whole rest of the sequence is repainted as before.
        """
        bounds = self.boundingRect()
        lod = self.view.transform().m11()
        if self.anim_step >= 0 or self.layout.width * lod < OVERVIEW_COLUMN_PX or old is None:
            left = self.column_rect(max(0, first - 1)).left() - 140
            return QRectF(left, bounds.top(), bounds.right() - left, bounds.height())
        end = min(self.T, max(last, self.step))
        view = self.view
        seen = view.mapToScene(view.viewport().rect()).boundingRect()
        width = self.layout.width
        lo = max(first, int(seen.left() // width) - 1)
        hi = min(end, int(seen.right() // width) + 1)

        def differs(t: int) -> bool:
            return t <= last or t == 0 or self._look(old, t) != self._look(self.trace, t)

        while lo <= hi and not differs(hi):
            hi -= 1
        if lo > hi:
            return None
        while not differs(lo):
            lo += 1
        region = self.span(lo, hi)
        targets_changed = (
            first > 0
            and hi <= last
            and not np.array_equal(
                old.targets[first - 1 : last], self.trace.targets[first - 1 : last], equal_nan=True
            )
        )
        if targets_changed and hi < self.T:
            # an error's label ("y = …") reaches into the next column: take all of it, as
            # a region's edge through a dashed (not yet computed) node draws it differently
            region = region.united(self.span(hi + 1, hi + 1))
        # the edges fall between the nodes, which keep inside their column
        return region.adjusted(-20, 0, 20, 0)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        lay = self.layout
        left = min(n.x for n in lay.initial) - NODE_W
        return QRectF(left, lay.top, (self.T + 1) * lay.width - left + 20, lay.bottom - lay.top)

    def span(self, first: int, last: int) -> QRectF:
        """Columns first..last with everything drawn for them but their labels."""
        rect = self.column_rect(first).united(self.column_rect(last))
        return rect.united(self._shapes_rect(first)).united(self._shapes_rect(last))

    def _shapes_rect(self, t: int) -> QRectF:
        """Where column t's shapes (band, nodes, bars, values) can be: the column but the
        2 units at each side, which hold nothing (the band's pen reaches 3 in), or wider
        where the layout lets a node reach past the column."""
        lay = self.layout
        if t == 0:
            return self.column_rect(0)
        left = t * lay.width + min(2.0, self._shape_left)
        right = t * lay.width + max(lay.width - 2.0, self._shape_right)
        return QRectF(left, lay.top, right - left, lay.bottom - lay.top)

    def column_rect(self, t: int) -> QRectF:
        lay = self.layout
        left = t * lay.width + (min(n.x for n in lay.initial) - NODE_W if t == 0 else 0)
        right = t * lay.width + lay.width if t else lay.state_x + NODE_W
        return QRectF(left, lay.top, right - left, lay.bottom - lay.top)

    def hit(self, pos: QPointF, lod: float) -> tuple[ParamKey | None, str]:
        """The weight (or node) under a scene point, and its tooltip."""
        lay = self.layout
        if self.trace is None:
            return None, ""
        t = int(pos.x() // lay.width)
        tol = max(4.0, 6.0 / max(lod, 1e-6))
        for tt in (t, t + 1):
            if tt < 0 or tt > self.T:
                continue
            dx = tt * lay.width
            for node in lay.initial if tt == 0 else lay.nodes:
                if node.rect(dx).adjusted(-2, -2, 2, 2).contains(pos):
                    return None, plain_tooltip(self._node_tip(node, tt))
        label_tip = self.label_tip(pos)  # a (maybe elided) name: the node's tip, in full
        if label_tip:
            return None, plain_tooltip(label_tip)
        for tt in (t, t + 1):
            if 1 <= tt <= self.T:
                for op in lay.ops:  # an operator's circle, or its label's line of text
                    dx, dy = abs(pos.x() - op.x - tt * lay.width), abs(pos.y() - op.y)
                    label = op.symbol.startswith("label:")
                    if op.what and (dx < 50 and dy < 8 if label else math.hypot(dx, dy) < 10):
                        return None, op.what
        best: tuple[float, ParamKey | None, str] = (tol, None, "")
        for tt in (t, t + 1):
            if tt < 1 or tt > self.T:
                continue
            dx = tt * lay.width
            for badge in lay.badges:
                dist = math.hypot(pos.x() - badge.x - dx, pos.y() - badge.y)
                if dist < best[0]:
                    best = (dist, badge.key, badge.what)
            for edge in lay.edges:
                if edge.key is None:
                    continue
                dist = _distance(pos, edge.line(dx))
                if dist < best[0]:
                    best = (dist, edge.key, edge.what)
        _, key, what = best
        if key is None:
            return None, ""
        return key, self._weight_tip(key, what)

    def _weight_tip(self, key: ParamKey, what: str) -> str:
        name, index = key
        value = self._values[key]
        col_names = self.layout.col_names
        where = f"{name}[{', '.join(str(i + 1) for i in index)}]"
        if len(index) == 2 and name != "V" and index[1] < len(col_names):
            where += f"  (row {index[0] + 1}, column {plain_html(col_names[index[1]])})"
        sign = "zero: it adds nothing" if value == 0 else "positive" if value > 0 else "negative"
        return (
            f"<b>{where} = {fmt(value, 4)}</b> ({sign})<br>{plain_html(what)}<br>"
            "The same weight in every timestep: its copies are highlighted."
        )

    def _node_tip(self, node: NodeSpec, t: int) -> str:
        if node.kind == "gate":
            name = GATE_TITLES[node.gate]
            unit = f"[{node.index + 1}]" if self.layout.h > 1 else ""
            label = f"{node.gate}{sub(t)}{unit} ({name})"
        else:
            label = self.label(node, t)
        grad = self.grad(node, t) if self.backward is not None else None
        if grad is not None:
            what = "δ, ∂L/∂ of its weighted sum" if node.kind == "gate" else "gradient"
            head = f"δ{label}" if node.kind == "gate" else self.grad_label(node, t)
            value = fmt(self.value(node, t), 6)
            return f"{head} = {grad!r} ({what}); the value itself: {label} = {value}"
        if t > 0 and self.shown(t) < node.appear and node.kind != "x":
            return f"{label}: not computed yet (step {t} is ahead)"
        return f"{label} = {fmt(self.value(node, t), 6)}"

    def hoverMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        lod = self.view.transform().m11()
        key, tip = self.hit(event.pos(), lod)
        self.setToolTip(tip)
        if key != self.hover_key:
            self.hover_key = key
            self.static_changed()
            self.view.hoveredWeightChanged.emit(key)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.hover_key is not None:
            self.hover_key = None
            self.static_changed()
            self.view.hoveredWeightChanged.emit(None)


def _distance(p: QPointF, line: QLineF) -> float:
    ax, ay, bx, by = line.x1(), line.y1(), line.x2(), line.y2()
    vx, vy = bx - ax, by - ay
    length2 = vx * vx + vy * vy
    if length2 == 0:
        return math.hypot(p.x() - ax, p.y() - ay)
    f = max(0.0, min(1.0, ((p.x() - ax) * vx + (p.y() - ay) * vy) / length2))
    return math.hypot(p.x() - ax - f * vx, p.y() - ay - f * vy)
