"""The per-step pieces of backpropagation through time that a learner steps through."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from reference import assert_close, random_case, state_gradients, studio_trace
from strategies import cases, examples

from rnn_studio.core import backprop

PIECES = examples(40)
CASES = cases(max_T=6)  # short sequences: every piece is checked per step


@PIECES
@given(case=CASES)
def test_contributions_sum_to_the_totals(case):
    grads = backprop(studio_trace(case))
    for name, per_step in grads.contributions.items():
        assert per_step.shape == (case.T, *case.params[name].shape)
        np.testing.assert_allclose(
            per_step.sum(axis=0), grads.totals[name], rtol=1e-13, atol=1e-15, err_msg=name
        )


@PIECES
@given(case=CASES)
def test_signal_at_a_step_is_own_output_plus_next_step(case):
    grads = backprop(studio_trace(case))
    np.testing.assert_array_equal(
        grads.d_state, grads.d_state_from_output + grads.d_state_from_next
    )
    np.testing.assert_array_equal(grads.d_state_from_next[-1], np.zeros(case.h))
    # the part from the output is ∂L/∂ŷ_t carried through the readout
    if case.readout == "identity":
        np.testing.assert_array_equal(grads.d_state_from_output, grads.d_output)
    else:
        np.testing.assert_allclose(
            grads.d_state_from_output, grads.d_output @ case.params["V"], rtol=1e-14, atol=1e-16
        )


@PIECES
@given(case=CASES)
def test_d_output_is_the_derivative_of_the_mean_squared_error(case):
    trace = studio_trace(case)
    grads = backprop(trace)
    mask = ~np.isnan(case.targets)
    count = int(mask.sum())
    expected = np.where(mask, 2 * np.nan_to_num(trace.errors) / max(count, 1), 0.0)
    np.testing.assert_allclose(grads.d_output, expected, rtol=1e-15, atol=0)


@PIECES
@given(case=CASES)
def test_d_state_is_dL_ds_t_by_rerunning_from_step_t(case):
    """Perturb s_t (and c_t) by the complex step and re-run steps t+1..T in the reference."""
    trace = studio_trace(case)
    grads = backprop(trace)
    d_state, d_cell = state_gradients(
        case.cell,
        case.activation,
        case.readout,
        case.params,
        case.inputs,
        case.targets,
        trace.states,
        trace.cells,
    )
    assert_close(grads.d_state, d_state, 1e-9, "∂L/∂s_t")
    if case.cell == "lstm":
        # the reference holds s_t; the total adds the path through s_t = o_t·tanh(c_t)
        o, tanh_c = trace.gates["o"], np.tanh(trace.cells[1:])
        through_state = d_state * o * (1.0 - tanh_c**2)
        assert_close(grads.d_cell, d_cell + through_state, 1e-9, "∂L/∂c_t in total")
    else:
        assert grads.d_cell is None


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_d_state_by_central_differences_of_a_rerun(cell):
    """The same check with plain central differences on rnn_studio's own run."""
    from rnn_studio.core import ModelSpec, run

    case = random_case(7, cell, readout="linear", d=2, h=3, k=2, T=5, blank=0.3)
    trace = studio_trace(case)
    grads = backprop(trace)
    spec = ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)
    count = int((~np.isnan(case.targets)).sum())

    def loss_from(t: int, s: np.ndarray) -> float:
        """Loss of steps t..T with s_t = s (earlier steps are constants, left out)."""
        y_hat = case.params["V"] @ s + case.params["c"]
        own = np.nansum((y_hat - case.targets[t - 1]) ** 2)
        c_t = None if trace.cells is None else trace.cells[t]
        rest = (
            run(spec, case.params, case.inputs[t:], case.targets[t:], s, c_t)
            if t < case.T
            else None
        )
        later = 0.0 if rest is None or rest.loss is None else rest.loss * rest.target_count
        return (own + later) / count

    for t in range(1, case.T + 1):
        for j in range(case.h):
            s = trace.states[t].copy()
            eps = 1e-6
            s[j] += eps
            up = loss_from(t, s)
            s[j] -= 2 * eps
            down = loss_from(t, s)
            assert grads.d_state[t - 1, j] == pytest.approx(
                (up - down) / (2 * eps), rel=1e-6, abs=1e-9
            )


def test_initial_state_gradient_continues_the_chain():
    """∂L/∂s_0 is what the backward pass carries out of step 1."""
    case = random_case(11, "gru", readout="linear", d=2, h=2, k=1, T=4)
    trace = studio_trace(case)
    grads = backprop(trace)
    ref = state_gradients(
        case.cell,
        case.activation,
        case.readout,
        case.params,
        case.inputs,
        case.targets,
        trace.states,
        trace.cells,
    )[0]
    assert_close(grads.d_state, ref, 1e-9, "∂L/∂s_t")
    assert_close(grads.totals["initial_state"], case.gradients()["initial_state"], 1e-9, "s_0")
