"""The backward pass in the window, driven by objectName as a user does: the player's
signed direction, the lecture's backward numbers step by step in the arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QSlider, QTextBrowser, QToolBar, QWidget

from rnn_studio import examples


def action(window, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def arithmetic(window) -> str:
    return window.findChild(QTextBrowser, "arithmeticView").toPlainText()


def slider(window) -> QSlider:
    return window.findChild(QSlider, "stepSlider")


def no_animation(window) -> None:
    window.findChild(QSlider, "speedSlider").setValue(11)


def test_the_backward_action_is_in_the_play_menu_and_the_toolbar_with_ctrl_b(window):
    backward = action(window, "actionBackward")
    assert backward.isCheckable() and backward.shortcut().toString() == "Ctrl+B"
    play = next(m for m in window.findChildren(QMenu) if m.title() == "&Play")
    assert backward in play.actions()
    assert backward in window.findChild(QToolBar, "playerToolBar").actions()


def test_the_lectures_backward_pass_step_by_step(window):
    no_animation(window)
    action(window, "actionNext").trigger()  # forward at step 1
    action(window, "actionBackward").trigger()
    assert slider(window).value() == 0 and slider(window).maximum() == 2
    assert " = " not in arithmetic(window).split("L = ")[1]  # no backward number yet
    assert "starts at step 2" in arithmetic(window)
    action(window, "actionNext").trigger()  # the signal passes step 2
    text = arithmetic(window)
    assert slider(window).value() == 1
    for line in (
        "∂L/∂ŷ₂ = 2·0.3791/2 = 0.3791",
        "∂L/∂s₂ = 0.3791",
        "∂L/∂z₂ = 0.3791·(1 − 0.8791²) = 0.0861",
        "∂L/∂W += 0.0861·[0.7, 0.9, 0.5299] = [0.0603, 0.0775, 0.0456]",
        "∂L/∂b += 0.0861",
    ):
        assert line in text
    assert "∂L/∂s₁" not in text  # step 1's signal is not computed yet: no spoiler
    assert window.diagram.grad_text("s", 0, 1) == ""
    action(window, "actionNext").trigger()  # on to step 1
    text = arithmetic(window)
    assert "∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643" in text
    assert "∂L/∂W += 0.1901·[0.1, 0.4, 0] = [0.0190, 0.0760, 0]" in text
    assert "∂L/∂s₀ = 0.4·0.1901 = 0.0760" in text
    assert not action(window, "actionNext").isEnabled()
    assert window.findChild(QLabel, "stepLabel").text() == "back 2 of 2"
    action(window, "actionPrev").trigger()
    assert slider(window).value() == 1 and "∂L/∂s₁" not in arithmetic(window)
    action(window, "actionFirst").trigger()
    assert slider(window).value() == 0 and "∂L/∂ŷ₂ =" not in arithmetic(window)
    action(window, "actionLast").trigger()
    assert "∂L/∂s₀ = 0.4·0.1901 = 0.0760" in arithmetic(window)
    slider(window).setValue(1)
    assert "∂L/∂z₂ = 0.3791·(1 − 0.8791²) = 0.0861" in arithmetic(window)
    # unchecking returns to the forward pass where it was
    action(window, "actionBackward").trigger()
    assert window.session.cursor.phase == "forward"
    assert slider(window).value() == 1 and "∂L/∂" not in arithmetic(window)
    assert "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4)" in arithmetic(window)
    assert window.diagram.node_text("s", 0, 2) == ""


def test_ctrl_b_switches_and_play_runs_the_signal_to_the_start(window, qtbot):
    window.open_example("sine")
    no_animation(window)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert window.session.cursor.backward
    action(window, "actionPlay").trigger()
    T = window.session.trace.T
    qtbot.waitUntil(lambda: slider(window).value() == T, timeout=5000)
    qtbot.waitUntil(lambda: not action(window, "actionPlay").isChecked(), timeout=2000)
    assert "∂L/∂s₀" in arithmetic(window)


def test_an_edit_in_the_backward_pass_shows_the_new_gradients(window):
    no_animation(window)
    action(window, "actionBackward").setChecked(True)
    action(window, "actionLast").trigger()
    window.session.edit(lambda d: d.with_cell_value(1, 2, "0.6"), "target")
    text = arithmetic(window)
    assert "∂L/∂ŷ₂ = 2·0.2791/2 = 0.2791" in text  # e₂ = 0.8791 − 0.6
    assert window.session.cursor.backward and slider(window).value() == 2


def test_entering_the_backward_pass_at_every_cell(window):
    no_animation(window)
    for name in ("lstm-by-hand", "gru-by-hand", "memory"):
        window.open_example(name)
        doc = examples.example(name)
        assert not window.session.cursor.backward  # opening returns to the forward pass
        action(window, "actionBackward").setChecked(True)
        action(window, "actionNext").trigger()
        T = doc.T
        text = arithmetic(window)
        assert f"Step {T}, backward" in text and f"∂L/∂s{_sub(T)}" in text
        action(window, "actionBackward").setChecked(False)


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# -- gradients beside the weights ---------------------------------------------------------


def grad_labels(window) -> dict[str, str]:
    return {
        label.objectName(): label.text()
        for label in window.findChildren(QLabel)
        if label.objectName().startswith("grad:") and label.isVisibleTo(window)
    }


def test_the_lectures_gradients_accumulate_beside_the_weights(window):
    no_animation(window)
    assert grad_labels(window) == {}  # forward: the Model panel as it always was
    action(window, "actionBackward").trigger()
    assert grad_labels(window) == {
        "grad:W:0:0": "0",
        "grad:W:0:1": "0",
        "grad:W:0:2": "0",
        "grad:b:0": "0",
        "grad:initial_state:0": "—",  # known when the signal reaches s₀
    }
    action(window, "actionNext").trigger()  # step 2's part: 0.0861·[0.7, 0.9, 0.5299]
    assert grad_labels(window) == {
        "grad:W:0:0": "0.0603",
        "grad:W:0:1": "0.0775",
        "grad:W:0:2": "0.0456",
        "grad:b:0": "0.0861",
        "grad:initial_state:0": "—",
    }
    action(window, "actionNext").trigger()  # + step 1's: the totals of trace --grad
    assert grad_labels(window) == {
        "grad:W:0:0": "0.0793",
        "grad:W:0:1": "0.1535",
        "grad:W:0:2": "0.0456",
        "grad:b:0": "0.2762",
        "grad:initial_state:0": "0.0760",
    }
    label = window.findChild(QLabel, "grad:W:0:0")
    assert label.palette().color(label.foregroundRole()).name() == "#2f7fe0"  # positive: blue
    action(window, "actionBackward").trigger()
    assert grad_labels(window) == {}


def _expected_totals(doc) -> dict[str, str]:
    from rnn_studio.core import backprop
    from rnn_studio.explain import fmt

    totals = backprop(doc.trace()).totals
    out = {}
    for name, values in totals.items():
        a = np.asarray(values)
        for index in np.ndindex(a.shape):
            out["grad:" + name + "".join(f":{i}" for i in index)] = fmt(a[index], 4)
    return out


@pytest.mark.parametrize(
    "make",
    [
        lambda: examples.lstm_by_hand(),
        lambda: examples.gru_by_hand(),
        lambda: examples.memory(),
        lambda: examples.sine().with_hidden_size(2).with_readout("linear"),
        lambda: examples.lstm_by_hand().with_hidden_size(2).with_readout("linear"),
    ],
    ids=["lstm", "gru", "memory", "rnn-linear-h2", "lstm-linear-h2"],
)
def test_at_the_end_the_labels_are_the_totals_of_trace_grad(window, tmp_path, make):
    from rnn_studio.io import write_project

    path = tmp_path / "model.rnn.json"
    write_project(make(), path)
    window.open_path(path)
    doc = window.session.document
    no_animation(window)
    action(window, "actionBackward").setChecked(True)
    action(window, "actionLast").trigger()
    expected = _expected_totals(doc)
    assert grad_labels(window) == expected
    assert any(k.startswith("grad:initial_state") for k in expected)
    # half way, the labels hold the sum over the steps passed
    T = doc.T
    slider(window).setValue(T // 2)
    from rnn_studio.core import backprop
    from rnn_studio.explain import fmt

    sums = backprop(doc.trace()).running_sum(T - T // 2 + 1)
    first = next(iter(sums))
    index = (0,) * np.asarray(sums[first]).ndim
    name = "grad:" + first + "".join(f":{i}" for i in index)
    assert grad_labels(window)[name] == fmt(np.asarray(sums[first])[index], 4)


# -- check gradients --------------------------------------------------------------------


def _open_check(window, qtbot):
    from PySide6.QtWidgets import QDialog, QTableWidget

    action(window, "actionGradCheck").trigger()
    dialog = window.findChild(QDialog, "gradCheckDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.findChild(QTableWidget, "gradCheckTable")
    return dialog, table


def test_check_gradients_compares_every_entry_with_a_central_difference(window, qtbot):
    from rnn_studio.core import backprop

    dialog, table = _open_check(window, qtbot)
    assert [table.horizontalHeaderItem(c).text() for c in range(4)] == [
        "parameter",
        "backprop",
        "central difference",
        "relative difference",
    ]
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["W[1, 1]", "W[1, 2]", "W[1, 3]", "b[1]", "initial_state[1]"]
    totals = backprop(window.session.trace).totals
    ups = [float(totals["W"][0, j]) for j in range(3)] + [float(totals["b"][0])]
    ups.append(float(totals["initial_state"][0]))
    for r, expected in enumerate(ups):
        got = table.item(r, 1).data(Qt.ItemDataRole.UserRole)
        numeric = table.item(r, 2).data(Qt.ItemDataRole.UserRole)
        assert got == expected
        assert abs(numeric - expected) < 1e-8
        assert table.item(r, 3).data(Qt.ItemDataRole.UserRole) < 1e-6
    assert table.item(0, 1).text() == "0.07928755"  # the slide's 0.0793, to 8 decimals
    assert "agree" in dialog.findChild(QLabel, "gradCheckSummary").text()
    dialog.close()


def test_check_gradients_follows_the_document_and_every_cell(window, qtbot):
    window.open_example("lstm-by-hand")
    dialog, table = _open_check(window, qtbot)
    # 4 gates × (3 weights + 1 bias) + s₀ + c₀
    assert table.rowCount() == 4 * 4 + 2
    assert table.item(table.rowCount() - 1, 0).text() == "initial_cell[1]"
    dialog.close()
    window.open_example("gru-by-hand")
    dialog, table = _open_check(window, qtbot)
    assert table.rowCount() == 3 * 4 + 1 + 1  # W_r, b_r, W_z, b_z, W_n, b_n, b_nh; s₀
    worst = max(table.item(r, 3).data(Qt.ItemDataRole.UserRole) for r in range(table.rowCount()))
    assert worst < 1e-6
    dialog.close()


# -- the gradient plot: vanishing and exploding -------------------------------------------


def _gradient_plot(window, qtbot):
    from PySide6.QtWidgets import QDockWidget

    dock = window.findChild(QDockWidget, "gradientDock")
    dock.show()
    dock.raise_()
    plot = window.findChild(QWidget, "gradientPlot")
    qtbot.waitUntil(plot.isVisible, timeout=2000)
    return plot


def test_the_gradient_plot_shows_the_steps_the_signal_passed(window, qtbot):
    from rnn_studio.core import backprop

    no_animation(window)
    plot = _gradient_plot(window, qtbot)
    assert plot.getPlotItem().ctrl.logYCheck.isChecked()  # a log axis
    t, norms, shares = plot.data()
    assert len(t) == 0  # forward: nothing of the backward pass
    action(window, "actionBackward").trigger()
    assert len(plot.data()[0]) == 0  # k = 0: the signal has passed no step yet
    action(window, "actionNext").trigger()
    backward = backprop(window.session.trace)
    t, norms, shares = plot.data()
    assert list(t) == [2.0] and norms[0] == backward.state_norms[1]
    action(window, "actionNext").trigger()
    t, norms, shares = plot.data()
    assert list(t) == [1.0, 2.0]
    np.testing.assert_array_equal(norms, backward.state_norms)
    np.testing.assert_array_equal(shares, backward.weight_shares)
    assert norms[0] == pytest.approx(0.2643, abs=5e-5)  # the slide's ∂L/∂s₁


def test_the_vanishing_example_vanishes_and_explodes(window, qtbot):
    from PySide6.QtWidgets import QDoubleSpinBox

    window.open_example("vanishing")
    no_animation(window)
    plot = _gradient_plot(window, qtbot)
    action(window, "actionBackward").trigger()
    action(window, "actionLast").trigger()
    t, norms, _shares = plot.data()
    T = window.session.trace.T
    assert 40 <= T <= 60 and list(t) == list(range(1, T + 1))
    # s_t = u·x_t + w·s_{t-1}: the signal is multiplied by w = 0.5 at every step back
    assert norms[0] / norms[-1] == pytest.approx(0.5 ** (T - 1), rel=1e-9)
    spin = window.findChild(QDoubleSpinBox, "param:W:0:1")
    spin.setValue(1.5)  # the student turns the recurrent weight up
    t, norms, _shares = plot.data()
    assert window.session.document.params["W"][0, 1] == 1.5
    assert norms[0] / norms[-1] == pytest.approx(1.5 ** (T - 1), rel=1e-9)  # exploding


def test_the_forward_pass_never_computes_the_gradients(window):
    """Lazy: stepping and editing forward, with every dock shown, no backward pass."""
    no_animation(window)
    action(window, "actionNext").trigger()
    window.session.edit(lambda d: d.with_cell_value(0, 0, "0.2"), "edit")
    action(window, "actionLast").trigger()
    assert window.session.backward_count == 0
    action(window, "actionBackward").trigger()
    assert window.session.backward_count == 1
