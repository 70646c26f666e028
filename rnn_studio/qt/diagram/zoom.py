"""The diagram's zoom: fit, the readable default, stepwise zoom, the wheel, and keeping
the current step in view."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsView

from ..style import font_scale
from .colors import MIN_FIT_COLUMN_PX
from .fit import readable_scale


class ZoomMixin:
    """Zooming for DiagramView (a QGraphicsView with ``_scene``, ``_item``, ``_step``).

    The scene rectangle is everything the diagram draws (``fit.content_rect``). The
    zooms it chooses itself (on opening, a change of shape, a resize, Fit) never make the
    node values smaller than ``fit.readable_scale``. In presentation mode the zoom is
    ``style.font_scale()`` times the normal choice, so the diagram's text grows as much as
    every other region's, but, where that would not fit, no more than keeps the cell's
    whole height in view while readable in presentation mode; what is wider than the view
    is shown as a long sequence is: its top and the current step in view.

    ``_auto_fit`` says what a resize does: "default" (``_default_view``), "fit"
    (``fit_all``) or "" (the user zoomed or panned: the zoom stays).
    """

    #: what ``fit_all`` does, for the Zoom to fit action's tooltip
    FIT_TIP = (
        "Show every step of the sequence if its numbers stay readable; a sequence too long "
        "for that is shown at the smallest readable zoom around the current step"
    )

    def _whole(self) -> float:
        """The zoom at which all of the scene fits the view."""
        rect, port = self._scene.sceneRect(), self.viewport().rect()
        # (a pixel to spare: a scene exactly as big as the view would bring the scroll bars)
        return min((port.width() - 2) / rect.width(), (port.height() - 2) / rect.height())

    def _floor(self) -> float:
        """The smallest zoom of normal mode at which the values are readable."""
        return readable_scale(self._item) / font_scale() if self._item is not None else 0.0

    def _show_at(self, scale: float) -> None:
        """Zoom to ``scale`` (normal mode's choice; magnified in presentation mode, see
        the class): all of the diagram centred if it fits, else its top (the headers,
        the errors) and the current step in view."""
        magnified = scale * font_scale()
        whole = self._whole()
        if font_scale() != 1.0 and magnified > whole:
            magnified = max(readable_scale(self._item), min(magnified, self._height_fit(magnified)))
        self.resetTransform()
        self.scale(magnified, magnified)
        rect = self._scene.sceneRect()
        shown = self.mapToScene(self.viewport().rect()).boundingRect()
        if magnified <= whole:
            self.centerOn(rect.center())
            return
        tall = shown.height() < rect.height()
        y = rect.top() + shown.height() / 2 if tall else rect.center().y()
        self.centerOn(QPointF(rect.left() + shown.width() / 2, y))
        self._keep_in_view(self._step)

    def _height_fit(self, scale: float) -> float:
        """The zoom at which the diagram's height fits the view, with room for the
        horizontal scroll bar if it shows at ``scale``."""
        rect, port = self._scene.sceneRect(), self.viewport().rect()
        bar = (
            self.horizontalScrollBar().sizeHint().height()
            if rect.width() * scale > port.width()
            else 0
        )
        return (port.height() - 2 - bar) / rect.height()

    def fit_all(self) -> None:
        """Show every step (``FIT_TIP``) while the values stay readable
        (``fit.readable_scale``), else the readable zoom with the whole cell's height if
        that fits, the current step in view."""
        if self._item is None or self.viewport().width() < 10:
            return
        whole, floor = self._whole(), self._floor()
        if whole >= floor:
            self._show_at(min(whole, 4.0))
        else:
            height = (self.viewport().height() - 2) / self._scene.sceneRect().height()
            self._show_at(max(floor, min(1.0, height)))
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
        whole = self._whole()
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
        self._auto_fit = "default"
        whole, floor = self._whole(), self._floor()
        if whole >= floor:
            self._show_at(min(whole, 1.25))
            return
        # too long to fit readably: a readable zoom, the current step in view (and room
        # for the horizontal scroll bar, which will show)
        rect, port = self._scene.sceneRect(), self.viewport().rect()
        bar = self.horizontalScrollBar().sizeHint().height()
        sy = (port.height() - bar) / rect.height()
        column = port.width() / (item.layout.width + 40)
        self._show_at(max(floor, min(1.0, sy, column)))

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
        if rect.width() > visible.width():
            # wider than the view (a gated cell in presentation mode): its right part, the
            # step's result (the state, ŷ, the error and its "y = …"), in full
            self.centerOn(QPointF(rect.right() - visible.width() / 2, visible.center().y()))
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
