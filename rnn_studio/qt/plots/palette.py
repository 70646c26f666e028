"""Plots in the window's colours (light or dark), and a PlotWidget that follows them."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette  # PySide6 before pyqtgraph, so pyqtgraph binds to it

import pyqtgraph as pg  # isort: skip


def follow_palette(
    plot: pg.PlotWidget, axes: tuple[str, ...] = ("left", "bottom")
) -> tuple[QColor, QColor]:
    """The plot's background and ``axes`` in the window's colours; returns (base, text)."""
    pal = plot.palette()
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    plot.setBackground(base)
    item = plot.getPlotItem()
    for name in axes:
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    return base, text


class PalettePlot(pg.PlotWidget):
    """A PlotWidget that follows the palette (the dark theme) when it changes."""

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # (Qt sends one while PlotWidget is still being built, before it has a plot item)
        if event.type() == QEvent.Type.PaletteChange and self.getPlotItem() is not None:
            follow_palette(self)
