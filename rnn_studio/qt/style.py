"""Light and dark palettes for the Fusion style.

The window follows the platform's palette; View ▸ Dark theme switches to ``dark_palette``
(and back to the style's standard palette) for rooms where a dark screen reads better.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QWidget

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


#: colours Fusion derives its outlines from, raised so outlines show on a dark window
_CONTRAST = {"Window": "#c8ccd2", "Button": "#6a6e76"}


def _raised(option):
    """A copy of ``option`` whose palette makes Fusion's outlines and grooves visible."""
    copy = type(option)(option)
    pal = QPalette(copy.palette)
    for role, value in _CONTRAST.items():
        pal.setColor(getattr(QPalette.ColorRole, role), QColor(value))
    copy.palette = pal
    return copy


class ContrastStyle(QProxyStyle):
    """The application's style, with legible check boxes and sliders in a dark palette.

    Fusion draws a check box's border and a slider's groove and handle a little darker
    than the window: on a dark window they vanish (an unticked box, the step slider).
    In a dark palette this proxy hands Fusion lighter colours for just these controls.
    It is set only on the few widgets that need it, so the rest paints at full speed.
    """

    _CHECKS = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
    )

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        if element in self._CHECKS and is_dark(option.palette):
            option = _raised(option)
        super().drawPrimitive(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802
        if control == QStyle.ComplexControl.CC_Slider and is_dark(option.palette):
            option = _raised(option)
        super().drawComplexControl(control, option, painter, widget)


_contrast: ContrastStyle | None = None


def use_contrast_style(*widgets: QWidget) -> None:
    """Draw ``widgets`` (check-box lists, sliders) with ``ContrastStyle``."""
    global _contrast
    if _contrast is None:
        # the application's style by name (QProxyStyle() alone would take the platform's
        # default, not the Fusion that app.py sets); kept alive here, widgets don't own it
        app = QApplication.instance()
        name = app.style().name() if app is not None else "Fusion"
        _contrast = ContrastStyle(name)
    for widget in widgets:
        widget.setStyle(_contrast)


# -- presentation mode ------------------------------------------------------------------------
#: how much bigger every font is in presentation mode (a 1,024 × 768 projector at the back
#: of a room): 9 pt becomes 13.5 pt
PRESENTATION_SCALE = 1.5
_fonts: dict[str, object] = {"base": None, "scale": 1.0}


def font_scale() -> float:
    """1.0, or ``PRESENTATION_SCALE`` while presentation mode is on."""
    return float(_fonts["scale"])  # type: ignore[arg-type]


def set_presentation(on: bool, own_fonts: tuple[QWidget, ...] = ()) -> bool:
    """Presentation mode: every font of the application ``PRESENTATION_SCALE`` times bigger.

    The application font is scaled, so every widget that inherits it grows at once (menus,
    docks, the panel's labels, headers, the status bar); widgets that build their own fonts
    from it (the table's numbers, the weight boxes, the plot's axes and legend) rebuild them
    on ``QEvent.ApplicationFontChange``. ``own_fonts`` are widgets that set a font of their
    own and do not follow (the arithmetic): theirs is scaled here. Returns whether
    anything changed.
    """
    app = QApplication.instance()
    if app is None:
        return False
    new = PRESENTATION_SCALE if on else 1.0
    old = font_scale()
    if new == old:
        return False
    if _fonts["base"] is None:
        _fonts["base"] = QFont(app.font())
    base: QFont = _fonts["base"]  # type: ignore[assignment]
    _fonts["scale"] = new
    for widget in own_fonts:
        font = QFont(widget.font())
        font.setPointSizeF(font.pointSizeF() * new / old)
        widget.setFont(font)
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * new)
    app.setFont(font)
    return True


def font_changed(event: QEvent) -> bool:
    """The event a widget that inherits the application font gets when it changes (a
    widget with a font of its own gets only ApplicationFontChange, in ``event()``)."""
    return event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange)
