"""File ▸ Export ▸: the diagram and the plot as PNG or vector SVG, the trace as text.

The same files as ``rnn-studio export`` (cli.md), chosen by the suffix: ``.png`` /
``.svg`` an image (the diagram, or the plot), ``.csv`` / ``.md`` / ``.tex`` the trace
table and its arithmetic, ``.py`` the PyTorch script. ``export_image`` is the CLI's way
in to the images: it builds the views offscreen, with no window.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGraphicsItem,
)

from ...document import Document
from ...errors import DocumentError
from ...files import write_bytes_atomic
from ..diagram import DiagramView
from ..plot import StatePlot

if TYPE_CHECKING:
    from .main_window import MainWindow

IMAGE_SUFFIXES = (".png", ".svg")
TEXT_SUFFIXES = (".csv", ".md", ".tex", ".py")
PRECISION = 4
#: a PNG of the diagram is drawn at twice the scene's size, but never wider than this
PNG_MAX_PX = 16000
PNG_SCALE = 2.0

#: the File ▸ Export ▸ entries: objectName, text, suffix, what, file filter
ENTRIES = (
    ("actionExportDiagramPng", "&Diagram as PNG…", ".png", "diagram", "PNG images (*.png)"),
    ("actionExportDiagramSvg", "Diagram as &SVG…", ".svg", "diagram", "SVG drawings (*.svg)"),
    ("actionExportPlotPng", "&Plot as PNG…", ".png", "plot", "PNG images (*.png)"),
    ("actionExportPlotSvg", "Plot as S&VG…", ".svg", "plot", "SVG drawings (*.svg)"),
    ("actionExportTraceCsv", "&Trace as CSV…", ".csv", None, "CSV tables (*.csv)"),
    ("actionExportMarkdown", "Trace as &Markdown…", ".md", None, "Markdown (*.md)"),
    ("actionExportLatex", "Trace as &LaTeX…", ".tex", None, "LaTeX (*.tex)"),
    ("actionExportTorch", "P&yTorch script…", ".py", None, "Python scripts (*.py)"),
)


# -- the drawing ------------------------------------------------------------------------
def _paint_diagram(view: DiagramView, painter: QPainter, rect: QRectF) -> None:
    """The diagram at ``rect`` (scene coordinates) drawn as shapes and text, no pictures."""
    view.paint_for_export(painter, rect)


def _diagram_rect(view: DiagramView) -> QRectF:
    if hasattr(view, "export_rect"):
        return view.export_rect()
    return view.scene().sceneRect()


def diagram_svg(view: DiagramView, title: str = "RNN Studio diagram") -> bytes:
    """The diagram as an SVG document: paths and text, one scene unit per SVG unit."""
    rect = _diagram_rect(view)
    size = QSize(max(1, round(rect.width())), max(1, round(rect.height())))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("The unfolded network, drawn by RNN Studio")
    painter = QPainter(generator)
    painter.translate(-rect.left(), -rect.top())
    _paint_diagram(view, painter, rect)
    painter.end()
    buffer.close()
    return bytes(data.data())


def diagram_image(view: DiagramView) -> QImage:
    """The diagram as a picture, at twice the scene's size (less for a very long series)."""
    rect = _diagram_rect(view)
    scale = min(PNG_SCALE, PNG_MAX_PX / max(rect.width(), rect.height(), 1.0))
    image = QImage(
        max(1, round(rect.width() * scale)),
        max(1, round(rect.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(view.palette().color(QPalette.ColorRole.Base))
    painter = QPainter(image)
    painter.scale(scale, scale)
    painter.translate(-rect.left(), -rect.top())
    _paint_diagram(view, painter, rect)
    painter.end()
    return image


def plot_png(plot: StatePlot, scale: float = PNG_SCALE) -> bytes:
    """The plot as it looks on screen, drawn at ``scale`` times its size.

    (pyqtgraph's ImageExporter enlarges the axes' text but not the legend's.)
    """
    from pyqtgraph.exporters import ImageExporter

    item = plot.getPlotItem()
    exporter = ImageExporter(item)  # for its render() and setExportMode()
    source = exporter.getSourceRect()
    width, height = max(1, round(source.width())), max(1, round(source.height()))
    image = QImage(
        round(width * scale), round(height * scale), QImage.Format.Format_ARGB32_Premultiplied
    )
    background = plot.backgroundBrush().color()
    image.fill(background)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    everything = _descendants(item)
    cached = [(i, i.cacheMode()) for i in everything]
    # the legend keeps its size on screen whatever the zoom; here it grows with the rest
    fixed = [
        i
        for i in everything
        if i.flags() & QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    ]
    try:
        for graphics, _mode in cached:  # the axes' pictures would be enlarged, blurred
            graphics.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        for graphics in fixed:
            graphics.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)
        exporter.setExportMode(
            True, {"antialias": True, "background": background, "resolutionScale": scale}
        )
        exporter.render(painter, QRectF(0, 0, width, height), source)
    finally:
        exporter.setExportMode(False)
        for graphics, mode in cached:
            graphics.setCacheMode(mode)
        for graphics in fixed:
            graphics.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        painter.end()
    return _png_bytes(image)


def _descendants(item: QGraphicsItem) -> list[QGraphicsItem]:
    found = [item]
    for child in item.childItems():
        found += _descendants(child)
    return found


def plot_svg(plot: StatePlot) -> bytes:
    """The plot as vector SVG (pyqtgraph's SVGExporter: paths, polylines and text)."""
    from pyqtgraph.exporters import SVGExporter

    with _closed_paths_understood():
        data = SVGExporter(plot.getPlotItem()).export(toBytes=True)
    return bytes(data)


@contextlib.contextmanager
def _closed_paths_understood() -> Iterator[None]:
    """pyqtgraph 0.14's SVGExporter fails on the "Z" (close path) that Qt 6 writes
    (pyqtgraph issue 3495): its coordinate fix-up sees the paths without their Z and
    gets them back, in place, afterwards."""
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = module.correctCoordinates

    def correct(node, defs, item, options):  # noqa: ANN001 - pyqtgraph's signature
        closes = []
        for path in node.getElementsByTagName("path"):
            tokens = path.getAttribute("d").split()
            where = [i for i, token in enumerate(tokens) if token in ("Z", "z")]
            if where:
                kept = [t for i, t in enumerate(tokens) if i not in where]
                path.setAttribute("d", " ".join(kept))
                closes.append((path, where))
        result = original(node, defs, item, options)
        for path, where in closes:
            tokens = path.getAttribute("d").split()
            for i in where:
                tokens.insert(i, "Z")
            path.setAttribute("d", " ".join(tokens))
        return result

    module.correctCoordinates = correct
    try:
        yield
    finally:
        module.correctCoordinates = original


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())


def image_bytes(what: str, suffix: str, diagram: DiagramView, plot: StatePlot) -> bytes:
    """The ``what`` ("diagram" or "plot") as ``suffix`` (".png" or ".svg")."""
    if what not in ("diagram", "plot"):
        raise DocumentError(f"there is no {what!r} to export: choose 'diagram' or 'plot'")
    if what == "plot":
        return plot_svg(plot) if suffix == ".svg" else plot_png(plot)
    return diagram_svg(diagram) if suffix == ".svg" else _png_bytes(diagram_image(diagram))


# -- the text formats ---------------------------------------------------------------------
def export_text(doc: Document, path: Path, title: str, backward: bool = False) -> str:
    """What ``rnn-studio export`` writes for a text suffix (report.export_text): the
    trace table and every step's arithmetic (.md, .tex; with ``backward`` the backward
    lines too, as ``export --grad``), the table (.csv), the script."""
    from ... import report

    return report.export_text(
        doc,
        path.suffix.lower(),
        None,
        PRECISION,
        title=title,
        script_name=path.name,
        backward=backward,
    )


# -- writing ------------------------------------------------------------------------------
def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES and suffix not in TEXT_SUFFIXES:
        known = ", ".join((*IMAGE_SUFFIXES, *TEXT_SUFFIXES))
        raise DocumentError(f"cannot export to {path.name!r}: the name must end in {known}")
    return suffix


def export_image(
    doc: Document, path: str | Path, what: str = "diagram", step: int | None = None
) -> None:
    """Write the diagram (or the plot) of ``doc`` at ``step`` (default: every step) as
    PNG or SVG, with no window: the CLI's ``rnn-studio export FILE -o x.png|x.svg``.

    Creates an offscreen QApplication when there is none. DocumentError on a bad name.
    """
    path = Path(path)
    suffix = _suffix(path)
    if suffix not in IMAGE_SUFFIXES:
        raise DocumentError(f"cannot export an image to {path.name!r}: use .png or .svg")
    if QApplication.instance() is None:
        QApplication([sys.argv[0] if sys.argv else "rnn-studio", "-platform", "offscreen"])
    trace = doc.trace()
    t = trace.T if step is None else max(0, min(int(step), trace.T))
    diagram, plot = DiagramView(), StatePlot()
    try:
        for view in (diagram, plot):
            view.resize(1200, 500)
            view.show_document(doc, trace)
            view.set_step(t)
        write_bytes_atomic(path, image_bytes(what, suffix, diagram, plot))
    finally:
        diagram.stop_animation()
        diagram.deleteLater()
        plot.deleteLater()


# -- in the window ------------------------------------------------------------------------
class ExportMixin:
    """File ▸ Export ▸ and ``export_path`` (part of MainWindow)."""

    def _make_export_menu(self: MainWindow, menu) -> None:
        self.export_actions = {}
        for name, text, suffix, what, _filter in ENTRIES:
            action = self._act(
                name,
                text,
                f"Write {text.replace('&', '').rstrip('…').lower()} ({suffix})",
                lambda s=suffix, w=what: self.export_dialog(s, w),
            )
            menu.addAction(action)
            self.export_actions[name] = action

    def export_dialog(self: MainWindow, suffix: str, what: str | None = None) -> bool:
        """Ask for a file name, then ``export_path``."""
        file_filter = next(f for _n, _t, s, w, f in ENTRIES if s == suffix and w == what)
        stem = self.path.name.split(".")[0] if self.path is not None else "rnn-studio"
        default = Path(self._last_folder()) / f"{stem}{'-' + what if what else ''}{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(default), file_filter)
        if not path:
            return False
        if not Path(path).suffix:
            path += suffix
        return self.export_path(path, what)

    def export_path(self: MainWindow, path: str | Path, what: str | None = None) -> bool:
        """Export to ``path`` by its suffix, with no dialog; a problem shows a message.

        ``what`` is "diagram" (the default) or "plot" for an image, ignored otherwise.
        """
        path = Path(path)
        try:
            suffix = _suffix(path)
            doc = self.session.document
            if suffix in IMAGE_SUFFIXES:
                data = image_bytes(what or "diagram", suffix, self.diagram, self.plot)
                write_bytes_atomic(path, data)
            else:
                from ... import io as rio

                title = self.path.name if self.path is not None else self._title
                backward = self.session.cursor.backward  # after the backward pass: its lines too
                rio.write_text_atomic(path, export_text(doc, path, title, backward))
        except (DocumentError, ValueError) as err:
            self.show_error("Cannot export", str(err))
            return False
        self.statusBar().showMessage(f"Exported {path}")
        return True
