"""Worker processes kept ready for background computations (the window's end; no Qt).

Starting a process and importing numpy in it takes a few tenths of a second, longer than
the lecture takes to train, so processes are kept: ``warm_up()`` starts one in the
background when a window opens, ``acquire()`` hands out an idle one (or starts one), and
``release()`` takes it back when its job has ended. A process whose job failed stays in
use; one that died is dropped. ``shutdown()`` (also run at exit) ends them all.

Each ``Worker`` has a reader thread that only moves the bytes its process sends into
``inbox``; unpickling them is left to whoever reads the inbox (the GUI thread, at its
poll), so the reader thread never computes and never competes for the GIL.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import multiprocessing
import threading
from typing import Any

from .worker import serve

#: idle processes kept for the next job
KEEP_IDLE = 2
#: what a worker imports as soon as it starts: the window's jobs are the core's
PRELOAD = ("rnn_studio.core.train", "rnn_studio.core.landscape")

_context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
_idle: list[Worker] = []
_lock = threading.Lock()


class Worker:
    """One worker process, the pipe to it and the thread that reads the pipe."""

    def __init__(self) -> None:
        self.conn, child = _context.Pipe()
        self.process = _context.Process(
            target=serve, args=(child, PRELOAD), name="rnn-studio-worker", daemon=True
        )
        self.process.start()
        child.close()
        #: raw messages from the process, oldest first; ``None`` once the pipe has closed
        self.inbox: collections.deque[bytes | None] = collections.deque()
        #: set whenever something arrives in ``inbox``
        self.arrived = threading.Event()
        self._reader = threading.Thread(target=self._read, name="rnn-studio-reader", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        return self.process.is_alive() and not (self.inbox and self.inbox[-1] is None)

    def send(self, message: Any) -> None:
        self.conn.send(message)

    def _read(self) -> None:
        while True:
            try:
                data = self.conn.recv_bytes()
            except (EOFError, OSError):
                self.inbox.append(None)
                self.arrived.set()
                return
            self.inbox.append(data)
            self.arrived.set()

    def exit_code(self) -> int | None:
        self.process.join(1.0)
        return self.process.exitcode

    def close(self, timeout: float = 1.0) -> None:
        """Ask the process to quit; end it if it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send("quit")
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)
        self.conn.close()


def warm_up() -> None:
    """Have one idle process ready (started in the background; returns at once)."""
    with _lock:
        if not any(w.process.is_alive() for w in _idle):
            _idle.append(Worker())


def acquire() -> Worker:
    """An idle process, or a new one."""
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive:
                return worker
            worker.close(0.1)
    return Worker()


def release(worker: Worker) -> None:
    """Take back a process whose job has ended (closed if enough are idle already)."""
    worker.inbox.clear()
    worker.arrived.clear()
    with _lock:
        if worker.alive and len(_idle) < KEEP_IDLE:
            _idle.append(worker)
            return
    worker.close()


def shutdown() -> None:
    """End every idle process (the ones in use end with their jobs, or at exit)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.close()


atexit.register(shutdown)
