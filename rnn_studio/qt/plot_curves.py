"""The live plot's items for one structure: a solid, a faint and a dot curve per series,
the targets' crosses (or lines) and the legend, made once and then only fed data.

A mixin of StatePlot (qt/plot.py); its ``_build`` runs when the cell, the sizes, T or
the series chosen change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtGui import QColor, QPalette

import pyqtgraph as pg  # isort: skip

from .plain import plain_html
from .plot_parts import (
    ERROR_COLOR,
    GATE_LABELS,
    SERIES_CELL,
    SERIES_OUTPUT,
    SERIES_STATE,
    faint_color,
    nice_step,
    target_label,
)

# Okabe–Ito: distinguishable for colour-blind readers, legible on light and dark.
# The error segments are vermillion; the series avoid it and its neighbour orange, so that
# an error bar is not mistaken for a second output's curve (orange comes fifth).
SERIES_COLORS = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#F0E442")
#: the targets' crosses: one symbol per target column, in the text colour (never a series')
TARGET_SYMBOLS = ("x", "+", "star", "t1", "d", "s")


#: above this many steps the curves are lines only (no symbols), which keeps drawing cheap
SYMBOLS_UP_TO = 100


class CurvesMixin:
    """StatePlot's series and the items that draw them (see the module)."""

    def _series_info(self) -> tuple[str, list[str], bool]:
        """(y-axis label, one name per curve, whether targets and errors are drawn)."""
        trace = self._trace
        assert trace is not None and self._doc is not None
        spec = trace.spec
        key = self._series
        targets = tuple(self._doc.target_names)
        units = [""] if spec.h == 1 else [f"[{j + 1}]" for j in range(spec.h)]
        if key == SERIES_OUTPUT:
            names = ["ŷ" if spec.k == 1 else f"ŷ ({n})" for n in targets]
            return ", ".join(targets), names, True
        if key == SERIES_STATE:
            return "state s, target " + ", ".join(targets), [f"s{u}" for u in units], True
        if key == SERIES_CELL:
            return "cell state c", [f"c{u}" for u in units], False
        gate = key.split(":", 1)[1]
        return f"{GATE_LABELS[gate]}", [f"{gate}{u}" for u in units], False

    def _build(self) -> None:
        """Create the curves of the current structure (once; afterwards only setData)."""
        trace, doc = self._trace, self._doc
        assert trace is not None and doc is not None
        item = self.getPlotItem()
        for curve in self._solid + self._faint + self._symbols + self._dots + self._targets:
            item.removeItem(curve)
        self.legend.clear()
        self._solid, self._faint, self._symbols, self._dots, self._targets = [], [], [], [], []
        self._range = None
        label, names, with_targets = self._series_info()
        if self._units_active():
            label += " (original units)"
        item.setLabel("left", label)
        T = trace.T
        symbols = T <= SYMBOLS_UP_TO
        major = nice_step(T)
        item.getAxis("bottom").setTickSpacing(major, major / 5 if major >= 5 else major)
        base = self.palette().color(QPalette.ColorRole.Base)
        for j, name in enumerate(names):
            color = QColor(SERIES_COLORS[j % len(SERIES_COLORS)])
            dim = faint_color(color, base)
            # dashed wide pens are slow over thousands of points: long series get thin
            # solid ones (pyqtgraph's own advice)
            faint_pen = (
                pg.mkPen(dim, width=1.5, style=Qt.PenStyle.DashLine)
                if symbols
                else pg.mkPen(dim, width=1)
            )
            faint = pg.PlotCurveItem(pen=faint_pen, connect="finite", name=f"{name} (all steps)")
            solid = pg.PlotCurveItem(
                pen=pg.mkPen(color, width=2 if symbols else 1),
                connect="finite",
                name=f"{name} (computed)",
            )
            item.addItem(faint)
            item.addItem(solid)
            self._faint.append(faint)
            self._solid.append(solid)
            if symbols:
                points = pg.ScatterPlotItem(
                    symbol="o", size=6, pen=None, brush=pg.mkBrush(color), name=name
                )
                item.addItem(points)
                self._symbols.append(points)
            dot = pg.ScatterPlotItem(
                symbol="o",
                size=10,
                pen=pg.mkPen(base, width=1.5),
                brush=pg.mkBrush(color),
                name=f"{name} (current step)",
            )
            dot.setZValue(10)
            item.addItem(dot)
            self._dots.append(dot)
            self.legend.addItem(self._symbols[-1] if symbols else solid, plain_html(name))
        if with_targets:
            # targets in the text colour, never a series' colour: one symbol (or, for long
            # series, one line style) per target column; the error bars pair them with ŷ
            text = QColor(self.palette().color(QPalette.ColorRole.Text))
            styles = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)
            for j, name in enumerate(doc.target_names):
                color = QColor(text)
                if symbols:
                    target = pg.ScatterPlotItem(
                        symbol=TARGET_SYMBOLS[j % len(TARGET_SYMBOLS)],
                        size=10 if j == 0 else 11,
                        pen=pg.mkPen(color, width=2 if j == 0 else 1.5),
                        brush=pg.mkBrush(color) if j else None,
                        name=target_label(name),
                    )
                else:
                    color.setAlpha(170)
                    style = styles[j % len(styles)]
                    target = pg.PlotCurveItem(
                        pen=pg.mkPen(color, width=1, style=style),
                        connect="finite",
                        name=target_label(name),
                    )
                item.addItem(target)
                self._targets.append(target)
                self.legend.addItem(target, plain_html(target_label(name)))
            self.legend.addItem(self._errors, "error ŷ − y")
        width = 2.5 if symbols else 1
        self._errors.setPen(pg.mkPen(ERROR_COLOR, width=width) if with_targets else None)
        self._errors.setVisible(with_targets)
        self._structure = (trace.spec, trace.T, self._series, doc.target_names)
        self._legend_inside = None
        self._place_legend()
