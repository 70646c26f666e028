"""View ▸ Presentation (Ctrl+Shift+P): the whole window readable from the back of a room.

Every region's text grows by ``style.PRESENTATION_SCALE``:

- the application font (``style.set_presentation``): menus, docks, the panels' labels,
  the status bar, and the widgets that rebuild their fonts from it on
  ``ApplicationFontChange`` (the table, the weight boxes, the state plot);
- the arithmetic's own monospace font (``set_presentation``'s ``own_fonts``);
- every other widget that set a font of its own and did not follow (the gradient
  labels beside the weights, …): scaled here, and given back its own font after;
- the pyqtgraph plots (gradients, loss, landscape): their axes' tick labels and
  titles, legends and texts, found with ``findChildren(pg.GraphicsView)``;
- the diagram, which paints its text at a fixed size in its scene: its zoom is
  chosen again, ``font_scale()`` times the normal choice but no more than keeps the
  cell's height in view, never below the presentation's readable size (see
  diagram/zoom.py); a zoom of the user's own is multiplied by ``font_scale()``.

Off again puts back exactly what was there before on: the fonts, sizes and styles
recorded when presentation mode was turned on, and the docks' proportions (bigger text
makes the panels take more room).
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDockWidget, QGraphicsView, QMainWindow, QWidget

from .style import font_scale, set_presentation

_SAVED = "_presentation_saved"


def present(window: QWidget, on: bool) -> None:
    """Turn presentation mode on or off for ``window`` (a MainWindow)."""
    arithmetic = getattr(window, "arithmetic", None)
    own_fonts = tuple(w for w in (arithmetic,) if w is not None)
    before = font_scale()
    saved = _record(window, own_fonts) if on else getattr(window, _SAVED, None)
    if not set_presentation(on, own_fonts):
        return
    factor = font_scale() / before
    # the font change reaches the widgets as events: let those that follow it (and build
    # their fonts or grids again) do so first, so that what did not follow is known
    QApplication.processEvents()
    if on:
        setattr(window, _SAVED, saved)
        _enlarge(saved, factor)
    elif saved is not None:
        _restore(saved)
        setattr(window, _SAVED, None)
        QApplication.processEvents()  # the docks take their normal sizes: then put back
        _resize_docks(saved["docks"])  # the proportions they had before
    # the Model panel builds its grids again at the new size: the gradients beside the
    # weights (backward pass) come back on the new grid now, not at the next step
    labels = window.findChild(QObject, "gradLabels")
    if labels is not None:
        labels.refresh()
    diagram = getattr(window, "diagram", None)
    if diagram is not None:
        _rezoom(diagram, factor)


def _rezoom(diagram, factor: float) -> None:
    """The diagram's text grows (or shrinks back) with everything else."""
    if getattr(diagram, "_auto_fit", ""):
        diagram.refit()  # its own choice, made again for the new scale
        return
    anchor = diagram.transformationAnchor()
    diagram.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
    diagram.scale(factor, factor)
    diagram.setTransformationAnchor(anchor)


def _record(window: QWidget, own_fonts: tuple[QWidget, ...]) -> dict:
    """What presentation mode will change and must give back: fonts of their own, and
    the plots' axes, legends and texts."""
    widgets = [
        (w, QFont(w.font()))
        for w in window.findChildren(QWidget)
        if w.testAttribute(Qt.WidgetAttribute.WA_SetFont) and w not in own_fonts
    ]
    axes, legends, texts = [], [], []
    for view in window.findChildren(pg.GraphicsView):
        if hasattr(view, "_apply_fonts"):  # the state plot follows the font by itself
            continue
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem):
                axes.append((item, item.style.get("tickFont"), QFont(item.label.font())))
            elif isinstance(item, pg.LegendItem):
                legends.append((item, item.opts.get("labelTextSize", "9pt")))
            elif isinstance(item, pg.TextItem):
                texts.append((item, QFont(item.textItem.font())))
    docks = [(d, d.width(), d.height()) for d in window.findChildren(QDockWidget) if _shown(d)]
    return {"widgets": widgets, "axes": axes, "legends": legends, "texts": texts, "docks": docks}


def _scaled(font: QFont, factor: float) -> QFont:
    out = QFont(font)
    if out.pointSizeF() > 0:
        out.setPointSizeF(out.pointSizeF() * factor)
    elif out.pixelSize() > 0:
        out.setPixelSize(round(out.pixelSize() * factor))
    return out


def _points(size: str, factor: float) -> str:
    """A CSS size ("8pt", "10px") times ``factor``."""
    match = re.fullmatch(r"\s*([\d.]+)\s*(pt|px)\s*", str(size))
    if match is None:
        return f"{9 * factor:g}pt"
    return f"{float(match.group(1)) * factor:g}{match.group(2)}"


def _enlarge(saved: dict, factor: float) -> None:
    base = QApplication.font()  # (already the presentation size)
    for widget, font in saved["widgets"]:
        if _alive(widget) and widget.font().pointSizeF() == font.pointSizeF():  # (not followed)
            widget.setFont(_scaled(font, factor))
    for axis, tick_font, label_font in saved["axes"]:
        axis.setStyle(tickFont=_scaled(tick_font, factor) if tick_font else QFont(base))
        axis.label.setFont(_scaled(label_font, factor))
        _redraw(axis)
    for legend, size in saved["legends"]:
        _legend_size(legend, _points(size, factor))
    for text, font in saved["texts"]:
        text.setFont(_scaled(font, factor))


def _restore(saved: dict) -> None:
    for widget, font in saved["widgets"]:
        if _alive(widget):
            widget.setFont(font)
    for axis, tick_font, label_font in saved["axes"]:
        if _alive(axis):
            axis.setStyle(tickFont=tick_font)
            axis.label.setFont(label_font)
            _redraw(axis)
    for legend, size in saved["legends"]:
        if _alive(legend):
            _legend_size(legend, size)
    for text, font in saved["texts"]:
        if _alive(text):
            text.setFont(font)


def _resize_docks(docks: list[tuple[QDockWidget, int, int]]) -> None:
    """Give the docks the sizes they had (``QMainWindow.resizeDocks``; restoreState
    would leave a stale tab bar over the tabbed docks)."""
    alive = [(d, w, h) for d, w, h in docks if _alive(d) and _shown(d)]
    if not alive:
        return
    window = alive[0][0].parentWidget()
    if not isinstance(window, QMainWindow):
        return
    # (a tabbed dock's height leaves out its tab bar: the docks beside it set the row's)
    alone = [d for d in alive if not window.tabifiedDockWidgets(d[0])]
    window.resizeDocks([d[0] for d in alive], [d[1] for d in alive], Qt.Orientation.Horizontal)
    window.resizeDocks([d[0] for d in alone], [d[2] for d in alone], Qt.Orientation.Vertical)


def _shown(dock: QDockWidget) -> bool:
    """Whether a dock is on screen, in the window (not floating)."""
    return dock.isVisible() and not dock.isFloating()


def _legend_size(legend, size: str) -> None:
    legend.setLabelTextSize(size)
    for _sample, label in legend.items:
        label.setText(label.text)  # (setAttr alone keeps the old rendering)
    legend.updateSize()


def _redraw(axis) -> None:
    axis.picture = None
    axis.update()


def _alive(obj) -> bool:
    """Whether a recorded widget or item still exists (a rebuilt region drops its own)."""
    try:
        from shiboken6 import isValid

        return bool(isValid(obj))
    except ImportError:  # pragma: no cover - shiboken6 comes with PySide6
        return True
