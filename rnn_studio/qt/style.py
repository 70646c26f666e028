"""Light and dark palettes for the Fusion style.

The window follows the platform's palette; View ▸ Dark theme switches to ``dark_palette``
(and back to the style's standard palette) for rooms where a dark screen reads better.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

_DARK = {
    "Window": "#2b2d31",
    "WindowText": "#e6e6e6",
    "Base": "#1e1f22",
    "AlternateBase": "#2b2d31",
    "ToolTipBase": "#3a3d42",
    "ToolTipText": "#f0f0f0",
    "Text": "#e6e6e6",
    "Button": "#35373c",
    "ButtonText": "#e6e6e6",
    "BrightText": "#ff6b6b",
    "Highlight": "#3d7bd9",
    "HighlightedText": "#ffffff",
    "Link": "#6ea8fe",
    "PlaceholderText": "#8a8d93",
    "Mid": "#45484e",
    "Dark": "#1a1b1e",
    "Light": "#4a4d53",
    "Midlight": "#3f4247",
    "Shadow": "#101113",
}
_DISABLED = "#75787e"


def dark_palette() -> QPalette:
    """A dark palette in which every region of the window stays legible."""
    pal = QPalette()
    for role, value in _DARK.items():
        pal.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    for role in ("Text", "ButtonText", "WindowText"):
        pal.setColor(
            QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role), QColor(_DISABLED)
        )
    return pal


_light: QPalette | None = None


def apply_theme(dark: bool) -> None:
    """Switch the application between the dark palette and the one it started with."""
    global _light
    app = QApplication.instance()
    if app is None:
        return
    if _light is None:
        _light = QPalette(app.palette())
    app.setPalette(dark_palette() if dark else _light)


def is_dark(palette: QPalette | None = None) -> bool:
    pal = palette or QApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128
