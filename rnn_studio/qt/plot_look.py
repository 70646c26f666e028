"""How the live plot looks: the legend's place, fonts and colours as the window changes.

A mixin of StatePlot (qt/plot.py). The legend sits in the plot's top row, right of the
series selector, and moves below it when the plot is too narrow; presentation mode's
bigger font and a palette change (light or dark) redraw the axes, labels and curves.
"""

from __future__ import annotations

from PySide6.QtCore import Qt  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

import pyqtgraph as pg  # isort: skip

from .plots.palette import follow_palette
from .style import font_changed, font_scale


class LookMixin:
    """StatePlot's legend placement, fonts and palette (see the module)."""

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
        alive = "_marker" in self.__dict__ and self.getPlotItem() is not None  # not closed
        if font_changed(event) and alive:
            self._apply_fonts()  # presentation mode: axes, labels and legend grow
        if event.type() == event.Type.PaletteChange and alive:
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
        base, text = follow_palette(self)
        accent = QColor(pal.color(QPalette.ColorRole.Highlight))
        accent.setAlpha(160)
        self._marker.setPen(pg.mkPen(accent, width=1.5, style=Qt.PenStyle.DashLine))
        for dot in self._dots:
            dot.setPen(pg.mkPen(base, width=1.5))
        self.legend.setLabelTextColor(text)
        backdrop = QColor(base)
        backdrop.setAlpha(225)
        self._overflow.label.fill = pg.mkBrush(backdrop)  # legible over the crosses
