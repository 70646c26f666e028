"""BackgroundTask: a core generator in a worker process, reported on the GUI thread.

The generators here are module-level functions: they travel to the worker process by
name, as the core's ``train`` and ``landscape_rows`` do.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from rnn_studio.qt.tasks import BackgroundTask


def counting(n: int, log: str | None = None, pause_s: float = 0.0):
    try:
        for i in range(n):
            if pause_s:
                time.sleep(pause_s)
            yield i
        return "all done"
    finally:
        if log is not None:
            Path(log).write_text("closed")


def broken():
    yield 1
    raise ValueError("the loss\nstopped")


def dying():
    yield 1
    os._exit(7)


def niceness():
    yield os.nice(0)


def numpy_loop(seconds: float):
    rng = np.random.default_rng(0)
    w = rng.normal(size=(32, 8))
    s = np.zeros(8)
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for _ in range(200):  # small numpy calls, as the core's step loops make
            s = np.tanh(w[:8] @ s + 0.1)
        yield float(s[0])


def run_to_end(qtbot, task: BackgroundTask, timeout: int = 20_000) -> list:
    got: list = []
    task.received.connect(got.extend)
    with qtbot.waitSignal(task.finished, timeout=timeout) as blocker:
        task.start()
    return [got, *blocker.args]


def test_every_item_and_the_result_reach_the_gui_thread_in_order(qtbot):
    gui = threading.get_ident()
    seen_on: set[int] = set()
    newest: list[int] = []
    task = BackgroundTask(counting, 50_000)
    task.progressed.connect(lambda item: (seen_on.add(threading.get_ident()), newest.append(item)))
    got, result, stopped = run_to_end(qtbot, task)
    assert result == "all done" and stopped is False
    assert got == list(range(50_000))
    assert newest[-1] == 49_999 and newest == sorted(newest)
    assert seen_on == {gui}
    assert not task.is_running


def test_a_fast_generator_is_reported_at_most_once_per_poll(qtbot):
    # 200,000 items would be 200,000 signals; the poll hands them over in batches.
    task = BackgroundTask(counting, 200_000, poll_ms=20)
    reports: list[int] = []
    task.received.connect(lambda items: reports.append(len(items)))
    started = time.perf_counter()
    got, _, _ = run_to_end(qtbot, task)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert sum(reports) == 200_000 and got[-1] == 199_999
    assert len(reports) <= elapsed_ms / 20 + 3


def test_pause_holds_at_a_yield_and_resume_goes_on(qtbot):
    task = BackgroundTask(counting, 10**9, poll_ms=5)
    got: list[int] = []
    task.progressed.connect(got.append)
    task.start()
    qtbot.waitUntil(lambda: len(got) > 0)
    task.pause()
    assert task.is_paused
    qtbot.wait(100)  # the worker reaches its next yield, sends what it had, and holds
    held = got[-1]
    qtbot.wait(100)
    assert got[-1] == held
    task.resume()
    assert not task.is_paused
    qtbot.waitUntil(lambda: got[-1] > held)
    with qtbot.waitSignal(task.finished) as blocker:
        task.stop()
    assert blocker.args == [None, True]


def test_stop_closes_the_generator_and_wait_returns_when_it_has(qtbot, tmp_path):
    log = tmp_path / "log.txt"
    task = BackgroundTask(counting, 10**9, str(log), 0.001)
    ended: list = []
    task.finished.connect(lambda result, stopped: ended.append((result, stopped)))
    task.start()
    qtbot.wait(50)
    task.stop()
    assert task.wait(10.0)
    assert ended == [(None, True)]
    assert log.read_text() == "closed"
    assert not task.is_running


def test_stopping_a_paused_task_ends_it(qtbot):
    task = BackgroundTask(counting, 10**9, None, 0.001)
    task.start()
    qtbot.wait(30)
    task.pause()
    with qtbot.waitSignal(task.finished) as blocker:
        task.stop()
    assert blocker.args == [None, True]


def test_an_exception_in_the_generator_is_one_line_not_a_traceback(qtbot):
    task = BackgroundTask(broken)
    with qtbot.waitSignal(task.failed) as blocker:
        task.start()
    assert blocker.args == ["the loss stopped"]
    # the process that ran it runs the next task
    got, result, _ = run_to_end(qtbot, BackgroundTask(counting, 3))
    assert (got, result) == ([0, 1, 2], "all done")


def test_a_worker_process_that_dies_is_a_message_and_the_next_task_runs(qtbot):
    task = BackgroundTask(dying)
    with qtbot.waitSignal(task.failed, timeout=20_000) as blocker:
        task.start()
    assert "process ended" in blocker.args[0] and "7" in blocker.args[0]
    got, result, _ = run_to_end(qtbot, BackgroundTask(counting, 2))
    assert (got, result) == ([0, 1], "all done")


def test_a_generator_that_cannot_travel_to_the_worker_is_a_message(qtbot):
    task = BackgroundTask(lambda: iter([1]))  # a lambda has no importable name
    with qtbot.waitSignal(task.failed) as blocker:
        task.start()
    assert blocker.args[0] and "\n" not in blocker.args[0]
    assert not task.is_running


def test_a_task_runs_once(qtbot):
    task = BackgroundTask(counting, 1)
    with qtbot.waitSignal(task.finished):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="process priorities are POSIX's nice")
def test_the_worker_yields_the_cpu_to_the_window(qtbot):
    got, _, _ = run_to_end(qtbot, BackgroundTask(niceness))
    assert got[0] > os.nice(0)


def test_a_10ms_timer_keeps_firing_while_numpy_work_runs(qtbot):
    """The GIL trap of issue 9: the worker must not starve the event loop."""
    fired: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: fired.append(time.perf_counter()))
    task = BackgroundTask(numpy_loop, 1.0)
    ticker.start()
    with qtbot.waitSignal(task.finished, timeout=20_000):
        task.start()
    ticker.stop()
    seconds = fired[-1] - fired[0]
    assert len(fired) / seconds >= 20, f"{len(fired)} ticks in {seconds:.2f} s"
