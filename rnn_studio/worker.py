"""The worker process's side of a background computation (no Qt here).

The window's long computations (training, the loss landscape) are core generators. They
run in a separate process, not in a thread of the window's: a Python thread that computes
holds the GIL for up to the switch interval every time the GUI thread lets go of it, and
the GUI thread lets go of it at every call into Qt, so a repaint of a few hundred Python
callbacks waited for the worker over and over (measured: a 10 ms timer fired 16 times in
1.3 s, a repaint of 15 ms took 0.5 s). A process shares no GIL.

``serve`` is the process's main loop: it receives ``("run", function, args)``, calls
``function(*args)`` (a generator function importable by name) and sends back, as pickled
bytes:

- ``("items", [item, …])``: every item yielded, in order, in batches at most
  ``BATCH_S`` apart (one message per item would cost more than a training epoch);
- then exactly one of ``("done", return value)``, ``("stopped", None)`` or
  ``("failed", one-line message)``.

Between two items it reads the commands ``"pause"``, ``"resume"`` and ``"stop"``: pause
holds the generator at its yield until resume or stop; stop closes the generator, so its
``finally`` blocks run. Commands that arrive after a job has ended are ignored.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

#: the longest an item waits in the worker before it is sent (seconds) ...
BATCH_S = 0.01
#: ... and the most items one message carries
BATCH_MAX = 1000

#: how much lower the worker's scheduling priority is than the window's (POSIX ``nice``)
NICENESS = 4

COMMANDS = ("pause", "resume", "stop")


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def serve(conn: Connection, preload: tuple[str, ...] = ()) -> None:
    """Run jobs one after the other until ``"quit"`` or the window's end of the pipe closes.

    ``preload`` names modules to import at once (numpy and the core take a few tenths of a
    second), so that the first job does not wait for them.
    """
    _be_nice()
    for name in preload:
        importlib.import_module(name)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        except Exception as error:  # a job that cannot be unpickled here
            _send(conn, ("failed", f"cannot start the computation: {one_line(error)}"))
            continue
        if message == "quit":
            return
        if message in COMMANDS:
            continue  # meant for a job that has ended already
        _kind, function, args = message
        try:
            run_job(conn, function, args)
        except (EOFError, OSError, KeyboardInterrupt):
            return


def run_job(conn: Connection, function: Callable[..., Any], args: tuple) -> None:
    """Run one generator to its end, its stop or its failure, reporting through ``conn``."""
    batch: list[Any] = []
    sent = time.perf_counter()

    def flush() -> None:
        nonlocal batch, sent
        if batch:
            _send(conn, ("items", batch))
            batch = []
        sent = time.perf_counter()

    try:
        generator = function(*args)
    except Exception as error:
        _send(conn, ("failed", one_line(error)))
        return
    try:
        while True:
            if conn.poll() and _should_stop(conn, flush):
                generator.close()
                flush()
                _send(conn, ("stopped", None))
                return
            try:
                item = next(generator)
            except StopIteration as done:
                flush()
                _send(conn, ("done", done.value))
                return
            batch.append(item)
            if len(batch) >= BATCH_MAX or time.perf_counter() - sent >= BATCH_S:
                flush()
    except (EOFError, OSError, KeyboardInterrupt):
        raise
    except Exception as error:  # the items not sent yet are dropped with the job
        _send(conn, ("failed", one_line(error)))
    finally:
        generator.close()


def _should_stop(conn: Connection, flush: Callable[[], None]) -> bool:
    """Read the commands waiting; while paused, wait for the next. True: stop the job."""
    paused = False
    while True:
        command = conn.recv()
        if command == "stop":
            return True
        if command == "pause":
            if not paused:
                flush()  # what was done before the pause is shown while it holds
            paused = True
        elif command == "resume":
            paused = False
        if not paused and not conn.poll():
            return False


def _be_nice() -> None:
    """Give the window the CPU first when every core is busy (POSIX; elsewhere the process
    keeps the normal priority). Mildly: a much lower priority would starve the training
    itself on a machine busy with other work."""
    nice = getattr(os, "nice", None)
    if nice is not None:
        with contextlib.suppress(OSError):
            nice(NICENESS)


def _send(conn: Connection, message: tuple) -> None:
    conn.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
