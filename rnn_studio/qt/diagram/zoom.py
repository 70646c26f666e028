"""The diagram's zoom: fit, the readable default, stepwise zoom, the wheel, and keeping
the current step in view."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsView

from ..style import font_scale
from .colors import MIN_FIT_COLUMN_PX
from .fit import readable_scale


class ZoomMixin:
    """Zooming for DiagramView (a QGraphicsView with ``_scene``, ``_item``, ``_step``).

    The scene rectangle is everything the diagram draws (``fit.content_rect``). The
    zooms it chooses itself (on opening, a change of shape, a resize, Fit) never make the
    node values smaller than ``fit.readable_scale``; in presentation mode they are
    chosen as for a view ``style.font_scale()`` times smaller, then magnified by it, so
    every text on screen grows by that factor.

    ``_auto_fit`` says what a resize does: "default" (``_default_view``), "fit"
    (``fit_all``) or "" (the user zoomed or panned: the zoom stays).
    """

    #: what ``fit_all`` does, for the Zoom to fit action's tooltip
    FIT_TIP = (
        "Show every step of the sequence if its numbers stay readable; a sequence too long "
        "for that is shown at the smallest readable zoom around the current step"
    )

    def _port(self) -> QRectF:
        """The viewport as the zoom sees it: in presentation mode ``font_scale`` times
        smaller (the choice is then magnified by as much)."""
        port = self.viewport().rect()
        scale = font_scale()
        return QRectF(0, 0, port.width() / scale, port.height() / scale)

    def _set_scale(self, scale: float) -> None:
        self.resetTransform()
        scale *= font_scale()
        self.scale(scale, scale)

    def _whole(self) -> float:
        """The (unmagnified) zoom at which all of the scene fits the view."""
        rect, port = self._scene.sceneRect(), self._port()
        # (a pixel to spare: a scene exactly as big as the view would bring the scroll bars)
        w, h = port.width() - 2 / font_scale(), port.height() - 2 / font_scale()
        return min(w / rect.width(), h / rect.height())

    def _floor(self) -> float:
        """The smallest unmagnified zoom at which the values are readable."""
        return readable_scale(self._item) / font_scale() if self._item is not None else 0.0

    def fit_all(self) -> None:
        """Show every step (``FIT_TIP``) while the values stay readable
        (``fit.readable_scale``), else the readable zoom with the whole cell's height if
        that fits, the current step in view."""
        if self._item is None or self.viewport().width() < 10:
            return
        whole = self._whole()
        if whole >= self._floor():
            self._set_scale(min(whole, 4.0 / font_scale()))
            self.centerOn(self._scene.sceneRect().center())
        else:
            rect = self._scene.sceneRect()
            self._readable(max(self._floor(), min(1.0, self._port().height() / rect.height())))
        self._auto_fit = "fit"

    def reset_zoom(self) -> None:
        """The zoom the diagram opens at: the whole sequence if that is readable, else a
        readable zoom (values ~11 px high) with the whole cell's height, the current
        step in view."""
        self._default_view(force=True)

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
        # ... unless all of it fits with columns wide enough to tell apart (their numbers)
        whole = self._whole() * font_scale()
        if self._item is not None and self._item.layout.width * whole >= MIN_FIT_COLUMN_PX:
            smallest = min(smallest, whole)
        return smallest, 4.0 * font_scale()

    def _zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor, factor)
        self.setTransformationAnchor(anchor)
        self._auto_fit = ""

    def _default_view(self, force: bool = False) -> None:  # noqa: ARG002 - (kept for callers)
        """Everything, when it fits at a readable zoom (at most 125 %); else a readable
        zoom showing the whole cell's height if it can (a column's width at most), the
        current step in view: an LSTM's gate values ~11 px high, not 7."""
        item = self._item
        if item is None or self.viewport().width() < 10:
            return
        rect = self._scene.sceneRect()
        port = self._port()
        whole = self._whole()
        self._auto_fit = "default"
        if whole >= self._floor():
            self._set_scale(min(whole, 1.25))
            self.centerOn(rect.center())
            return
        # too long to fit readably: a readable zoom, the current step in view (and room
        # for the horizontal scroll bar, which will show)
        bar = self.horizontalScrollBar().sizeHint().height() / font_scale()
        sy = (port.height() - bar) / rect.height()
        column = port.width() / (item.layout.width + 40)
        self._readable(max(self._floor(), min(1.0, sy, column)))

    def _readable(self, scale: float) -> None:
        """Zoom to ``scale`` (unmagnified): the top of the diagram in view (its headers,
        the errors) when its height does not fit, the current step in view."""
        rect = self._scene.sceneRect()
        self._set_scale(scale)
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        y = (
            rect.center().y()
            if shown.height() >= rect.height()
            else rect.top() + shown.height() / 2
        )
        self.centerOn(QPointF(rect.left() + shown.width() / 2, y))
        self._keep_in_view(self._step)

    def _keep_in_view(self, t: int, backward: bool = False) -> None:
        """Scroll column t into view (sideways only); ``backward``: the steps to come are
        on its left."""
        if self._item is None:
            return
        rect = self._item.column_rect(t)
        scene = self._scene.sceneRect()
        if t >= self._item.T:  # with what the last column writes past its edge
            rect.setRight(scene.right())
        if t == 0:
            rect.setLeft(scene.left())
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        rect.setTop(max(rect.top(), visible.top()))
        rect.setBottom(min(rect.bottom(), visible.bottom()))
        if visible.left() <= rect.left() and rect.right() <= visible.right():
            return
        if rect.width() < visible.width() * 0.6:
            # step ahead by a good stretch: scroll so t sits a third in from the left, so
            # playing scrolls every few steps instead of nudging (and redrawing) every step
            # (backward, a third in from the right: the signal travels leftwards)
            half, third = visible.width() / 2, visible.width() / 3
            x = rect.right() - half + third if backward else rect.left() + half - third
            self.centerOn(QPointF(x, visible.center().y()))
        self.ensureVisible(rect, 30, 0)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta().y()
        if delta == 0:
            return
        factor = 1.0015**delta
        current = self.transform().m11()
        smallest, largest = self._zoom_limits()
        factor = max(smallest / current, min(largest / current, factor))
        self.scale(factor, factor)
        self._auto_fit = ""
        event.accept()
