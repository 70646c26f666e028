"""The live plot: states (or outputs, gates, the cell state) against the targets over t.

Curves are created once per structure (cell, sizes, chosen series) and then only fed
new arrays with ``setData``; stepping moves the split between the solid (computed)
and faint (not yet computed) halves and the marker, nothing else.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt  # noqa: F401  (PySide6 before pyqtgraph)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QWidget

import pyqtgraph as pg  # isort: skip

from ..core import Trace
from ..document import Document

# Okabe–Ito: distinguishable for colour-blind readers, legible on light and dark.
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
TARGET_COLOR = "#7f7f7f"
ERROR_COLOR = "#D55E00"

GATE_LABELS = {
    "i": "input gate i",
    "f": "forget gate f",
    "g": "candidate g",
    "o": "output gate o",
    "r": "reset gate r",
    "z": "update gate z",
    "n": "candidate n",
}

#: the plot's series choices: (data key, label); gates and the cell state only where they exist
SERIES_OUTPUT = "output"
SERIES_STATE = "state"
SERIES_CELL = "cell"


def finite_or_nan(a: np.ndarray) -> np.ndarray:
    """A float copy with inf and absurdly large values as NaN, which pyqtgraph draws as gaps."""
    out = np.array(a, dtype=np.float64, copy=True)
    with np.errstate(invalid="ignore"):
        out[~np.isfinite(out) | (np.abs(out) > 1e12)] = np.nan
    return out


def series_choices(trace_spec) -> list[tuple[str, str]]:
    cell = trace_spec.cell
    choices = [(SERIES_OUTPUT, "Output ŷₜ vs target"), (SERIES_STATE, "State sₜ vs target")]
    gates = {"lstm": "ifgo", "gru": "rzn"}.get(cell, "")
    for g in gates:
        choices.append((f"gate:{g}", f"Gate: {GATE_LABELS[g]}"))
    if cell == "lstm":
        choices.append((SERIES_CELL, "Cell state cₜ"))
    return choices


class StatePlot(pg.PlotWidget):
    """pyqtgraph plot of a series against the targets, with errors and the current step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statePlot")
        self.setAccessibleName("Plot of states against targets over time")
        self.setToolTip("Solid: computed steps; faint: not yet computed; red bars: the errors")
        self._trace: Trace | None = None
        self._doc: Document | None = None
        self._step = 0
        self._structure: tuple | None = None
        self._series = SERIES_OUTPUT
        self._solid: list[pg.PlotDataItem] = []
        self._faint: list[pg.PlotDataItem] = []
        self._targets: list[pg.PlotDataItem] = []
        self._data: list[np.ndarray] = []  # per curve, y over x
        self._x: np.ndarray = np.zeros(0)

        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setLabel("bottom", "t (timestep)")
        self.legend = item.addLegend(offset=(-8, 8), labelTextSize="8pt")
        self.legend.setColumnCount(1)
        self._errors = pg.PlotDataItem(connect="pairs", name="error ŷ − y")
        item.addItem(self._errors)
        self._marker = pg.InfiniteLine(angle=90, movable=False)
        item.addItem(self._marker)
        self._dots = pg.ScatterPlotItem(size=9)
        item.addItem(self._dots)

        self.series_combo = QComboBox(self)
        self.series_combo.setObjectName("plotSeriesCombo")
        self.series_combo.setAccessibleName("Plotted series")
        self.series_combo.setToolTip(
            "What to plot against t: outputs, states, gates or the cell state"
        )
        self.series_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.series_combo.currentIndexChanged.connect(self._on_series_chosen)
        item.setTitle(" ")  # reserves the row the combo sits in
        self._apply_palette()

    # -- the agreed view API ------------------------------------------------------------
    def show_document(self, doc: Document, trace: Trace) -> None:
        self._doc = doc
        self._trace = trace
        self._step = min(self._step, trace.T)
        choices = series_choices(trace.spec)
        if [c[0] for c in choices] != [
            self.series_combo.itemData(i) for i in range(self.series_combo.count())
        ]:
            self.series_combo.blockSignals(True)
            self.series_combo.clear()
            for key, label in choices:
                self.series_combo.addItem(label, key)
            keys = [c[0] for c in choices]
            if self._series not in keys:
                self._series = SERIES_OUTPUT
            self.series_combo.setCurrentIndex(keys.index(self._series))
            self.series_combo.blockSignals(False)
            self.series_combo.adjustSize()
        structure = (trace.spec, trace.T, self._series, doc.target_names)
        if structure != self._structure:
            self._build()
        self._update_data()
        self._update_step()

    def set_step(self, t: int, animate: bool = False) -> None:  # noqa: ARG002 - shared API
        if self._trace is not None:
            t = max(0, min(int(t), self._trace.T))
        if t == self._step:
            return
        self._step = t
        self._update_step()

    def set_series(self, key: str) -> None:
        """Choose what is plotted (``output``, ``state``, ``cell`` or ``gate:X``)."""
        index = self.series_combo.findData(key)
        if index < 0:
            raise ValueError(f"no series {key!r} for this cell")
        self.series_combo.setCurrentIndex(index)

    def series(self) -> str:
        return self._series

    def curves(self) -> list[pg.PlotDataItem]:
        """The solid (computed) curves, one per plotted unit or output."""
        return list(self._solid)

    def faint_curves(self) -> list[pg.PlotDataItem]:
        return list(self._faint)

    def target_curves(self) -> list[pg.PlotDataItem]:
        return list(self._targets)

    def error_item(self) -> pg.PlotDataItem:
        return self._errors

    def marker(self) -> pg.InfiniteLine:
        return self._marker

    # -- internals ----------------------------------------------------------------------
    def _on_series_chosen(self, index: int) -> None:
        key = self.series_combo.itemData(index)
        if key is None or key == self._series:
            return
        self._series = key
        if self._doc is not None and self._trace is not None:
            self.show_document(self._doc, self._trace)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if "series_combo" in self.__dict__:
            self.series_combo.move(6, 4)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and "_marker" in self.__dict__:
            self._apply_palette()

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
        accent = pal.color(QPalette.ColorRole.Highlight)
        self._marker.setPen(pg.mkPen(accent, width=2))
        self.legend.setLabelTextColor(text)
        self.legend.setBrush(pg.mkBrush(QColor(base.red(), base.green(), base.blue(), 200)))

    def _series_info(self) -> tuple[str, list[str], bool]:
        """(y-axis label, one name per curve, whether targets are drawn)."""
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
            return "state s / " + ", ".join(targets), [f"s{u}" for u in units], True
        if key == SERIES_CELL:
            return "cell state c", [f"c{u}" for u in units], False
        gate = key.split(":", 1)[1]
        return f"{GATE_LABELS[gate]} (0…1)", [f"{gate}{u}" for u in units], False

    def _build(self) -> None:
        """Create the curves of the current structure (once; afterwards only setData)."""
        item = self.getPlotItem()
        for curve in self._solid + self._faint + self._targets:
            item.removeItem(curve)
        self.legend.clear()
        self._solid, self._faint, self._targets = [], [], []
        label, names, with_targets = self._series_info()
        item.setLabel("left", label)
        for j, name in enumerate(names):
            color = QColor(SERIES_COLORS[j % len(SERIES_COLORS)])
            solid = pg.PlotDataItem(
                pen=pg.mkPen(color, width=2),
                symbol="o",
                symbolSize=5,
                symbolPen=None,
                symbolBrush=color,
                connect="finite",
                name=name,
            )
            faint_color = QColor(color)
            faint_color.setAlpha(70)
            faint = pg.PlotDataItem(
                pen=pg.mkPen(faint_color, width=1.5, style=Qt.PenStyle.DashLine),
                connect="finite",
            )
            item.addItem(faint)
            item.addItem(solid)
            self._solid.append(solid)
            self._faint.append(faint)
        if with_targets:
            assert self._doc is not None
            for j, name in enumerate(self._doc.target_names):
                color = QColor(SERIES_COLORS[j % len(SERIES_COLORS)]).darker(130)
                target = pg.PlotDataItem(
                    pen=None,
                    symbol="x",
                    symbolSize=9,
                    symbolPen=pg.mkPen(color, width=2),
                    name=f"target {name}",
                )
                item.addItem(target)
                self._targets.append(target)
            self.legend.addItem(self._errors, "error ŷ − y")
        self._errors.setPen(pg.mkPen(ERROR_COLOR, width=2) if with_targets else None)
        self._errors.setVisible(with_targets)
        self._structure = (self._trace.spec, self._trace.T, self._series, self._doc.target_names)

    def _update_data(self) -> None:
        """Feed the new trace's numbers to the existing curves."""
        trace = self._trace
        assert trace is not None
        T = trace.T
        key = self._series
        if key == SERIES_OUTPUT:
            self._x = np.arange(1, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.outputs)
        elif key == SERIES_STATE:
            self._x = np.arange(0, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.states)
        elif key == SERIES_CELL:
            self._x = np.arange(0, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.cells)
        else:
            self._x = np.arange(1, T + 1, dtype=np.float64)
            columns = finite_or_nan(trace.gates[key.split(":", 1)[1]])
        self._data = [columns[:, j] for j in range(columns.shape[1])]
        for faint, y in zip(self._faint, self._data, strict=True):
            faint.setData(self._x, y)
        if self._targets:
            tx = np.arange(1, T + 1, dtype=np.float64)
            targets = finite_or_nan(trace.targets)
            for j, curve in enumerate(self._targets):
                curve.setData(tx, targets[:, j])

    def _computed_count(self) -> int:
        """How many points of the series are computed at the current step."""
        first = self._x[0] if self._x.size else 1
        return int(max(0, self._step - first + 1))

    def _update_step(self) -> None:
        trace = self._trace
        if trace is None:
            return
        n = self._computed_count()
        for solid, y in zip(self._solid, self._data, strict=True):
            solid.setData(self._x[:n], y[:n])
        self._marker.setValue(self._step)
        # the current step's points, emphasised
        if n > 0:
            xs = np.full(len(self._data), self._x[n - 1])
            ys = np.array([y[n - 1] for y in self._data])
            ok = np.isfinite(ys)
            brushes = [pg.mkBrush(SERIES_COLORS[j % len(SERIES_COLORS)]) for j in range(len(ys))]
            self._dots.setData(
                xs[ok],
                ys[ok],
                brush=[b for b, g in zip(brushes, ok, strict=True) if g],
                pen=pg.mkPen(self.palette().color(QPalette.ColorRole.Base), width=1.5),
            )
        else:
            self._dots.setData([], [])
        if self._targets:
            steps = min(self._step, trace.T)
            out = finite_or_nan(trace.outputs[:steps])
            tgt = finite_or_nan(trace.targets[:steps])
            ts = np.arange(1, steps + 1, dtype=np.float64)
            xs, ys = [], []
            for j in range(out.shape[1]):
                ok = np.isfinite(out[:, j]) & np.isfinite(tgt[:, j])
                x = ts[ok]
                xs.append(np.repeat(x, 2))
                ys.append(np.column_stack((out[ok, j], tgt[ok, j])).ravel())
            if xs:
                self._errors.setData(np.concatenate(xs), np.concatenate(ys))
        else:
            self._errors.setData([], [])
