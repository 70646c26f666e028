"""A trace recomputed after an edit from the trace before it equals a full recompute."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_studio.core import Trace
from rnn_studio.document import Document


def _document(cell: str, seed: int = 3, T: int = 9) -> Document:
    rng = np.random.default_rng(seed)
    targets = rng.normal(size=(T, 2))
    targets[2, 1] = np.nan
    return Document.create(
        input_names=("a", "b", "c"),
        target_names=("y1", "y2"),
        inputs=rng.normal(size=(T, 3)),
        targets=targets,
        cell=cell,
        hidden_size=3,
        readout="linear",
        initial_state=rng.normal(size=3),
        initial_cell=rng.normal(size=3),
        seed=seed,
    )


def _assert_same(incremental: Trace, full: Trace) -> None:
    np.testing.assert_allclose(incremental.states, full.states, rtol=0, atol=1e-14)
    np.testing.assert_allclose(incremental.outputs, full.outputs, rtol=0, atol=1e-14)
    np.testing.assert_array_equal(np.isnan(incremental.errors), np.isnan(full.errors))
    np.testing.assert_allclose(incremental.errors, full.errors, rtol=0, atol=1e-14)
    assert incremental.pre.keys() == full.pre.keys()
    for name in full.pre:
        np.testing.assert_allclose(incremental.pre[name], full.pre[name], rtol=0, atol=1e-14)
    for name in full.gates:
        np.testing.assert_allclose(incremental.gates[name], full.gates[name], rtol=0, atol=1e-14)
    if full.cells is not None:
        np.testing.assert_allclose(incremental.cells, full.cells, rtol=0, atol=1e-14)
    assert incremental.loss == pytest.approx(full.loss, abs=1e-15)


EDITS = {
    "first input": lambda d: d.with_cell_value(0, 0, 0.25),
    "middle input": lambda d: d.with_cell_value(4, 1, -1.5),
    "last input": lambda d: d.with_cell_value(d.T - 1, 2, 2.0),
    "a target": lambda d: d.with_cell_value(3, d.d, 0.75),
    "a blanked target": lambda d: d.with_cell_value(5, d.d + 1, ""),
    "a weight": lambda d: d.with_param(d.param_specs()[0].name, (0, 0), 0.5),
    "the initial state": lambda d: d.with_param("initial_state", (1,), 0.3),
    "a pasted block": lambda d: d.with_block(6, 0, [["1", "2", "3", "4", "5"]] * 3),
    "rows removed": lambda d: d.with_rows_removed([2]),
}


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_trace_equals_full_recompute(cell: str, edit: str) -> None:
    before = _document(cell)
    after = EDITS[edit](before)
    _assert_same(after.trace(previous=before.trace()), after.trace())


def test_unchanged_steps_are_reused_not_recomputed() -> None:
    """Steps before the edited row are the very numbers of the previous trace."""
    before = _document("lstm")
    old = before.trace()
    new = before.with_cell_value(6, 0, 9.0).trace(previous=old)
    np.testing.assert_array_equal(new.states[:7], old.states[:7])
    assert not np.array_equal(new.states[7], old.states[7])


def test_previous_trace_of_another_shape_is_ignored() -> None:
    before = _document("gru")
    after = before.with_hidden_size(2)
    _assert_same(after.trace(previous=before.trace()), after.trace())
