"""The live plot: states (or outputs, gates, the cell state) against the targets over t.

Curves are created once per structure (cell, sizes, chosen series) and then only fed
new arrays with ``setData``; stepping moves the split between the solid (computed)
and faint (not yet computed) curves and the marker, nothing else.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QGraphicsItem, QGraphicsView, QWidget

import pyqtgraph as pg  # isort: skip

from .. import scaling
from ..core import Trace
from ..document import Document
from .analysis import Change
from .plain import plain_html
from .plot_parts import (  # noqa: F401 - finite_or_nan, target_label: the plot's API
    ERROR_COLOR,
    GATE_LABELS,
    SERIES_CELL,
    SERIES_OUTPUT,
    SERIES_STATE,
    PlotViewBox,
    StepLine,
    ZoomMixin,
    faint_color,
    finite_or_nan,
    nice_step,
    series_choices,
    target_label,
    y_extent,
)
from .plot_units import UnitsMixin
from .style import font_changed, font_scale

# Okabe–Ito: distinguishable for colour-blind readers, legible on light and dark.
# The error segments are vermillion; the series avoid it and its neighbour orange, so that
# an error bar is not mistaken for a second output's curve (orange comes fifth).
SERIES_COLORS = ("#0072B2", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#F0E442")
#: the targets' crosses: one symbol per target column, in the text colour (never a series')
TARGET_SYMBOLS = ("x", "+", "star", "t1", "d", "s")


#: above this many steps the curves are lines only (no symbols), which keeps drawing cheap
SYMBOLS_UP_TO = 100


class StatePlot(UnitsMixin, ZoomMixin, pg.PlotWidget):
    """pyqtgraph plot of a series against the targets, with errors and the current step.

    ``series_combo`` (objectName ``plotSeriesCombo``) chooses the series; it sits in the
    plot's top-left corner unless the window re-parents it elsewhere. The y range fits
    the points computed so far (and the targets), every point only while the whole
    trace is shown: an axis reaching to 5 would tell where ŷ goes before it gets there.
    """

    #: the steps shown as computed changed (the status bar's loss follows it)
    stepShown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        view = PlotViewBox()
        super().__init__(parent, viewBox=view)
        self.setObjectName("statePlot")
        self.setAccessibleName("Plot of states against targets over time")
        self.setToolTip(
            "Solid: computed steps; faint: not yet computed; crosses: targets; "
            "vertical bars: the error at each step"
        )
        self._trace: Trace | None = None
        self._doc: Document | None = None
        self._step = 0
        self._session = None  # set by follow(): each edit's Change comes from there
        self._whole = False  # View ▸ Show the whole trace: the range fits every point
        self._structure: tuple | None = None
        self._series = SERIES_OUTPUT
        # Plain PlotCurveItem / ScatterPlotItem with their pens set once: PlotDataItem.setData
        # and a scatter's per-call pens leak references to None in pyqtgraph 0.14.
        self._solid: list[pg.PlotCurveItem] = []
        self._faint: list[pg.PlotCurveItem] = []
        self._symbols: list[pg.ScatterPlotItem] = []  # the computed points, short series only
        self._dots: list[pg.ScatterPlotItem] = []  # the current step's point, per curve
        self._targets: list[pg.GraphicsObject] = []
        self._data: list[np.ndarray] = []  # per curve, y over self._x
        self._columns: np.ndarray = np.zeros((0, 0))  # the same, one column per curve
        self._target_values: np.ndarray | None = None  # (T, k) as plotted, if drawn
        self._x: np.ndarray = np.zeros(0)
        self._range: tuple[float, float] | None = None
        self._wanted: tuple[float, float, float, float] | None = None  # x0, x1, lo, hi
        self._zoomed = False  # the user zoomed or panned: edits leave the range alone
        self._original_units = False  # ŷ and targets shown unscaled (Scale columns)
        # A step changes a few items (the computed curve, the marker, the dot, the
        # errors); pyqtgraph's minimal update repaints them as a region of several
        # rectangles, and clipping paths to such a region is far slower than repainting
        # the one rectangle around them.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)

        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "t (timestep)")
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.enableAutoSIPrefix(False)
            # replaying an axis's picture costs ~2 ms a frame; a cached pixmap is redrawn
            # only when its ticks change (the range is kept still through edits, below)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.vb.disableAutoRange()
        item.setTitle(" ")  # reserves the top row: the selector and the legend sit in it
        # room on the right for the last tick's label and the point at t = T
        item.setContentsMargins(2, 2, 12, 2)
        # the legend sits in that row, to the right, never over the data
        self.legend = pg.LegendItem(labelTextSize="8pt", colCount=8)
        self.legend.setParentItem(item)
        self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, -2))
        self._marker = StepLine(angle=90, movable=False)
        self._marker.setZValue(-10)  # behind the curves
        item.addItem(self._marker)
        self._errors = pg.PlotCurveItem(connect="pairs", name="error ŷ − y")
        item.addItem(self._errors)

        self.series_combo = QComboBox(self)
        self.series_combo.setObjectName("plotSeriesCombo")
        self.series_combo.setAccessibleName("Plotted series")
        self.series_combo.setToolTip(
            "What to plot against t: outputs, states, gate values or the cell state"
        )
        self.series_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.series_combo.currentIndexChanged.connect(self._on_series_chosen)
        self._build_zoom(view)
        self._apply_palette()

    def follow(self, session) -> None:
        """Read each edit's Change and View ▸ Show the whole trace from ``session``."""
        self._session = session
        self._whole = session.reveal_all
        session.revealAllChanged.connect(self.set_whole_trace)

    def set_whole_trace(self, on: bool) -> None:
        """Fit the y range to every point (on) or to the computed ones only (off)."""
        if bool(on) != self._whole:
            self._whole = bool(on)
            if self._trace is not None and self._structure is not None:
                self._fit_range()

    def shown_step(self) -> int:
        """How many steps the plot shows as computed."""
        return self._step

    # -- the agreed view API ------------------------------------------------------------
    def show_document(self, doc: Document, trace: Trace) -> None:
        old = self._trace
        self._doc = doc
        self._trace = trace
        step = self._step
        self._step = min(self._step, trace.T)
        self._sync_choices(trace)
        scaled = any(n in scaling.scalings(doc) for n in doc.target_names)
        self.action_units.setEnabled(scaled)
        structure = (trace.spec, trace.T, self._series, doc.target_names)
        if structure != self._structure:
            self._build()
            old = None
        # a table edit of row r leaves steps 1..r and, mostly, the targets as they were
        first = self._change(old, trace).first if old is not None else 0
        if first is None:
            return
        same_targets = old is not None and np.array_equal(
            old.targets, trace.targets, equal_nan=True
        )
        self._update_data(targets_changed=not same_targets)
        if first <= self._step or self._step != step:  # else the computed part is unchanged
            self._update_step()
        if self._step != step:
            self.stepShown.emit(self._step)

    def _change(self, old: Trace, new: Trace) -> Change:
        """The edit from ``old`` to ``new``: the session's (computed once), else computed."""
        if self._session is not None:
            return self._session.change_for(old, new)
        return Change.between(old, new, structural=old.spec != new.spec)

    def set_step(self, t: int, animate: bool = False) -> None:  # noqa: ARG002 - shared API
        if self._trace is not None:
            t = max(0, min(int(t), self._trace.T))
        if t == self._step:
            return
        self._step = t
        self._update_step()
        self.stepShown.emit(t)

    # -- choosing the series -------------------------------------------------------------
    def set_series(self, key: str) -> None:
        """Choose what is plotted (``output``, ``state``, ``cell`` or ``gate:X``)."""
        index = self.series_combo.findData(key)
        if index < 0:
            raise ValueError(f"no series {key!r} for this cell")
        self.series_combo.setCurrentIndex(index)

    def series(self) -> str:
        return self._series

    # -- for tests and tools ------------------------------------------------------------
    def curves(self) -> list[pg.PlotCurveItem]:
        """The solid (computed) curves, one per plotted unit or output."""
        return list(self._solid)

    def faint_curves(self) -> list[pg.PlotCurveItem]:
        return list(self._faint)

    def target_curves(self) -> list[pg.GraphicsObject]:
        return list(self._targets)

    def error_item(self) -> pg.PlotCurveItem:
        return self._errors

    def marker(self) -> pg.InfiniteLine:
        return self._marker

    # -- internals ----------------------------------------------------------------------
    def _sync_choices(self, trace: Trace) -> None:
        choices = series_choices(trace.spec)
        keys = [c[0] for c in choices]
        combo = self.series_combo
        if keys == [combo.itemData(i) for i in range(combo.count())]:
            return
        combo.blockSignals(True)
        combo.clear()
        for key, label in choices:
            combo.addItem(label, key)
        if self._series not in keys:
            self._series = SERIES_OUTPUT
        combo.setCurrentIndex(keys.index(self._series))
        combo.blockSignals(False)
        combo.adjustSize()

    def _on_series_chosen(self, index: int) -> None:
        key = self.series_combo.itemData(index)
        if key is None or key == self._series:
            return
        self._series = key
        if self._doc is not None and self._trace is not None:
            self.show_document(self._doc, self._trace)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if "series_combo" in self.__dict__ and self.series_combo.parent() is self:
            self.series_combo.move(6, 3)
        if "legend" in self.__dict__ and getattr(self, "plotItem", None) is not None:
            self._place_legend()  # (not while pyqtgraph's close() tears the plot down)
        if "show_all_button" in self.__dict__:
            self._place_show_all()

    def _place_legend(self) -> None:
        """The legend sits in the top row, right of the series selector; when the plot is
        too narrow for both, the top row grows a second line and the legend moves into
        it, below the selector, so neither covers the other nor the data."""
        combo = self.series_combo
        taken = combo.geometry().right() + 10 if combo.parent() is self else 0
        room = self.width() - taken
        self.legend.setColumnCount(8)
        below = self.legend.boundingRect().width() + 8 > room
        self._legend_inside = below
        item = self.getPlotItem()
        columns = 8
        while below and columns > 1 and self.legend.boundingRect().width() > self.width() - 12:
            columns -= 1  # narrower still: the legend wraps onto more lines
            self.legend.setColumnCount(columns)
        top = combo.geometry().bottom() + 1 if combo.parent() is self else 0
        height = top + self.legend.boundingRect().height() if below else 30
        item.titleLabel.setMaximumHeight(height)  # (setTitle fixes the row at 30 px)
        item.layout.setRowFixedHeight(0, height)
        if below:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, top))
        else:
            self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-6, -2))

    def legend_inside(self) -> bool:
        """Whether the legend moved below the selector (a narrow plot)."""
        return bool(getattr(self, "_legend_inside", False))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if font_changed(event) and "_marker" in self.__dict__:
            self._apply_fonts()  # presentation mode: axes, labels and legend grow
        if event.type() == event.Type.PaletteChange and "_marker" in self.__dict__:
            self._apply_palette()
            if self._doc is not None and self._trace is not None:
                self._structure = None  # curves take their colours from the palette
                self.show_document(self._doc, self._trace)

    def _apply_fonts(self) -> None:
        """Tick labels, axis titles and the legend at the application font's size."""
        font = QFont(QApplication.font())
        item = self.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.label.setFont(font)
            axis.picture = None
            axis.update()
        self.legend.setLabelTextSize(f"{8 * font_scale():g}pt")
        self.series_combo.adjustSize()
        if self._doc is not None and self._trace is not None:
            self._structure = None  # the legend's entries are laid out again
            self.show_document(self._doc, self._trace)

    def _apply_palette(self) -> None:
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        self.setBackground(base)
        item = self.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        accent = QColor(pal.color(QPalette.ColorRole.Highlight))
        accent.setAlpha(160)
        self._marker.setPen(pg.mkPen(accent, width=1.5, style=Qt.PenStyle.DashLine))
        for dot in self._dots:
            dot.setPen(pg.mkPen(base, width=1.5))
        self.legend.setLabelTextColor(text)
        backdrop = QColor(base)
        backdrop.setAlpha(225)
        self._overflow.label.fill = pg.mkBrush(backdrop)  # legible over the crosses

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

    def _update_data(self, targets_changed: bool = True) -> None:
        """Feed the new trace's numbers to the existing curves (the targets' if changed)."""
        trace = self._trace
        assert trace is not None
        T = trace.T
        key = self._series
        if key == SERIES_OUTPUT:
            self._x = np.arange(1, T + 1, dtype=np.float64)
            columns = finite_or_nan(self._in_units(trace.outputs))
        elif key == SERIES_STATE:
            self._x = np.arange(0, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.states)
        elif key == SERIES_CELL:
            self._x = np.arange(0, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.cells)
        else:
            self._x = np.arange(1, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.gates[key.split(":", 1)[1]])
        self._columns = columns
        self._data = [columns[:, j] for j in range(columns.shape[1])]
        for faint, y in zip(self._faint, self._data, strict=True):
            faint.setData(self._x, y)
        targets = finite_or_nan(self._in_units(trace.targets))
        self._target_values = targets if self._targets else None
        if self._targets and targets_changed:
            tx = np.arange(1, T + 1, dtype=np.float64)
            for j, curve in enumerate(self._targets):
                if isinstance(curve, pg.ScatterPlotItem):  # a blank target: no cross
                    ok = np.isfinite(targets[:, j])
                    curve.setData(tx[ok], targets[ok, j])
                else:  # a blank target: a gap in the line
                    curve.setData(tx, targets[:, j])
        self._fit_range()

    def _fit_range(self) -> None:
        """Show all of t, the targets and the values computed so far (every value while
        the whole trace is shown); move the y range only when the data need it.

        Keeping the range still through small edits and steps spares pyqtgraph re-laying
        its axes. After an overflow the range fits the values before it (see
        ``y_extent``) and a dotted line marks the step. A range the user zoomed to is
        left as it is.
        """
        trace = self._trace
        assert trace is not None
        n = self._x.size if self._whole else self._computed_count()
        overflow = None if trace.finite else trace.first_nonfinite_step
        lo, hi = y_extent(
            self._columns[:n],
            self._target_values,
            self._x[:n],
            overflow,
            gates=self._series.startswith("gate:"),
        )
        first = float(self._x[0]) if self._x.size else 0.0
        self._wanted = (first - 0.5, trace.T + 0.5, lo, hi)
        self._overflow.setVisible(overflow is not None)
        if overflow is not None:
            self._overflow.setValue(overflow)
            self._overflow.label.setFormat(f"overflow at t = {overflow}")
        if self._zoomed:
            return
        if self._range is not None:
            old_lo, old_hi = self._range
            if old_lo <= lo and hi <= old_hi and (hi - lo) > 0.6 * (old_hi - old_lo):
                return
        self._apply_range()

    def _apply_range(self) -> None:
        assert self._wanted is not None
        x0, x1, lo, hi = self._wanted
        self._range = (lo, hi)
        # (setRange is not a manual change: sigRangeChangedManually stays quiet)
        self.getPlotItem().vb.setRange(xRange=(x0, x1), yRange=(lo, hi), padding=0)

    def _computed_count(self) -> int:
        """How many points of the series are computed at the current step."""
        first = self._x[0] if self._x.size else 1
        return int(max(0, self._step - first + 1))

    def _update_step(self) -> None:
        trace = self._trace
        if trace is None:
            return
        n = self._computed_count()
        x = self._x[:n]
        for j, y in enumerate(self._data):
            self._solid[j].setData(x, y[:n])
            if self._symbols:
                ok = np.isfinite(y[:n])
                self._symbols[j].setData(x[ok], y[:n][ok])
            if n > 0 and np.isfinite(y[n - 1]):  # the current step's point, emphasised
                self._dots[j].setData(x[n - 1 :], y[n - 1 : n])
            else:
                self._dots[j].setData([], [])
        self._marker.setValue(self._step)
        self._fit_range()
        if not self._targets:
            self._errors.setData([], [])
            return
        steps = min(self._step, trace.T)
        out = finite_or_nan(self._in_units(trace.outputs[:steps]))
        tgt = finite_or_nan(self._in_units(trace.targets[:steps]))
        ts = np.arange(1, steps + 1, dtype=np.float64)
        xs, ys = [], []
        for j in range(out.shape[1]):
            ok = np.isfinite(out[:, j]) & np.isfinite(tgt[:, j])
            xs.append(np.repeat(ts[ok], 2))
            ys.append(np.column_stack((out[ok, j], tgt[ok, j])).ravel())
        self._errors.setData(np.concatenate(xs), np.concatenate(ys))
