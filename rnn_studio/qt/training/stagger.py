"""Show a training preview over several frames, not all of it in one.

One preview changes the weights everywhere, and Qt repaints every widget that changed in
one go: the diagram, the weights panel, the arithmetic, the table and the plots together
took 25–50 ms, a stall a 10 ms timer (or a student's click) notices. ``Staggered`` runs
the preview itself now and queues the rest, one part per frame ``FRAME_MS`` apart: the
window's heavy views take the new document in frames of their own (``defer``, called by
the window while the preview happens), then the loss curve, the progress bar and the
path. Each stall is one part's, and the whole window shows the same epoch a few frames
later. No widget is ever held back from painting: a grab or an expose mid-run shows
every view, each at most a few frames behind.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

#: between two parts: longer than a 10 ms timer's interval, so it fires in between
FRAME_MS = 12


class Staggered(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: list[Callable[[], None]] = []
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._next)

    @property
    def is_collecting(self) -> bool:
        """True while ``run``'s change happens: parts given to ``defer`` come later."""
        return self._running

    @property
    def is_busy(self) -> bool:
        """Parts of the last preview are still to come (a new one now would do them all
        in one frame: wait for them)."""
        return bool(self._queue)

    def run(self, change: Callable[[], None], *later: Callable[[], None]) -> None:
        """Call ``change`` now; then, one per frame, what it deferred and each of ``later``."""
        self.release_all()
        self._running = True
        try:
            change()
        finally:
            self._running = False
            self._queue.extend(later)
            if self._queue:
                self._timer.start()

    def defer(self, part: Callable[[], None]) -> None:
        """Do ``part`` in a frame of its own after the change going on."""
        self._queue.append(part)

    def release_all(self) -> None:
        """Do everything still queued now (a new preview, the run's end, closing)."""
        self._timer.stop()
        while self._queue:
            self._queue.pop(0)()

    def _next(self) -> None:
        if self._queue:
            self._queue.pop(0)()
        if self._queue:
            self._timer.start()
