"""Icons drawn as SVG in ``resources/icons``, tinted with the palette's text colour.

The SVGs use ``currentColor``; it is replaced by the palette's button-text colour when an
icon is made, so the icons stay legible in light and dark palettes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ..paths import resources_dir

ICON_DIR = resources_dir() / "icons"
_SIZES = (16, 20, 24, 32, 48)
#: small icons drawn here rather than shipped as files: the docks' float and close buttons
#: (Fusion's own are dark grey, nearly invisible on a dark title bar)
_BUILTIN = {
    "dock-close": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="none" '
        'stroke="currentColor" stroke-width="1.6" stroke-linecap="round">'
        '<path d="M4 4 L12 12 M12 4 L4 12"/></svg>'
    ),
    "dock-float": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="none" '
        'stroke="currentColor" stroke-width="1.3">'
        '<rect x="5.5" y="2.5" width="8" height="8"/>'
        '<path d="M3.5 5.5 H2.5 V13.5 H10.5 V12.5"/></svg>'
    ),
}


def icon(name: str) -> QIcon:
    """The icon ``name`` (``play``, ``save`` …); an empty icon if the file is missing."""
    app = QGuiApplication.instance()
    colour = "#404040"
    if app is not None:
        colour = QGuiApplication.palette().buttonText().color().name()
    return _icon(name, colour)


@cache
def _icon(name: str, colour: str) -> QIcon:
    svg = _BUILTIN.get(name)
    if svg is None:
        try:
            svg = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
        except OSError:
            return QIcon()
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))
    if not renderer.isValid():
        return QIcon()
    result = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            pixmap = QPixmap(int(size * ratio), int(size * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter, QRectF(0, 0, size, size))
            painter.end()
            result.addPixmap(pixmap)
    return result


def set_icon(target, name: str) -> None:
    """Give an action or button the icon ``name``, remembered for ``refresh_icons``."""
    target.setProperty("iconName", name)
    target.setIcon(icon(name))


def refresh_icons(root) -> None:
    """Re-tint every icon under ``root`` after the palette changed (light ↔ dark)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton

    for cls in (QAction, QAbstractButton):
        for target in root.findChildren(cls):
            name = target.property("iconName")
            if name:
                target.setIcon(icon(name))
