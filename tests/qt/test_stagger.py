"""A training preview is shown over several frames (qt/training/stagger.py)."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from rnn_studio.qt.training.stagger import FRAME_MS, Staggered


def test_the_change_comes_at_once_then_what_it_deferred_then_the_rest(qtbot):
    stagger = Staggered()
    done: list[str] = []

    def change() -> None:
        done.append("preview")
        assert stagger.is_collecting
        stagger.defer(lambda: done.append("diagram"))
        stagger.defer(lambda: done.append("plot"))

    stagger.run(change, lambda: done.append("loss curve"))
    assert done == ["preview"] and not stagger.is_collecting
    qtbot.waitUntil(lambda: len(done) == 2)
    assert done == ["preview", "diagram"]
    qtbot.waitUntil(lambda: len(done) == 4)
    assert done == ["preview", "diagram", "plot", "loss curve"]


def test_a_timer_fires_between_two_parts(qtbot):
    """Each part is its own stall: a 10 ms timer gets its turn in between."""
    stagger = Staggered()
    log: list[str] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: log.append("tick"))
    ticker.start()
    qtbot.waitUntil(lambda: "tick" in log)
    log.clear()
    stagger.run(lambda: log.append("preview"), lambda: log.append("a"), lambda: log.append("b"))
    qtbot.waitUntil(lambda: "b" in log, timeout=10 * FRAME_MS + 2000)
    ticker.stop()
    parts = log[log.index("a") : log.index("b")]
    assert "tick" in parts, log


def test_a_new_preview_or_the_end_of_a_run_does_everything_still_queued(qtbot):
    stagger = Staggered()
    done: list[int] = []
    stagger.run(lambda: None, lambda: done.append(1))
    stagger.run(lambda: done.append(2), lambda: done.append(3))  # the first one's part first
    assert done == [1, 2]
    stagger.release_all()
    assert done == [1, 2, 3]
