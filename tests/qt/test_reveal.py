"""Reveal, don't spoil: at step 0 nothing of step 1 shows, and while a step animates each
line of its arithmetic and its plot point appear with their phase, forward and backward."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSlider, QTextBrowser

from rnn_studio.qt.diagram.timeline import BACK_APPEAR, phase_times


def action(window, name: str) -> QAction:
    return window.findChild(QAction, name)


def text(window) -> str:
    return window.findChild(QTextBrowser, "arithmeticView").toPlainText()


def plot_points(window) -> list[float]:
    """Every y the state plot draws (solid and faint curves, symbols), finite ones."""
    plot = window.plot
    ys: list[float] = []
    for curve in plot.curves() + plot.faint_curves():
        if not curve.isVisible():
            continue
        _x, y = curve.getData()
        if y is not None:
            ys += [float(v) for v in np.asarray(y) if np.isfinite(v)]
    return ys


def slow(window) -> None:
    window.findChild(QSlider, "speedSlider").setValue(1)  # ~1.5 s per step


def test_at_step_0_nothing_of_step_1_shows(window):
    assert window.session.step == 0
    assert "0.5299" not in text(window) and "0.2299" not in text(window)
    points = plot_points(window)
    assert not any(abs(v - 0.5299) < 5e-4 or abs(v - 0.8791) < 5e-4 for v in points)
    assert window.diagram.node_text("s", 0, 1) == ""


def test_show_the_whole_trace_draws_the_future_for_teachers(window):
    whole = action(window, "actionShowWholeTrace")
    assert whole.isCheckable() and not whole.isChecked()
    whole.setChecked(True)
    points = plot_points(window)
    assert any(abs(v - 0.8791) < 5e-4 for v in points)  # ŷ₂, faint
    whole.setChecked(False)
    assert not any(abs(v - 0.8791) < 5e-4 for v in plot_points(window))


def test_a_step_animating_writes_each_line_when_its_phase_comes(window, qtbot):
    slow(window)
    times = phase_times("rnn")
    action(window, "actionNext").trigger()
    diagram = window.diagram
    assert diagram.is_animating()
    assert "s₁ = tanh" not in text(window)  # the step has just begun
    assert not any(abs(v - 0.5299) < 5e-4 for v in plot_points(window))
    diagram._on_progress(times["s"] + 0.01)  # noqa: SLF001 - a frame of the animation
    assert "= tanh(0.59) = 0.5299" in text(window)
    assert "error" not in text(window) and "ŷ₁" not in text(window)
    diagram._on_progress(times["yhat"] + 0.01)  # noqa: SLF001
    assert "ŷ₁ = s₁ = 0.5299" in text(window) and "error =" not in text(window)
    assert any(abs(v - 0.5299) < 5e-4 for v in plot_points(window))  # ŷ₁ with its phase
    with qtbot.waitSignal(diagram.animationFinished, timeout=4000):
        pass
    assert "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299" in text(window)


def test_a_backward_step_animating_reveals_its_lines_in_order(window, qtbot):
    window.findChild(QSlider, "speedSlider").setValue(11)
    action(window, "actionLast").trigger()
    action(window, "actionBackward").trigger()
    slow(window)
    action(window, "actionNext").trigger()
    diagram = window.diagram
    assert diagram.is_animating()
    assert "∂L/∂ŷ₂" not in text(window)
    diagram._on_progress(BACK_APPEAR["yhat"] + 0.01)  # noqa: SLF001
    assert "∂L/∂ŷ₂ = 2·0.3791/2 = 0.3791" in text(window) and "∂L/∂z₂" not in text(window)
    assert "0.0603" not in text(window)  # the weights' part comes last
    diagram._on_progress(0.99)  # noqa: SLF001
    assert "∂L/∂W += 0.0861·[0.7, 0.9, 0.5299] = [0.0603, 0.0775, 0.0456]" in text(window)
    # leaving mid-animation: the forward pass is whole again
    action(window, "actionBackward").trigger()
    assert "error = ŷ₂ − y = 0.8791 − 0.5 = 0.3791" in text(window)
