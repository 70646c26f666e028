"""A mouse moved over the diagram, for the tests that read what hovering shows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication


def move_mouse(view, scene_point: QPointF) -> None:
    """A real mouse-move event at a scene point, delivered to the viewport as Qt would.

    Sent directly rather than through the window system, so it does not depend on where
    the headless platform put the window or the cursor.
    """
    pos = QPointF(view.mapFromScene(scene_point))
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        pos,
        QPointF(view.viewport().mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def hover(view, scene_point: QPointF) -> str:
    """Move the mouse to ``scene_point``; the tooltip the diagram then shows."""
    move_mouse(view, scene_point)
    return view.item().toolTip()
