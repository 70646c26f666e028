"""The nodes' labels: where each is written, the column names in them elided to the room
they have, and the tooltip of a label under the mouse (the name in full)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from .colors import IN_GAP, NODE_W, Placed
from .layout import NodeSpec, out_gap


class LabelsMixin:
    """Label placement and elision, for UnfoldedItem (through PaintMixin)."""

    def _queue_labels(self, t: int, exposed: QRectF) -> None:
        """The labels of column t that reach into ``exposed`` (not its shapes, which
        stay inside the column)."""
        dx = t * self.layout.width
        queue = self._labels_to_write
        for node in self.layout.initial if t == 0 else self.layout.nodes:
            if node.kind != "gate":
                grad = self.backward is not None and self.grad(node, t) is not None
                for placed in self._label_lines(node, node.rect(dx), t, grad):
                    if placed[0].intersects(exposed):
                        queue.append(placed)

    def _label_lines(
        self, node: NodeSpec, rect: QRectF, t: int, grad: bool = False
    ) -> list[Placed]:
        """Where a node's label lines go (cached like the values' texts).

        Labels sit where no edge runs: x below, ŷ and error to the right, states
        above-left; they are written in the dim colour, with the label font.
        """
        key = (t, node.kind + node.gate + ("∂" if grad else ""), node.index)
        placed = self._label_cache.get(key)
        if placed is not None:
            return placed
        lines = (self.grad_label(node, t) if grad else self.label(node, t)).split("\n")
        placed = self.place_label(node, rect, lines)
        if len(self._label_cache) > 20000:
            self._label_cache.clear()
        self._label_cache[key] = placed
        return placed

    def place_label(self, node: NodeSpec, rect: QRectF, lines: list[str]) -> list[Placed]:
        """Where ``lines``, a label of ``node`` drawn at ``rect``, go, with the column
        names in them elided to the room they have (see ``elide_names``)."""
        lines = self.elide_names(node, lines)
        kind = node.kind
        font = self.label_font
        if kind == "x":
            at, align = QPointF(rect.center().x(), rect.bottom() + 9), "center"
        elif kind in ("yhat", "err"):  # (several outputs stand far enough apart for it)
            at, align = QPointF(rect.right() + 6, rect.center().y()), "left"
        else:
            at, align = QPointF(rect.left() + 8, rect.top() - 8), "right"
        halo = kind in ("s", "c", "s0", "c0") and self.layout.h > 1
        step = 12.0
        y0 = at.y() - step * (len(lines) - 1) / 2
        return [
            self._place(QPointF(at.x(), y0 + i * step), line, font, align, halo)
            for i, line in enumerate(lines)
        ]

    def label_room(self, node: NodeSpec) -> float:
        """How wide a label line of ``node`` may be before it runs into its neighbour:
        an input's name the distance between inputs; an output's label the gap to the
        next output (several), or past its column's edge into the empty top of the next."""
        lay = self.layout
        if node.kind == "x":
            return IN_GAP - 6 if lay.d > 1 else lay.width - 16
        if node.kind in ("yhat", "err"):
            return out_gap(lay.k) - NODE_W - 10 if lay.k > 1 else 96.0
        return float("inf")

    def column_name(self, node: NodeSpec) -> str:
        """The data column a node is labelled with ("" for a state, a gate …)."""
        if node.kind == "x":
            return self.input_names[node.index]
        if node.kind in ("yhat", "err") and self.layout.k > 1:
            return self.target_names[node.index]
        return ""

    def elide_names(self, node: NodeSpec, lines: list[str]) -> list[str]:
        """``lines`` with the column name in them cut to ``label_room`` ("temperat…"):
        names up to 200 characters are allowed; the tooltip has the name in full.
        What surrounds the name (ŷ₂, "= 0.5") stays whole."""
        name = self.column_name(node)
        if not name:
            return lines
        room = self.label_room(node)
        metrics = QFontMetricsF(self.label_font)
        out = []
        for line in lines:
            if name not in line or metrics.horizontalAdvance(line) <= room:
                out.append(line)
                continue
            head, _, tail = line.partition(name)
            rest = room - metrics.horizontalAdvance(head + tail)
            if tail.strip() and rest < 48:  # "rain… = 0.5" would leave "r…": two lines
                rest = room - metrics.horizontalAdvance(head)
                out.append(head + self._elide(name, rest))
                out.append(tail.strip())
            else:
                out.append(head + self._elide(name, rest))
        return out

    def _elide(self, name: str, room: float) -> str:
        metrics = QFontMetricsF(self.label_font)
        return metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(0.0, room)) or "…"

    def label_tip(self, pos: QPointF) -> str:
        """The tooltip for a node's label under ``pos`` (scene): the node's own, with
        the column's name in full ("" where no label is)."""
        if self.trace is None:
            return ""
        lay = self.layout
        t0 = int(pos.x() // lay.width)
        for t in (t0, t0 - 1, t0 + 1):
            if not 0 <= t <= self.T:
                continue
            for node in lay.initial if t == 0 else lay.nodes:
                if node.kind == "gate":
                    continue
                grad = self.backward is not None and self.grad(node, t) is not None
                for bounds, *_ in self._label_lines(node, node.rect(t * lay.width), t, grad):
                    if bounds.adjusted(4, 3, -4, -3).contains(pos):
                        return self._node_tip(node, t)
        return ""
