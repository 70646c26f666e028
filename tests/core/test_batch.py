"""batched_loss: N parameter settings in one forward pass, each equal to run(...).loss."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import Case, random_case

from rnn_studio.core import ModelSpec, run
from rnn_studio.core import batch as batch_module
from rnn_studio.core.batch import batched_loss, entry_losses

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELLS = [
    ("rnn", "tanh"),
    ("rnn", "relu"),
    ("rnn", "sigmoid"),
    ("rnn", "identity"),
    ("lstm", "tanh"),
    ("gru", "tanh"),
]


@st.composite
def cases(draw, cell: str, activation: str) -> Case:
    """As in test_reference_agreement: random sizes, blank targets, random s_0 and c_0."""
    return random_case(
        draw(st.integers(0, 2**32 - 1)),
        cell,
        activation,
        draw(st.sampled_from(("identity", "linear"))),
        d=draw(st.integers(1, 4)),
        h=draw(st.integers(1, 4)),
        k=draw(st.integers(1, 4)),
        T=draw(st.integers(1, 6)),
        blank=draw(st.sampled_from((0.0, 0.3, 0.7, 1.0))),
        scale=draw(st.floats(0.2, 2.5)),
    )


def spec_of(case: Case) -> ModelSpec:
    return ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)


def settings_for(case: Case, how: str, n: int, rng: np.random.Generator) -> dict:
    """N settings around the case's parameters: every entry moved ("dense"), one or two
    entries moved ("sparse"), or some parameters shared and others moved ("mixed")."""
    out: dict[str, np.ndarray] = {}
    for name, value in case.params.items():
        if how == "dense" or (how == "mixed" and rng.random() < 0.5):
            out[name] = value + rng.normal(scale=0.5, size=(n, *value.shape))
        elif how == "sparse":
            stack = np.repeat(value[None], n, axis=0)
            for _ in range(int(rng.integers(1, 3))):
                index = tuple(int(rng.integers(0, s)) for s in value.shape)
                stack[(slice(None), *index)] += rng.normal(scale=0.5, size=n)
            out[name] = stack
        else:
            out[name] = value
    return out


def one_setting(params: dict, case: Case, i: int) -> dict:
    return {name: a[i] if a.ndim == case.params[name].ndim + 1 else a for name, a in params.items()}


def assert_loss(actual: float, expected: float | None) -> None:
    if expected is None:
        assert math.isnan(actual)
    else:
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("cell", "activation"), CELLS)
@pytest.mark.parametrize("how", ["dense", "sparse", "mixed"])
@SETTINGS
@given(data=st.data())
def test_each_setting_equals_its_own_forward_pass(cell, activation, how, data):
    case = data.draw(cases(cell, activation))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    n = data.draw(st.integers(1, 7))
    params = settings_for(case, how, n, rng)
    spec = spec_of(case)
    got = batched_loss(spec, params, case.inputs, case.targets, case.initial_state, case.cell_start)
    batched = any(a.ndim == case.params[k].ndim + 1 for k, a in params.items())
    assert got.shape == ((n,) if batched else (1,))
    for i in range(got.shape[0]):
        trace = run(
            spec,
            one_setting(params, case, i),
            case.inputs,
            case.targets,
            case.initial_state,
            case.cell_start,
        )
        assert_loss(got[i], trace.loss)


@pytest.mark.parametrize(("cell", "activation"), CELLS)
def test_initial_states_per_setting(cell, activation):
    case = random_case(3, cell, activation, "linear", d=2, h=3, k=2, T=5)
    spec = spec_of(case)
    rng = np.random.default_rng(0)
    s0 = rng.normal(size=(4, 3))
    c0 = rng.normal(size=(4, 3)) if cell == "lstm" else None
    got = batched_loss(spec, case.params, case.inputs, case.targets, s0, c0)
    for i in range(4):
        c = None if c0 is None else c0[i]
        assert_loss(got[i], run(spec, case.params, case.inputs, case.targets, s0[i], c).loss)


@pytest.mark.parametrize(("cell", "activation"), CELLS)
def test_blocks_of_steps_give_the_same_losses(cell, activation, monkeypatch):
    """A long sequence is worked through in blocks (input products, stored states);
    block edges in odd places change nothing."""
    case = random_case(11, cell, activation, "linear", d=3, h=2, k=2, T=23, blank=0.4)
    spec = spec_of(case)
    params = settings_for(case, "sparse", 5, np.random.default_rng(1))
    args = (spec, params, case.inputs, case.targets, case.initial_state, case.cell_start)
    whole = batched_loss(*args)
    monkeypatch.setattr(batch_module, "_INPUT_BLOCK", 4)
    monkeypatch.setattr(batch_module, "_STATE_BLOCK", 3 * 5 * 2)  # three steps
    blocked = batched_loss(*args)
    np.testing.assert_allclose(blocked, whole, rtol=1e-14, atol=0)
    for i in range(5):
        trace = run(spec, one_setting(params, case, i), *args[2:])
        assert_loss(blocked[i], trace.loss)


def test_entry_losses_is_the_landscape_path():
    case = random_case(5, "gru", "tanh", "linear", d=2, h=3, k=1, T=6)
    spec = spec_of(case)
    values = np.linspace(-1.5, 1.5, 9)
    entries = [("W_n", (1, 4), values), ("b_nh", (2,), values[::-1].copy())]
    got = entry_losses(spec, case.params, entries, case.inputs, case.targets, case.initial_state)
    for i, (p, q) in enumerate(zip(values, values[::-1], strict=True)):
        params = {name: a.copy() for name, a in case.params.items()}
        params["W_n"][1, 4], params["b_nh"][2] = p, q
        assert_loss(got[i], run(spec, params, case.inputs, case.targets, case.initial_state).loss)
    assert case.params["W_n"][1, 4] != values[0]  # the caller's parameters are left alone


def test_no_target_gives_nan_for_every_setting():
    case = random_case(2, "rnn", "tanh", "identity", h=2, T=4, blank=1.0)
    params = {"W": case.params["W"] + np.zeros((3, 1, 1)), "b": case.params["b"]}
    got = batched_loss(spec_of(case), params, case.inputs, case.targets)
    assert got.shape == (3,) and np.isnan(got).all()


@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_overflow_is_inf_or_nan_not_an_exception(activation):
    spec = ModelSpec("rnn", d=1, h=2, k=1, activation=activation, readout="linear")
    W = np.array([[1e200, 1e200, 1e200], [1.0, 1e200, -1e200]])
    params = {
        "W": np.stack([W, W * 1e-200]),  # the first overflows, the second is tame
        "b": np.zeros(2),
        "V": np.array([[1.0, -1.0]]),
        "c": np.zeros(1),
    }
    inputs, targets = np.ones((6, 1)), np.full((6, 1), 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = batched_loss(spec, params, inputs, targets)
    assert not math.isfinite(got[0])
    tame = run(spec, {**params, "W": W * 1e-200}, inputs, targets).loss
    assert math.isfinite(got[1]) and got[1] == pytest.approx(tame, rel=1e-12)


def test_gated_cells_saturate_without_warnings():
    case = random_case(5, "lstm", d=2, h=2, T=5)
    params = {
        n: v * np.array([1.0, 1e200]).reshape(2, *[1] * v.ndim) for n, v in case.params.items()
    }
    spec = ModelSpec("lstm", 2, 2, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = batched_loss(spec, params, case.inputs, case.targets, case.initial_state)
    assert np.isfinite(got).all()


def test_nothing_batched_is_one_setting():
    case = random_case(8, "lstm", "tanh", "linear", d=2, h=2, k=1, T=3)
    spec = spec_of(case)
    got = batched_loss(spec, case.params, case.inputs, case.targets, case.initial_state)
    expected = run(spec, case.params, case.inputs, case.targets, case.initial_state)
    assert got.shape == (1,)
    assert_loss(got[0], expected.loss)


def test_bad_shapes_are_refused_with_the_name():
    case = random_case(1, "rnn", "tanh", "identity", d=2, h=2, T=3)
    spec = spec_of(case)
    W, b = case.params["W"], case.params["b"]
    with pytest.raises(ValueError, match="disagree on N"):
        batched_loss(
            spec, {"W": np.stack([W, W]), "b": np.stack([b, b, b])}, case.inputs, case.targets
        )
    with pytest.raises(ValueError, match="W must be"):
        batched_loss(spec, {"W": W[:, :3].T, "b": b}, case.inputs, case.targets)
    with pytest.raises(ValueError, match="missing \\['b'\\]"):
        batched_loss(spec, {"W": W}, case.inputs, case.targets)
    with pytest.raises(ValueError, match="inputs must be"):
        batched_loss(spec, case.params, case.inputs[:, :1], case.targets)
    with pytest.raises(ValueError, match="initial state"):
        batched_loss(spec, case.params, case.inputs, case.targets, np.zeros(5))
