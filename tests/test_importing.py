"""rnn_studio.importing: a student's own table, each column in its role, or a plain series."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_studio import importing as imp
from rnn_studio.errors import DocumentError

WEATHER = "date,temp,rain\n2024-01-01,3.5,0\n2024-01-02,4,1\n2024-01-03,,0\n2024-01-04,7,0\n"


def test_a_date_column_is_ignored_and_the_last_number_is_the_target() -> None:
    table = imp.parse_table(WEATHER)
    assert table.names == ("date", "temp", "rain")
    assert table.numeric == (False, True, True)
    assert imp.default_roles(table) == [imp.IGNORE, imp.INPUT, imp.TARGET]


def test_roles_chosen_in_one_step_make_the_document() -> None:
    table = imp.parse_table(WEATHER)
    doc = imp.build(table, [imp.IGNORE, imp.TARGET, imp.INPUT])  # temp is the target
    assert doc.input_names == ("rain",) and doc.target_names == ("temp",)
    assert doc.inputs[:, 0].tolist() == [0.0, 1.0, 0.0, 0.0]
    assert doc.targets[:2, 0].tolist() == [3.5, 4.0] and math.isnan(doc.targets[2, 0])


def test_a_blank_input_or_a_text_cell_is_refused_naming_the_cell() -> None:
    table = imp.parse_table(WEATHER)
    with pytest.raises(DocumentError, match="row 3, column 'temp'"):
        imp.build(table, [imp.IGNORE, imp.INPUT, imp.TARGET])
    with pytest.raises(DocumentError, match="row 1, column 'date'"):
        imp.build(table, [imp.INPUT, imp.IGNORE, imp.TARGET])
    with pytest.raises(DocumentError, match="at least one input"):
        imp.build(table, [imp.IGNORE, imp.IGNORE, imp.TARGET])


def test_a_one_column_series_predicts_its_next_value() -> None:
    table = imp.parse_table("level\n1\n2\n4\n8\n16\n")
    assert imp.is_series(table)
    doc = imp.next_value(table, 0)
    assert doc.input_names == ("level",) and doc.target_names == ("next level",)
    assert doc.inputs[:, 0].tolist() == [1, 2, 4, 8]
    assert doc.targets[:, 0].tolist() == [2, 4, 8, 16]


def test_more_lags_look_further_back() -> None:
    table = imp.parse_table("v\n1\n2\n3\n4\n5\n")
    doc = imp.next_value(table, 0, lags=3)
    assert doc.input_names == ("v", "v t-1", "v t-2")
    np.testing.assert_array_equal(doc.inputs, [[3, 2, 1], [4, 3, 2]])
    assert doc.targets[:, 0].tolist() == [4, 5]
    with pytest.raises(DocumentError, match="too short"):
        imp.next_value(table, 0, lags=5)


def test_semicolons_decimal_commas_and_a_bom() -> None:
    table = imp.parse_table("\ufeffx;y\n0,5;1\n1,5;2\n")
    doc = imp.build(table, imp.default_roles(table))
    assert doc.inputs[:, 0].tolist() == [0.5, 1.5]


def test_a_ragged_row_names_its_line(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3\n")
    with pytest.raises(DocumentError, match="line 3") as err:
        imp.read_table(path)
    assert str(path) in str(err.value)


def test_a_table_too_wide_to_model_is_refused_before_any_dialog() -> None:
    from rnn_studio.errors import DocumentError
    from rnn_studio.importing import parse_table

    wide = ",".join(f"c{j}" for j in range(20_000)) + "\n" + ",".join("1" * 20_000) + "\n"
    with pytest.raises(DocumentError, match="20,000 columns"):
        parse_table(wide)


def test_a_huge_header_field_is_a_sentence_naming_the_line() -> None:
    from rnn_studio.errors import DocumentError
    from rnn_studio.importing import parse_table

    with pytest.raises(DocumentError, match="longer than") as err:
        parse_table('"' + "x" * 200_000 + '",y\n1,2\n')
    assert "line 1" in str(err.value)
