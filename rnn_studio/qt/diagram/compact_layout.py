"""The compact vector view's column: one node per vector, each weight matrix a small heat
map on its edge (issue 11, item 14: h = 8 drawn per unit is a hairball of edges).

The column is a ``Layout`` like the per-unit one, so the item's timeline, values,
gradients, caches, zoom and fit code read it unchanged: each vector's cells are its
``nodes`` (one ``NodeSpec`` per unit, kind ``s``/``c``/``x``/``gate``…, sized as a cell of
the vector's strip), the connections between vectors are ``edges`` without a weight key
(the moving dots travel along them), and on top of that ``CompactLayout`` lists the
vectors (``VectorSpec``) and the matrices (``MatrixSpec``) drawn on the edges.

Orientation: the state, the cell state and the gates are column vectors (h cells one
above the other); x_t, ŷ_t and the error are rows (d or k cells side by side), columns
again when there are more than three outputs. A matrix is drawn rows × columns, the
same way round as in W·v.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF

from ...explain import GATE_TITLES
from .layout import EdgeSpec, Layout, NodeSpec, OpSpec
from .timeline import T_ERR, TIMINGS

CELL_W, CELL_H = 58.0, 18.0  # a vector's cell: room for "-0.1234" at the value font
GAP = 22.0  # between a vector and the matrix on its edge


@dataclass
class VectorSpec:
    """A vector node: a strip of cells (``cells``, in order), its name and where."""

    kind: str  # x, s, c, yhat, err, gate, s0, c0
    name: str  # s, c, x, ŷ, error, or the gate's letter
    rect: QRectF  # local
    vertical: bool
    cells: list[NodeSpec]
    gate: str = ""


@dataclass
class MatrixSpec:
    """A parameter (or a block of its columns) drawn as a heat map: entry (r, c) of the
    picture is ``param[r, col0 + c]`` (a bias: ``param[r]`` or, as a row, ``param[c]``)."""

    param: str  # the document's name: W, W_i, V, b, b_i, c …
    title: str  # what the diagram writes: W_s, W_x, W_i, V, b …
    rows: int
    cols: int
    rect: QRectF  # local; a cell is rect.width() / cols wide
    what: str  # "recurrent weights"
    col0: int = 0
    vector: bool = False  # a bias: one index
    label_side: str = "top"  # where its title goes: top, left or bottom

    def key(self, r: int, c: int) -> tuple[str, tuple[int, ...]]:
        if self.vector:
            return (self.param, (c if self.rows == 1 else r,))
        return (self.param, (r, self.col0 + c))

    def cell_rect(self, r: int, c: int, dx: float = 0.0) -> QRectF:
        w = self.rect.width() / self.cols
        h = self.rect.height() / self.rows
        return QRectF(self.rect.left() + dx + c * w, self.rect.top() + r * h, w, h)

    def tip(self) -> str:
        shape = f"{self.rows} × {self.cols}" if not self.vector else str(self.rows * self.cols)
        return f"{self.title} ({shape}): {self.what}"


@dataclass
class CompactLayout(Layout):
    vectors: list[VectorSpec] = field(default_factory=list)
    initial_vectors: list[VectorSpec] = field(default_factory=list)  # s₀ (c₀), column 0
    matrices: list[MatrixSpec] = field(default_factory=list)
    #: where the backward signal runs back along the state (and cell) line: (y, x right
    #: end in this column, x left end in the previous column's frame, i.e. negative)
    signal_lines: list[tuple[str, float, float, float]] = field(default_factory=list)
    readout_path: list[tuple[float, float]] = field(default_factory=list)  # ŷ down to s


def matrix_cell(n: int) -> float:
    """A heat map's cell size for a matrix with ``n`` columns (or rows)."""
    return 10.0 if n <= 8 else 8.0 if n <= 12 else 6.0 if n <= 16 else 5.0


