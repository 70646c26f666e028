"""spec/model.md "The backward pass stepped through": the lecture's numbers, to the digit."""

from __future__ import annotations

import numpy as np

from rnn_studio.core import backprop, gradient_check, loss_and_gradients
from rnn_studio.examples import lecture


def _r(a) -> list[float]:
    return [round(float(v), 4) for v in np.ravel(a)]


def test_the_lecture_backward_table():
    trace = lecture().trace()
    grads = backprop(trace)
    # t = 2: ∂L/∂ŷ₂ = e₂, nothing from a later step
    assert _r(grads.d_output[:, 0]) == [0.2299, 0.3791]
    assert _r(grads.d_state[1]) == [0.3791]
    assert grads.d_state_from_next[1, 0] == 0.0
    assert _r(grads.deltas["z"][1]) == [0.0861]
    step2 = grads.contribution(2)
    assert _r(step2["W"]) == [0.0603, 0.0775, 0.0456]
    assert _r(step2["b"]) == [0.0861]
    # t = 1: own 0.2299 + 0.4·0.0861 from step 2
    assert _r(grads.d_state_from_output[0]) == [0.2299]
    assert grads.d_state_from_next[0, 0] == 0.4 * grads.deltas["z"][1, 0]
    assert _r(grads.d_state[0]) == [0.2643]
    assert _r(grads.deltas["z"][0]) == [0.1901]
    step1 = grads.contribution(1)
    assert _r(step1["W"]) == [0.0190, 0.0760, 0.0]
    assert _r(step1["b"]) == [0.1901]
    # totals, and the running sum once the pass has left step 2
    assert _r(grads.totals["W"]) == [0.0793, 0.1535, 0.0456]
    assert _r(grads.totals["b"]) == [0.2762]
    assert _r(grads.totals["initial_state"]) == [0.0760]
    assert _r(grads.running_sum(2)["W"]) == [0.0603, 0.0775, 0.0456]
    assert grads.d_cell is None


def test_the_lecture_through_the_training_path_and_the_check():
    doc = lecture()
    trace = doc.trace()
    loss, grads = loss_and_gradients(
        trace.spec, trace.params, trace.inputs, trace.targets, trace.states[0]
    )
    assert round(loss, 7) == 0.0982987
    assert set(grads) == {"W", "b"}
    assert _r(grads["W"]) == [0.0793, 0.1535, 0.0456]
    rows = gradient_check(trace.spec, trace.params, trace.inputs, trace.targets)
    assert [(r.name, r.index) for r in rows] == [
        ("W", (0, 0)),
        ("W", (0, 1)),
        ("W", (0, 2)),
        ("b", (0,)),
        ("initial_state", (0,)),
    ]
    assert [round(r.backprop, 4) for r in rows] == [0.0793, 0.1535, 0.0456, 0.2762, 0.0760]
    assert [round(r.numeric, 4) for r in rows] == [0.0793, 0.1535, 0.0456, 0.2762, 0.0760]
    assert all(r.relative < 1e-7 for r in rows)
