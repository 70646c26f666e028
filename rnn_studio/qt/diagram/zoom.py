"""The diagram's zoom: fit, the readable default, stepwise zoom, the wheel, and keeping
the current step in view."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsView

from .colors import MIN_FIT_COLUMN_PX, READABLE_SCALE


class ZoomMixin:
    """Zooming for DiagramView (a QGraphicsView with ``_scene``, ``_item``, ``_step``)."""

    #: what ``fit_all`` does, for the Zoom to fit action's tooltip
    FIT_TIP = (
        "Show every step of the sequence; a sequence too long to show readably "
        "(a column narrower than ~30 px) is fitted to its height around the current step"
    )

    def fit_all(self) -> None:
        """Show every step (``FIT_TIP``): the whole unfolded network while a column
        keeps ``MIN_FIT_COLUMN_PX`` on screen (nodes still read as shapes, their colours
        as values), else fit its height and keep the current step in the middle."""
        rect = self._scene.sceneRect()
        port = self.viewport().rect()
        whole = min(port.width() / rect.width(), port.height() / rect.height())
        item = self._item
        if item is None or item.layout.width * whole >= MIN_FIT_COLUMN_PX:
            self.resetTransform()
            self.scale(whole, whole)
            self.centerOn(rect.center())
        else:
            scale = min(1.0, port.height() / rect.height())
            self.resetTransform()
            self.scale(scale, scale)
            self.centerOn(item.column_rect(self._step).center())
        self._auto_fit = False

    def reset_zoom(self) -> None:
        """The zoom the diagram opens at: the whole sequence if that is readable, else a
        readable zoom (values ~11 px high) with the whole cell's height, the current
        step in view."""
        self._default_view(force=True)
        self._auto_fit = False

    def zoom_in(self) -> None:
        """Zoom in by a step (Ctrl++), about the view's centre."""
        self._zoom_by(1.25)

    def zoom_out(self) -> None:
        """Zoom out by a step (Ctrl+-), not beyond what ``fit_all`` would show."""
        self._zoom_by(1 / 1.25)

    def _zoom_limits(self) -> tuple[float, float]:
        rect = self._scene.sceneRect()
        # zoom out until it all fits, but not below a third of the view's height: beyond
        # that a long sequence is a hairline (the plot is its overview)
        smallest = min(0.5, self.viewport().width() / max(rect.width(), 1.0))
        smallest = max(smallest, min(0.5, self.viewport().height() / 3 / rect.height()))
        return smallest, 4.0

    def _zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor)
        self._auto_fit = False

    def _default_view(self, force: bool = False) -> None:
        """Small sequences fit the window when that leaves the values readable; else a
        readable zoom showing the whole cell's height (a column's width at most), the
        current step in view: an LSTM's gate values ~11 px high, not 7."""
        item = self._item
        if item is None or self.viewport().width() < 10:
            return
        rect = self._scene.sceneRect()
        sx = self.viewport().width() / rect.width()
        sy = self.viewport().height() / rect.height()
        scale = min(sx, sy)
        self.resetTransform()
        if scale < READABLE_SCALE and not self.horizontalScrollBar().isVisible():
            bar = self.horizontalScrollBar().sizeHint().height()  # room for it: it will show
            sy = (self.viewport().height() - bar) / rect.height()
        if scale >= READABLE_SCALE:
            scale = min(scale, 1.25)
            self.scale(scale, scale)
            self.centerOn(rect.center())
        else:  # too long to fit readably: a readable zoom, the current step in view
            column = self.viewport().width() / (item.layout.width + 40)
            readable = max(0.8, min(1.0, sy, column))
            self.scale(readable, readable)
            self.centerOn(QPointF(rect.left(), rect.center().y()))
            self._keep_in_view(self._step)

    def _keep_in_view(self, t: int, backward: bool = False) -> None:
        """Scroll column t into view; ``backward``: the steps to come are on its left."""
        if self._item is None:
            return
        rect = self._item.column_rect(t)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        if visible.contains(rect):
            return
        if rect.width() < visible.width() * 0.6 and visible.height() >= rect.height() * 0.5:
            # step ahead by a good stretch: scroll so t sits a third in from the left, so
            # playing scrolls every few steps instead of nudging (and redrawing) every step
            # (backward, a third in from the right: the signal travels leftwards)
            half, third = visible.width() / 2, visible.width() / 3
            x = rect.right() - half + third if backward else rect.left() + half - third
            self.centerOn(QPointF(x, visible.center().y()))
            self.ensureVisible(rect, 30, 10)
        else:
            self.ensureVisible(rect, 30, 10)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta().y()
        if delta == 0:
            return
        factor = 1.0015**delta
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        self.scale(factor, factor)
        self._auto_fit = False
        event.accept()
