"""``landscapeView``: the loss over two chosen weights, drawn as it is computed.

The surface is the core's ``landscape_rows`` run in a BackgroundTask; each poll (about 30
a second) draws the rows done so far. It is recomputed when the document changes, at
most once per ``DEBOUNCE_MS`` of quiet (turning a spin box does not start a computation
per step), and only while the view is on screen and no training run is going on; a
computation that is out of date is stopped. Moving only the two chosen weights (a click,
training) moves the marker and leaves the surface as it is: it does not depend on them.
The colours are log₁₀ of the loss; ``values`` holds the losses themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

import pyqtgraph as pg  # isort: skip

from ...core.landscape import Entry, default_range, entry_value, parse_entry
from ...document import Document
from ..plots.palette import PalettePlot, follow_palette
from ..session import Session
from ..tasks import BackgroundTask
from .computing import SurfaceComputing
from .grid import Job
from .path import PathCoordinates

DEBOUNCE_MS = 250
DEFAULT_POINTS = 101
#: paths up to this many points are drawn with a dot per epoch
PATH_DOTS = 300


def entries_of(document: Document) -> list[Entry]:
    return [
        Entry(ps.name, tuple(int(i) for i in index))
        for ps in document.param_specs()
        for index in np.ndindex(ps.shape)
    ]


def _spin(name: str, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setToolTip(tip)
    spin.setAccessibleName(tip)
    spin.setRange(-1e6, 1e6)
    spin.setMinimumWidth(70)
    spin.setDecimals(4)
    spin.setSingleStep(0.1)
    spin.setKeyboardTracking(False)
    return spin


class LandscapeView(SurfaceComputing, QWidget):
    """The landscape region: entry choice, ranges, the image, marker and training path."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.setAccessibleName("Loss landscape")
        self.setToolTip("The loss over two weights, the others fixed; click to move there")
        self.session = session
        self.task: BackgroundTask | None = None
        self.job: Job | None = None
        self._stopping: list[BackgroundTask] = []
        self._held = False
        self._shown = True  # False while its dock is a tab behind another
        self._key: tuple | None = None  # the surface drawn (complete)
        self._path: Sequence[Mapping[str, np.ndarray]] = []
        self._hovered: Entry | None = None
        self._path_points = PathCoordinates()
        #: the losses drawn, rows = y values, columns = x values (NaN: not computed yet)
        self.values = np.full((1, 1), np.nan)
        self.x_values = np.zeros(1)
        self.y_values = np.zeros(1)

        self.x_combo = QComboBox()
        self.x_combo.setObjectName("landscapeXCombo")
        self.x_combo.setToolTip("The weight along the horizontal axis")
        self.x_combo.setAccessibleName("Landscape x weight")
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("landscapeYCombo")
        self.y_combo.setToolTip("The weight along the vertical axis")
        self.y_combo.setAccessibleName("Landscape y weight")
        self.x_min = _spin("landscapeXMin", "Smallest x value")
        self.x_max = _spin("landscapeXMax", "Largest x value")
        self.y_min = _spin("landscapeYMin", "Smallest y value")
        self.y_max = _spin("landscapeYMax", "Largest y value")
        self.points_spin = QSpinBox()
        self.points_spin.setObjectName("landscapePoints")
        self.points_spin.setToolTip("Grid points along each axis")
        self.points_spin.setAccessibleName("Landscape grid points")
        self.points_spin.setRange(5, 401)
        self.points_spin.setValue(DEFAULT_POINTS)
        self.points_spin.setKeyboardTracking(False)
        self.centre_button = QPushButton("Centre")
        self.centre_button.setObjectName("landscapeCentreButton")
        self.centre_button.setToolTip("Ranges: the two weights' values ± 1")
        self.hover_x = QPushButton("x ← —")
        self.hover_x.setObjectName("landscapeHoverX")
        self.hover_x.setToolTip("Use the weight last hovered in the diagram as x")
        self.hover_y = QPushButton("y ← —")
        self.hover_y.setObjectName("landscapeHoverY")
        self.hover_y.setToolTip("Use the weight last hovered in the diagram as y")
        for button in (self.hover_x, self.hover_y):
            button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("landscapeStatus")

        self.plot = PalettePlot()
        self.plot.setObjectName("landscapePlot")
        follow_palette(self.plot)
        item = self.plot.getPlotItem()
        for name in ("left", "bottom"):
            item.getAxis(name).enableAutoSIPrefix(False)
        item.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        item.addItem(self.image)
        self.colour_bar = pg.ColorBarItem(
            values=(0, 1), colorMap="viridis", label="log₁₀ loss", interactive=False
        )
        self.colour_bar.setImageItem(self.image, insert_in=item)
        self.path_item = pg.PlotDataItem(
            pen=pg.mkPen("w", width=2), symbol="o", symbolSize=3, symbolBrush="w", symbolPen=None
        )
        item.addItem(self.path_item)
        self.marker = pg.ScatterPlotItem(
            size=11, brush=pg.mkBrush(255, 80, 60), pen=pg.mkPen("w", width=1.5)
        )
        item.addItem(self.marker)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

        grid = QGridLayout()
        for row, (axis, combo, low, high) in enumerate(
            (
                ("x", self.x_combo, self.x_min, self.x_max),
                ("y", self.y_combo, self.y_min, self.y_max),
            )
        ):
            grid.addWidget(QLabel(axis), row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(low, row, 2)
            grid.addWidget(QLabel("to"), row, 3)
            grid.addWidget(high, row, 4)
        grid.setColumnStretch(1, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("points"))
        row.addWidget(self.points_spin)
        row.addWidget(self.centre_button)
        row.addWidget(self.hover_x)
        row.addWidget(self.hover_y)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.compute)

        self.x_combo.currentIndexChanged.connect(lambda _i: self._entries_changed())
        self.y_combo.currentIndexChanged.connect(lambda _i: self._entries_changed())
        for spin in (self.x_min, self.x_max, self.y_min, self.y_max, self.points_spin):
            spin.valueChanged.connect(lambda _v: self.schedule())
        self.centre_button.clicked.connect(self.centre)
        self.hover_x.clicked.connect(lambda: self._use_hovered(self.x_combo))
        self.hover_y.clicked.connect(lambda: self._use_hovered(self.y_combo))
        session.documentChanged.connect(self._on_document_changed)
        self._fill_combos()

    # -- choosing ----------------------------------------------------------------------------
    @property
    def x_entry(self) -> Entry | None:
        return self._entry(self.x_combo)

    @property
    def y_entry(self) -> Entry | None:
        return self._entry(self.y_combo)

    def _entry(self, combo: QComboBox) -> Entry | None:
        text = combo.currentData()
        if not text:
            return None
        return parse_entry(text, self.session.document.spec)

    def _fill_combos(self) -> None:
        """Every weight and bias entry; keeps the choice when it still exists."""
        entries = [str(e) for e in entries_of(self.session.document)]
        old = (self.x_combo.currentData(), self.y_combo.currentData())
        defaults = (entries[0], entries[1] if len(entries) > 1 else entries[0])
        for combo, was, default in zip((self.x_combo, self.y_combo), old, defaults, strict=True):
            combo.blockSignals(True)
            combo.clear()
            for text in entries:
                combo.addItem(text, text)
            index = combo.findData(was if was in entries else default)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        if old != (self.x_combo.currentData(), self.y_combo.currentData()):
            self.centre()

    def choose(self, x: str, y: str) -> None:
        """Show the entries ``x`` and ``y`` ("W:0:0" style), centred on their values."""
        for combo, text in ((self.x_combo, x), (self.y_combo, y)):
            combo.blockSignals(True)
            combo.setCurrentIndex(combo.findData(text))
            combo.blockSignals(False)
        self._entries_changed()

    def _entries_changed(self) -> None:
        self.centre()
        self._draw_overlay()

    def centre(self) -> None:
        """Ranges: each chosen weight's value ± 1 (the CLI's default)."""
        params = self.session.document.params
        for entry, low, high in (
            (self.x_entry, self.x_min, self.x_max),
            (self.y_entry, self.y_min, self.y_max),
        ):
            if entry is None:
                continue
            a, b = default_range(params, entry)
            for spin, value in ((low, a), (high, b)):
                spin.blockSignals(True)
                spin.setValue(value)
                spin.blockSignals(False)
        self.schedule()

    def offer(self, key) -> None:
        """A weight hovered in the diagram (ParamKey (name, index) or None) is offered."""
        if key is None:
            return  # keep the last one: the pointer must travel to the buttons
        name, index = key
        try:
            entry = parse_entry(
                ":".join([name, *(str(i) for i in index)]), self.session.document.spec
            )
        except ValueError:
            return
        self._hovered = entry
        for button, axis in ((self.hover_x, "x"), (self.hover_y, "y")):
            button.setText(f"{axis} ← {entry}")
            button.setEnabled(True)

    def _use_hovered(self, combo: QComboBox) -> None:
        if self._hovered is not None:
            combo.setCurrentIndex(combo.findData(str(self._hovered)))

    # -- computing -----------------------------------------------------------------------------
    def set_held(self, held: bool) -> None:
        """Hold recomputing (a training run is going on); when released, catch up."""
        self._held = held
        if not held:
            self.schedule()

    def set_shown(self, shown: bool) -> None:
        """Whether it is on screen (its dock's ``visibilityChanged``: a tab behind another
        still counts as visible to Qt)."""
        self._shown = shown
        if shown:
            self._draw_overlay()
            self.schedule()
        else:
            self._debounce.stop()

    def schedule(self) -> None:
        """Recompute after a quiet moment, if anything it depends on changed."""
        if self._held or not self._shown or not self.isVisible():
            self._debounce.stop()
            return
        self._debounce.start()

    # -- the marker, the path and clicks ---------------------------------------------------
    def set_path(self, path: Sequence[Mapping[str, np.ndarray]]) -> None:
        self._path = path
        self._draw_overlay()

    def _draw_overlay(self) -> None:
        x, y = self.x_entry, self.y_entry
        if x is None or y is None:
            return
        params = self.session.document.params
        self.marker.setData([entry_value(params, x)], [entry_value(params, y)])
        if not self._shown:
            return  # drawn when it comes back on screen
        xs, ys = self._path_points.update(self._path, x, y)
        # a dot per epoch helps on a short path; on a long one they are a smear that costs
        self.path_item.setSymbol("o" if len(xs) <= PATH_DOTS else None)
        self.path_item.setData(xs, ys)

    def click_at(self, px: float, py: float) -> bool:
        """Move the two weights to the grid point nearest (px, py): one undo step."""
        x, y = self.x_entry, self.y_entry
        if x is None or y is None or x == y:
            return False
        xs, ys = self.x_values, self.y_values
        if not (xs[0] <= px <= xs[-1] and ys[0] <= py <= ys[-1]):
            return False
        vx = float(xs[int(np.abs(xs - px).argmin())])
        vy = float(ys[int(np.abs(ys - py).argmin())])
        return self.session.edit(
            lambda d: d.with_param(x.name, x.index, vx).with_param(y.name, y.index, vy),
            f"Move {x} and {y} on the landscape",
        )

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plot.getPlotItem().vb
        pos = event.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        if self.click_at(point.x(), point.y()):
            event.accept()

    # -- following the document --------------------------------------------------------------
    def _on_document_changed(self, structural: bool) -> None:
        if structural:
            self._path = []
            self._fill_combos()
        self._draw_overlay()
        self.schedule()
