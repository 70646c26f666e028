"""Reveal, don't spoil (issue 8) in the status bar's loss and the state plot's y range: both
count the steps computed so far, all of them once the last step is shown, in the backward
pass, or while View ▸ Show the whole trace is on. The plot reads each edit's Change from
the session instead of comparing traces itself."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSlider

from rnn_studio.examples import lecture
from rnn_studio.qt import analysis
from rnn_studio.qt.diagram.timeline import phase_times
from rnn_studio.qt.loss_label import loss_so_far
from rnn_studio.qt.plot import StatePlot
from rnn_studio.qt.session import Session

# the lecture: ŷ = 0.5299, 0.8791 against the targets 0.3, 0.5
E1, E2 = 0.52989561 - 0.3, 0.87913771 - 0.5


def loss_text(window) -> str:
    return window.findChild(QLabel, "lossLabel").text()


def goto(window, t: int) -> None:
    window.findChild(QSlider, "stepSlider").setValue(t)


def action(window, name: str) -> QAction:
    return window.findChild(QAction, name)


def y_range(plot) -> tuple[float, float]:
    lo, hi = plot.getPlotItem().vb.viewRange()[1]
    return float(lo), float(hi)


def test_the_loss_counts_the_steps_computed_so_far(window) -> None:
    assert window.session.step == 0
    assert loss_text(window) == "loss —"
    assert "No step computed yet" in window.loss_label.toolTip()
    goto(window, 1)
    assert loss_text(window) == f"loss {E1**2:.4f} so far" == "loss 0.0529 so far"
    assert "steps 1..1" in window.loss_label.toolTip()
    goto(window, 2)
    assert loss_text(window) == "loss 0.0983"  # the whole sequence's: (e₁² + e₂²) / 2
    assert repr(window.session.trace.loss) in window.loss_label.toolTip()
    goto(window, 0)
    assert loss_text(window) == "loss —"


def test_the_whole_trace_and_the_backward_pass_show_the_whole_loss(window) -> None:
    whole = action(window, "actionShowWholeTrace")
    whole.setChecked(True)
    assert loss_text(window) == "loss 0.0983"
    whole.setChecked(False)
    assert loss_text(window) == "loss —"
    action(window, "actionLast").trigger()
    action(window, "actionBackward").trigger()
    assert window.session.cursor.backward
    action(window, "actionFirst").trigger()  # back to the end: the error signal at T
    assert loss_text(window) == "loss 0.0983"


def test_an_animated_step_shows_its_loss_when_its_output_appears(window, qtbot) -> None:
    window.findChild(QSlider, "speedSlider").setValue(1)  # slow: the test drives the frames
    action(window, "actionNext").trigger()
    diagram = window.diagram
    assert diagram.is_animating()
    assert loss_text(window) == "loss —"  # step 1 has just begun
    times = phase_times("rnn")
    diagram._on_progress(times["s"] + 0.01)  # noqa: SLF001 - a frame of the animation
    assert loss_text(window) == "loss —"  # s₁ is there, ŷ₁ is not yet
    diagram._on_progress(times["yhat"] + 0.01)  # noqa: SLF001
    assert loss_text(window) == "loss 0.0529 so far"
    with qtbot.waitSignal(diagram.animationFinished, timeout=4000):
        pass
    assert loss_text(window) == "loss 0.0529 so far"


def test_an_edit_updates_the_loss_so_far(window) -> None:
    goto(window, 1)
    model = window.table.model()
    model.setData(model.index(0, 2), "0.5")  # y₁ = 0.5: e₁ = 0.0299
    assert loss_text(window) == f"loss {(0.52989561 - 0.5) ** 2:.4f} so far"
    model.setData(model.index(0, 2), "")  # no target at step 1: nothing to average yet
    assert loss_text(window) == "loss —"
    assert "No target in steps 1..1" in window.loss_label.toolTip()


@pytest.mark.parametrize("t", [0, 1, 2])
def test_loss_so_far_is_the_mean_over_the_targets_seen(t) -> None:
    trace = lecture().trace()
    loss, count = loss_so_far(trace, t)
    expected = [None, E1**2, (E1**2 + E2**2) / 2][t]
    assert count == t
    assert loss == (None if t == 0 else pytest.approx(expected, rel=1e-7))
    if t == trace.T:
        assert loss == trace.loss  # the core's number itself, to the digit


def test_the_plots_y_range_fits_the_computed_points_only(window, qtbot) -> None:
    plot = window.plot
    qtbot.waitUntil(plot.isVisible)
    lo, hi = y_range(plot)
    assert lo <= 0.3 and 0.5 <= hi < 0.52989561  # the targets, not ŷ₁ nor ŷ₂ yet
    goto(window, 1)
    lo, hi = y_range(plot)
    assert 0.52989561 < hi < 0.87913771  # ŷ₁ in view, ŷ₂ still not
    goto(window, 2)
    assert y_range(plot)[1] > 0.87913771
    goto(window, 0)
    assert y_range(plot)[1] < 0.52989561  # (the range shrinks back with the points)
    action(window, "actionShowWholeTrace").setChecked(True)
    assert y_range(plot)[1] > 0.87913771  # a teacher's view: every point fits
    action(window, "actionShowWholeTrace").setChecked(False)
    assert y_range(plot)[1] < 0.52989561


def test_the_plot_reads_the_sessions_change_instead_of_comparing_traces(qtbot, monkeypatch) -> None:
    session = Session(lecture())
    plot = StatePlot()
    qtbot.addWidget(plot)
    session.setParent(plot)
    plot.follow(session)
    plot.show_document(session.document, session.trace)
    plot.set_step(2)
    session.documentChanged.connect(lambda _s: plot.show_document(session.document, session.trace))
    calls = []
    real = analysis.changed_steps

    def counted(old, new):
        calls.append(1)
        return real(old, new)

    monkeypatch.setattr(analysis, "changed_steps", counted)
    assert session.edit(lambda d: d.with_cell_value(1, 0, 0.1), "edit x at t = 2")
    assert len(calls) == 1  # the session's own, once for the edit
    expected = session.trace.outputs[:, 0]
    np.testing.assert_allclose(plot.curves()[0].getData()[1], expected)
