"""Pieces of the live plot: its view box and zoom (Show all), the y range it fits, the step
line it blits, and the helpers for its series and colours.

The wheel zooms and dragging pans (pyqtgraph's own); a double-click, the context menu's
"Show all" or the "Show all" button (shown once the view was zoomed or panned) put every
step and value back in view. After an overflow the range is fitted to the values before
it, of the targets' magnitude, so the learner still sees her series; the step where it
overflowed is marked.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QToolButton

import pyqtgraph as pg  # isort: skip

from ..explain import GATE_TITLES

ERROR_COLOR = "#D55E00"  # Okabe–Ito vermillion: the error segments and the overflow mark
GATE_LABELS = {g: f"{title} {g}" for g, title in GATE_TITLES.items()}
SERIES_OUTPUT = "output"
SERIES_STATE = "state"
SERIES_CELL = "cell"

#: after an overflow, values beyond this many times the targets' size are left off the axis
OVERFLOW_BAND = 10.0


def finite_or_nan(a: np.ndarray) -> np.ndarray:
    """A float copy with inf and absurdly large values as NaN, which pyqtgraph draws as gaps."""
    out = np.array(a, dtype=np.float64, copy=True)
    with np.errstate(invalid="ignore"):
        out[~np.isfinite(out) | (np.abs(out) > 1e12)] = np.nan
    return out


def series_choices(spec) -> list[tuple[str, str]]:
    """The series a cell offers: (key, label). Gates and the cell state only where they exist."""
    choices = [(SERIES_OUTPUT, "Output ŷₜ vs target"), (SERIES_STATE, "State sₜ vs target")]
    for g in {"lstm": "ifgo", "gru": "rzn"}.get(spec.cell, ""):
        choices.append((f"gate:{g}", f"Gate: {GATE_LABELS[g]}"))
    if spec.cell == "lstm":
        choices.append((SERIES_CELL, "Cell state cₜ"))
    return choices


def target_label(name: str) -> str:
    """The legend's name of a target column: "target y"; a name that already says
    target ("target", "target_temp") stands alone, never "target target"."""
    return name if "target" in name.lower() else f"target {name}"


def faint_color(color: QColor, base: QColor) -> QColor:
    """The not-yet-computed curve: the series colour mixed halfway towards the background.

    Opaque, so its contrast is the same on light and dark bases (an alpha of 80 was
    nearly invisible on the dark one).
    """
    f = 0.3 if base.lightnessF() < 0.5 else 0.55
    return QColor.fromRgbF(
        color.redF() + (base.redF() - color.redF()) * f,
        color.greenF() + (base.greenF() - color.greenF()) * f,
        color.blueF() + (base.blueF() - color.blueF()) * f,
    )


def nice_step(T: int) -> float:
    """An integer tick spacing giving about 5–10 ticks over 0..T."""
    raw = max(1.0, T / 8)
    base = 10 ** int(np.floor(np.log10(raw)))
    for m in (1, 2, 5, 10):
        if m * base >= raw:
            return float(m * base)
    return float(10 * base)


class PlotViewBox(pg.ViewBox):
    """pyqtgraph's view box, with a double-click and a right-click of its own."""

    #: a double-click: show every step and value again
    showAllRequested = Signal()
    #: a right-click (not a drag): the plot's menu, at this screen position
    menuRequested = Signal(QPoint)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 - pyqtgraph override
        if ev.button() == Qt.MouseButton.LeftButton and ev.double():
            ev.accept()
            self.showAllRequested.emit()
            return
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.menuRequested.emit(ev.screenPos().toPoint())
            return
        super().mouseClickEvent(ev)


