"""Long work off the GUI thread: a core generator run in a worker thread.

The core's long computations (training, the loss landscape) are plain generators that
yield progress. ``GeneratorTask`` runs one in a Python thread and hands its progress
to the GUI thread without a single cross-thread signal: the worker only stores the
latest item under a lock, and a QTimer on the GUI thread polls it at most
``POLL_MS`` apart (about 30 times a second), so a fast generator can never flood the
event loop, and every view redraws at most once per poll.

Pause, resume and stop take effect at the generator's next ``yield`` (as napari's
``thread_worker`` does); stopping closes the generator, so its ``finally`` blocks run.
The pattern follows Orange's ``concurrent.py``: the task knows no widget, the widget
owns the task and reads what it reports.

Why a thread is enough: the core's loops are numpy calls of a few microseconds each
with the GIL dropped between bytecodes, so Python's switch interval (5 ms) bounds how
long the GUI thread waits for the GIL. ``tests/qt/test_tasks.py`` measures that a
10 ms timer keeps firing while a generator runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

#: how often the GUI thread looks at the worker's latest progress (~30 per second)
POLL_MS = 33

_NOTHING = object()


class GeneratorTask(QObject):
    """Run ``make_generator()`` in a worker thread; report on the GUI thread.

    Signals, all emitted on the GUI thread:

    - ``progressed(item)``: the latest item yielded since the last report (items in
      between are skipped on purpose: the views only need the newest);
    - ``finished(result, stopped)``: the generator's return value (``StopIteration``'s
      value; None when stopped), and whether ``stop()`` ended it early; the last
      ``progressed`` item always comes before it;
    - ``failed(message)``: the generator raised; ``message`` is one line.
    """

    progressed = Signal(object)
    finished = Signal(object, bool)
    failed = Signal(str)

    def __init__(
        self,
        make_generator: Callable[[], Generator[Any, None, Any]],
        parent: QObject | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)
        self._make_generator = make_generator
        self._lock = threading.Lock()
        self._latest: Any = _NOTHING
        self._outcome: tuple[str, Any] | None = None  # ("done" | "stopped" | "failed", value)
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._report)

    # -- control (GUI thread) -------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a GeneratorTask runs once")
        self._thread = threading.Thread(target=self._work, name="rnn-studio-task", daemon=True)
        self._thread.start()
        self._poll.start()

    def pause(self) -> None:
        """Hold the generator at its next yield."""
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        """Close the generator at its next yield; ``finished(None, True)`` follows."""
        self._stop.set()
        self._running.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread has ended (closing a window, tests); then report.

        Returns False if it is still running after ``timeout`` seconds.
        """
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return False
        self._report()
        return True

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._poll.isActive()

    @property
    def is_paused(self) -> bool:
        return not self._running.is_set()

    # -- the worker thread ----------------------------------------------------------------
    def _work(self) -> None:
        outcome: tuple[str, Any]
        try:
            generator = self._make_generator()
            try:
                while True:
                    self._running.wait()
                    if self._stop.is_set():
                        outcome = ("stopped", None)
                        break
                    try:
                        item = next(generator)
                    except StopIteration as done:
                        outcome = ("done", done.value)
                        break
                    with self._lock:
                        self._latest = item
            finally:
                generator.close()
        except Exception as error:  # reported on the GUI thread, never raised into Qt
            outcome = ("failed", _one_line(error))
        with self._lock:
            self._outcome = outcome

    # -- reporting (GUI thread) -----------------------------------------------------------
    def _report(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, _NOTHING
            outcome, self._outcome = self._outcome, None
        if latest is not _NOTHING:
            self.progressed.emit(latest)
        if outcome is None:
            return
        self._poll.stop()
        kind, value = outcome
        if kind == "failed":
            self.failed.emit(value)
        else:
            self.finished.emit(value, kind == "stopped")


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
