"""View ▸ Presentation (Ctrl+Shift+P): the whole window readable from the back of a room.

Fonts in every region grow by ``style.PRESENTATION_SCALE`` (``style.set_presentation``);
the arithmetic's own monospace font with them; the diagram, which draws its text at a
fixed size in its scene, is zoomed in one notch (and back to its readable zoom after).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .style import set_presentation


def present(window: QWidget, on: bool) -> None:
    """Turn presentation mode on or off for ``window`` (a MainWindow)."""
    own_fonts = tuple(w for w in (getattr(window, "arithmetic", None),) if w is not None)
    if not set_presentation(on, own_fonts):
        return
    diagram = getattr(window, "diagram", None)
    if diagram is not None:
        if on:
            diagram.zoom_in()
        else:
            diagram.reset_zoom()
