"""The compact vector view's item: the per-unit ``UnfoldedItem`` (its timeline, values,
gradients, caches, dots and export) with the compact layout's painting and hit tests.

A compact cell is a per-unit node (``NodeSpec``), so ``DiagramView.node_text`` and
``grad_text`` read it as they read a per-unit node; what differs is where it is drawn
and that the weights are heat maps (``MatrixSpec``) instead of one edge per weight.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from ...explain import fmt
from ..plain import plain_html, plain_tooltip
from .colors import ParamKey
from .compact_cells import CompactCellsMixin
from .compact_layout import CompactLayout, MatrixSpec
from .compact_paint import CompactPaintMixin
from .item import UnfoldedItem

if TYPE_CHECKING:
    from .view import DiagramView

#: how far the vectors' names and the targets reach beyond the columns
LABEL_LEFT, LABEL_RIGHT = 40.0, 110.0
LABEL_REACH = 50.0  # how far the error's label reaches past its column


class CompactItem(CompactCellsMixin, CompactPaintMixin, UnfoldedItem):
    """Every column t = 0..T of the compact view (see ``compact_layout``)."""

    compact = True

    def __init__(self, layout: CompactLayout, view: DiagramView) -> None:
        self._largest, self._largest_version = 1.0, -1
        super().__init__(layout, view)
        self._keys = {
            m.key(r, c) for m in layout.matrices for r in range(m.rows) for c in range(m.cols)
        }

    def _param_keys(self) -> set[ParamKey]:
        return self._keys

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        rect = super().boundingRect()
        lay = self.layout
        left = min(v.rect.left() for v in lay.initial_vectors) - LABEL_LEFT
        return QRectF(left, rect.top(), rect.right() + LABEL_RIGHT - left, rect.height())

    def column_rect(self, t: int) -> QRectF:
        rect = super().column_rect(t)
        if t == 0:  # s₀'s name and its strip
            rect.setLeft(min(v.rect.left() for v in self.layout.initial_vectors) - LABEL_LEFT)
        return rect

    def span(self, first: int, last: int) -> QRectF:
        """Columns first..last with what is drawn for them: the error's "y = …" reaches
        into the next column (and past the last one)."""
        return super().span(first, last).adjusted(0, 0, LABEL_REACH, 0)

    def matrix_at(self, pos: QPointF) -> tuple[MatrixSpec, int, int, int] | None:
        """The heat map cell under a scene point: (matrix, row, column, t)."""
        lay = self.layout
        t = int(pos.x() // lay.width)
        for tt in (t, t + 1):
            if 1 <= tt <= self.T:
                for m in lay.matrices:
                    rect = m.rect.translated(tt * lay.width, 0)
                    if rect.contains(pos):
                        c = min(m.cols - 1, int((pos.x() - rect.left()) / rect.width() * m.cols))
                        r = min(m.rows - 1, int((pos.y() - rect.top()) / rect.height() * m.rows))
                        return m, r, c, tt
        return None

    def hit(self, pos: QPointF, lod: float) -> tuple[ParamKey | None, str]:
        """The weight (heat map cell) or value (vector cell) under a scene point, and its
        tooltip."""
        lay = self.layout
        if self.trace is None:
            return None, ""
        t = int(pos.x() // lay.width)
        for tt in (t, t + 1):
            if 0 <= tt <= self.T:
                for node in lay.initial if tt == 0 else lay.nodes:
                    if node.rect(tt * lay.width).contains(pos):
                        return None, plain_tooltip(self._node_tip(node, tt))
        found = self.matrix_at(pos)
        if found is not None:
            m, r, c, _ = found
            return m.key(r, c), self.matrix_tip(m, r, c)
        for tt in (t, t + 1):
            if 1 <= tt <= self.T:
                for op in lay.ops:
                    dx, dy = abs(pos.x() - op.x - tt * lay.width), abs(pos.y() - op.y)
                    if op.what and math.hypot(dx, dy) < 10:
                        return None, op.what
        return None, ""

    def matrix_tip(self, m: MatrixSpec, r: int, c: int) -> str:
        """The tooltip of a heat map cell: the matrix, the entry, its value."""
        key = m.key(r, c)
        name, index = key
        value = self._values[key]
        where = f"{name}[{', '.join(str(i + 1) for i in index)}]"
        if m.title != name:  # W_s[2, 3] is W[2, d + 3]
            where = f"{m.title}[{r + 1}, {c + 1}] = {where}"
        if len(index) == 2 and name != "V":
            column = plain_html(self.layout.col_names[index[1]])  # a name is the user's text
            where += f"  (row {index[0] + 1}, column {column})"
        sign = "zero: it adds nothing" if value == 0 else "positive" if value > 0 else "negative"
        return (
            f"<b>{plain_html(m.tip())}</b><br>{where} = <b>{fmt(value, 4)}</b> ({sign})<br>"
            "The same matrix in every timestep: this entry is framed in each."
        )
