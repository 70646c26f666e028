"""The live plot: states (or outputs, gates, the cell state) against the targets over t.

Curves are created once per structure (cell, sizes, chosen series) and then only fed
new arrays with ``setData``; stepping moves the split between the solid (computed)
and faint (not yet computed) curves and the marker, nothing else. The items are made in
plot_curves.py, the legend, fonts and colours kept in plot_look.py, the zoom and the y
range's helpers are plot_parts.py, Scale columns' original units plot_units.py.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QGraphicsView, QWidget

import pyqtgraph as pg  # isort: skip

from .. import scaling
from ..core import Trace
from ..document import Document
from .analysis import Change
from .plot_curves import SERIES_COLORS as SERIES_COLORS  # (re-exported)
from .plot_curves import SYMBOLS_UP_TO as SYMBOLS_UP_TO
from .plot_curves import TARGET_SYMBOLS as TARGET_SYMBOLS
from .plot_curves import CurvesMixin
from .plot_look import LookMixin
from .plot_parts import ERROR_COLOR as ERROR_COLOR  # (re-exported: the plot's API)
from .plot_parts import (
    SERIES_CELL,
    SERIES_OUTPUT,
    SERIES_STATE,
    PlotViewBox,
    StepLine,
    ZoomMixin,
    finite_or_nan,
    series_choices,
    y_extent,
)
from .plot_parts import target_label as target_label
from .plot_units import UnitsMixin


class StatePlot(UnitsMixin, ZoomMixin, LookMixin, CurvesMixin, pg.PlotWidget):
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
