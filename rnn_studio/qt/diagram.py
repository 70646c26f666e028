"""The unfolded network: one cell per timestep, values flowing left to right.

Design, for speed at T = 2,000: the shape of one timestep's column (its nodes, edges,
gate boxes and weight badges, in column-local coordinates) is laid out once per
structure in a ``Layout``. One ``UnfoldedItem`` draws every column from the current
trace, in two layers:

- the static layer (edges, cell and gate boxes, bias badges) looks the same in every
  column, so it is drawn once into a picture per zoom and blitted per column, as the
  view's background, which Qt caches: an edit of the table or an animation frame never
  redraws it (only a change of weights, hover, zoom or palette does);
- the changing layer (current-step band, nodes with their values, gate bars, moving
  dots) is painted for the exposed columns only, with cached texts.

An edit therefore costs a repaint of what is on screen, never thousands of ``setText``
calls; a change of shape (cell, d, h, k, readout, T) builds a new layout and item.

Edges carry a parameter key ``(name, index)``: the same key gets the same pen in every
column (the weights are shared over time) and hovering one highlights it everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import (
    QEasingCurve,
    QLineF,
    QPointF,
    QRectF,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ..core import Trace
from ..document import Document
from ..explain import GATE_TITLES, fmt, sub
from .analysis import changed_steps, first_changed_step  # noqa: F401 - first_changed_step re-exported

ParamKey = tuple[str, tuple[int, ...]]
#: a text placed for drawing: its bounds, its top-left, the static text, its halo patch
Placed = tuple[QRectF, QPointF, QStaticText, QRectF | None]

POSITIVE = QColor("#2f7fe0")  # blue: a positive weight or value
NEGATIVE = QColor("#e8681a")  # orange: a negative one
HOVER = QColor("#d0248f")  # magenta: the hovered (shared) weight, in every step
BAD = QColor("#c0392b")  # red: an error, or a value that is not finite

NODE_W, NODE_H = 60.0, 26.0
ROW = 40.0  # vertical distance between units
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


# -- the layout of one column ---------------------------------------------------------
@dataclass
class NodeSpec:
    """A node of a column; its value is read from the trace at paint time."""

    kind: str  # x, s, c, yhat, err, gate
    index: int
    x: float
    y: float
    appear: float  # animation progress at which it shows its value
    gate: str = ""
    fill: tuple[float, float] = (0.0, 0.0)  # gates: progress over which the bar fills
    w: float = NODE_W
    h: float = NODE_H

    def rect(self, dx: float = 0.0) -> QRectF:
        return QRectF(self.x + dx - self.w / 2, self.y - self.h / 2, self.w, self.h)


@dataclass
class EdgeSpec:
    """A line from a source to a target; ``key`` None means an unweighted connection."""

    x1: float
    y1: float
    x2: float
    y2: float
    key: ParamKey | None
    start: float  # animation progress while a dot travels along it
    end: float
    what: str = ""  # "x1 → s₁" for the tooltip

    def line(self, dx: float) -> QLineF:
        return QLineF(self.x1 + dx, self.y1, self.x2 + dx, self.y2)


@dataclass
class BadgeSpec:
    """A bias, drawn as a small disc attached to the node it is added to."""

    x: float
    y: float
    key: ParamKey
    what: str


@dataclass
class OpSpec:
    x: float
    y: float
    symbol: str  # "×", "+", "mix", or "label:TEXT" (a small text, centred)
    what: str = ""  # the tooltip: what the operation computes


@dataclass
class GateBox:
    gate: str
    rect: QRectF  # local


@dataclass
class Layout:
    cell: str
    d: int
    h: int
    k: int
    width: float  # of one column
    top: float
    bottom: float
    cell_box: QRectF  # local
    nodes: list[NodeSpec] = field(default_factory=list)
    edges: list[EdgeSpec] = field(default_factory=list)
    badges: list[BadgeSpec] = field(default_factory=list)
    ops: list[OpSpec] = field(default_factory=list)
    initial: list[NodeSpec] = field(default_factory=list)  # s_0 (and c_0) in column 0
    gate_boxes: list[GateBox] = field(default_factory=list)
    col_names: list[str] = field(default_factory=list)  # x1…xd, s1…sh: W's columns
    center: float = 0.0  # x of the column's visual centre (its header)
    state_x: float = 0.0
    state_ys: list[float] = field(default_factory=list)
    title: str = ""


def _out_gap(k: int) -> float:
    """Distance between the outputs: with several, each keeps its label on its right."""
    return 72.0 if k == 1 else NODE_W + 64.0


def _spread(center: float, n: int, gap: float) -> list[float]:
    return [center + (i - (n - 1) / 2) * gap for i in range(n)]


def build_layout(
    cell: str, d: int, h: int, k: int, readout: str, activation: str, input_names, target_names
) -> Layout:
    """Place one column's nodes and edges (column-local coordinates, y grows downwards)."""
    names_x = [str(n) for n in input_names]
    gated = cell in ("lstm", "gru")
    y_err = 0.0
    y_out = 58.0
    gate_h = 22.0 + h * 12.0
    if cell == "lstm":
        gates: tuple[str, ...] = ("i", "f", "g", "o")
        y_c = [y_out + 86 + j * ROW for j in range(h)]
        y_gate = y_c[-1] + 58 + gate_h / 2  # room for the i·g product between
    elif cell == "gru":
        gates = ("r", "z", "n")  # the order of the spec and the model panel
        y_c = []
        y_gate = y_out + 96 + gate_h / 2  # room for the r and z routes over the gates
    else:
        gates = ()
        y_c = []
        y_gate = 0.0
    if gated:
        y_s = [y_gate + gate_h / 2 + 50 + j * ROW for j in range(h)]
    else:
        y_s = [y_out + 92 + j * ROW for j in range(h)]
    y_in = y_s[-1] + (84 if gated else 96)

    gx: dict[str, float] = {}
    if gated:
        gap = GATE_W + 10
        first = 40.0 + GATE_W / 2
        for i, g in enumerate(gates):
            gx[g] = first + i * gap
        last_gate = max(gx.values())
        c_x = last_gate + GATE_W / 2 + (44 if cell == "lstm" else 40)
        s_x = c_x + (64 if cell == "lstm" else 48)
        width = max(s_x + 84, d * 72 + 60, _out_gap(k) * k + 60)
        inputs_center = (first + last_gate) / 2
        box = QRectF(22, (y_c[0] if y_c else y_gate - gate_h / 2) - 44, s_x - 22 + 44, 0)
        box.setBottom(y_s[-1] + 28)
    else:
        width = max(200.0, d * 72 + 56, _out_gap(k) * k + 56)
        s_x = width / 2
        c_x = s_x
        inputs_center = s_x
        box = QRectF(s_x - 68, y_s[0] - 30, 136, (h - 1) * ROW + 60)
    out_x = _spread(s_x, k, _out_gap(k))
    in_x = _spread(inputs_center, d, 72)

    layout = Layout(cell, d, h, k, width, y_err - 50, y_in + 44, box)
    layout.state_x = s_x
    layout.state_ys = y_s
    layout.center = (box.left() + box.right()) / 2 if gated else s_x
    layout.title = {"lstm": "LSTM cell", "gru": "GRU cell"}.get(cell, activation)
    layout.col_names = names_x + [f"s{j + 1}" for j in range(h)]

    def unit(j: int) -> str:
        return f"[{j + 1}]" if h > 1 else ""

    # -- timings of the step's phases (fractions of the animation) -----------------------
    if cell == "lstm":
        t_in, t_gate, t_c, t_s, t_out = (0.0, 0.34), (0.34, 0.52), 0.64, 0.74, (0.76, 0.86)
    elif cell == "gru":
        t_in, t_gate, t_c, t_s, t_out = (0.0, 0.34), (0.34, 0.5), 0.62, 0.72, (0.74, 0.86)
    else:
        t_in, t_gate, t_c, t_s, t_out = (0.0, 0.4), (0.4, 0.55), 0.55, 0.58, (0.66, 0.84)
    t_yhat, t_err = t_out[1], 0.93

    # -- input and state nodes -----------------------------------------------------------
    for i, x in enumerate(in_x):
        layout.nodes.append(NodeSpec("x", i, x, y_in, appear=0.0))
    for j, y in enumerate(y_s):
        layout.nodes.append(NodeSpec("s", j, s_x, y, appear=t_s))
        layout.initial.append(NodeSpec("s0", j, s_x, y, appear=0.0))
    for j, y in enumerate(y_c):
        layout.nodes.append(NodeSpec("c", j, c_x, y, appear=t_c))
        layout.initial.append(NodeSpec("c0", j, c_x, y, appear=0.0))

    prev = -width  # previous column's offset
    if not gated:
        for j, y in enumerate(y_s):
            for i, x in enumerate(in_x):
                layout.edges.append(
                    EdgeSpec(
                        x,
                        y_in - NODE_H / 2,
                        s_x + (i - (d - 1) / 2) * 10,
                        y + NODE_H / 2,
                        ("W", (j, i)),
                        *t_in,
                        what=f"{names_x[i]} → s{unit(j)}",
                    )
                )
            for i, y0 in enumerate(y_s):
                layout.edges.append(
                    EdgeSpec(
                        s_x + prev + NODE_W / 2,
                        y0,
                        s_x - NODE_W / 2,
                        y,
                        ("W", (j, d + i)),
                        *t_in,
                        what=f"s{unit(i)} (previous) → s{unit(j)}",
                    )
                )
            layout.badges.append(
                BadgeSpec(
                    s_x + NODE_W / 2 + 9,
                    y + NODE_H / 2 + 5,
                    ("b", (j,)),
                    f"bias b{unit(j)}, added inside s{unit(j)}'s sum",
                )
            )
    else:
        t_mix = (t_c - 0.12, t_s - 0.01)
        for g in gates:
            box_g = QRectF(gx[g] - GATE_W / 2, y_gate - gate_h / 2, GATE_W, gate_h)
            layout.gate_boxes.append(GateBox(g, box_g))
            bottom = box_g.bottom()
            for j in range(h):
                bar_rect = QRectF(box_g.left() + 6, box_g.top() + 18 + j * 12, GATE_W - 12, 8)
                fill = t_gate if g != "n" else (t_gate[1] - 0.04, t_c - 0.02)
                layout.nodes.append(
                    NodeSpec(
                        "gate",
                        j,
                        bar_rect.center().x(),
                        bar_rect.center().y(),
                        appear=fill[0],
                        gate=g,
                        fill=fill,
                        w=bar_rect.width(),
                        h=8,
                    )
                )
                entry = box_g.left() + (j + 0.5) * GATE_W / h
                w_name = f"W_{g}"
                for i, x in enumerate(in_x):
                    layout.edges.append(
                        EdgeSpec(
                            x,
                            y_in - NODE_H / 2,
                            entry,
                            bottom,
                            (w_name, (j, i)),
                            *t_in,
                            what=f"{names_x[i]} → {g}{unit(j)}",
                        )
                    )
                for i, y0 in enumerate(y_s):
                    layout.edges.append(
                        EdgeSpec(
                            s_x + prev + NODE_W / 2,
                            y0,
                            entry,
                            bottom,
                            (w_name, (j, d + i)),
                            *t_in,
                            what=f"s{unit(i)} (previous) → {g}{unit(j)}",
                        )
                    )
                layout.badges.append(
                    BadgeSpec(
                        box_g.right() - 7 - j * 15,
                        box_g.top() - 9,
                        (f"b_{g}", (j,)),
                        f"bias b_{g}{unit(j)} of the {GATE_TITLES[g]}",
                    )
                )
                if g == "n":
                    layout.badges.append(
                        BadgeSpec(
                            box_g.right() + 10,
                            bar_rect.center().y(),
                            ("b_nh", (j,)),
                            f"bias b_nh{unit(j)}: added to n's state part, inside r·(…)",
                        )
                    )
        gate_top = y_gate - gate_h / 2
        gate_bottom = y_gate + gate_h / 2
        if cell == "lstm":
            fx, px = gx["f"], gx["g"]
            for j, y in enumerate(y_c):
                # c_{t-1} → ×f → +(i·g) → c_t, above the hidden-state line
                layout.ops.append(
                    OpSpec(
                        fx, y, "×", "f · c₍ₜ₋₁₎: the forget gate keeps part of the old cell state"
                    )
                )
                layout.ops.append(OpSpec(px, y, "+", f"c{unit(j)} = f · c₍ₜ₋₁₎ + i · g"))
                # one dot runs along the cell-state line: c_{t-1} to ×f, on to +ig, into c_t
                a, b = t_mix
                third = (b - a) / 3
                first, second, last = (a, a + third), (a + third, a + 2 * third), (b - third, b)
                layout.edges.append(EdgeSpec(c_x + prev + NODE_W / 2, y, fx - 9, y, None, *first))
                layout.edges.append(EdgeSpec(fx + 9, y, px - 9, y, None, *second))
                layout.edges.append(EdgeSpec(px + 9, y, c_x - NODE_W / 2, y, None, *last))
                if j == h - 1:
                    # f into ×f; i · g formed at their own × node, then added at +
                    layout.edges.append(EdgeSpec(fx, gate_top, fx, y + 9, None, *first))
                    ym = (y + gate_top) / 2 - 3
                    layout.ops.append(
                        OpSpec(px, ym, "×", "i · g: the input gate lets in part of the candidate")
                    )
                    layout.edges.append(EdgeSpec(px, gate_top, px, ym + 9, None, *first))
                    layout.edges.append(
                        EdgeSpec(gx["i"] + GATE_W / 4, gate_top, px - 8, ym + 4, None, *first)
                    )
                    layout.edges.append(EdgeSpec(px, ym - 9, px, y + 9, None, *second))
                # s_t = o · tanh(c_t), formed at a × node left of s_t
                ox = s_x - 48 - 22 * j
                layout.ops.append(
                    OpSpec(ox, y_s[j], "×", f"s{unit(j)} = o{unit(j)} · tanh(c{unit(j)})")
                )
                t_o = (t_c, t_s - 0.03)
                layout.edges.append(
                    EdgeSpec(c_x + 12, y + NODE_H / 2, ox + 1, y_s[j] - 9, None, *t_o)
                )
                layout.edges.append(
                    EdgeSpec(gx["o"] + GATE_W / 2, y_gate, ox - 8, y_s[j] + 3, None, *t_o)
                )
                layout.edges.append(
                    EdgeSpec(ox + 9, y_s[j], s_x - NODE_W / 2, y_s[j], None, t_s - 0.03, t_s)
                )
            tanh_y = (y_c[-1] + NODE_H / 2 + y_s[0] - 9) / 2
            layout.ops.append(OpSpec(s_x - 48 + 20, tanh_y, "label:tanh"))
        else:
            mix_what = (
                "s = (1 − z) · n + z · s₍ₜ₋₁₎: the update gate z mixes the candidate n "
                "with the previous state"
            )
            for j, y in enumerate(y_s):
                mx = c_x
                layout.ops.append(OpSpec(mx, y, "mix", mix_what.replace("s =", f"s{unit(j)} =")))
                # the carry s_{t-1} → mix, and z, n → mix → s_t
                layout.edges.append(EdgeSpec(s_x + prev + NODE_W / 2, y, mx - 9, y, None, *t_mix))
                layout.edges.append(EdgeSpec(mx + 9, y, s_x - NODE_W / 2, y, None, t_s - 0.04, t_s))
                if j == 0:
                    layout.edges.append(
                        EdgeSpec(gx["n"] + GATE_W / 2, y_gate, mx - 4, y - 8, None, *t_mix)
                    )
                    # z's route over the gates, travelled by one dot, leg after leg
                    a, b = t_mix
                    up, over, down = (
                        (a, a + 0.15 * (b - a)),
                        (a + 0.15 * (b - a), b - 0.25 * (b - a)),
                        (b - 0.25 * (b - a), b),
                    )
                    zy = gate_top - 34
                    layout.edges.append(EdgeSpec(gx["z"], gate_top, gx["z"], zy, None, *up))
                    layout.edges.append(EdgeSpec(gx["z"], zy, mx, zy, None, *over))
                    layout.edges.append(EdgeSpec(mx, zy, mx, y - 9, None, *down))
            layout.ops.append(OpSpec(c_x, y_s[-1] + 21, "label:(1−z)·n + z·s", mix_what))
            # r gates the state part of n: a route over z, lower than z's own
            a, b = t_gate[1] - 0.06, t_gate[1] + 0.02
            ry, rx, nx = gate_top - 20, gx["r"] + GATE_W / 4 - 3, gx["n"] - GATE_W / 4
            third = (b - a) / 3
            layout.edges.append(EdgeSpec(rx, gate_top, rx, ry, None, a, a + third))
            layout.edges.append(EdgeSpec(rx, ry, nx, ry, None, a + third, b - third))
            layout.edges.append(EdgeSpec(nx, ry, nx, gate_top, None, b - third, b))
        del gate_bottom

    # -- readout: ŷ and the error above --------------------------------------------------
    for m, x in enumerate(out_x):
        layout.nodes.append(NodeSpec("yhat", m, x, y_out, appear=t_yhat))
        layout.nodes.append(NodeSpec("err", m, x, y_err, appear=t_err))
        layout.edges.append(
            EdgeSpec(x, y_out - NODE_H / 2, x, y_err + NODE_H / 2, None, t_yhat, t_err)
        )
        if readout == "identity":
            layout.edges.append(
                EdgeSpec(s_x, y_s[m] - NODE_H / 2, x, y_out + NODE_H / 2, None, *t_out)
            )
        else:
            for j, s_y in enumerate(y_s):
                layout.edges.append(
                    EdgeSpec(
                        s_x + (j - (h - 1) / 2) * 8,
                        s_y - NODE_H / 2,
                        x + (j - (h - 1) / 2) * 6,
                        y_out + NODE_H / 2,
                        ("V", (m, j)),
                        *t_out,
                        what=f"s{unit(j)} → ŷ ({target_names[m]})",
                    )
                )
            layout.badges.append(
                BadgeSpec(
                    x - NODE_W / 2 - 9,
                    y_out + NODE_H / 2 + 3,
                    ("c", (m,)),
                    f"bias c of ŷ ({target_names[m]})",
                )
            )
    return layout