class _Builder:
    def __init__(self, lay: CompactLayout) -> None:
        self.lay = lay

    def vector(
        self, kind, name, cx, cy, n, vertical, appear, gate="", fill=(0.0, 0.0), initial=False
    ) -> VectorSpec:
        w, h = (CELL_W, n * CELL_H) if vertical else (n * CELL_W, CELL_H)
        rect = QRectF(cx - w / 2, cy - h / 2, w, h)
        cells = []
        for j in range(n):
            x = cx if vertical else rect.left() + (j + 0.5) * CELL_W
            y = rect.top() + (j + 0.5) * CELL_H if vertical else cy
            cells.append(NodeSpec(kind, j, x, y, appear, gate, fill, CELL_W, CELL_H))
        spec = VectorSpec(kind, name, rect, vertical, cells, gate)
        if initial:
            self.lay.initial += cells
            self.lay.initial_vectors.append(spec)
        else:
            self.lay.nodes += cells
            self.lay.vectors.append(spec)
        return spec

    def matrix(self, param, title, rows, cols, cx, cy, cell, what, **kw) -> MatrixSpec:
        rect = QRectF(cx - cols * cell / 2, cy - rows * cell / 2, cols * cell, rows * cell)
        spec = MatrixSpec(param, title, rows, cols, rect, what, **kw)
        self.lay.matrices.append(spec)
        return spec

    def block(self, param, title, rows, cols, rect, what, **kw) -> MatrixSpec:
        """A matrix drawn in ``rect`` (its cells as tall as the vector's beside it)."""
        spec = MatrixSpec(param, title, rows, cols, rect, what, **kw)
        self.lay.matrices.append(spec)
        return spec

    def edge(self, x1, y1, x2, y2, start, end) -> None:
        self.lay.edges.append(EdgeSpec(x1, y1, x2, y2, None, start, end))

    def route(self, points, start, end) -> None:
        """A polyline travelled by one dot, leg after leg (time shared by length)."""
        legs = list(zip(points[:-1], points[1:], strict=True))
        lengths = [abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in legs]
        total = sum(lengths) or 1.0
        t = start
        for (a, b), length in zip(legs, lengths, strict=True):
            t2 = t + (end - start) * length / total
            self.edge(a[0], a[1], b[0], b[1], t, t2)
            t = t2


