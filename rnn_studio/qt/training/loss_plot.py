"""``lossPlot``: the loss per epoch on a log axis, with the run before it faded behind."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtWidgets import QWidget

import pyqtgraph as pg  # isort: skip

from ..plots.palette import PalettePlot, follow_palette

CURRENT = QColor(31, 119, 180)
PREVIOUS = QColor(150, 150, 150, 140)


def _positive(losses: list[float | None]) -> tuple[np.ndarray, np.ndarray]:
    """Epochs (0 = before training) and losses > 0: a log axis shows nothing else."""
    y = np.array([np.nan if v is None else v for v in losses], dtype=np.float64)
    x = np.arange(len(y), dtype=np.float64)
    keep = np.isfinite(y) & (y > 0)
    return x[keep], y[keep]


class LossPlot(PalettePlot):
    """The current run's loss curve and the last finished run's, faded, to compare with."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("Loss per epoch")
        self.setToolTip("The loss per epoch (log scale); the run before this one is faded")
        self.setMinimumHeight(140)
        item = self.getPlotItem()
        item.setLogMode(x=False, y=True)
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "loss")
        item.showGrid(x=True, y=True, alpha=0.2)
        for name in ("left", "bottom"):
            item.getAxis(name).enableAutoSIPrefix(False)  # "loss (x0.001)" on a log axis
        item.setMenuEnabled(False)
        self.previous_curve = item.plot(pen=pg.mkPen(PREVIOUS, width=1.5), name="last run")
        self.current_curve = item.plot(pen=pg.mkPen(CURRENT, width=2), name="this run")
        #: the losses shown (tests read them): this run's and the one before
        self.current: list[float | None] = []
        self.previous: list[float | None] = []
        follow_palette(self)

    def start_run(self) -> None:
        """A new run begins: the current curve becomes the faded one."""
        if self.current:
            self.previous = list(self.current)
            self.previous_curve.setData(*_positive(self.previous))
        self.current = []
        self.current_curve.setData([], [])

    def show_losses(self, losses: list[float | None]) -> None:
        self.current = list(losses)
        self.current_curve.setData(*_positive(self.current))
