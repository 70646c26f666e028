"""Long work off the GUI thread: a core generator run in a worker process.

The core's long computations (training, the loss landscape) are plain generators that
yield progress. ``BackgroundTask`` runs one in a worker process (``rnn_studio.worker``;
the processes are kept ready by ``rnn_studio.workers``) and hands its progress to the GUI
thread without a single cross-thread signal: a QTimer on the GUI thread polls what has
arrived at most ``POLL_MS`` apart (about 30 times a second), so a fast generator can
never flood the event loop, and every view redraws at most once per poll.

Why a process and not a thread: a thread that computes takes the GIL every time the GUI
thread lets go of it, which the GUI thread does at every call into Qt, for up to the
switch interval (5 ms) each time; a repaint of a few hundred Python callbacks then waits
for the worker over and over (measured in issue 9: a 15 ms repaint took 0.5 s, a 10 ms
timer fired 12 times a second). A process shares no GIL with the window.

Pause, resume and stop take effect at the generator's next ``yield`` (as napari's
``thread_worker`` does); stopping closes the generator, so its ``finally`` blocks run.
The pattern follows Orange's ``concurrent.py``: the task knows no widget, the widget
owns the task and reads what it reports. The generator function and its arguments
travel to the process by pickle: a module-level function, plain data.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from .. import workers
from ..worker import one_line

#: how often the GUI thread looks at what the worker has sent (~30 times a second)
POLL_MS = 33


class BackgroundTask(QObject):
    """Run the generator ``function(*args)`` in a worker process; report on the GUI thread.

    Signals, all emitted on the GUI thread, at most once per poll each:

    - ``received(items)``: every item yielded since the last poll, in order (for views
      that need them all: each epoch's loss, each row of a surface);
    - ``progressed(item)``: the newest of them (for views that only need the latest);
    - ``finished(result, stopped)``: the generator's return value (``StopIteration``'s
      value; None when stopped), and whether ``stop()`` ended it early; the last items
      always come before it;
    - ``failed(message)``: the generator raised, or its process died; one line.
    """

    received = Signal(list)
    progressed = Signal(object)
    finished = Signal(object, bool)
    failed = Signal(str)

    def __init__(
        self,
        function: Callable[..., Any],
        *args: Any,
        parent: QObject | None = None,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)
        self._function = function
        self._args = args
        self._worker: workers.Worker | None = None
        self._started = False
        self._ended = False
        self._paused = False
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self._report)

    # -- control (GUI thread) -------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            raise RuntimeError("a BackgroundTask runs once")
        self._started = True
        self._worker = workers.acquire()
        try:
            self._worker.send(("run", self._function, self._args))
        except Exception as error:  # not picklable: a programming error, said in one line
            message = f"cannot start the computation: {one_line(error)}"
            workers.release(self._worker)
            self._worker = None
            self._ended = True
            QTimer.singleShot(0, lambda: self.failed.emit(message))
            return
        self._poll.start()

    def pause(self) -> None:
        """Hold the generator at its next yield."""
        if self._send("pause"):
            self._paused = True

    def resume(self) -> None:
        if self._send("resume"):
            self._paused = False

    def stop(self) -> None:
        """Close the generator at its next yield; ``finished(None, True)`` follows."""
        self._send("stop")
        self._paused = False

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has ended (closing a window, tests), then report it.

        Returns False if it is still running after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.perf_counter() + timeout
        while self._worker is not None and not self._ended:
            worker = self._worker
            worker.arrived.clear()
            self._report()
            if self._ended or self._worker is None:
                break
            left = None if deadline is None else deadline - time.perf_counter()
            if left is not None and left <= 0:
                return False
            worker.arrived.wait(left)
        return True

    @property
    def is_running(self) -> bool:
        return self._started and not self._ended

    @property
    def is_paused(self) -> bool:
        return self._paused and self.is_running

    def _send(self, command: str) -> bool:
        if self._worker is None or self._ended:
            return False
        try:
            self._worker.send(command)
        except (OSError, ValueError):
            return False
        return True

    # -- reporting (GUI thread) -----------------------------------------------------------
    def _report(self) -> None:
        worker = self._worker
        if worker is None:
            return
        items: list[Any] = []
        outcome: tuple[str, Any] | None = None
        while worker.inbox and outcome is None:
            data = worker.inbox.popleft()
            if data is None:
                code = worker.exit_code()
                outcome = ("died", f"the computation's process ended (exit code {code})")
                break
            kind, value = pickle.loads(data)
            if kind == "items":
                items.extend(value)
            else:
                outcome = (kind, value)
        if items:
            self.received.emit(items)
            self.progressed.emit(items[-1])
        if outcome is None:
            return
        self._poll.stop()
        self._ended = True
        self._worker = None
        kind, value = outcome
        if kind == "died":
            worker.close(0.1)
        else:
            workers.release(worker)
        if kind in ("failed", "died"):
            self.failed.emit(value)
        else:
            self.finished.emit(value, kind == "stopped")
