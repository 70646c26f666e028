"""The lecture's worked example, and the by-hand LSTM/GRU examples, to the printed digits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from reference import assert_close, forward, random_case, studio_trace

from rnn_studio.core import ModelSpec, backprop, run
from rnn_studio.examples import lecture

LECTURE_W = [[0.7, 0.3, 0.4]]
LECTURE_B = [0.4]
LECTURE_X = [[0.1, 0.4], [0.7, 0.9]]
LECTURE_Y = [[0.3], [0.5]]


def lecture_trace():
    spec = ModelSpec("rnn", d=2, h=1, k=1, activation="tanh", readout="identity")
    return run(
        spec,
        {"W": np.array(LECTURE_W), "b": np.array(LECTURE_B)},
        np.array(LECTURE_X),
        np.array(LECTURE_Y),
    )


def test_lecture_table_to_four_decimals():
    trace = lecture_trace()
    assert trace.pre["z"][0, 0] == pytest.approx(0.59, abs=1e-15)
    assert round(trace.pre["z"][1, 0], 4) == 1.3720
    assert [round(v, 4) for v in trace.states[1:, 0]] == [0.5299, 0.8791]
    assert [round(v, 4) for v in trace.outputs[:, 0]] == [0.5299, 0.8791]
    assert [round(v, 4) for v in trace.errors[:, 0]] == [0.2299, 0.3791]
    assert round(trace.loss, 7) == 0.0982987
    assert trace.states[0, 0] == 0.0


def test_lecture_numbers_from_first_principles():
    """The same numbers by hand with math.tanh, not through any array code."""
    z1 = 0.7 * 0.1 + 0.3 * 0.4 + 0.4 * 0 + 0.4
    s1 = math.tanh(z1)
    z2 = 0.7 * 0.7 + 0.3 * 0.9 + 0.4 * s1 + 0.4
    s2 = math.tanh(z2)
    loss = ((s1 - 0.3) ** 2 + (s2 - 0.5) ** 2) / 2
    trace = lecture_trace()
    np.testing.assert_allclose(trace.pre["z"][:, 0], [z1, z2], rtol=0, atol=1e-15)
    np.testing.assert_allclose(trace.states[1:, 0], [s1, s2], rtol=0, atol=1e-15)
    assert trace.loss == pytest.approx(loss, abs=1e-15)
    # and the lecture's hand-derived gradient of b: 2/2·Σ e_t ∂ŷ_t/∂b
    e1, e2 = s1 - 0.3, s2 - 0.5
    ds1_db = 1 - s1 * s1
    ds2_db = (1 - s2 * s2) * (1 + 0.4 * ds1_db)
    grads = backprop(trace).totals
    assert grads["b"][0] == pytest.approx(e1 * ds1_db + e2 * ds2_db, abs=1e-14)


def test_the_lecture_document_is_the_lecture():
    trace = lecture().trace()
    ref = lecture_trace()
    np.testing.assert_array_equal(trace.states, ref.states)
    assert trace.loss == ref.loss


def test_reference_agrees_on_the_lecture():
    ref = forward("rnn", "tanh", "identity", {"W": LECTURE_W, "b": LECTURE_B}, LECTURE_X, LECTURE_Y)
    assert [round(v, 4) for v in ref.real("states")[1:, 0]] == [0.5299, 0.8791]
    assert round(ref.loss.real, 7) == 0.0982987


def test_lstm_by_hand_forget_gate():
    """examples.lstm_by_hand's docstring: f₁ = σ(0.2·0.1 + 0.5·0.4 + 0.3·0 + 0.15) = σ(0.37)."""
    from rnn_studio.examples import lstm_by_hand

    trace = lstm_by_hand().trace()
    assert trace.pre["f"][0, 0] == pytest.approx(0.37, abs=1e-15)
    assert round(trace.gates["f"][0, 0], 4) == 0.5915
    assert trace.gates["f"][0, 0] == pytest.approx(1 / (1 + math.exp(-0.37)), abs=1e-15)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("seed", range(12))
def test_gated_cells_forward_match_the_reference(cell, seed):
    rng = np.random.default_rng(1000 + seed)
    d, h = (int(v) for v in rng.integers(1, 5, size=2))
    readout = "linear" if seed % 2 else "identity"
    case = random_case(
        seed,
        cell,
        readout=readout,
        d=d,
        h=h,
        k=int(rng.integers(1, 4)),
        T=int(rng.integers(1, 7)),
        scale=float(rng.uniform(0.3, 3.0)),
    )
    trace = studio_trace(case)
    ref = case.forward()
    assert_close(trace.states, ref.real("states"), 1e-12, "states")
    if cell == "lstm":
        assert_close(trace.cells, ref.real("cells"), 1e-12, "cells")
    for name, values in ref.real_dict("gates").items():
        assert_close(trace.gates[name], values, 1e-12, f"gate {name}")
    for name, values in ref.real_dict("pre").items():
        assert_close(trace.pre[name], values, 1e-12, f"pre-activation {name}")
    assert_close(trace.outputs, ref.real("outputs"), 1e-12, "outputs")
    assert_close(trace.errors, ref.real("errors"), 1e-12, "errors")
    if ref.loss is None:
        assert trace.loss is None
    else:
        assert trace.loss == pytest.approx(ref.loss.real, rel=1e-12, abs=1e-12)