def y_extent(
    columns: np.ndarray,
    targets: np.ndarray | None,
    x: np.ndarray,
    overflow_step: int | None,
    gates: bool = False,
) -> tuple[float, float]:
    """The y range (padded) that shows the series and the targets.

    ``columns`` holds one row per x (NaN where not finite). With an overflow at step
    ``overflow_step`` only the rows before it count, and of those only values within
    ``OVERFLOW_BAND`` times the targets' magnitude (at least 1): the blow-up just before
    an overflow (4e10) would otherwise flatten everything else to a line.
    """
    arrays = []
    if targets is not None and np.isfinite(targets).any():
        arrays.append(targets)
    if overflow_step is not None:
        rows = columns[x < overflow_step]
        size = float(np.nanmax(np.abs(targets))) if arrays else 0.0
        band = OVERFLOW_BAND * max(1.0, size)
        with np.errstate(invalid="ignore"):
            rows = np.where(np.abs(rows) <= band, rows, np.nan)
        columns = rows
    if columns.size and np.isfinite(columns).any():
        arrays.append(columns)
    lo = min((float(np.nanmin(a)) for a in arrays), default=-1.0)
    hi = max((float(np.nanmax(a)) for a in arrays), default=1.0)
    if gates:
        lo, hi = min(lo, 0.0), max(hi, 1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


class StepLine(pg.InfiniteLine):
    """The current step's dashed line, blitted from a picture of it.

    A dashed line 1.5 px wide costs ~0.2 ms to draw, and the line is in the part of the
    plot that an edit near the step shown repaints. The picture is drawn from the same
    sub-pixel start and length as the line on screen, so it has the same pixels.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._picture: tuple[tuple, QPixmap, int] | None = None

    def paint(self, p: QPainter, *args) -> None:
        left, right = self._endPoints
        wt = p.worldTransform()
        start, end = wt.map(QPointF(left, 0)), wt.map(QPointF(right, 0))
        device = p.device()
        if (
            self.markers
            or start.x() != end.x()  # not a vertical line on screen
            or device is None
            or device.devicePixelRatioF() != 1.0
            or p.testRenderHint(QPainter.RenderHint.Antialiasing)
        ):
            super().paint(p, *args)
            return
        pen = self.currentPen
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        ix, iy = math.floor(start.x()), math.floor(min(start.y(), end.y()))
        key = (
            start.x() - ix,
            start.y() - iy,
            end.y() - iy,
            pen.color().rgba(),
            pen.widthF(),
            pen.style(),
            tuple(pen.dashPattern()),
            pen.isCosmetic(),
        )
        if self._picture is None or self._picture[0] != key:
            margin = math.ceil(pen.widthF()) + 2
            height = math.ceil(abs(end.y() - start.y())) + 2 * margin + 2
            pixmap = QPixmap(2 * margin + 2, height)
            pixmap.fill(Qt.GlobalColor.transparent)
            q = QPainter(pixmap)
            q.setPen(pen)
            q.drawLine(
                QPointF(margin + key[0], margin + key[1]), QPointF(margin + key[0], margin + key[2])
            )
            q.end()
            self._picture = (key, pixmap, margin)
        _, pixmap, margin = self._picture
        p.resetTransform()
        p.drawPixmap(ix - margin, iy - margin, pixmap)
        p.setWorldTransform(wt)


class ZoomMixin:
    """StatePlot's zoom: a Show all button once zoomed, a double-click, a context menu;
    and the dotted mark at an overflow. Needs ``_wanted``, ``_range``, ``_zoomed`` and
    ``_apply_range`` of the plot."""

    def _build_zoom(self, view: PlotViewBox) -> None:
        """Show all: a button once zoomed, a double-click, the context menu; the overflow mark."""
        self.show_all_button = QToolButton(self)
        self.show_all_button.setObjectName("plotShowAllButton")
        self.show_all_button.setText("⤢ Show all")
        self.show_all_button.setAccessibleName("Show all steps and values")
        self.show_all_button.setToolTip(
            "Undo the zoom: every step and value in view again (or double-click the plot)"
        )
        self.show_all_button.setAutoRaise(False)  # reads as a button, not a label
        self.show_all_button.hide()
        self.show_all_button.clicked.connect(self.show_all)
        self.menu = QMenu(self)
        self.menu.setObjectName("plotMenu")
        self.action_show_all = QAction("Show all", self.menu)
        self.action_show_all.setObjectName("plotShowAllAction")
        self.action_show_all.setToolTip("Every step and value in view (undo a zoom or pan)")
        self.action_show_all.triggered.connect(self.show_all)
        self.menu.addAction(self.action_show_all)
        self.action_units = QAction("ŷ and targets in original units", self.menu)
        self.action_units.setObjectName("plotOriginalUnits")
        self.action_units.setCheckable(True)
        self.action_units.setEnabled(False)
        self.action_units.setToolTip(
            "After Scale columns: plot the outputs and targets in the table's original units"
        )
        self.action_units.toggled.connect(self.set_original_units)
        self.menu.addAction(self.action_units)
        view.showAllRequested.connect(self.show_all)
        view.menuRequested.connect(lambda pos: self.menu.popup(pos))
        view.sigRangeChangedManually.connect(self._on_zoomed)
        self._overflow = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(ERROR_COLOR, width=1.5, style=Qt.PenStyle.DotLine),
            label="overflow",
            labelOpts={"position": 0.97, "color": ERROR_COLOR, "anchors": [(1, 0), (1, 0)]},
        )
        self._overflow.setZValue(15)  # its label over the crosses
        self._overflow.hide()
        self.getPlotItem().addItem(self._overflow, ignoreBounds=True)

    def show_all(self) -> None:
        """Every step and every (sane) value in view: undo the user's zoom or pan."""
        self._zoomed = False
        self.show_all_button.hide()
        self._range = None
        if self._wanted is not None:
            self._apply_range()

    def is_zoomed(self) -> bool:
        return self._zoomed

    def overflow_mark(self) -> pg.InfiniteLine:
        """The dotted line at the step where the forward pass overflowed (hidden if none)."""
        return self._overflow

    def _on_zoomed(self, *_args) -> None:
        self._zoomed = True
        self.show_all_button.show()
        self.show_all_button.raise_()
        self._place_show_all()

    def _place_show_all(self) -> None:
        button = self.show_all_button
        button.adjustSize()
        button.move(4, self.height() - button.height() - 4)
