"""Vanishing and exploding: the error signal's size along the sequence, on a log axis.

``gradientPlot`` shows ‖∂L/∂s_t‖ over t (how strong the error signal is when it arrives
at step t) and each step's share of ‖∂L/∂W‖ (how much step t adds to the weights'
gradient). Turning the recurrent weight down makes both fall off steeply towards the
start of a long sequence (vanishing), turning it up makes them grow (exploding).

Reveal, don't spoil: in the backward pass it shows the steps the error signal has
passed; in the forward pass nothing of it (the backward pass has not happened), unless
View ▸ Show the whole trace is on. The gradients are asked of the session only while
the plot is visible, so a hidden plot computes nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt  # PySide6 before pyqtgraph, so pyqtgraph binds to it
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

import pyqtgraph as pg  # isort: skip

from ..session import Session
from .palette import follow_palette

NORM_COLOR = "#0072B2"
SHARE_COLOR = "#009E73"
SYMBOLS_UP_TO = 100
HINT = "Step the backward pass (Ctrl+B) to see the error signal travel back"


def positive_or_nan(a: np.ndarray) -> np.ndarray:
    """Values a log axis can show: zeros, negatives and non-finite values as gaps."""
    out = np.array(a, dtype=np.float64, copy=True)
    with np.errstate(invalid="ignore"):
        out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out


class GradientPlot(pg.PlotWidget):
    """‖∂L/∂s_t‖ and each step's share of ‖∂L/∂W‖ over t, log y."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientPlot")
        self.setAccessibleName("Gradient plot: the error signal's size over the steps")
        self.setToolTip(
            "‖∂L/∂sₜ‖: the error signal arriving at step t; share: step t's part of ‖∂L/∂W‖.\n"
            "A straight falling line on this log axis is a signal vanishing geometrically."
        )
        self._session = session
        item = self.getPlotItem()
        item.setLogMode(x=False, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setLabel("bottom", "t (timestep)")
        item.setLabel("left", "‖∂L/∂sₜ‖ (log scale)")
        self.legend = item.addLegend(offset=(-10, 10))
        self.norm_curve = item.plot(
            [], [], pen=pg.mkPen(NORM_COLOR, width=2), name="‖∂L/∂sₜ‖", connect="finite"
        )
        # the shares (0..1) on their own log axis, on the right: the norms can be 1e17
        self.share_box = pg.ViewBox()
        item.showAxis("right")
        item.scene().addItem(self.share_box)
        right = item.getAxis("right")
        right.linkToView(self.share_box)
        right.setLogMode(False, True)
        right.setLabel("share of ‖∂L/∂W‖ (log scale)")
        self.share_box.setXLink(item)
        self.share_curve = pg.PlotCurveItem(
            [],
            [],
            pen=pg.mkPen(SHARE_COLOR, width=1.5, style=Qt.PenStyle.DashLine),
            connect="finite",
        )
        self.share_box.addItem(self.share_curve)
        self.legend.addItem(self.share_curve, "share of ‖∂L/∂W‖ (right)")
        item.vb.sigResized.connect(self._place_share_box)
        for name in ("left", "right"):
            item.getAxis(name).enableAutoSIPrefix(False)
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#888888", width=1))
        self.marker.setVisible(False)
        item.addItem(self.marker)
        self.hint = pg.TextItem(HINT, color="#888888", anchor=(0.5, 0.5))
        item.addItem(self.hint, ignoreBounds=True)
        self._apply_palette()
        self._on_screen = True
        self._shown: tuple | None = None
        self._t = np.zeros(0)
        self._norms = np.zeros(0)
        self._shares = np.zeros(0)
        session.cursorChanged.connect(lambda _c: self.refresh())
        session.documentChanged.connect(lambda _s: self.refresh())
        session.revealAllChanged.connect(lambda _on: self.refresh())

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and "hint" in self.__dict__:
            self._apply_palette()

    def _apply_palette(self) -> None:
        """The window's colours (light or dark), as the state plot takes them."""
        pal = self.palette()
        _base, text = follow_palette(self, ("left", "bottom", "right"))
        accent = QColor(pal.color(QPalette.ColorRole.Highlight))
        accent.setAlpha(160)
        self.marker.setPen(pg.mkPen(accent, width=1.5, style=Qt.PenStyle.DashLine))
        self.legend.setLabelTextColor(text)
        self.hint.setColor(QColor(text.red(), text.green(), text.blue(), 150))

    def data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, ‖∂L/∂s_t‖, share of ‖∂L/∂W‖) as plotted now (ascending t)."""
        return self._t, self._norms, self._shares

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def set_on_screen(self, on: bool) -> None:
        """Whether it can be seen (a dock behind another tab is "visible" to Qt but
        not on screen): only then does it ask for the gradients and draw them."""
        self._on_screen = bool(on)
        if on:
            self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() or not self._on_screen:
            return
        session = self._session
        cursor = session.cursor
        T = session.trace.T
        if session.reveal_all:
            first = 1
        elif cursor.backward:
            first = T - cursor.passed + 1
        else:
            first = T + 1  # forward: nothing of the backward pass yet
        # nothing to show stays nothing whatever the edit: no redraw for it
        key = ("empty",) if first > T else (id(session.trace), first, T)
        if key == self._shown:
            return
        self._shown = key
        if first > T:
            self._set(np.zeros(0), np.zeros(0), np.zeros(0))
            self.marker.setVisible(False)
            self._show_hint(True)
            return
        backward = session.backward
        t = np.arange(first, T + 1, dtype=np.float64)
        self._set(t, backward.state_norms[first - 1 :], backward.weight_shares[first - 1 :])
        current = cursor.backward_step(T)
        self.marker.setVisible(current is not None)
        if current is not None:
            self.marker.setValue(current)
        self._show_hint(False)

    def _set(self, t: np.ndarray, norms: np.ndarray, shares: np.ndarray) -> None:
        self._t, self._norms, self._shares = t, np.asarray(norms), np.asarray(shares)
        symbols = len(t) <= SYMBOLS_UP_TO
        self.norm_curve.setData(
            t,
            positive_or_nan(norms),
            symbol="o" if symbols else None,
            symbolSize=5,
            symbolBrush=NORM_COLOR,
            symbolPen=None,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            self.share_curve.setData(t, np.log10(positive_or_nan(shares)))
        self.share_box.enableAutoRange(axis="y")
        if len(t):
            item = self.getPlotItem()
            item.enableAutoRange(axis="y")
            item.setXRange(1, max(2, self._session.trace.T), padding=0.02)

    def _place_share_box(self) -> None:
        self.share_box.setGeometry(self.getPlotItem().vb.sceneBoundingRect())
        self.share_box.linkedViewChanged(self.getPlotItem().vb, self.share_box.XAxis)

    def _show_hint(self, on: bool) -> None:
        self.hint.setVisible(on)
        if on:
            item = self.getPlotItem()
            item.setXRange(0, 1, padding=0)
            item.setYRange(-1, 1, padding=0)
            self.hint.setPos(0.5, 0)
