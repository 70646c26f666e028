"""The diagram in the backward pass: gradients where the values are, revealed right to
left as the error signal passes each step, and the forward pass back where it was."""

from __future__ import annotations

import pytest

from rnn_studio import examples
from rnn_studio.core import backprop
from rnn_studio.qt.diagram import DiagramView
from rnn_studio.qt.diagram.gradients import grad_compact as compact


@pytest.fixture
def view(qtbot):
    v = DiagramView()
    qtbot.addWidget(v)
    v.resize(760, 460)
    v.show()
    qtbot.waitExposed(v)
    return v


def show(view: DiagramView, doc):
    trace = doc.trace()
    view.show_document(doc, trace)
    return trace, backprop(trace)


def test_the_signal_reveals_the_lectures_gradients_from_the_end(view):
    trace, backward = show(view, examples.lecture())
    view.set_step(1)
    view.show_backward(backward, 0)
    # the forward pass is complete on screen, no gradient yet
    assert view.node_text("s", 0, 2) == "0.8791"
    assert view.grad_text("s", 0, 2) == "" and view.grad_text("yhat", 0, 2) == ""
    view.show_backward(backward, 1)
    assert view.grad_text("yhat", 0, 2) == "0.3791"
    assert view.grad_text("s", 0, 2) == "0.3791"
    assert view.grad_text("s", 0, 1) == ""  # step 1 not reached: absent, not faint
    view.show_backward(backward, 2)
    assert view.grad_text("s", 0, 1) == "0.2643"
    assert view.grad_text("s", 0, 0) == "0.0760"  # ∂L/∂s₀
    view.show_backward(None)
    assert view.step() == 1 and view.grad_text("s", 0, 2) == ""
    assert view.node_text("s", 0, 2) == ""  # forward at step 1 again: step 2 not computed


@pytest.mark.parametrize("name", ["lstm-by-hand", "gru-by-hand", "memory"])
def test_every_cell_shows_its_state_cell_and_gate_gradients(view, name):
    trace, backward = show(view, examples.example(name))
    T = trace.T
    view.show_backward(backward, T)
    for t in range(1, T + 1):
        for j in range(trace.spec.h):
            assert view.grad_text("s", j, t) == compact(backward.d_state[t - 1, j])
            if trace.cells is not None:
                assert view.grad_text("c", j, t) == compact(backward.d_cell[t - 1, j])
            for gate in trace.gates:
                expected = compact(backward.deltas[gate][t - 1, j])
                assert view.grad_text("gate", j, t, gate) == expected
    if trace.cells is not None:
        assert view.grad_text("c", 0, 0) == compact(backward.totals["initial_cell"][0])


def test_a_backward_step_animates_right_to_left(view, qtbot):
    trace, backward = show(view, examples.lstm_by_hand())
    view.set_animation_duration(400)
    view.show_backward(backward, 0)
    view.show_backward(backward, 1, animate=True)
    item = view.item()
    assert view.is_animating() and item.back_anim == 2
    item.back_progress = 0.2  # the output's part has arrived, not yet the state's
    assert view.grad_text("yhat", 0, 2) != "" and view.grad_text("s", 0, 2) == ""
    assert view.grad_text("c", 0, 2) == ""
    with qtbot.waitSignal(view.animationFinished, timeout=3000):
        pass
    assert view.grad_text("s", 0, 2) == compact(backward.d_state[1, 0])
    assert view.grad_text("c", 0, 2) == compact(backward.d_cell[1, 0])
    assert view.grad_text("s", 0, 1) == ""


def test_the_signal_band_is_as_wide_as_the_signal_and_coloured_by_its_sign(view):
    trace, backward = show(view, examples.lecture())
    view.show_backward(backward, 2)
    item = view.item()
    states, _ = item.signal_into_previous(2)
    assert states[0] == pytest.approx(0.4 * backward.deltas["z"][1, 0])  # 0.4·0.0861
    narrow = item._signal_pen(states[0])  # noqa: SLF001
    wide = item._signal_pen(backward.totals["initial_state"][0])  # noqa: SLF001
    assert wide.widthF() > narrow.widthF()
    assert item._signal_pen(-0.1).color().name() != item._signal_pen(0.1).color().name()  # noqa: SLF001
    view.viewport().grab()  # paints without error
