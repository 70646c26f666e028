"""GeneratorTask: a core generator in a worker thread, reported on the GUI thread."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from rnn_studio.qt.tasks import GeneratorTask


def counting(n: int, log: list[str] | None = None, gate: threading.Event | None = None):
    try:
        for i in range(n):
            if gate is not None:
                gate.wait()
            yield i
        return "all done"
    finally:
        if log is not None:
            log.append("closed")


def run_to_end(qtbot, task: GeneratorTask, timeout: int = 10_000) -> list:
    got: list = []
    task.progressed.connect(got.append)
    with qtbot.waitSignal(task.finished, timeout=timeout) as blocker:
        task.start()
    return [got, *blocker.args]


def test_the_result_and_the_last_item_reach_the_gui_thread(qtbot):
    gui = threading.get_ident()
    seen_on: set[int] = set()
    task = GeneratorTask(lambda: counting(50_000))
    task.progressed.connect(lambda _: seen_on.add(threading.get_ident()))
    got, result, stopped = run_to_end(qtbot, task)
    assert result == "all done" and stopped is False
    assert got[-1] == 49_999
    assert seen_on == {gui}


def test_a_fast_generator_is_reported_at_most_once_per_poll(qtbot):
    # 200,000 items would be 200,000 signals; polling reports only the newest ones.
    task = GeneratorTask(lambda: counting(200_000), poll_ms=20)
    started = time.perf_counter()
    got, _, _ = run_to_end(qtbot, task)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert got == sorted(got) and got[-1] == 199_999
    assert len(got) <= elapsed_ms / 20 + 3


def test_pause_holds_at_a_yield_and_resume_goes_on(qtbot):
    task = GeneratorTask(lambda: counting(10**9), poll_ms=5)
    got: list[int] = []
    task.progressed.connect(got.append)
    task.start()
    qtbot.waitUntil(lambda: len(got) > 0)
    task.pause()
    qtbot.wait(50)  # the worker reaches its next yield and holds
    held = got[-1]
    qtbot.wait(60)
    assert got[-1] <= held + 1  # at most the one item already in flight
    assert task.is_paused
    task.resume()
    qtbot.waitUntil(lambda: got[-1] > held + 1)
    with qtbot.waitSignal(task.finished) as blocker:
        task.stop()
    assert blocker.args == [None, True]


def test_stop_closes_the_generator(qtbot):
    log: list[str] = []
    gate = threading.Event()
    task = GeneratorTask(lambda: counting(10, log, gate))
    task.start()
    with qtbot.waitSignal(task.finished) as blocker:
        task.stop()
        gate.set()
    assert blocker.args == [None, True]
    assert log == ["closed"]
    assert not task.is_running


def test_an_exception_in_the_generator_is_one_line_not_a_traceback(qtbot):
    def broken():
        yield 1
        raise ValueError("the loss\nstopped")

    task = GeneratorTask(broken)
    with qtbot.waitSignal(task.failed) as blocker:
        task.start()
    assert blocker.args == ["the loss stopped"]


def test_a_task_runs_once(qtbot):
    task = GeneratorTask(lambda: counting(1))
    with qtbot.waitSignal(task.finished):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()


def test_a_10ms_timer_keeps_firing_while_numpy_work_runs(qtbot):
    """The GIL trap of issue 9: the worker must not starve the event loop."""

    def numpy_loop():
        rng = np.random.default_rng(0)
        w = rng.normal(size=(32, 8))
        s = np.zeros(8)
        deadline = time.perf_counter() + 1.0
        while time.perf_counter() < deadline:
            for _ in range(200):  # small numpy calls, as the core's step loops make
                s = np.tanh(w[:8] @ s + 0.1)
            yield float(s[0])

    fired: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: fired.append(time.perf_counter()))
    task = GeneratorTask(numpy_loop)
    ticker.start()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        task.start()
    ticker.stop()
    seconds = fired[-1] - fired[0]
    assert len(fired) / seconds >= 20, f"{len(fired)} ticks in {seconds:.2f} s"