def node_value(tr: Trace, node: NodeSpec, t: int) -> float:
    """The value a node of column t shows, read from a trace."""
    kind, i = node.kind, node.index
    if kind == "x":
        return float(tr.inputs[t - 1, i])
    if kind == "s":
        return float(tr.states[t, i])
    if kind == "s0":
        return float(tr.states[0, i])
    if kind == "c":
        return float(tr.cells[t, i])
    if kind == "c0":
        return float(tr.cells[0, i])
    if kind == "yhat":
        return float(tr.outputs[t - 1, i])
    if kind == "err":
        return float(tr.errors[t - 1, i])
    return float(tr.gates[node.gate][t - 1, i])


# -- colours --------------------------------------------------------------------------
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


def _same_targets(old: Trace | None, new: Trace) -> bool:
    """Whether two traces have the same targets and target mask (what labels show)."""
    return (
        old is not None
        and old.targets.shape == new.targets.shape
        and np.array_equal(old.mask, new.mask)
        and np.array_equal(old.targets, new.targets, equal_nan=True)
    )


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


# -- the painted network ---------------------------------------------------------------
class UnfoldedItem(QGraphicsItem):
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

    # -- data -------------------------------------------------------------------------
    def set_trace(self, trace: Trace, input_names, target_names) -> None:
        """Show a new trace of the same shape, repainting only the columns that change."""
        old = self.trace
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
        keys = {e.key for e in self.layout.edges if e.key} | {b.key for b in self.layout.badges}
        values = {key: float(trace.params[key[0]][key[1]]) for key in keys}
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

    def _look(self, trace: Trace | None, t: int) -> list:
        """What the nodes of computed column t ≥ 1 show of ``trace``'s values: the text
        (4 digits) and fill of each node, a gate's exact value (its bar's length)."""
        out: list = []
        if trace is None:
            return out
        for node in self.layout.nodes:
            value = node_value(trace, node, t)
            if node.kind == "gate":
                out.append(value if math.isfinite(value) else repr(value))
            elif math.isfinite(value):
                out.append((compact(value), value >= 0, int(min(1.0, abs(value)) * 20)))
            else:
                out.append(repr(value))
        return out

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

    def shown(self, t: int) -> float:
        """How far step t is computed on screen: 1 done, 0 not yet, between while animating."""
        if t == self.anim_step:
            return self.progress
        return 1.0 if t <= self.step else 0.0

    # -- values -----------------------------------------------------------------------
    def value(self, node: NodeSpec, t: int) -> float:
        assert self.trace is not None
        return node_value(self.trace, node, t)

    def text(self, node: NodeSpec, t: int) -> str:
        key = (t, node.kind + node.gate, node.index)
        text = self._texts.get(key)
        if text is None:
            value = self.value(node, t)
            if node.kind == "err" and math.isnan(value) and self.trace is not None:
                text = "—" if not self.trace.mask[t - 1, node.index] else "NaN"
            else:
                text = compact(value)
            self._texts[key] = text
        return text

    def label(self, node: NodeSpec, t: int) -> str:
        unit = f"[{node.index + 1}]" if self.layout.h > 1 else ""
        kind = node.kind
        if kind == "x":
            return self.input_names[node.index]
        if kind in ("s", "s0"):
            return f"s{sub(t)}{unit}"
        if kind in ("c", "c0"):
            return f"c{sub(t)}{unit}"
        name = self.target_names[node.index] if self.layout.k > 1 else ""
        if kind == "yhat":
            return f"ŷ{sub(t)}" + (f" {name}" if name else "")
        if kind == "err":
            if self.trace is not None and self.trace.mask[t - 1, node.index]:
                y = compact(self.trace.targets[t - 1, node.index], 9)
                return f"error\ny = {y}" if not name else f"error\n{name} = {y}"
            return "no target:\nno error" if not name else f"no {name}:\nno error"
        return ""

    # -- painting ---------------------------------------------------------------------
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
        for t, shapes in zip(range(n0, n1 + 1), inside, strict=True):
            if shapes:
                self._paint_nodes(painter, t, detail)
            elif detail:
                self._queue_labels(t, exposed)
        self._write_texts(painter)

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
        template = self._template_for(painter, lod) if lod <= CACHE_MAX_LOD else None
        for t in range(t0, t1 + 1):
            if template is None:
                self._draw_static(painter, t * lay.width, lod)
            else:
                self._blit(painter, template, t * lay.width)
        self._font_id = 0

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

    def _paint_column_back(self, painter: QPainter, t: int, detail: bool) -> None:
        lay, col = self.layout, self.colors
        dx = t * lay.width
        current = self.anim_step if self.anim_step >= 0 else self.step
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
            painter.setFont(self.head_font)
            painter.setPen(col.accent if t == current else col.dim)
            painter.drawText(
                QRectF(at.x() - 30, at.y() + 1, 60, 16), Qt.AlignmentFlag.AlignCenter, str(t)
            )
            painter.restore()
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

    def _source(self, edge: EdgeSpec, t: int) -> float:
        """The value an edge carries into step t: an input, the previous state or s_t."""
        tr = self.trace
        assert tr is not None and edge.key is not None
        name, index = edge.key
        if name == "V":
            return float(tr.states[t, index[1]])
        column = index[1]
        if column < self.layout.d:
            return float(tr.inputs[t - 1, column])
        return float(tr.states[t - 1, column - self.layout.d])

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
            visible = t == 0 or node.kind == "x" or shown >= node.appear
            if not visible:
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
                self._labels_to_write += self._label_lines(node, rect, t)

    def _shape_context(self, painter: QPainter) -> tuple[QTransform, float, float] | None:
        """What ``_draw_shape`` needs of the painter (its transform, zoom and device pixel
        ratio), taken once per paint; None where shapes are drawn directly."""
        wt = painter.worldTransform()
        lod = wt.m11()
        if (
            wt.type().value > QTransform.TransformationType.TxScale.value
            or not 0 < lod <= SHAPE_CACHE_MAX_LOD
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

    def _queue_labels(self, t: int, exposed: QRectF) -> None:
        """The labels of column t that reach into ``exposed`` (not its shapes, which
        stay inside the column)."""
        dx = t * self.layout.width
        queue = self._labels_to_write
        for node in self.layout.initial if t == 0 else self.layout.nodes:
            if node.kind != "gate":
                for placed in self._label_lines(node, node.rect(dx), t):
                    if placed[0].intersects(exposed):
                        queue.append(placed)

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

    def _label_lines(self, node: NodeSpec, rect: QRectF, t: int) -> list[Placed]:
        """Where a node's label lines go (cached like the values' texts).

        Labels sit where no edge runs: x below, ŷ and error to the right, states
        above-left; they are written in the dim colour, with the label font.
        """
        key = (t, node.kind + node.gate, node.index)
        placed = self._label_cache.get(key)
        if placed is not None:
            return placed
        lines = self.label(node, t).split("\n")
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
        placed = [
            self._place(QPointF(at.x(), y0 + i * step), line, font, align, halo)
            for i, line in enumerate(lines)
        ]
        if len(self._label_cache) > 20000:
            self._label_cache.clear()
        self._label_cache[key] = placed
        return placed

    def _sum_text(self, node: NodeSpec, t: int) -> str:
        tr = self.trace
        if tr is None or "z" not in tr.pre:
            return ""
        return "Σ " + fmt(tr.pre["z"][t - 1, node.index], 3)

    def _paint_gate(
        self, painter: QPainter, node: NodeSpec, t: int, dx: float, shown: float, detail: bool
    ) -> None:
        """One unit's gate value as a horizontal bar: 0…1, or −1…1 from the middle (tanh)."""
        col = self.colors
        rect = node.rect(dx)
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

    # -- hover: a shared weight lights up in every step -----------------------------------
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
                    return None, self._node_tip(node, tt)
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
            where += f"  (row {index[0] + 1}, column {col_names[index[1]]})"
        sign = "zero: it adds nothing" if value == 0 else "positive" if value > 0 else "negative"
        return (
            f"<b>{where} = {fmt(value, 4)}</b> ({sign})<br>{what}<br>"
            "The same weight in every timestep: its copies are highlighted."
        )

    def _node_tip(self, node: NodeSpec, t: int) -> str:
        if node.kind == "gate":
            name = GATE_TITLES[node.gate]
            unit = f"[{node.index + 1}]" if self.layout.h > 1 else ""
            label = f"{node.gate}{sub(t)}{unit} ({name})"
        else:
            label = self.label(node, t)
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


# -- the view ----------------------------------------------------------------------------
class DiagramView(QGraphicsView):
    """The unfolded network; zoom with the wheel, pan by dragging, ``fit_all`` to see it all."""

    animationFinished = Signal()
    hoveredWeightChanged = Signal(object)  # ParamKey or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagramView")
        self.setAccessibleName("Unfolded network diagram")
        self.setToolTip(
            "The network unfolded over time. Wheel: zoom; drag: pan; hover an edge to see its "
            "weight and every copy of it"
        )
        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        # the static layer (edges, boxes) is the background, kept in a pixmap by Qt
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # drawBackground fills every pixel: no need for Qt to clear the viewport first
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.viewport().setAutoFillBackground(False)
        self.setMouseTracking(True)
        self._item: UnfoldedItem | None = None
        self._structure: tuple | None = None
        self._doc: Document | None = None
        self._trace: Trace | None = None
        self._step = 0
        self._duration = 900
        self._auto_fit = True
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.Linear)
        self._anim.valueChanged.connect(self._on_progress)
        self._anim.finished.connect(self._on_finished)
        self._apply_palette()

    # -- the agreed view API ------------------------------------------------------------
    def show_document(self, doc: Document, trace: Trace) -> None:
        # the column names are in the layout's tooltips: a rename rebuilds too (rarely)
        structure = (doc.spec, doc.T, doc.input_names, doc.target_names)
        self._doc, self._trace = doc, trace
        if structure != self._structure or self._item is None:
            self._rebuild(doc)
            self._structure = structure
        assert self._item is not None
        self._step = min(self._step, trace.T)
        self._item.step = self._step
        self._item.set_trace(trace, doc.input_names, doc.target_names)

    def set_step(self, t: int, animate: bool = False) -> None:
        if self._item is None:
            self._step = t
            return
        item = self._item
        t = max(0, min(int(t), item.T))
        before = item.anim_step if item.anim_step >= 0 else item.step
        self.stop_animation()
        self._step = t
        item.step = t
        if animate and t >= 1 and self._duration > 0:
            item.step = t - 1
            item.anim_step = t
            item.progress = 0.0
            self._anim.setDuration(self._duration)
            self._anim.start()
        else:
            item.anim_step = -1
        # only the columns whose look changes are repainted, not the whole view
        if item.anim_step >= 0 or self._overview():
            item.update(self._columns_region(min(before, t) - 1, max(before, t)))
        else:  # without moving dots a step changes nodes and bands inside their columns
            lo, hi = max(0, min(before, t)), min(max(before, t), item.T)
            item.update(item.span(lo, hi).adjusted(-4, 0, 4, 0))
        self._keep_in_view(t)
        if animate and item.anim_step < 0:
            self.animationFinished.emit()

    def _overview(self) -> bool:
        """Zoomed so far out that columns are drawn as the overview (a path over all t)."""
        item = self._item
        return item is not None and item.layout.width * self.transform().m11() < OVERVIEW_COLUMN_PX

    def _columns_region(self, first: int, last: int) -> QRectF:
        """Columns first..last in scene coordinates, with room for labels that stick out."""
        item = self._item
        assert item is not None
        first, last = max(0, first), max(0, min(last, item.T))
        return item.column_rect(first).united(item.column_rect(last)).adjusted(-140, 0, 140, 0)

    def set_animation_duration(self, ms: int) -> None:
        self._duration = max(0, int(ms))

    def animation_duration(self) -> int:
        return self._duration

    def is_animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def stop_animation(self) -> None:
        """Stop a running animation and show its step complete (no signal)."""
        if self._anim.state() != QVariantAnimation.State.Stopped:
            self._anim.blockSignals(True)
            self._anim.stop()
            self._anim.blockSignals(False)
        item = self._item
        if item is not None and item.anim_step >= 0:
            region = self._columns_region(item.anim_step - 1, item.anim_step)
            item.anim_step = -1
            item.step = self._step
            item.update(region)

    #: what ``fit_all`` does, for the Zoom to fit action's tooltip
    FIT_TIP = (
        "Show every step of the sequence; a sequence too long to show readably "
        "(a column narrower than ~30 px) is fitted to its height around the current step"
    )

    def fit_all(self) -> None:
        """Show every step (``FIT_TIP``): the whole unfolded network while a column
        keeps ``MIN_FIT_COLUMN_PX`` on screen (nodes still read as shapes, their colours
        as values), else fit its height and keep the current step in the middle."""
        rect = self._scene.sceneRect()
        port = self.viewport().rect()
        whole = min(port.width() / rect.width(), port.height() / rect.height())
        item = self._item
        if item is None or item.layout.width * whole >= MIN_FIT_COLUMN_PX:
            self.resetTransform()
            self.scale(whole, whole)
            self.centerOn(rect.center())
        else:
            scale = min(1.0, port.height() / rect.height())
            self.resetTransform()
            self.scale(scale, scale)
            self.centerOn(item.column_rect(self._step).center())
        self._auto_fit = False

    def reset_zoom(self) -> None:
        """The zoom the diagram opens at: the whole sequence if that is readable, else a
        readable zoom (values ~11 px high) with the whole cell's height, the current
        step in view."""
        self._default_view(force=True)
        self._auto_fit = False

    def zoom_in(self) -> None:
        """Zoom in by a step (Ctrl++), about the view's centre."""
        self._zoom_by(1.25)

    def zoom_out(self) -> None:
        """Zoom out by a step (Ctrl+-), not beyond what ``fit_all`` would show."""
        self._zoom_by(1 / 1.25)

    def _zoom_limits(self) -> tuple[float, float]:
        rect = self._scene.sceneRect()
        # zoom out until it all fits, but not below a third of the view's height: beyond
        # that a long sequence is a hairline (the plot is its overview)
        smallest = min(0.5, self.viewport().width() / max(rect.width(), 1.0))
        smallest = max(smallest, min(0.5, self.viewport().height() / 3 / rect.height()))
        return smallest, 4.0

    def _zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor)
        self._auto_fit = False

    # -- for tests and tools ------------------------------------------------------------
    def step(self) -> int:
        return self._step

    def item(self) -> UnfoldedItem | None:
        return self._item

    def hovered_weight(self) -> ParamKey | None:
        return None if self._item is None else self._item.hover_key

    def _find(self, kind: str, index: int, t: int, gate: str = "") -> NodeSpec:
        item = self._item
        assert item is not None
        nodes = item.layout.initial if t == 0 else item.layout.nodes
        for node in nodes:
            if node.kind in (kind, kind + "0") and node.index == index and node.gate == gate:
                return node
        raise KeyError(f"no node {kind}{gate}[{index}] at step {t}")

    def node_text(self, kind: str, index: int, t: int, gate: str = "") -> str:
        """What the node shows at step t ("" while it is not computed)."""
        item = self._item
        assert item is not None
        node = self._find(kind, index, t, gate)
        ready = node.fill[1] if kind == "gate" else node.appear
        shown = t == 0 or node.kind == "x" or item.shown(t) >= ready
        return item.text(node, t) if shown else ""

    def node_scene_rect(self, kind: str, index: int, t: int, gate: str = "") -> QRectF:
        item = self._item
        assert item is not None
        return self._find(kind, index, t, gate).rect(t * item.layout.width)

    def weight_segments(self, key: ParamKey) -> list[tuple[int, QLineF]]:
        """Every drawn copy of a weight's edge, per step, in scene coordinates."""
        item = self._item
        assert item is not None
        out = []
        for t in range(1, item.T + 1):
            dx = t * item.layout.width
            out += [(t, e.line(dx)) for e in item.layout.edges if e.key == key]
        return out

    def edge_pen(self, key: ParamKey) -> QPen:
        assert self._item is not None
        return QPen(self._item.pen_for(key))

    # -- internals ----------------------------------------------------------------------
    def _rebuild(self, doc: Document) -> None:
        self.stop_animation()
        if self._item is not None:
            self._scene.removeItem(self._item)
            self._item = None
        layout = build_layout(
            doc.cell,
            doc.d,
            doc.hidden_size,
            doc.k,
            doc.readout,
            doc.activation,
            doc.input_names,
            doc.target_names,
        )
        item = UnfoldedItem(layout, self)
        item.T = doc.T
        self._scene.addItem(item)
        self._item = item
        self._scene.setSceneRect(item.boundingRect().adjusted(-20, -10, 20, 10))
        self.resetCachedContent()
        self._auto_fit = True
        self._default_view()

    def _default_view(self, force: bool = False) -> None:
        """Small sequences fit the window when that leaves the values readable; else a
        readable zoom showing the whole cell's height (a column's width at most), the
        current step in view: an LSTM's gate values ~11 px high, not 7."""
        item = self._item
        if item is None or self.viewport().width() < 10:
            return
        rect = self._scene.sceneRect()
        sx = self.viewport().width() / rect.width()
        sy = self.viewport().height() / rect.height()
        scale = min(sx, sy)
        self.resetTransform()
        if scale < READABLE_SCALE and not self.horizontalScrollBar().isVisible():
            bar = self.horizontalScrollBar().sizeHint().height()  # room for it: it will show
            sy = (self.viewport().height() - bar) / rect.height()
        if scale >= READABLE_SCALE:
            scale = min(scale, 1.25)
            self.scale(scale, scale)
            self.centerOn(rect.center())
        else:  # too long to fit readably: a readable zoom, the current step in view
            column = self.viewport().width() / (item.layout.width + 40)
            readable = max(0.8, min(1.0, sy, column))
            self.scale(readable, readable)
            self.centerOn(QPointF(rect.left(), rect.center().y()))
            self._keep_in_view(self._step)

    def _keep_in_view(self, t: int) -> None:
        if self._item is None:
            return
        rect = self._item.column_rect(t)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if visible.contains(rect):
            return
        if rect.width() < visible.width() * 0.6 and visible.height() >= rect.height() * 0.5:
            # step ahead by a good stretch: scroll so t sits a third in from the left, so
            # playing scrolls every few steps instead of nudging (and redrawing) every step
            x = rect.left() + visible.width() / 2 - visible.width() / 3
            self.centerOn(QPointF(x, visible.center().y()))
            self.ensureVisible(rect, 30, 10)
        else:
            self.ensureVisible(rect, 30, 10)

    def _on_progress(self, value) -> None:
        item = self._item
        if item is None or item.anim_step < 0:
            return
        item.progress = float(value)
        item.update(self._columns_region(item.anim_step - 1, item.anim_step))

    def _on_finished(self) -> None:
        item = self._item
        if item is not None:
            region = self._columns_region(item.anim_step - 1, item.anim_step)
            item.anim_step = -1
            item.step = self._step
            item.update(region)
        self.animationFinished.emit()

    def _apply_palette(self) -> None:
        pal = self.palette()
        self.setBackgroundBrush(QBrush(pal.color(QPalette.ColorRole.Base)))
        if self._item is not None:
            self._item.set_colors(Colors.from_palette(pal))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "_anim"):
            self._apply_palette()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._auto_fit:
            self._default_view()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        painter.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        if self._item is not None:
            painter.save()
            self._item.paint_static(painter, rect, self.transform().m11())
            painter.restore()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta().y()
        if delta == 0:
            return
        factor = 1.0015**delta
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        self.scale(factor, factor)
        self._auto_fit = False
        event.accept()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._auto_fit = False
        super().mousePressEvent(event)
