"""The diagram's QGraphicsView: the agreed view API (show_document, set_step), the step's
animation, zoom and the background that holds the static layer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEasingCurve, QLineF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import (
    QBrush,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ...core import Trace
from ...document import Document
from .colors import OVERVIEW_COLUMN_PX, Colors, ParamKey
from .fit import content_rect
from .item import UnfoldedItem
from .layout import NodeSpec
from .zoom import ZoomMixin


# -- the view ----------------------------------------------------------------------------
class DiagramView(ZoomMixin, QGraphicsView):
    """The unfolded network; zoom with the wheel, pan by dragging, ``fit_all`` to see it all."""

    animationFinished = Signal()
    #: a step's animation progress (0..1), forward or backward
    progressChanged = Signal(float)
    hoveredWeightChanged = Signal(object)  # ParamKey or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagramView")
        self.setAccessibleName("Unfolded network diagram")
        self.setToolTip(
            "The network unfolded over time. Wheel: zoom; drag: pan; hover an edge to see its "
            "weight and every copy of it"
        )
        self._scene = QGraphicsScene(self)
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        # the static layer (edges, boxes) is the background, kept in a pixmap by Qt
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        # drawBackground fills every pixel: no need for Qt to clear the viewport first
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.viewport().setAutoFillBackground(False)
        self.setMouseTracking(True)
        self._item: UnfoldedItem | None = None
        self._session = None  # set by follow()
        self._structure: tuple | None = None
        self._doc: Document | None = None
        self._trace: Trace | None = None
        self._step = 0
        self._duration = 900
        self._auto_fit = "default"  # what a resize does: see ZoomMixin
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.Linear)
        self._anim.valueChanged.connect(self._on_progress)
        self._anim.finished.connect(self._on_finished)
        self._apply_palette()

    # -- the agreed view API ------------------------------------------------------------
    def show_document(self, doc: Document, trace: Trace) -> None:
        # the column names are in the layout's tooltips: a rename rebuilds too (rarely)
        structure = (doc.spec, doc.T, doc.input_names, doc.target_names)
        self._doc, self._trace = doc, trace
        rebuilt = structure != self._structure or self._item is None
        if rebuilt:
            self._rebuild(doc)
            self._structure = structure
        assert self._item is not None
        self._step = min(self._step, trace.T)
        self._item.step = self._step
        change = self._session.change if self._session is not None else None
        self._item.set_trace(trace, doc.input_names, doc.target_names, change)
        if rebuilt:  # (the labels' extents read the names the trace brought)
            self._fit_scene()

    def set_step(self, t: int, animate: bool = False) -> None:
        if self._item is None or self._item.backward is not None:
            self._step = t  # (backward: the forward step to return to)
            return
        item = self._item
        t = max(0, min(int(t), item.T))
        before = item.anim_step if item.anim_step >= 0 else item.step
        self.stop_animation()
        self._step = t
        item.step = t
        if animate and t >= 1 and self._duration > 0:
            item.step = t - 1
            item.anim_step = t
            item.progress = 0.0
            self._anim.setDuration(self._duration)
            self._anim.start()
        else:
            item.anim_step = -1
        # only the columns whose look changes are repainted, not the whole view
        if item.anim_step >= 0 or self._overview():
            item.update(self._columns_region(min(before, t) - 1, max(before, t)))
        else:  # without moving dots a step changes nodes and bands inside their columns
            lo, hi = max(0, min(before, t)), min(max(before, t), item.T)
            item.update(item.span(lo, hi).adjusted(-4, 0, 4, 0))
        self._keep_in_view(t)
        if animate and item.anim_step < 0:
            self.animationFinished.emit()

    def follow(self, session) -> None:
        """Read each edit's Change from ``session`` instead of comparing traces."""
        self._session = session

    def show_backward(self, backward: Any, passed: int = 0, animate: bool = False) -> None:
        """The backward pass: ``backward`` (core Backward of the trace shown) with the error
        signal past ``passed`` steps from the end; None returns to the forward pass at the
        step it was. ``animate`` animates the step just passed, right to left."""
        item = self._item
        if item is None:
            return
        self.stop_animation()
        if backward is None:
            if item.backward is not None:
                item.set_backward_source(None)
                item.passed, item.back_anim = 0, -1
                item.step = self._step
                item.update()
            return
        entering = item.backward is None or item.backward is not backward
        before = item.passed
        item.set_backward_source(backward)
        item.step = item.T
        passed = max(0, min(int(passed), item.T))
        item.passed = passed
        if animate and passed >= 1 and self._duration > 0 and not entering and before < passed:
            item.back_anim = item.T - passed + 1
            item.back_progress = 0.0
            self._anim.setDuration(self._duration)
            self._anim.start()
        else:
            item.back_anim = -1
        if entering or self._overview():
            item.update()
        else:
            lo, hi = sorted((item.T - before, item.T - passed))
            item.update(self._columns_region(lo - 1, hi + 2))
        # the step just passed; at the end s₀, where the signal arrives
        column = 0 if passed >= item.T else max(0, min(item.T, item.T - passed + 1))
        self._keep_in_view(column, backward=True)
        if animate and item.back_anim < 0:
            self.animationFinished.emit()

    def _overview(self) -> bool:
        """Zoomed so far out that columns are drawn as the overview (a path over all t)."""
        item = self._item
        return item is not None and item.layout.width * self.transform().m11() < OVERVIEW_COLUMN_PX

    def _columns_region(self, first: int, last: int) -> QRectF:
        """Columns first..last in scene coordinates, with room for labels that stick out."""
        item = self._item
        assert item is not None
        first, last = max(0, first), max(0, min(last, item.T))
        return item.column_rect(first).united(item.column_rect(last)).adjusted(-140, 0, 140, 0)

    def set_animation_duration(self, ms: int) -> None:
        self._duration = max(0, int(ms))

    def animation_duration(self) -> int:
        return self._duration

    def is_animating(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    def stop_animation(self) -> None:
        """Stop a running animation and show its step complete (no signal)."""
        if self._anim.state() != QVariantAnimation.State.Stopped:
            self._anim.blockSignals(True)
            self._anim.stop()
            self._anim.blockSignals(False)
        item = self._item
        if item is not None and item.anim_step >= 0:
            region = self._columns_region(item.anim_step - 1, item.anim_step)
            item.anim_step = -1
            item.step = self._step
            item.update(region)
        if item is not None and item.back_anim >= 0:
            region = self._columns_region(item.back_anim - 1, item.back_anim)
            item.back_anim = -1
            item.update(region)

    # -- for tests and tools ------------------------------------------------------------
    def step(self) -> int:
        return self._step

    def item(self) -> UnfoldedItem | None:
        return self._item

    def hovered_weight(self) -> ParamKey | None:
        return None if self._item is None else self._item.hover_key

    def _find(self, kind: str, index: int, t: int, gate: str = "") -> NodeSpec:
        item = self._item
        assert item is not None
        nodes = item.layout.initial if t == 0 else item.layout.nodes
        for node in nodes:
            if node.kind in (kind, kind + "0") and node.index == index and node.gate == gate:
                return node
        raise KeyError(f"no node {kind}{gate}[{index}] at step {t}")

    def node_text(self, kind: str, index: int, t: int, gate: str = "") -> str:
        """What the node shows at step t ("" while it is not computed)."""
        item = self._item
        assert item is not None
        node = self._find(kind, index, t, gate)
        ready = node.fill[1] if kind == "gate" else node.appear
        shown = t == 0 or node.kind == "x" or item.shown(t) >= ready
        return item.text(node, t) if shown else ""

    def grad_text(self, kind: str, index: int, t: int, gate: str = "") -> str:
        """The gradient the node shows at step t in the backward pass ("" while the
        error signal has not reached it, and in the forward pass)."""
        item = self._item
        assert item is not None
        node = self._find(kind, index, t, gate)
        value = item.grad(node, t)
        return "" if value is None else item.grad_text(node, t, value)

    def node_scene_rect(self, kind: str, index: int, t: int, gate: str = "") -> QRectF:
        item = self._item
        assert item is not None
        return self._find(kind, index, t, gate).rect(t * item.layout.width)

    def weight_segments(self, key: ParamKey) -> list[tuple[int, QLineF]]:
        """Every drawn copy of a weight's edge, per step, in scene coordinates."""
        item = self._item
        assert item is not None
        out = []
        for t in range(1, item.T + 1):
            dx = t * item.layout.width
            out += [(t, e.line(dx)) for e in item.layout.edges if e.key == key]
        return out

    def edge_pen(self, key: ParamKey) -> QPen:
        assert self._item is not None
        return QPen(self._item.pen_for(key))

    # -- internals ----------------------------------------------------------------------
    def _rebuild(self, doc: Document) -> None:
        self.stop_animation()
        if self._item is not None:
            self._scene.removeItem(self._item)
            self._item = None
        from .compact_switch import CompactSwitch  # (it builds on item and layout)

        item = CompactSwitch.of(self).make_item(doc)  # per unit, or compact (h ≥ 4)
        item.T = doc.T
        self._scene.addItem(item)
        self._item = item

    def _fit_scene(self) -> None:
        """A new shape: the scene is everything it draws, shown at the default zoom."""
        assert self._item is not None
        self._scene.setSceneRect(content_rect(self._item))
        self.resetCachedContent()
        self._default_view()

    def _on_progress(self, value) -> None:
        item = self._item
        if item is not None and item.back_anim >= 0:
            item.back_progress = float(value)
            item.update(self._columns_region(item.back_anim - 1, item.back_anim))
            self.progressChanged.emit(float(value))
            return
        if item is None or item.anim_step < 0:
            return
        item.progress = float(value)
        item.update(self._columns_region(item.anim_step - 1, item.anim_step))
        self.progressChanged.emit(float(value))

    def _on_finished(self) -> None:
        item = self._item
        if item is not None and item.back_anim >= 0:
            region = self._columns_region(item.back_anim - 1, item.back_anim)
            item.back_anim = -1
            item.update(region)
        elif item is not None:
            region = self._columns_region(item.anim_step - 1, item.anim_step)
            item.anim_step = -1
            item.step = self._step
            item.update(region)
        self.animationFinished.emit()

    def _apply_palette(self) -> None:
        pal = self.palette()
        self.setBackgroundBrush(QBrush(pal.color(QPalette.ColorRole.Base)))
        if self._item is not None:
            self._item.set_colors(Colors.from_palette(pal))

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "_anim"):
            self._apply_palette()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.refit()

    def refit(self) -> None:
        """Choose the zoom again, as the last automatic choice did (after a resize or a
        change of presentation mode); a zoom of the user's own stays."""
        if self._auto_fit == "fit":
            self.fit_all()
        elif self._auto_fit:
            self._default_view()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        painter.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        if self._item is not None:
            painter.save()
            self._item.paint_static(painter, rect, self.transform().m11())
            painter.restore()

    # -- export ----------------------------------------------------------------------------
    def export_rect(self) -> QRectF:
        """The scene rectangle an export shows: every column, with a margin."""
        return self._scene.sceneRect()

    def paint_for_export(self, painter: QPainter, source: QRectF | None = None) -> None:
        """Paint the diagram (``source`` in scene coordinates, default ``export_rect``)
        with ``painter`` as vector drawing: no pixmap cache is used, so a QSvgGenerator
        gets lines, shapes and texts, not pictures. The painter's transform is the
        caller's: at 1 scene unit per device unit everything is drawn in full detail.
        The state shown (step, phase, animation) is the view's."""
        item = self._item
        rect = QRectF(source) if source is not None else self.export_rect()
        painter.save()
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        painter.fillRect(rect, self.palette().color(QPalette.ColorRole.Base))
        if item is not None:
            item.use_caches = False
            try:
                painter.save()
                item.paint_static(painter, rect, max(painter.worldTransform().m11(), 1.0))
                painter.restore()
                option = QStyleOptionGraphicsItem()
                option.exposedRect = rect
                item.paint(painter, option)
            finally:
                item.use_caches = True
        painter.restore()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._auto_fit = ""
        super().mousePressEvent(event)
