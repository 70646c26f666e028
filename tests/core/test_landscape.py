"""The loss landscape: the grid over two entries, row by row, and the entry names."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from reference import random_case

from rnn_studio.core import ModelSpec, run
from rnn_studio.core import landscape as landscape_module
from rnn_studio.core.landscape import (
    Entry,
    default_range,
    entry_value,
    landscape,
    landscape_rows,
    parse_entry,
)

# (cell, activation, x, y): entries of every kind — an input column and a state column
# of a weight matrix, a bias, GRU's b_nh, the readout's V and c, two in one matrix.
PAIRS = [
    ("rnn", "tanh", "W:0:0", "W:1:3"),
    ("rnn", "relu", "W:1:2", "b:0"),
    ("rnn", "sigmoid", "V:0:1", "c:0"),
    ("rnn", "identity", "b:1", "W:0:2"),
    ("lstm", "tanh", "W_f:0:3", "b_g:1"),
    ("lstm", "tanh", "W_i:1:0", "V:0:0"),
    ("gru", "tanh", "W_n:0:3", "b_nh:1"),
    ("gru", "tanh", "W_n:1:1", "b_n:0"),
    ("gru", "tanh", "W_z:0:2", "W_r:1:0"),
]


def model(cell: str, activation: str, readout: str = "linear", T: int = 7, blank: float = 0.3):
    case = random_case(4, cell, activation, readout, d=2, h=2, k=1, T=T, blank=blank, scale=1.5)
    spec = ModelSpec(cell, case.d, case.h, case.k, activation, readout)
    return spec, case


def args(spec, case):
    return spec, case.params, case.inputs, case.targets, case.initial_state, case.cell_start


def single(spec, case, x: Entry, y: Entry, p: float, q: float) -> float | None:
    params = {name: a.copy() for name, a in case.params.items()}
    params[x.name][x.index] = p
    params[y.name][y.index] = q
    return run(spec, params, case.inputs, case.targets, case.initial_state, case.cell_start).loss


@pytest.mark.parametrize(("cell", "activation", "x_text", "y_text"), PAIRS)
def test_grid_values_are_the_single_forward_pass(cell, activation, x_text, y_text):
    spec, case = model(cell, activation)
    x, y = parse_entry(x_text, spec), parse_entry(y_text, spec)
    xs = np.linspace(*default_range(case.params, x), 7)
    ys = np.linspace(*default_range(case.params, y), 5)
    grid = landscape(*args(spec, case), x, y, xs, ys)
    assert grid.shape == (5, 7)  # rows: y, columns: x
    for i, j in [(0, 0), (4, 6), (2, 3), (1, 5), (3, 0)]:
        expected = single(spec, case, x, y, xs[j], ys[i])
        assert grid[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-12), (i, j)
    # the grid is not constant: both entries really move the loss
    assert np.ptp(grid, axis=0).max() > 0 and np.ptp(grid, axis=1).max() > 0


def test_rows_come_in_order_one_per_y_value(monkeypatch):
    monkeypatch.setattr(landscape_module, "BATCH_POINTS", 8)  # 2 rows per forward pass
    spec, case = model("rnn", "tanh")
    x, y = Entry("W", (0, 0)), Entry("b", (1,))
    xs, ys = np.linspace(-1, 1, 4), np.linspace(-2, 2, 7)
    rows = list(landscape_rows(*args(spec, case), x, y, xs, ys))
    assert [i for i, _ in rows] == list(range(7))
    for i, row in rows:
        assert row.shape == (4,)
        expected = [single(spec, case, x, y, p, ys[i]) for p in xs]
        np.testing.assert_allclose(row, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(
        np.vstack([r for _, r in rows]), landscape(*args(spec, case), x, y, xs, ys)
    )


def test_a_caller_can_stop_after_the_first_row():
    spec, case = model("lstm", "tanh")
    x, y = Entry("W_o", (0, 1)), Entry("b_i", (0,))
    rows = landscape_rows(*args(spec, case), x, y, np.linspace(-1, 1, 5), np.linspace(-1, 1, 400))
    i, first = next(rows)
    assert i == 0 and first.shape == (5,)
    rows.close()  # cancelling: no further work, no error


def test_the_parameters_are_left_as_they_were():
    spec, case = model("gru", "tanh")
    before = {name: a.copy() for name, a in case.params.items()}
    landscape(
        *args(spec, case), Entry("W_n", (0, 0)), Entry("b_z", (1,)), np.arange(3.0), np.arange(2.0)
    )
    for name, a in before.items():
        np.testing.assert_array_equal(case.params[name], a)


def test_overflow_gives_inf_or_nan_in_the_grid():
    spec = ModelSpec("rnn", d=1, h=2, k=1, activation="relu", readout="linear")
    params = {
        "W": np.array([[1.0, 0.5, 0.0], [0.0, 0.0, 0.5]]),
        "b": np.zeros(2),
        "V": np.array([[1.0, -1.0]]),
        "c": np.zeros(1),
    }
    inputs, targets = np.ones((8, 1)), np.full((8, 1), 0.5)
    x, y = Entry("W", (0, 1)), Entry("W", (1, 2))
    xs, ys = np.array([0.5, 1e200]), np.array([0.5, 1e200])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = landscape(spec, params, inputs, targets, None, None, x, y, xs, ys)
    assert math.isfinite(grid[0, 0])
    assert not np.isfinite(grid[1, 1])
    for i in range(2):
        for j in range(2):
            loss = single(spec, _Case(params, inputs, targets), x, y, xs[j], ys[i])
            assert math.isfinite(grid[i, j]) == math.isfinite(loss)


class _Case:
    def __init__(self, params, inputs, targets):
        self.params, self.inputs, self.targets = params, inputs, targets
        self.initial_state = self.cell_start = None


def test_no_target_gives_a_grid_of_nan():
    spec, case = model("rnn", "tanh", blank=1.0)
    grid = landscape(
        *args(spec, case), Entry("W", (0, 0)), Entry("b", (0,)), np.arange(3.0), np.arange(4.0)
    )
    assert grid.shape == (4, 3) and np.isnan(grid).all()


def test_the_same_entry_twice_is_refused():
    spec, case = model("rnn", "tanh")
    with pytest.raises(ValueError, match="same entry W:0:0"):
        landscape(
            *args(spec, case),
            Entry("W", (0, 0)),
            Entry("W", (0, 0)),
            np.arange(2.0),
            np.arange(2.0),
        )


def test_entry_text_value_and_default_range():
    spec, case = model("lstm", "tanh")
    entry = parse_entry("W_g:1:3", spec)
    assert entry == Entry("W_g", (1, 3)) and str(entry) == "W_g:1:3"
    assert parse_entry(" b_o : 0 ", spec) == Entry("b_o", (0,))
    value = case.params["W_g"][1, 3]
    assert entry_value(case.params, entry) == value
    assert default_range(case.params, entry) == (value - 1.0, value + 1.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q:0:0", "unknown parameter 'Q'.*W, b, V, c"),
        ("W_f:0:0", "unknown parameter 'W_f'"),
        ("W:0", "'W:0' has 1 index; give two indices, W:ROW:COLUMN \\(W is 2 × 4\\)"),
        ("W:0:0:0", "has 3 indices"),
        ("b:0:1", "'b:0:1' has 2 indices; give one index, b:I \\(b has 2 entries\\)"),
        ("V", "has 0 indices"),
        ("W:2:0", "row 2 in 'W:2:0' is out of range: W has 2 rows \\(0–1\\)"),
        ("W:0:4", "column 4 in 'W:0:4' is out of range: W has 4 columns \\(0–3\\)"),
        ("c:1", "index 1 in 'c:1' is out of range: c has 1 entry \\(0–0\\)"),
        ("b:-1", "index -1 in 'b:-1' is out of range"),
        ("W:x:0", "row 'x' in 'W:x:0' is not a whole number"),
        ("", "is not a parameter entry; write NAME:I\\[:J\\]"),
    ],
)
def test_parse_entry_names_the_problem(text, message):
    spec, _ = model("rnn", "tanh")
    with pytest.raises(ValueError, match=message):
        parse_entry(text, spec)
