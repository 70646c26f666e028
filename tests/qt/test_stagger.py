"""A training preview repaints its heavy widgets one per frame (qt/training/stagger.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from rnn_studio.qt.training.stagger import Staggered


def test_the_change_comes_at_once_the_rest_one_per_frame_in_order(qtbot):
    first, second = QWidget(), QWidget()
    for widget in (first, second):
        qtbot.addWidget(widget)
    stagger = Staggered()
    stagger.widgets = (first, second)
    done: list[str] = []

    def change() -> None:
        done.append("change")
        # while the change happens, the widgets repaint nothing
        assert not first.updatesEnabled() and not second.updatesEnabled()

    stagger.run(change, lambda: done.append("loss curve"), lambda: done.append("path"))
    assert done == ["change"]
    qtbot.waitUntil(lambda: done == ["change", "loss curve"])
    assert not first.updatesEnabled()
    qtbot.waitUntil(lambda: first.updatesEnabled())
    assert done == ["change", "loss curve", "path"] and not second.updatesEnabled()
    qtbot.waitUntil(lambda: second.updatesEnabled())


def test_a_new_preview_or_the_end_of_a_run_does_everything_still_queued(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    stagger = Staggered()
    stagger.widgets = (widget,)
    done: list[int] = []
    stagger.run(lambda: None, lambda: done.append(1))
    stagger.run(lambda: None, lambda: done.append(2))  # the first one's part comes first
    assert done == [1] and not widget.updatesEnabled()
    stagger.release_all()
    assert done == [1, 2] and widget.updatesEnabled()


def test_a_widget_already_held_by_someone_else_is_left_alone(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setUpdatesEnabled(False)
    stagger = Staggered()
    stagger.widgets = (widget,)
    stagger.run(lambda: None)
    stagger.release_all()
    assert not widget.updatesEnabled()
