"""The layout of one timestep's column, per cell: nodes, edges, badges, operators and the
animation's phases (fractions of a step), in column-local coordinates, built once per
structure."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QRectF

from ...explain import GATE_TITLES
from .colors import GATE_W, IN_GAP, NODE_H, NODE_W, ROW, ParamKey
from .timeline import T_ERR, TIMINGS


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


def out_gap(k: int) -> float:
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
        width = max(s_x + 96, d * 72 + 60, out_gap(k) * k + 60)  # (room for "y = 0.5")
        inputs_center = (first + last_gate) / 2
        box = QRectF(22, (y_c[0] if y_c else y_gate - gate_h / 2) - 44, s_x - 22 + 44, 0)
        box.setBottom(y_s[-1] + 28)
    else:
        width = max(200.0, d * 72 + 56, out_gap(k) * k + 56)
        s_x = width / 2
        c_x = s_x
        inputs_center = s_x
        box = QRectF(s_x - 68, y_s[0] - 30, 136, (h - 1) * ROW + 60)
    out_x = _spread(s_x, k, out_gap(k))
    in_x = _spread(inputs_center, d, IN_GAP)

    layout = Layout(cell, d, h, k, width, y_err - 50, y_in + 44, box)
    layout.state_x = s_x
    layout.state_ys = y_s
    layout.center = (box.left() + box.right()) / 2 if gated else s_x
    layout.title = {"lstm": "LSTM cell", "gru": "GRU cell"}.get(cell, activation)
    layout.col_names = names_x + [f"s{j + 1}" for j in range(h)]

    def unit(j: int) -> str:
        return f"[{j + 1}]" if h > 1 else ""

    # -- timings of the step's phases (fractions of the animation) -----------------------
    t_in, t_gate, t_c, t_s, t_out = TIMINGS[cell]
    t_yhat, t_err = t_out[1], T_ERR

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
