"""The fused backward pass against its yardstick: a plain loop over cells.py's ``backward``.

The loop below is the textbook backward propagation through time, one step at a time,
exactly as bptt.py did it before the fusion. Every per-step piece of ``Backward`` (the
error signals, the deltas, a step's contribution, the running sum, ∂L/∂x) must agree with
it, and the inputs' gradient with the complex-step reference too.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given
from reference import STEP, assert_close, forward, random_case, studio_trace
from strategies import cases, examples

from rnn_studio.core import Backward, Gradients, ModelSpec, backprop, run
from rnn_studio.core.trace import Trace

PIECES = examples(40)

#: the gate whose bias gradient is that gate's pre-activation delta
BIAS_OF = {
    "rnn": {"z": "b"},
    "lstm": {"i": "b_i", "f": "b_f", "g": "b_g", "o": "b_o"},
    "gru": {"r": "b_r", "z": "b_z", "n": "b_n", "nh": "b_nh"},
}


def stepwise(trace: Trace) -> dict:
    """Backward propagation through time as a loop over ``cell.backward`` (the yardstick)."""
    spec, p = trace.spec, trace.params
    cell = spec.make_cell()
    T, h = trace.T, spec.h
    count = trace.target_count
    d_output = np.where(trace.mask, 2.0 * np.nan_to_num(trace.errors) / max(count, 1), 0.0)
    own = d_output @ p["V"] if spec.readout == "linear" else d_output.copy()
    per_step = [dict() for _ in range(T)]
    d_state, d_next = np.zeros((T, h)), np.zeros((T, h))
    d_cell = np.zeros((T, h))
    carry_state = np.zeros(h)
    carry_cell = np.zeros(h) if spec.has_cell_state else None
    for t in range(T, 0, -1):
        i = t - 1
        d_next[i] = carry_state
        d_state[i] = own[i] + carry_state
        c_prev = None if trace.cells is None else trace.cells[t - 1]
        step = trace.step(t)
        grad = cell.backward(
            p, trace.inputs[i], trace.states[t - 1], c_prev, step, d_state[i], carry_cell
        )
        if spec.has_cell_state:
            tanh_c = np.tanh(step.cell)
            d_cell[i] = carry_cell + d_state[i] * step.gates["o"] * (1 - tanh_c**2)
        per_step[i] = dict(grad.params)
        if spec.readout == "linear":
            per_step[i]["V"] = np.outer(d_output[i], trace.states[t])
            per_step[i]["c"] = d_output[i]
        carry_state, carry_cell = grad.state_prev, grad.cell_prev
    return {
        "d_output": d_output,
        "own": own,
        "d_next": d_next,
        "d_state": d_state,
        "d_cell": d_cell,
        "per_step": per_step,
        "initial_state": carry_state,
        "initial_cell": carry_cell,
    }


@PIECES
@given(case=cases())
def test_every_piece_matches_the_stepwise_loop(case):
    trace = studio_trace(case)
    grads = backprop(trace)
    ref = stepwise(trace)
    assert_close(grads.d_output, ref["d_output"], 1e-13, "∂L/∂ŷ")
    assert_close(grads.d_state_from_output, ref["own"], 1e-13, "own part")
    assert_close(grads.d_state_from_next, ref["d_next"], 1e-12, "part from t+1")
    assert_close(grads.d_state, ref["d_state"], 1e-12, "∂L/∂s_t")
    if case.cell == "lstm":
        assert_close(grads.d_cell, ref["d_cell"], 1e-12, "∂L/∂c_t")
        assert_close(grads.totals["initial_cell"], ref["initial_cell"], 1e-12, "c_0")
    else:
        assert grads.d_cell is None
    assert_close(grads.totals["initial_state"], ref["initial_state"], 1e-12, "s_0")
    for t in range(1, case.T + 1):
        piece = grads.contribution(t)
        assert list(piece) == list(case.params)
        for name, value in piece.items():
            assert_close(value, ref["per_step"][t - 1][name], 1e-12, f"step {t} {name}")
        for gate, bias in BIAS_OF[case.cell].items():
            assert_close(grads.deltas[gate][t - 1], ref["per_step"][t - 1][bias], 1e-12, gate)


@PIECES
@given(case=cases())
def test_running_sums_and_totals(case):
    grads = backprop(studio_trace(case))
    T = case.T
    for name, total in grads.running_sum(1).items():
        np.testing.assert_allclose(total, grads.totals[name], rtol=1e-14, atol=1e-15)
    for name, zero in grads.running_sum(T + 1).items():
        assert zero.shape == case.params[name].shape and not zero.any()
    for t in range(1, T + 1):
        expected = {n: sum(grads.contribution(u)[n] for u in range(t, T + 1)) for n in case.params}
        for name, value in grads.running_sum(t).items():
            np.testing.assert_allclose(value, expected[name], rtol=1e-12, atol=1e-14)
    dense = grads.contributions
    for name, per_step in dense.items():
        assert per_step.shape == (T, *case.params[name].shape)
        np.testing.assert_allclose(per_step[-1], grads.contribution(T)[name], rtol=0, atol=0)


@PIECES
@given(case=cases())
def test_norms_and_weight_shares(case):
    grads = backprop(studio_trace(case))
    np.testing.assert_allclose(
        grads.state_norms, np.linalg.norm(grads.d_state, axis=1), rtol=1e-14, atol=0
    )
    weights = [n for n in case.params if n.startswith("W")]
    per_step = np.array(
        [
            np.sqrt(sum(np.sum(grads.contribution(t)[n] ** 2) for n in weights))
            for t in range(1, case.T + 1)
        ]
    )
    if per_step.sum() == 0:
        assert not grads.weight_shares.any()
    else:
        np.testing.assert_allclose(grads.weight_shares, per_step / per_step.sum(), rtol=1e-12)
        assert grads.weight_shares.sum() == pytest.approx(1.0, rel=1e-12)


def input_gradients_by_complex_step(case) -> np.ndarray:
    g = np.zeros_like(case.inputs)
    for t, j in np.ndindex(*case.inputs.shape):
        x = case.inputs.astype(complex)
        x[t, j] += 1j * STEP
        loss = forward(
            case.cell,
            case.activation,
            case.readout,
            copy.copy(case.params),
            x,
            case.targets,
            case.initial_state,
            case.cell_start,
        ).loss
        g[t, j] = 0.0 if loss is None else loss.imag / STEP
    return g


@examples(25)
@given(case=cases())
def test_input_gradients_match_the_complex_step(case):
    grads = backprop(studio_trace(case))
    assert grads.inputs.shape == (case.T, case.d)
    assert_close(grads.inputs, input_gradients_by_complex_step(case), 1e-9, "∂L/∂x")


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_input_gradients_by_central_differences(cell):
    case = random_case(3, cell, readout="linear", d=3, h=2, k=2, T=4, blank=0.3)
    spec = ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)
    grads = backprop(studio_trace(case))
    eps = 1e-6
    for t, j in np.ndindex(*case.inputs.shape):
        up, down = case.inputs.copy(), case.inputs.copy()
        up[t, j] += eps
        down[t, j] -= eps
        losses = [
            run(spec, case.params, x, case.targets, case.initial_state, case.cell_start).loss
            for x in (up, down)
        ]
        numeric = (losses[0] - losses[1]) / (2 * eps)
        assert grads.inputs[t, j] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_steps_outside_the_sequence_are_refused():
    grads = backprop(studio_trace(random_case(2, "rnn", T=3)))
    for bad in (0, 4, -1):
        with pytest.raises(ValueError, match="outside 1..3"):
            grads.contribution(bad)
    with pytest.raises(ValueError, match="outside 1..4"):
        grads.running_sum(5)
    with pytest.raises(ValueError):
        grads.running_sum(0)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_arrays_are_read_only_and_the_old_name_remains(cell):
    grads = backprop(studio_trace(random_case(2, cell, readout="linear", k=1, T=3)))
    assert Gradients is Backward and isinstance(grads, Backward)
    arrays = [grads.d_output, grads.d_state, grads.d_state_from_output, grads.inputs]
    arrays += [grads.d_state_from_next, *grads.deltas.values(), *grads.totals.values()]
    arrays += [*grads.contribution(2).values(), *grads.running_sum(2).values()]
    arrays += [grads.state_norms, grads.weight_shares, *grads.contributions.values()]
    if cell == "lstm":
        arrays.append(grads.d_cell)
    for a in arrays:
        assert not a.flags.writeable
    # the deltas are views of one block, in the gate order
    assert (
        tuple(grads.deltas)
        == {"rnn": ("z",), "lstm": tuple("ifgo"), "gru": ("r", "z", "n", "nh")}[cell]
    )
    block = grads.delta_block
    assert block.shape[1] == len(grads.deltas) * 2
    for j, view in enumerate(grads.deltas.values()):
        assert np.shares_memory(view, block)
        np.testing.assert_array_equal(view, block[:, 2 * j : 2 * j + 2])
