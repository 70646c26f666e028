"""Numbers that go wrong, and documents with nothing to learn from."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from reference import random_case, studio_trace

from rnn_studio.core import ModelSpec, backprop, run


def _huge_rnn(activation: str, T: int = 6):
    spec = ModelSpec("rnn", d=1, h=2, k=1, activation=activation, readout="linear")
    params = {
        "W": np.array([[1e200, 1e200, 1e200], [1.0, 1e200, -1e200]]),
        "b": np.array([0.0, 0.0]),
        "V": np.array([[1.0, -1.0]]),
        "c": np.array([0.0]),
    }
    inputs = np.ones((T, 1))
    targets = np.full((T, 1), 0.5)
    return spec, params, inputs, targets


@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_overflow_is_flagged_not_raised(activation):
    spec, params, inputs, targets = _huge_rnn(activation)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning escaping would fail here
        trace = run(spec, params, inputs, targets)
        grads = backprop(trace)
    assert not trace.finite
    bad_rows = ~np.isfinite(trace.states[1:]).all(axis=1) | ~np.isfinite(trace.outputs).all(axis=1)
    expected_first = int(np.flatnonzero(bad_rows)[0]) + 1
    assert trace.first_nonfinite_step == expected_first
    assert expected_first == 2  # 1e200·1e200 overflows at the second step
    # step 1 is still shown as the numbers it is (1e200 is finite), not replaced
    assert trace.states[1, 0] == 1e200  # W·[x_1, s_0] with s_0 = 0
    assert np.isfinite(trace.states[1]).all()
    assert not np.isfinite(trace.states[-1]).all()
    # the loss is what the numbers make, inf or nan, not hidden as None or 0
    assert trace.loss is not None and not math.isfinite(trace.loss)
    assert isinstance(grads.totals["W"], np.ndarray)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_cells_saturate_without_overflowing(cell):
    """Sigmoid and tanh stay finite even for huge weights: nothing to flag."""
    case = random_case(5, cell, d=2, h=2, T=5)
    params = {n: v * 1e200 for n, v in case.params.items()}
    spec = ModelSpec(cell, 2, 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = run(spec, params, case.inputs, case.targets, case.initial_state, case.cell_start)
        backprop(trace)
    assert np.isfinite(trace.states).all()
    assert np.all(np.abs(trace.states) <= 1.0)


def test_a_finite_trace_has_no_nonfinite_step():
    trace = studio_trace(random_case(1, "rnn", "relu"))
    assert trace.finite
    assert trace.first_nonfinite_step is None


def test_nan_from_inf_minus_inf_is_flagged():
    """relu(inf) − relu(inf) through the next step gives NaN; it is flagged too."""
    spec = ModelSpec("rnn", d=1, h=2, k=2, activation="relu", readout="identity")
    params = {"W": np.array([[1e300, 1e300, 0.0], [0.0, 1e300, -1e300]]), "b": np.zeros(2)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = run(
            spec, params, np.ones((4, 1)), np.zeros((4, 2)), initial_state=np.array([1e300, 0.0])
        )
    assert not trace.finite
    assert np.isnan(trace.states).any()
    assert trace.first_nonfinite_step == 1


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
def test_no_target_at_all(cell, readout):
    case = random_case(4, cell, readout=readout, d=2, h=2, k=2, T=5, blank=1.0)
    assert np.isnan(case.targets).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = studio_trace(case)
        grads = backprop(trace)
    assert trace.loss is None
    assert trace.target_count == 0
    assert np.isnan(trace.errors).all()
    # the forward pass still runs and equals the reference
    ref = case.forward()
    np.testing.assert_allclose(trace.states, ref.real("states"), rtol=0, atol=1e-12)
    assert np.isfinite(trace.outputs).all()
    for name, g in grads.totals.items():
        assert not g.any(), name
    assert not grads.d_state.any() and not grads.d_output.any()
    expected = {*case.params, "initial_state"} | ({"initial_cell"} if cell == "lstm" else set())
    assert set(grads.totals) == expected
