"""gradient_check: every entry's backpropagated derivative beside its central difference."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from reference import random_case

from rnn_studio.core import CheckRow, ModelSpec, backprop, gradient_check, run
from rnn_studio.core.gradcheck import relative_difference


def spec_of(case) -> ModelSpec:
    return ModelSpec(case.cell, case.d, case.h, case.k, case.activation, case.readout)


def check(case, **kw) -> list[CheckRow]:
    return gradient_check(
        spec_of(case),
        case.params,
        case.inputs,
        case.targets,
        case.initial_state,
        case.cell_start,
        **kw,
    )


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
def test_rows_cover_every_entry_in_order_and_agree(cell, readout):
    case = random_case(12, cell, readout=readout, d=2, h=3, k=2, T=6, blank=0.3)
    rows = check(case)
    expected = [(n, tuple(i)) for n, v in case.params.items() for i in np.ndindex(v.shape)]
    expected += [("initial_state", (j,)) for j in range(case.h)]
    if cell == "lstm":
        expected += [("initial_cell", (j,)) for j in range(case.h)]
    assert [(r.name, r.index) for r in rows] == expected
    totals = backprop(
        run(
            spec_of(case),
            case.params,
            case.inputs,
            case.targets,
            case.initial_state,
            case.cell_start,
        )
    ).totals
    for row in rows:
        assert row.backprop == totals[row.name][row.index]
        assert row.numeric == pytest.approx(row.backprop, rel=1e-5, abs=1e-8)
        assert row.relative == relative_difference(row.backprop, row.numeric)
        if abs(row.backprop) > 1e-4:
            assert row.relative < 1e-6, row


def test_numeric_is_the_central_difference_of_the_loss():
    case = random_case(3, "gru", readout="linear", d=1, h=2, k=1, T=4)
    spec = spec_of(case)
    rows = check(case, eps=1e-5)
    row = next(r for r in rows if r.name == "W_n" and r.index == (1, 2))
    up, down = dict(case.params), dict(case.params)
    up["W_n"], down["W_n"] = case.params["W_n"].copy(), case.params["W_n"].copy()
    up["W_n"][1, 2] += 1e-5
    down["W_n"][1, 2] -= 1e-5
    losses = [run(spec, p, case.inputs, case.targets, case.initial_state).loss for p in (up, down)]
    assert row.numeric == pytest.approx((losses[0] - losses[1]) / 2e-5, rel=1e-9)


def test_a_wrong_gradient_would_show():
    """The check measures something: the numeric side does not read backprop's numbers."""
    case = random_case(5, "rnn", d=1, h=1, T=3, blank=0.0)
    rows = check(case)
    w = next(r for r in rows if r.name == "W" and r.index == (0, 0))
    assert w.numeric != 0.0 and w.numeric != w.backprop  # computed apart, equal to ~1e-9
    assert relative_difference(w.backprop, 2 * w.backprop) == pytest.approx(0.5)


def test_relative_difference():
    assert relative_difference(0.0, 0.0) == 0.0
    assert relative_difference(1.0, 0.0) == 1.0
    assert relative_difference(-2.0, 2.0) == 2.0
    assert relative_difference(1.0, 1.0 + 1e-9) == pytest.approx(1e-9, rel=1e-6)


def test_without_targets_every_row_is_zero():
    case = random_case(4, "lstm", d=1, h=2, T=3, blank=1.0)
    rows = check(case)
    assert rows and all(r.backprop == r.numeric == r.relative == 0.0 for r in rows)


def test_overflow_gives_non_finite_rows_not_an_exception():
    spec = ModelSpec("rnn", d=1, h=1, k=1, activation="identity")
    params = {"W": np.array([[1e200, 1e200]]), "b": np.zeros(1)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rows = gradient_check(spec, params, np.ones((3, 1)), np.zeros((3, 1)))
    assert len(rows) == 4
    assert any(not math.isfinite(r.numeric) or not math.isfinite(r.backprop) for r in rows)
