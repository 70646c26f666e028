"""What a careless or hostile file holds: odd names, bad view settings, huge fields,
too many columns, a bulky view, numbers Python cannot read. One line each, in JSON's
words, naming the key; or, for a view setting, dropped with a warning.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.document import MAX_COLUMNS, MAX_HIDDEN, Document
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture
from rnn_studio.view_settings import MAX_EXTRA_SIZE

PYTHON_WORDS = ("NoneType", "_NonFinite", "BadNumber", "set_int_max_str_digits", "<class")


def project(**changes) -> dict:
    obj = rio.document_to_dict(lecture())
    obj.update(changes)
    return obj


def write(tmp_path: Path, obj, name: str = "p.rnn.json") -> Path:
    path = tmp_path / name
    text = obj if isinstance(obj, str) else json.dumps(obj)  # ensure_ascii: \ud800 escaped
    path.write_text(text, encoding="utf-8")
    return path


def message_of(fn, *args) -> str:
    with pytest.raises(DocumentError) as info:
        fn(*args)
    text = str(info.value)
    assert "\n" not in text, text
    assert not any(word in text for word in PYTHON_WORDS), text
    return text


# -- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["input_names", "target_names"])
def test_a_lone_surrogate_in_a_name_is_refused_naming_key_and_index(tmp_path, key) -> None:
    names = {"input_names": ["x1", "x\ud800"], "target_names": ["y\udfff"]}[key]
    path = write(tmp_path, project(**{key: names}))
    message = message_of(rio.read_project, path)
    index = 1 if key == "input_names" else 0
    assert f"key '{key}[{index}]'" in message and "surrogate" in message, message
    message.encode("utf-8")  # the message itself can be printed


def test_trace_of_a_file_with_a_lone_surrogate_prints_one_line(tmp_path, capsys) -> None:
    path = write(tmp_path, project(input_names=["x\ud800", "x2"]))
    assert main(["trace", str(path)]) == 3
    out, err = capsys.readouterr()
    assert "Traceback" not in err and err.count("\n") == 1 and "surrogate" in err


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("x\ud800", "surrogate"),
        ("a\nb", "U+000A"),
        ("tab\there", "U+0009"),
        ("bell\x07", "U+0007"),
        ("line\u2028sep", "U+2028"),
        ("n" * 201, "200"),
        ("   ", "empty"),
    ],
)
def test_no_edit_can_create_a_bad_name(name: str, fragment: str) -> None:
    doc = lecture()
    for edit in (
        lambda: doc.with_column_renamed(0, name),
        lambda: doc.with_input_added(name),
        lambda: doc.with_target_added(name),
    ):
        message = message_of(edit)
        assert fragment in message or "needs a name" in message, message


def test_a_saved_document_always_reads_back(tmp_path: Path) -> None:
    doc = lecture().with_column_renamed(0, "<img src='x.png'> & ç")
    path = tmp_path / "ok.rnn.json"
    rio.write_project(doc, path)
    assert rio.read_project(path).input_names[0] == "<img src='x.png'> & ç"  # raw text kept


# -- view ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "kept", "dropped"),
    [
        ({"speed": 2**31}, {}, "view.speed"),
        ({"speed": 2**63 + 5, "step": 1}, {"step": 1}, "view.speed"),
        ({"speed": 0}, {}, "view.speed"),
        ({"speed": 12}, {}, "view.speed"),
        ({"speed": 5.0}, {}, "view.speed"),
        ({"speed": "fast", "step": 2}, {"step": 2}, "view.speed"),
        ({"speed": True}, {}, "view.speed"),
        ({"step": 3, "speed": 11}, {"speed": 11}, "view.step"),  # T = 2
        ({"step": -1}, {}, "view.step"),
        ({"step": None}, {}, "view.step"),
        ({"step": [1]}, {}, "view.step"),
        ([1], {}, "'view'"),
        ("fast", {}, "'view'"),
    ],
)
def test_bad_view_settings_are_dropped_with_a_warning(tmp_path, view, kept, dropped) -> None:
    path = write(tmp_path, project(view=view))
    warnings: list[str] = []
    doc = rio.read_project(path, warnings)
    assert doc.view == kept
    assert len(warnings) == 1 and dropped in warnings[0] and str(path) in warnings[0]
    assert "\n" not in warnings[0]
    assert not any(word in warnings[0] for word in PYTHON_WORDS)
    loaded = rio.load(path)
    assert loaded.warnings == tuple(warnings) and not loaded.is_csv


def test_good_view_settings_and_small_unknown_keys_are_kept(tmp_path: Path) -> None:
    view = {"step": 2, "speed": 1, "zoom": 1.25, "later": {"a": [1, 2], "b": "text"}}
    warnings: list[str] = []
    doc = rio.read_project(write(tmp_path, project(view=view)), warnings)
    assert doc.view == view and warnings == []


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (list(range(MAX_EXTRA_SIZE + 1)), "too large"),
        ("x" * 100_000, "too large"),
        ([[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]], "nested too deeply"),
    ],
)
def test_unfit_unknown_view_keys_are_dropped(tmp_path, value, why) -> None:
    warnings: list[str] = []
    doc = rio.read_project(write(tmp_path, project(view={"blob": value, "step": 1})), warnings)
    assert doc.view == {"step": 1}
    assert len(warnings) == 1 and "view.blob" in warnings[0] and why in warnings[0]


@pytest.mark.parametrize("literal", ["NaN", "-Infinity", "1e999", "9" * 5000])
def test_an_unsaveable_number_under_view_is_dropped_and_the_file_saves_again(
    tmp_path, literal
) -> None:
    text = json.dumps(project(view={"later": [1, 0]})).replace("[1, 0]", f"[1, {literal}]")
    warnings: list[str] = []
    doc = rio.read_project(write(tmp_path, text), warnings)
    assert "later" not in doc.view and "view.later" in warnings[0]
    rio.write_project(doc, tmp_path / "again.rnn.json")


def test_a_bulky_view_is_read_and_not_kept(tmp_path: Path) -> None:
    """The 49 MB case in small: the bulk under view is parsed once and dropped; what the
    document keeps (and every later save writes) is small."""
    bulk = {"blob": [[[i, {"k": [i, 0.5]}]] for i in range(200_000)], "speed": 3}
    warnings: list[str] = []
    doc = rio.read_project(write(tmp_path, project(view=bulk)), warnings)
    assert doc.view == {"speed": 3} and "view.blob" in warnings[0]
    out = tmp_path / "out.rnn.json"
    rio.write_project(doc, out)
    assert out.stat().st_size < 2_000


# -- CSV ----------------------------------------------------------------------------------------


def write_csv_text(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("x," + "h" * 200_000 + "\n1,2\n", ["line 1", "131,072"]),
        ("x,y\n1,2\n3," + "4" * 200_000 + "\n", ["line 3", "131,072"]),
        ('x,y\n1,"2\n3,4\n', ["row 1", "'y'", "not a number"]),  # a quote never closed
        ("x," + "h" * 500 + "\n1,2\n", ["column 2", "200"]),
        ('"a\nb",y\n1,2\n', ["column 1", "U+000A"]),
    ],
)
def test_csv_errors_name_the_line(tmp_path, text, fragments) -> None:
    path = write_csv_text(tmp_path, text)
    for reader in (rio.read_csv, rio.read_path):
        message = message_of(reader, path)
        assert message.startswith(str(path)), message
        for fragment in fragments:
            assert fragment in message, message


@pytest.mark.parametrize("columns", [MAX_COLUMNS + 1, 1_000, 20_000])
def test_too_many_columns_are_refused_with_the_limit(tmp_path, columns: int) -> None:
    header = ",".join(f"c{i}" for i in range(columns))
    path = write_csv_text(tmp_path, header + "\n" + ",".join(["0.5"] * columns) + "\n")
    for reader in (rio.read_csv, rio.csv_columns):
        message = message_of(reader, path)
        assert f"{columns:,} columns" in message and str(MAX_COLUMNS) in message


def test_the_column_limit_itself_is_fine(tmp_path: Path) -> None:
    header = ",".join(f"c{i}" for i in range(MAX_COLUMNS))
    path = write_csv_text(tmp_path, header + "\n" + ",".join(["0.5"] * MAX_COLUMNS) + "\n")
    doc = rio.read_csv(path)
    assert (doc.d, doc.k) == (MAX_COLUMNS - 1, 1)
    assert len(rio.csv_columns(path)) == MAX_COLUMNS
    message = message_of(doc.with_input_added)
    assert str(MAX_COLUMNS) in message


def test_a_csv_with_more_targets_than_hidden_units_allowed(tmp_path: Path) -> None:
    names = [f"t{i}" for i in range(MAX_HIDDEN + 1)]
    path = write_csv_text(tmp_path, "x," + ",".join(names) + "\n" + "1," * len(names) + "1\n")
    message = message_of(rio.read_csv, path, names)
    assert f"{MAX_HIDDEN + 1} target columns" in message and str(MAX_HIDDEN) in message


def test_hidden_size_has_a_limit_for_files_and_edits(tmp_path: Path) -> None:
    doc = lecture()
    assert str(MAX_HIDDEN) in message_of(doc.with_hidden_size, MAX_HIDDEN + 1)
    assert doc.with_hidden_size(MAX_HIDDEN).hidden_size == MAX_HIDDEN
    obj = project(hidden_size=MAX_HIDDEN + 1, readout="linear")
    assert "'hidden_size'" in message_of(rio.read_project, write(tmp_path, obj))


# -- messages in JSON's words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "fragments"),
    [
        ({"inputs": [None, [1, 2]]}, ["'inputs', row 1", "found null"]),
        ({"inputs": None}, ["'inputs'", "found null"]),
        ({"inputs": {"a": 1}}, ["'inputs'", "an object"]),
        ({"inputs": [[1, "2"], [1, 2]]}, ["row 1, column 2", 'the string "2"']),
        ({"inputs": [[1, True], [1, 2]]}, ["row 1, column 2", "found true"]),
        ({"inputs": [[1, [2]], [1, 2]]}, ["row 1, column 2", "an array"]),
        ({"params": {"W": [[0.7, 0.3, None]], "b": [0.4]}}, ["'params.W[0][2]'", "null"]),
        ({"params": {"W": [[0.7, 0.3, 0.4]], "b": [{}]}}, ["'params.b[0]'", "an object"]),
        ({"initial_state": [False]}, ["'initial_state[0]'", "false"]),
        ({"hidden_size": None}, ["'hidden_size'", "null"]),
        ({"input_names": [1, "x2"]}, ["'input_names[0]'", "the integer 1"]),
        ({"cell": None}, ["'cell'", "null"]),
    ],
)
def test_messages_speak_json(tmp_path, changes, fragments) -> None:
    message = message_of(rio.read_project, write(tmp_path, project(**changes)))
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    ("key", "literal", "fragments"),
    [
        ("version", "NaN", ["'version'", "found NaN"]),
        ("format", "Infinity", ["'format'", "found Infinity"]),
        ("hidden_size", "1" + "0" * 5000, ["'hidden_size'", "a number too long to read"]),
        ("hidden_size", "1" + "0" * 400, ["'hidden_size'", "too large"]),
    ],
)
def test_odd_literals_at_the_top_level(tmp_path, key, literal, fragments) -> None:
    obj = project(**{key: "PLACE"})
    text = json.dumps(obj).replace('"PLACE"', literal)
    message = message_of(rio.read_project, write(tmp_path, text))
    for fragment in fragments:
        assert fragment in message, message


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ("[0.7, 0.9]", "[0.7, " + "7" * 5000 + "]", ["'inputs', row 2, column 2", "too long"]),
        ('"b": [0.4]', '"b": [-' + "7" * 5000 + "]", ["'params.b[0]'", "too long to read"]),
        ("[0.5]", "[" + "5" * 400 + ".5]", ["'targets', row 2", "too large"]),
    ],
)
def test_numbers_too_long_for_python_name_their_key(tmp_path, old, new, fragments) -> None:
    text = rio.dumps_project(lecture())
    assert old in text
    message = message_of(rio.read_project, write(tmp_path, text.replace(old, new)))
    for fragment in fragments:
        assert fragment in message, message


def test_a_direct_dict_with_python_values_still_speaks_json() -> None:
    obj = project(inputs=[[float("nan"), 1.0], [1.0, 2.0]])
    assert "NaN" in message_of(rio.document_from_dict, obj)
    obj = project(params={"W": [[0.7, 0.3, 10**400]], "b": [0.4]})
    assert "too large" in message_of(rio.document_from_dict, obj)
    doc = Document.create(
        input_names=["a"], target_names=["y"], inputs=np.ones((2, 1)), targets=[[1.0], [None]]
    )
    assert doc.T == 2


def test_deep_nesting_is_one_message(tmp_path: Path) -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a": ' * 100_000 + "1" + "}" * 100_000):
        message = message_of(rio.read_project, write(tmp_path, text))
        assert "nested too deeply" in message
    deep = project(view={"x": 1})
    text = json.dumps(deep).replace('{"x": 1}', '{"x": ' + "[" * 900 + "]" * 900 + "}")
    warnings: list[str] = []
    assert rio.read_project(write(tmp_path, text), warnings).view == {}
    inputs = json.dumps(project()).replace('"inputs": [', '"inputs": [' + "[" * 900, 1)
    message_of(rio.read_project, write(tmp_path, inputs))  # invalid JSON or a shape message


def test_big_data_matrices_read_whole_and_still_name_a_bad_entry(tmp_path: Path) -> None:
    """The matrices are read at C speed when plain, entry by entry otherwise: the two
    ways agree, ints and nulls included, and a bad entry deep inside is still named."""
    T = 5_000
    inputs = [[i, 0.5] for i in range(T)]
    targets = [[None] if i % 3 else [float(i)] for i in range(T)]
    doc = rio.read_project(write(tmp_path, project(inputs=inputs, targets=targets)))
    assert doc.inputs.shape == (T, 2) and doc.inputs[T - 1, 0] == T - 1
    assert np.isnan(doc.targets[1, 0]) and doc.targets[3, 0] == 3.0
    slow = rio.document_from_dict(project(inputs=[tuple(r) for r in inputs], targets=targets))
    assert slow.equals(doc)
    inputs[4321][1] = "0.5"
    message = message_of(rio.read_project, write(tmp_path, project(inputs=inputs)))
    assert "row 4322, column 2" in message and 'the string "0.5"' in message
    rows = [[0.5, 0.5] for _ in range(3000)]
    rows[2998][1] = "BAD"
    text = json.dumps(project(inputs=rows)).replace('"BAD"', "1e999")
    assert "row 2999, column 2" in message_of(rio.read_project, write(tmp_path, text))
