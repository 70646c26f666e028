"""Every Document edit: what it changes, what it keeps, and what it refuses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_studio.core import ModelSpec
from rnn_studio.document import Document, initial_params, parse_number
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture


def snapshot(doc: Document) -> Document:
    """A deep, independent copy to compare against after a refused edit."""
    return Document.create(
        input_names=doc.input_names,
        target_names=doc.target_names,
        inputs=doc.inputs.copy(),
        targets=doc.targets.copy(),
        cell=doc.cell,
        activation=doc.activation,
        hidden_size=doc.hidden_size,
        readout=doc.readout,
        params={n: a.copy() for n, a in doc.params.items()},
        initial_state=doc.initial_state.copy(),
        initial_cell=doc.initial_cell.copy(),
        training=doc.training,
    )


def refused(doc: Document, edit, *fragments: str) -> DocumentError:
    """Apply ``edit``; it must raise DocumentError mentioning every fragment and change nothing."""
    before = snapshot(doc)
    with pytest.raises(DocumentError) as info:
        edit(doc)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert doc.equals(before)
    assert doc.T == before.T
    return info.value


def three_steps(**kw) -> Document:
    base = dict(
        input_names=("x1", "x2"),
        target_names=("y",),
        inputs=[[0.1, 0.4], [0.7, 0.9], [0.2, -0.3]],
        targets=[[0.3], [None], [0.5]],
    )
    base.update(kw)
    return Document.create(**base)


# -- cell values -----------------------------------------------------------------------


def test_set_an_input_cell():
    doc = lecture()
    new = doc.with_cell_value(0, 0, "0.2")
    assert new.inputs[0, 0] == 0.2
    assert doc.inputs[0, 0] == 0.1  # the old document is untouched
    np.testing.assert_array_equal(new.inputs[1], doc.inputs[1])
    assert new.trace().states[1, 0] == pytest.approx(math.tanh(0.66), abs=1e-15)


def test_set_a_target_cell_and_numbers_of_every_kind():
    doc = lecture()
    assert doc.with_cell_value(1, 2, 0.25).targets[1, 0] == 0.25
    assert doc.with_cell_value(1, 2, 2).targets[1, 0] == 2.0
    assert doc.with_cell_value(1, 2, " -1.5e-1 ").targets[1, 0] == -0.15
    assert doc.with_cell_value(1, 2, "\u22120.5").targets[1, 0] == -0.5  # typographic minus


def test_decimal_comma():
    doc = lecture()
    assert doc.with_cell_value(0, 1, "0,5").inputs[0, 1] == 0.5
    assert doc.with_cell_value(0, 2, "-1,25").targets[0, 0] == -1.25


@pytest.mark.parametrize("text", ["abc", "1.2.3", "0,5,1", "nan", "inf", "-Infinity", "1e999"])
@pytest.mark.parametrize(("row", "column", "name"), [(1, 0, "x1"), (0, 2, "y")])
def test_a_bad_number_is_refused_naming_row_and_column(text, row, column, name):
    err = refused(
        lecture(), lambda d: d.with_cell_value(row, column, text), f"row {row + 1}", repr(name)
    )
    assert err.where == f"row {row + 1}, column {name!r}"


def test_abc_message_in_full():
    err = refused(lecture(), lambda d: d.with_cell_value(1, 0, "abc"))
    assert str(err) == "row 2, column 'x1': 'abc' is not a number"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_target(blank):
    doc = lecture()
    new = doc.with_cell_value(1, 2, blank)
    assert math.isnan(new.targets[1, 0])
    assert new.trace().target_count == 1
    assert new.trace().loss == pytest.approx((math.tanh(0.59) - 0.3) ** 2, abs=1e-15)
    assert new.with_cell_value(1, 2, blank) is new  # blank again: nothing changed


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_input_is_refused(blank):
    refused(lecture(), lambda d: d.with_cell_value(0, 1, blank), "row 1", "'x2'", "blank")


def test_no_such_cell():
    refused(lecture(), lambda d: d.with_cell_value(2, 0, "1"), "row 3")
    refused(lecture(), lambda d: d.with_cell_value(0, 3, "1"), "column 4")
    refused(lecture(), lambda d: d.with_cell_value(-1, 0, "1"))


def test_the_same_value_returns_the_same_document():
    doc = lecture()
    assert doc.with_cell_value(0, 0, "0.1") is doc
    assert doc.with_cell_value(0, 2, 0.3) is doc


def test_documents_are_read_only():
    doc = lecture()
    for array in (doc.inputs, doc.targets, doc.params["W"], doc.initial_state):
        with pytest.raises(ValueError):
            array.flat[0] = 9.0
    new = doc.with_cell_value(0, 0, 0.5)
    with pytest.raises(ValueError):
        new.inputs[0, 0] = 9.0


# -- paste -----------------------------------------------------------------------------


def test_paste_a_block_inside_the_table():
    doc = three_steps()
    new = doc.with_block(1, 1, [["1", "2"], ["3,5", ""]])
    np.testing.assert_array_equal(new.inputs, [[0.1, 0.4], [0.7, 1.0], [0.2, 3.5]])
    np.testing.assert_array_equal(new.targets, [[0.3], [2.0], [np.nan]])
    assert new.T == 3


def test_paste_grows_rows():
    doc = lecture()
    new = doc.with_block(1, 0, [["1", "2", "3"], ["4", "5", ""], ["7", "8", "9"]])
    assert new.T == 4
    np.testing.assert_array_equal(new.inputs, [[0.1, 0.4], [1, 2], [4, 5], [7, 8]])
    np.testing.assert_array_equal(new.targets, [[0.3], [3], [np.nan], [9]])
    assert doc.T == 2


def test_paste_refuses_a_bad_cell_atomically():
    doc = lecture()
    err = refused(
        doc, lambda d: d.with_block(1, 0, [["1", "2", "3"], ["4", "x", "6"]]), "row 3", "'x2'"
    )
    assert "'x' is not a number" in str(err)
    # a blank input in a paste is refused as well, even after good cells
    refused(doc, lambda d: d.with_block(0, 0, [["1", "2", "3"], ["", "5", "6"]]), "row 2", "'x1'")


def test_paste_refuses_a_block_too_wide():
    refused(lecture(), lambda d: d.with_block(0, 1, [["1", "2", "3"]]), "3 columns")


def test_paste_nothing_or_the_same_values():
    doc = lecture()
    assert doc.with_block(0, 0, []) is doc
    assert doc.with_block(0, 0, [["0.1", "0.4", "0.3"]]) is doc


# -- rows ------------------------------------------------------------------------------


def test_insert_rows():
    doc = lecture()
    new = doc.with_rows_inserted(1, 2)
    assert new.T == 4
    np.testing.assert_array_equal(new.inputs, [[0.1, 0.4], [0, 0], [0, 0], [0.7, 0.9]])
    np.testing.assert_array_equal(new.targets, [[0.3], [np.nan], [np.nan], [0.5]])
    assert doc.with_rows_inserted(0, 0) is doc
    at_end = doc.with_rows_inserted(99)
    assert at_end.T == 3 and np.isnan(at_end.targets[2, 0])


def test_remove_rows():
    doc = three_steps()
    new = doc.with_rows_removed([0, 2])
    assert new.T == 1
    np.testing.assert_array_equal(new.inputs, [[0.7, 0.9]])
    assert doc.with_rows_removed([7]) is doc


def test_cannot_remove_every_row():
    refused(three_steps(), lambda d: d.with_rows_removed(range(3)), "at least one timestep")


# -- columns ---------------------------------------------------------------------------


def test_add_an_input_column_moves_the_state_block_right():
    doc = lecture()
    new = doc.with_input_added("x3")
    assert new.input_names == ("x1", "x2", "x3")
    np.testing.assert_array_equal(new.inputs[:, 2], [0, 0])
    # W = [w_x1, w_x2 | w_s1] becomes [w_x1, w_x2, 0 | w_s1]
    np.testing.assert_array_equal(new.params["W"], [[0.7, 0.3, 0.0, 0.4]])
    np.testing.assert_array_equal(new.params["b"], [0.4])
    # a zero input with a zero weight: nothing moves
    np.testing.assert_array_equal(new.trace().states, doc.trace().states)
    assert doc.with_input_added().input_names[-1] == "x3"


def test_add_a_named_column_that_exists_is_refused():
    refused(lecture(), lambda d: d.with_input_added("y"), "'y'")
    refused(lecture(), lambda d: d.with_target_added("x1"), "'x1'")


def test_remove_an_input_column_drops_its_weight():
    doc = lecture()
    new = doc.with_input_removed(0)
    assert new.input_names == ("x2",)
    np.testing.assert_array_equal(new.inputs, [[0.4], [0.9]])
    np.testing.assert_array_equal(new.params["W"], [[0.3, 0.4]])
    refused(new, lambda d: d.with_input_removed(0), "at least one input")


def test_lstm_input_columns_keep_every_gate():
    doc = lecture().with_cell("lstm")
    new = doc.with_input_added("x3")
    for g in "ifgo":
        old, w = doc.params[f"W_{g}"], new.params[f"W_{g}"]
        np.testing.assert_array_equal(w[:, :2], old[:, :2])
        np.testing.assert_array_equal(w[:, 2], [0.0])
        np.testing.assert_array_equal(w[:, 3:], old[:, 2:])
    back = new.with_input_removed(2)
    for name in doc.params:
        np.testing.assert_array_equal(back.params[name], doc.params[name])


def test_add_and_remove_a_target_column():
    doc = lecture()
    new = doc.with_target_added("y2")
    assert new.target_names == ("y", "y2")
    assert np.isnan(new.targets[:, 1]).all()
    assert new.readout == "linear"  # identity needs k = h, so the readout turns linear
    np.testing.assert_array_equal(new.params["V"], [[1.0], [0.0]])
    np.testing.assert_array_equal(new.trace().outputs[:, 0], doc.trace().outputs[:, 0])
    back = new.with_target_removed(1)
    assert back.target_names == ("y",)
    np.testing.assert_array_equal(back.targets, doc.targets)
    refused(back, lambda d: d.with_target_removed(0), "at least one target")


def test_rename_columns():
    doc = lecture()
    new = doc.with_column_renamed(0, " speed ")
    assert new.input_names == ("speed", "x2")
    new = new.with_column_renamed(2, "target")
    assert new.target_names == ("target",)
    assert doc.with_column_renamed(1, "x2") is doc
    refused(doc, lambda d: d.with_column_renamed(0, "x2"), "'x2'")
    refused(doc, lambda d: d.with_column_renamed(0, "  "), "name")


# -- the model -------------------------------------------------------------------------


def test_hidden_size_up_keeps_the_fitting_weights():
    doc = lecture()
    new = doc.with_hidden_size(3)
    w = new.params["W"]
    assert w.shape == (3, 2 + 3)
    # x-block stays at columns 0..d-1; the old s-block (column d) keeps its place
    np.testing.assert_array_equal(w[0, :2], [0.7, 0.3])
    assert w[0, 2] == 0.4
    np.testing.assert_array_equal(new.params["b"][:1], [0.4])
    np.testing.assert_array_equal(new.initial_state, [0, 0, 0])
    # old unit must not read the new units: outputs unchanged
    np.testing.assert_array_equal(w[0, 3:], [0, 0])


def test_hidden_size_change_with_more_inputs_moves_the_state_block_right():
    doc = lecture().with_input_added("x3").with_hidden_size(2)
    w = doc.params["W"]  # columns x1 x2 x3 | s1 s2
    np.testing.assert_array_equal(w[0], [0.7, 0.3, 0.0, 0.4, 0.0])
    small = doc.with_param("W", (0, 4), 0.25).with_param("W", (1, 3), -0.5)
    w3 = small.with_hidden_size(3).params["W"]  # x1 x2 x3 | s1 s2 s3
    np.testing.assert_array_equal(w3[0, 3:5], [0.4, 0.25])
    np.testing.assert_array_equal(w3[1, 3:5], [-0.5, small.params["W"][1, 4]])


def test_hidden_size_down_keeps_the_top_left():
    doc = lecture().with_hidden_size(2).with_param("W", (0, 3), 0.9)
    doc = doc.with_initial_state([0.5, -0.5])
    new = doc.with_hidden_size(1)
    np.testing.assert_array_equal(new.params["W"], [[0.7, 0.3, 0.4]])
    np.testing.assert_array_equal(new.initial_state, [0.5])
    assert new.readout == "linear"
    np.testing.assert_array_equal(new.params["V"], [[1.0]])
    refused(doc, lambda d: d.with_hidden_size(0), "at least 1")


def test_hidden_size_switches_the_readout_to_linear_with_v_identity():
    doc = lecture()
    new = doc.with_hidden_size(2)
    assert new.readout == "linear"
    np.testing.assert_array_equal(new.params["V"], np.eye(1, 2))
    np.testing.assert_array_equal(new.params["c"], [0.0])
    np.testing.assert_allclose(new.trace().outputs, doc.trace().outputs, rtol=0, atol=1e-15)
    assert new.trace().loss == pytest.approx(doc.trace().loss, abs=1e-15)


def test_readout_linear_then_back_to_identity():
    doc = lecture()
    linear = doc.with_readout("linear")
    np.testing.assert_array_equal(linear.params["V"], [[1.0]])
    np.testing.assert_array_equal(linear.trace().outputs, doc.trace().outputs)
    back = linear.with_readout("identity")
    assert set(back.params) == {"W", "b"}
    assert back.equals(doc)
    refused(doc.with_hidden_size(2), lambda d: d.with_readout("identity"), "hidden size")


def test_activation():
    doc = lecture()
    new = doc.with_activation("relu")
    assert new.trace().states[1, 0] == pytest.approx(0.59, abs=1e-15)
    assert doc.with_activation("tanh") is doc
    refused(doc, lambda d: d.with_activation("softplus"), "softplus")


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_cell_switch_keeps_the_data(cell):
    doc = three_steps().with_hidden_size(2)
    doc = doc.with_param("V", (0, 1), 0.75)
    new = doc.with_cell(cell, seed=3)
    assert new.cell == cell
    assert new.column_names == doc.column_names
    np.testing.assert_array_equal(new.inputs, doc.inputs)
    np.testing.assert_array_equal(new.targets, doc.targets)
    np.testing.assert_array_equal(new.params["V"], doc.params["V"])  # the readout stays
    expected = initial_params(new.spec, 3)
    assert set(new.params) == set(expected)
    for name in expected:
        if name not in ("V", "c"):
            np.testing.assert_array_equal(new.params[name], expected[name])
    back = new.with_cell("rnn")
    assert back.cell == "rnn" and back.readout == "linear"
    np.testing.assert_array_equal(back.inputs, doc.inputs)
    assert doc.with_cell("rnn") is doc
    refused(doc, lambda d: d.with_cell("transformer"), "transformer")


def test_with_param():
    doc = lecture()
    new = doc.with_param("W", (0, 2), "0,5")
    np.testing.assert_array_equal(new.params["W"], [[0.7, 0.3, 0.5]])
    np.testing.assert_array_equal(doc.params["W"], [[0.7, 0.3, 0.4]])
    assert new.with_param("W", (0, 2), 0.5) is new
    assert doc.with_param("initial_state", (0,), 0.25).initial_state[0] == 0.25
    lstm = doc.with_cell("lstm")
    assert lstm.with_param("initial_cell", (0,), -1).initial_cell[0] == -1.0
    refused(doc, lambda d: d.with_param("W_q", (0, 0), 1.0), "W_q")
    refused(doc, lambda d: d.with_param("W", (0, 0), "abc"), "abc")
    refused(doc, lambda d: d.with_param("b", (0,), math.inf))


def test_with_params_validates_shapes():
    doc = lecture()
    new = doc.with_params({"W": [[1.0, 2.0, 3.0]], "b": [0.5]})
    np.testing.assert_array_equal(new.params["W"], [[1, 2, 3]])
    refused(doc, lambda d: d.with_params({"W": [[1.0, 2.0]], "b": [0.5]}), "params.W", "1 × 2")
    refused(doc, lambda d: d.with_params({"W": [[1.0, 2.0, 3.0]]}), "params.b", "missing")


def test_initial_state_shape_is_checked():
    doc = lecture()
    assert doc.with_initial_state([0.3]).trace().states[0, 0] == 0.3
    refused(doc, lambda d: d.with_initial_state([0.3, 0.1]), "initial_state")


# -- comparing ---------------------------------------------------------------------------


def test_equals_and_same_shape():
    doc = lecture()
    copy = snapshot(doc)
    assert doc.equals(copy) and copy.equals(doc)
    assert doc.same_shape(copy)
    edited = doc.with_cell_value(0, 0, 0.2)
    assert not doc.equals(edited)
    assert doc.same_shape(edited)  # only a number differs
    blank = doc.with_cell_value(1, 2, None)
    assert not doc.equals(blank) and blank.equals(snapshot(blank))  # NaN equals NaN here
    assert not doc.same_shape(doc.with_rows_inserted(0))
    assert not doc.same_shape(doc.with_hidden_size(2))
    assert not doc.same_shape(doc.with_cell("gru"))
    assert not doc.same_shape(doc.with_activation("relu"))
    assert not doc.equals(doc.with_column_renamed(0, "a"))
    assert not doc.equals(doc.with_param("b", (0,), 0.0))
    assert not doc.equals(doc.with_initial_state([0.1]))


def test_spec_and_counts():
    doc = lecture().with_cell("gru").with_hidden_size(2)
    assert doc.spec == ModelSpec("gru", 2, 2, 1, "tanh", "linear")
    assert doc.parameter_count == 3 * (2 * 4 + 2) + 2 + 2 + 1


# -- creating ----------------------------------------------------------------------------


def test_create_refuses_bad_documents():
    with pytest.raises(DocumentError, match="identity readout"):
        three_steps(hidden_size=2)
    with pytest.raises(DocumentError, match="'y'"):
        three_steps(input_names=("x1", "y"))
    with pytest.raises(DocumentError, match="row 2"):
        three_steps(inputs=[[0.1, 0.4], [0.7, None], [0.2, 0.3]])
    with pytest.raises(DocumentError, match="finite"):
        three_steps(targets=[[0.3], [math.inf], [0.5]])
    with pytest.raises(DocumentError, match="expected 3 rows"):
        three_steps(targets=[[0.3], [0.5]])
    with pytest.raises(DocumentError, match="cell"):
        three_steps(cell="tcn")


def test_parse_number():
    assert parse_number("0,5") == 0.5
    assert parse_number(" 2 ") == 2.0
    assert parse_number(3) == 3.0
    for bad in ("", "abc", "1,000.5", True, "nan", math.inf):
        with pytest.raises(DocumentError):
            parse_number(bad)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_units_added_by_growing_h_can_learn(cell: str) -> None:
    """A new unit gets seeded weights of its own: outputs unchanged, gradients not zero."""
    from rnn_studio.core import backprop

    before = lecture().with_cell(cell)
    after = before.with_hidden_size(3)
    np.testing.assert_allclose(after.trace().outputs, before.trace().outputs, atol=1e-15)
    grads = backprop(after.trace()).totals
    assert np.all(np.abs(grads["V"][:, 1:]) > 0), "the new units' readout weights cannot learn"
    first = after.param_specs()[0].name
    assert np.all(np.abs(after.params[first][1:]) > 0), "the new rows stayed zero"


def test_switching_cells_and_back_keeps_each_cells_weights() -> None:
    """LSTM → GRU → LSTM comes back to the same LSTM (the memory example keeps working)."""
    from rnn_studio.examples import memory

    lstm = memory()
    gru = lstm.with_cell("gru")
    gru_edited = gru.with_param("W_r", (0, 0), 0.123)
    back = gru_edited.with_cell("lstm")
    assert back.equals(lstm)
    assert back.trace().loss == lstm.trace().loss
    again = back.with_cell("gru")
    assert again.params["W_r"][0, 0] == 0.123, "the GRU's own edit was kept too"


def test_parked_weights_of_another_shape_are_not_reused() -> None:
    lstm = lecture().with_cell("lstm")
    reshaped = lstm.with_cell("gru").with_hidden_size(2).with_cell("lstm")
    assert reshaped.params["W_i"].shape == (2, 4)
    np.testing.assert_array_equal(reshaped.params["W_i"], initial_params(reshaped.spec, 0)["W_i"])