def build_compact_layout(
    cell: str, d: int, h: int, k: int, readout: str, activation: str, input_names, target_names
) -> CompactLayout:
    """One column of the compact view (column-local coordinates, y grows downwards)."""
    gated = cell in ("lstm", "gru")
    mc = matrix_cell(h)
    hs = h * CELL_H
    t_in, t_gate, t_c, t_s, t_out = TIMINGS[cell]
    t_yhat = t_out[1]
    linear = readout == "linear"
    out_vertical = k > 3
    y_err, y_out = 0.0, 46.0
    if out_vertical:
        y_out = k * CELL_H + 28 + k * CELL_H / 2
        y_err = k * CELL_H / 2
    out_bottom = y_out + (k * CELL_H / 2 if out_vertical else CELL_H / 2)
    v_top = out_bottom + 18
    v_bottom = v_top + k * mc if linear else out_bottom + 8
    lay = CompactLayout(cell, d, h, k, 0.0, y_err - 50, 0.0, QRectF())
    lay.col_names = [str(n) for n in input_names] + [f"s{j + 1}" for j in range(h)]
    lay.title = {"lstm": "LSTM cell", "gru": "GRU cell"}.get(cell, activation)
    b = _Builder(lay)

    if not gated:
        # s_{t-1} → [W_s | W_x | b] → s_t: row j of each block makes unit j of s_t, so
        # the blocks stand beside s_t, row against row; x_t comes up into W_x (the cell's
        # box, its title above the blocks' titles, starts below V)
        s_top = v_bottom + GAP + 20
        y_s = s_top + hs / 2
        ws_left = 16.0
        wx_left = ws_left + h * mc + 8
        b_left = wx_left + d * mc + 8
        sx = b_left + mc + 5 + CELL_W / 2
        width = max(190.0, sx + CELL_W / 2 + 34)
        b.block("W", "W_s", h, h, QRectF(ws_left, s_top, h * mc, hs), "recurrent weights", col0=d)
        b.block("W", "W_x", h, d, QRectF(wx_left, s_top, d * mc, hs), "input weights")
        b.block(
            "b", "b", h, 1, QRectF(b_left, s_top, mc, hs), "bias, added inside the sum", vector=True
        )
        s = b.vector("s", "s", sx, y_s, h, True, t_s)
        b.vector("s0", "s", sx, y_s, h, True, 0.0, initial=True)
        y_in = s_top + hs + 36 + CELL_H / 2
        wx_c = wx_left + d * mc / 2
        xc = max(wx_c, d * CELL_W / 2 + 8)
        x = b.vector("x", "x", xc, y_in, d, False, 0.0)
        b.route([(sx - width + CELL_W / 2, y_s), (ws_left, y_s)], *t_in)
        b.route(
            [
                (xc, x.rect.top()),
                (xc, s_top + hs + 22),
                (wx_c, s_top + hs + 22),
                (wx_c, s_top + hs),
            ],
            *t_in,
        )
        lay.cell_box = QRectF(ws_left - 10, s_top - 38, sx + CELL_W / 2 + 10 - ws_left + 10, 0)
        lay.cell_box.setBottom(s_top + hs + 10)
        lay.signal_lines.append(("s", s_top + hs + 10, sx - CELL_W / 2, sx - width + CELL_W / 2))
        bottom = y_in + CELL_H / 2 + 28
    else:
        gates = ("i", "f", "g", "o") if cell == "lstm" else ("r", "z", "n")
        gmc = matrix_cell(d + h)
        heat_w = (d + h) * gmc
        slot = max(CELL_W + mc + 6 + (mc + 3 if cell == "gru" else 0), heat_w) + 20
        if cell == "lstm":
            c_top = v_bottom + GAP + 4
            y_c = c_top + hs / 2
            # the gates start below the c line: c_t (right of them) reaches down beside
            y_ig = y_c + 32  # the i·g product, between the c line and the gates
            g_top = y_c + 62
        else:
            y_c = 0.0
            carry_y = v_bottom + GAP + 10
            g_top = carry_y + 44
        y_g = g_top + hs / 2
        g_bottom = g_top + hs
        heat_top = g_bottom + GAP + 16  # room for the backward signal above the titles
        heat_bottom = heat_top + h * gmc
        y_bus = heat_bottom + 16
        y_in = y_bus + 30 + CELL_H / 2
        x0 = 18.0 + 2 * mc + 8
        gx = {g: x0 + slot / 2 + i * slot for i, g in enumerate(gates)}
        last = gx[gates[-1]] + CELL_W / 2
        ox = last + 28  # ×o (LSTM) or the mix (GRU), between the last gate and s
        sx = ox + 36 + CELL_W / 2
        width = sx + CELL_W / 2 + 30
        inputs = lay.col_names[0] if d == 1 else f"{lay.col_names[0]}…{lay.col_names[d - 1]}"
        for g in gates:
            fill = t_gate if g != "n" else (t_gate[1] - 0.04, t_c - 0.02)
            b.vector("gate", g, gx[g], y_g, h, True, fill[0], gate=g, fill=fill)
            # its bias beside it, row against row (b_nh too, for the GRU's candidate)
            left = gx[g] - CELL_W / 2 - 5 - mc
            what = f"bias of the {GATE_TITLES[g]}"
            rect = QRectF(left, g_top, mc, hs)
            b.block(f"b_{g}", "b", h, 1, rect, what, vector=True, label_side="bottom")
            if g == "n":
                what = "bias of n's state part, added inside r ⊙ (…)"
                rect = QRectF(left - mc - 3, g_top, mc, hs)
                b.block("b_nh", "bₕ", h, 1, rect, what, vector=True, label_side="bottom")
            b.matrix(
                f"W_{g}",
                f"W_{g}",
                h,
                d + h,
                gx[g],
                (heat_top + heat_bottom) / 2,
                gmc,
                f"weights of the {GATE_TITLES[g]}: columns {inputs} (xₜ), then s1…s{h} (s₍ₜ₋₁₎)",
            )
            b.edge(gx[g], y_bus, gx[g], heat_bottom, 0.2, 0.27)
            b.route([(gx[g], heat_top), (gx[g], g_bottom)], 0.27, t_in[1])
        s = b.vector("s", "s", sx, y_g, h, True, t_s)
        b.vector("s0", "s", sx, y_g, h, True, 0.0, initial=True)
        # s_{t-1} leaves the previous column's s downwards, joins x_t on the bus
        prev_s = sx - width
        b.route([(prev_s, g_bottom), (prev_s, y_bus), (gx[gates[-1]], y_bus)], 0.0, 0.2)
        xc = (gx[gates[0]] + gx[gates[-1]]) / 2
        x = b.vector("x", "x", xc, y_in, d, False, 0.0)
        b.route([(xc, x.rect.top()), (xc, y_bus)], 0.0, 0.12)
        gate_top = g_top
        if cell == "lstm":
            c = b.vector("c", "c", ox, y_c, h, True, t_c)
            b.vector("c0", "c", ox, y_c, h, True, 0.0, initial=True)
            fx, px = gx["f"], gx["g"]
            a, z = t_c - 0.12, t_s - 0.01
            third = (z - a) / 3
            first, second, lastp = (a, a + third), (a + third, a + 2 * third), (z - third, z)
            lay.ops.append(
                OpSpec(
                    fx,
                    y_c,
                    "×",
                    "f ⊙ c₍ₜ₋₁₎: the forget gate keeps part of the old cell state, unit by unit",
                )
            )
            lay.ops.append(OpSpec(px, y_c, "+", "c = f ⊙ c₍ₜ₋₁₎ + i ⊙ g"))
            lay.ops.append(
                OpSpec(px, y_ig, "×", "i ⊙ g: the input gate lets in part of the candidate")
            )
            b.edge(ox - width + CELL_W / 2, y_c, fx - 9, y_c, *first)
            b.edge(fx + 9, y_c, px - 9, y_c, *second)
            b.edge(px + 9, y_c, ox - CELL_W / 2, y_c, *lastp)
            b.edge(fx, gate_top, fx, y_c + 9, *first)
            b.edge(px, gate_top, px, y_ig + 9, *first)
            b.edge(gx["i"], gate_top, px - 8, y_ig + 4, *first)
            b.edge(px, y_ig - 9, px, y_c + 9, *second)
            lay.ops.append(OpSpec(ox, y_g, "×", "s = o ⊙ tanh(c)"))
            t_o = (t_c, t_s - 0.03)
            b.edge(ox, c.rect.bottom(), ox, y_g - 9, *t_o)
            b.edge(gx["o"] + CELL_W / 2, y_g, ox - 9, y_g, *t_o)
            b.edge(ox + 9, y_g, sx - CELL_W / 2, y_g, t_s - 0.03, t_s)
            lay.ops.append(OpSpec(ox + 17, c.rect.bottom() + 14, "label:tanh"))
            box_top = c.rect.top() - 26
            lay.signal_lines.append(("c", y_c, ox - CELL_W / 2, ox - width + CELL_W / 2))
        else:
            a, z = t_c - 0.12, t_s - 0.01
            mix = (
                "s = (1 − z) ⊙ n + z ⊙ s₍ₜ₋₁₎: the update gate z mixes the candidate n "
                "with the previous state"
            )
            lay.ops.append(OpSpec(ox, y_g, "mix", mix))
            b.edge(gx["n"] + CELL_W / 2, y_g, ox - 9, y_g, a, z)
            b.edge(ox + 9, y_g, sx - CELL_W / 2, y_g, t_s - 0.04, t_s)
            zy, ry = gate_top - 28, gate_top - 14
            b.route([(gx["z"], gate_top), (gx["z"], zy), (ox - 5, zy), (ox - 5, y_g - 8)], a, z)
            start = prev_s + CELL_W / 2
            b.route(
                [
                    (start, y_g - hs / 2 + 6),
                    (start + 12, y_g - hs / 2 + 6),
                    (start + 12, carry_y),
                    (ox + 5, carry_y),
                    (ox + 5, y_g - 8),
                ],
                a,
                z,
            )
            ra, rz = t_gate[1] - 0.06, t_gate[1] + 0.02
            b.route(
                [(gx["r"], gate_top), (gx["r"], ry), (gx["n"] - 12, ry), (gx["n"] - 12, gate_top)],
                ra,
                rz,
            )
            box_top = carry_y - 24
        lay.cell_box = QRectF(x0 - 2 * mc - 14, box_top, 0, 0)
        lay.cell_box.setRight(sx + CELL_W / 2 + 12)
        lay.cell_box.setBottom(heat_bottom + 8)
        lay.signal_lines.insert(0, ("s", g_bottom + 10, sx - CELL_W / 2, prev_s + CELL_W / 2))
        bottom = y_in + CELL_H / 2 + 28

    # -- readout: V on the edge from s up to ŷ, the error above ---------------------------
    out = b.vector("yhat", "ŷ", sx, y_out, k, out_vertical, t_yhat)
    err = b.vector("err", "error", sx, y_err, k, out_vertical, T_ERR)
    s_top = s.rect.top()
    mid = (t_out[0] + t_out[1]) / 2
    if linear:
        b.matrix(
            "V", "V", k, h, sx, (v_top + v_bottom) / 2, mc, "readout weights", label_side="left"
        )
        rows, cols = (k, 1) if out_vertical else (1, k)
        b.matrix(
            "c",
            "c",
            rows,
            cols,
            out.rect.left() - 8 - cols * mc / 2,
            y_out,
            mc,
            "readout bias",
            vector=True,
            label_side="left",
        )
        b.route([(sx, s_top), (sx, v_bottom)], t_out[0], mid)
        b.route([(sx, v_top), (sx, out.rect.bottom())], mid, t_out[1])
    else:
        b.route([(sx, s_top), (sx, out.rect.bottom())], t_out[0], t_out[1])
    b.edge(sx, out.rect.top(), sx, err.rect.bottom(), t_yhat, T_ERR)
    lay.readout_path = [(sx, out.rect.bottom()), (sx, s_top)]
    lay.width = width
    lay.state_x = sx
    lay.state_ys = [n.y for n in s.cells]
    lay.center = lay.cell_box.center().x()
    lay.top = err.rect.top() - 50
    lay.bottom = bottom
    return lay
