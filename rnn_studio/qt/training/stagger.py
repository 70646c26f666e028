"""Repaint a training preview over several frames, not all of it in one.

One preview changes the weights everywhere, and Qt repaints every widget that changed in
one go: the diagram, the weights panel, the arithmetic, the table and the plots together
took 25–50 ms, a stall a 10 ms timer (or a student's click) notices. ``Staggered`` holds
back the repaint of a few heavy widgets while a preview happens and lets them repaint one
per frame after it, ``FRAME_MS`` apart; the preview's smaller parts (the loss curve, the
progress bar, the path) come in frames of their own too. Each stall is one part's, and
the whole window shows the same epoch within a few frames.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

#: between two held-back repaints: longer than a 10 ms timer's interval, so it fires between
FRAME_MS = 12


class Staggered(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: the widgets repainted one per frame after a preview, in this order
        self.widgets: Sequence[QWidget] = ()
        self._queue: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._release_one)

    def run(self, change: Callable[[], None], *later: Callable[[], None]) -> None:
        """Call ``change`` now with the widgets' repaints held; then, one per frame, each
        of ``later`` and each widget's repaint."""
        self.release_all()
        held = [w for w in self.widgets if shiboken6.isValid(w) and w.updatesEnabled()]
        for widget in held:
            widget.setUpdatesEnabled(False)
        self._queue = [*later, *(lambda w=w: _release(w) for w in held)]
        try:
            change()
        finally:
            self._timer.start()

    def release_all(self) -> None:
        """Do everything still queued now (a run ends, the window closes)."""
        self._timer.stop()
        while self._queue:
            self._queue.pop(0)()

    def _release_one(self) -> None:
        if self._queue:
            self._queue.pop(0)()
        if self._queue:
            self._timer.start()


def _release(widget: QWidget) -> None:
    if shiboken6.isValid(widget):
        widget.setUpdatesEnabled(True)  # and repaints it whole
