"""loss_and_gradients: the training path without a Trace, equal to backprop(run(...))."""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given
from reference import random_case, studio_trace
from strategies import cases, examples

from rnn_studio.core import ModelSpec, backprop, loss_and_gradients, run

SETTINGS = examples(60)
#: longer sequences, more blank targets and a wider weight scale than the per-step tests
CASES = cases(max_T=12, blanks=(0.0, 0.3, 0.7), scales=(0.2, 2.5))


def spec_of(case) -> ModelSpec:
    return ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)


def fused(case):
    return loss_and_gradients(
        spec_of(case), case.params, case.inputs, case.targets, case.initial_state, case.cell_start
    )


@SETTINGS
@given(case=CASES)
def test_equals_backprop_of_a_trace(case):
    trace = studio_trace(case)
    totals = backprop(trace).totals
    loss, grads = fused(case)
    assert list(grads) == list(case.params)  # only the parameters, in their order
    if trace.loss is None:
        assert loss is None
    else:
        assert loss == pytest.approx(trace.loss, rel=1e-12, abs=0)
    for name, g in grads.items():
        assert g.shape == case.params[name].shape
        np.testing.assert_allclose(g, totals[name], rtol=1e-12, atol=1e-14, err_msg=name)


def test_long_sequences_agree_too():
    """Saturating and decaying signals over 300 steps, every cell."""
    for cell in ("rnn", "lstm", "gru"):
        case = random_case(8, cell, readout="linear", d=3, h=5, k=2, T=300, blank=0.5)
        totals = backprop(studio_trace(case)).totals
        _, grads = fused(case)
        for name, g in grads.items():
            np.testing.assert_allclose(g, totals[name], rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize(
    ("cell", "activation", "d", "h"),
    [("rnn", "sigmoid", 1, 1), ("lstm", "tanh", 2, 1), ("gru", "tanh", 2, 3)],
)
def test_the_arguments_are_not_changed(cell, activation, d, h):
    case = random_case(6, cell, activation, readout="linear", d=d, h=h, k=1, T=5)
    before = {n: v.copy() for n, v in case.params.items()}
    x, y = case.inputs.copy(), case.targets.copy()
    fused(case)
    for name, value in case.params.items():
        np.testing.assert_array_equal(value, before[name])
    np.testing.assert_array_equal(case.inputs, x)
    np.testing.assert_array_equal(case.targets, y)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_no_target_gives_no_loss_and_zero_gradients(cell):
    case = random_case(4, cell, readout="linear", d=2, h=2, k=2, T=5, blank=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = fused(case)
    assert loss is None
    assert set(grads) == set(case.params)
    assert all(not g.any() for g in grads.values())


def test_overflow_flows_through_as_inf_or_nan():
    spec = ModelSpec("rnn", d=1, h=2, k=1, activation="relu", readout="linear")
    params = {
        "W": np.array([[1e200, 1e200, 1e200], [1.0, 1e200, -1e200]]),
        "b": np.zeros(2),
        "V": np.array([[1.0, -1.0]]),
        "c": np.zeros(1),
    }
    inputs, targets = np.ones((6, 1)), np.full((6, 1), 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning escaping would fail here
        loss, grads = loss_and_gradients(spec, params, inputs, targets)
        trace = run(spec, params, inputs, targets)
        totals = backprop(trace).totals
    assert loss is not None and not math.isfinite(loss)
    assert not np.isfinite(grads["W"]).all()
    for name, g in grads.items():  # the same non-finite pattern as the trace path
        np.testing.assert_array_equal(np.isnan(g), np.isnan(totals[name]), err_msg=name)


def test_an_overflowing_model_without_targets_still_gives_zeros():
    spec = ModelSpec("rnn", d=1, h=1, k=1, activation="identity")
    params = {"W": np.array([[1e300, 1e300]]), "b": np.zeros(1)}
    inputs, targets = np.ones((5, 1)), np.full((5, 1), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grads = loss_and_gradients(spec, params, inputs, targets)
        totals = backprop(run(spec, params, inputs, targets)).totals
    assert loss is None and not grads["W"].any() and not totals["W"].any()


def test_bad_shapes_are_refused():
    spec = ModelSpec("rnn", d=2, h=1, k=1)
    params = {"W": np.zeros((1, 3)), "b": np.zeros(1)}
    with pytest.raises(ValueError, match="inputs must be T × 2"):
        loss_and_gradients(spec, params, np.zeros((3, 1)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="targets must be 3 × 1"):
        loss_and_gradients(spec, params, np.zeros((3, 2)), np.zeros((2, 1)))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_memory_stays_linear_and_lean(cell):
    """Nothing T × (parameters) is built: peak memory within 300 MB per 100,000 steps.

    (The per-step contributions alone would be T × 4h(d+h) × 8 bytes, 370 MB here.)"""
    T, d, h = 5_000, 4, 32
    rng = np.random.default_rng(0)
    spec = ModelSpec(cell, d, h, h)
    params = {ps.name: rng.uniform(-0.3, 0.3, ps.shape) for ps in spec.param_specs()}
    inputs, targets = rng.normal(size=(T, d)), rng.normal(size=(T, h))
    tracemalloc.start()
    try:
        loss, grads = loss_and_gradients(spec, params, inputs, targets)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert math.isfinite(loss)
    assert peak < 300e6 * T / 100_000, f"peak {peak / 1e6:.1f} MB"


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_an_empty_sequence_has_no_loss_and_zero_gradients(cell):
    spec = ModelSpec(cell, d=2, h=3, k=1, readout="linear")
    params = {ps.name: np.full(ps.shape, 0.1) for ps in spec.param_specs()}
    inputs, targets = np.zeros((0, 2)), np.zeros((0, 1))
    grads = backprop(run(spec, params, inputs, targets))
    assert all(not g.any() for g in grads.totals.values())
    assert grads.inputs.shape == (0, 2) and grads.weight_shares.shape == (0,)
    assert grads.contributions["c"].shape == (0, 1)
    assert not grads.running_sum(1)["V"].any()
    loss, fused = loss_and_gradients(spec, params, inputs, targets)
    assert loss is None and all(not g.any() for g in fused.values())
