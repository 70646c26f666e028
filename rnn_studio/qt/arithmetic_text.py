"""Pieces of the arithmetic panel: a colour blend and a scroll bar that holds still while
the panel's text is replaced."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QWidget


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """Colour a blended towards b by t (0 → a, 1 → b)."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


class _QuietScrollBar(QScrollBar):
    """A scroll bar that can hold its repaints while the text is replaced.

    ``setHtml`` empties the document first, so the range and value go to 0 and back to
    where they were; each change would repaint the bar, and a Fusion scroll bar costs
    about a millisecond to paint. While ``held`` it keeps still; ``release`` repaints it
    only if it really moved.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._held: tuple[int, int, int, int] | None = None

    def _state(self) -> tuple[int, int, int, int]:
        return (self.minimum(), self.maximum(), self.value(), self.pageStep())

    def hold(self) -> None:
        self._held = self._state()

    def release(self) -> None:
        held, self._held = self._held, None
        if held is not None and held != self._state():
            self.update()

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:  # noqa: N802 - Qt override
        if self._held is None:
            super().sliderChange(change)
