"""rnn_studio.core against the independent reference, on random models (hypothesis).

Values within 1e-12 of the reference's forward pass; gradients within 1e-9 of the
complex-step gradients (exact to machine precision, sharing nothing with BPTT); and,
as the issue asks, within a looser tolerance of central finite differences of
rnn_studio's own loss.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import Case, assert_close, param_shapes, random_case, studio_trace

from rnn_studio.core import ModelSpec, backprop, run
from rnn_studio.core.trace import run_stepwise

ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw, cell: str | None = None) -> Case:
    cell = cell or draw(st.sampled_from(("rnn", "lstm", "gru")))
    activation = draw(st.sampled_from(ACTIVATIONS)) if cell == "rnn" else "tanh"
    readout = draw(st.sampled_from(("identity", "linear")))
    return random_case(
        draw(st.integers(0, 2**32 - 1)),
        cell,
        activation,
        readout,
        d=draw(st.integers(1, 4)),
        h=draw(st.integers(1, 4)),
        k=draw(st.integers(1, 4)),
        T=draw(st.integers(1, 6)),
        blank=draw(st.sampled_from((0.0, 0.3, 0.7, 1.0))),
        scale=draw(st.floats(0.2, 2.5)),
    )


def spec_of(case: Case) -> ModelSpec:
    return ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@SETTINGS
@given(data=st.data())
def test_forward_values_match_the_reference(cell, data):
    case = data.draw(cases(cell))
    trace = studio_trace(case)
    ref = case.forward()
    assert_close(trace.states, ref.real("states"), 1e-12, "states")
    if case.cell == "lstm":
        assert_close(trace.cells, ref.real("cells"), 1e-12, "cells")
    else:
        assert trace.cells is None
    for name, values in ref.real_dict("pre").items():
        assert_close(trace.pre[name], values, 1e-12, f"pre[{name}]")
    assert set(trace.gates) == set(ref.gates)
    for name, values in ref.real_dict("gates").items():
        assert_close(trace.gates[name], values, 1e-12, f"gates[{name}]")
    assert_close(trace.outputs, ref.real("outputs"), 1e-12, "outputs")
    assert_close(trace.errors, ref.real("errors"), 1e-12, "errors")
    np.testing.assert_array_equal(trace.mask, ~np.isnan(case.targets))
    if ref.loss is None:
        assert trace.loss is None
    else:
        assert trace.loss == pytest.approx(ref.loss.real, rel=1e-12, abs=1e-12)
    assert trace.finite


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@SETTINGS
@given(data=st.data())
def test_gradients_match_the_complex_step(cell, data):
    case = data.draw(cases(cell))
    totals = backprop(studio_trace(case)).totals
    expected = case.gradients()
    assert set(totals) == set(expected)
    for name, g in expected.items():
        assert_close(totals[name], g, 1e-9, f"∂L/∂{name}")


def _loss(case: Case, params, s0, c0) -> float:
    trace = run(spec_of(case), params, case.inputs, case.targets, s0, c0)
    return 0.0 if trace.loss is None else trace.loss


def _central_differences(case: Case) -> dict[str, np.ndarray]:
    """Central differences of rnn_studio's own forward loss, every entry of everything."""
    c0 = case.cell_start
    out: dict[str, np.ndarray] = {}
    things = dict(case.params, initial_state=case.initial_state)
    if c0 is not None:
        things["initial_cell"] = c0
    for name, value in things.items():
        g = np.zeros(value.shape)
        for index in np.ndindex(*value.shape):
            eps = 1e-6 * max(1.0, abs(value[index]))
            losses = []
            for sign in (1.0, -1.0):
                moved = value.copy()
                moved[index] += sign * eps
                params = dict(case.params)
                s0, c1 = case.initial_state, c0
                if name == "initial_state":
                    s0 = moved
                elif name == "initial_cell":
                    c1 = moved
                else:
                    params[name] = moved
                losses.append(_loss(case, params, s0, c1))
            g[index] = (losses[0] - losses[1]) / (2 * eps)
        out[name] = g
    return out


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gradients_match_central_differences(cell, data):
    case = data.draw(cases(cell))
    totals = backprop(studio_trace(case)).totals
    fd = _central_differences(case)
    assert set(fd) == set(totals)
    scale = max(1.0, max(float(np.max(np.abs(g))) for g in totals.values()))
    for name, g in totals.items():
        # relative 1e-6, with a floor for entries far smaller than the largest gradient
        np.testing.assert_allclose(fd[name], g, rtol=1e-6, atol=1e-8 * scale, err_msg=name)


@SETTINGS
@given(case=cases())
def test_the_fast_runners_equal_the_step_by_step_cells(case):
    """trace.run's stacked runners compute what the cells' own forward() computes."""
    trace = studio_trace(case)
    states, cells, pre, gates = run_stepwise(
        spec_of(case), case.params, case.inputs, case.initial_state, case.cell_start
    )
    assert_close(trace.states, states, 1e-12, "states")
    if cells is not None:
        assert_close(trace.cells, cells, 1e-12, "cells")
    for name in pre:
        assert_close(trace.pre[name], pre[name], 1e-12, f"pre[{name}]")
    for name in gates:
        assert_close(trace.gates[name], gates[name], 1e-12, f"gates[{name}]")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
def test_param_specs_are_the_spec_shapes(cell, readout):
    spec = ModelSpec(cell, d=3, h=2, k=2, readout=readout)
    assert {ps.name: ps.shape for ps in spec.param_specs()} == param_shapes(cell, readout, 3, 2, 2)
    assert [ps.name for ps in spec.param_specs()] == list(param_shapes(cell, readout, 3, 2, 2))


def test_the_trace_is_read_only():
    trace = studio_trace(random_case(3, "lstm"))
    for array in (trace.states, trace.cells, trace.outputs, trace.errors, trace.gates["f"]):
        with pytest.raises(ValueError):
            array[0, 0] = 1.0
