"""Project files and CSV: round trips, atomic saving, and every malformed input.

Every bad input must raise DocumentError (and nothing else) with one line that names
the file and the key, row or column at fault.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import hypothesis.configuration
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_studio import io as rio
from rnn_studio.document import Document, TrainingSettings
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture

# hypothesis keeps its caches out of the checkout (database=None does not cover them)
hypothesis.configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="rnn-hypothesis-"))
# -- helpers -------------------------------------------------------------------------------


def make_doc(cell: str, readout: str, *, seed: int = 1, blank: bool = True) -> Document:
    """A document with awkward numbers: negatives, tiny, large, and blank targets."""
    rng = np.random.default_rng(seed)
    T, d, k = 5, 3, 2
    h = k if readout == "identity" else 3
    x = rng.normal(size=(T, d)) * 10.0 ** rng.integers(-8, 8, size=(T, d))
    y = rng.normal(size=(T, k))
    if blank:
        y[1, 0] = np.nan
        y[3, :] = np.nan
    doc = Document.create(
        input_names=["a", "b b", 'ç,;"q"'],
        target_names=["y1", "y2"],
        inputs=x,
        targets=y,
        cell=cell,
        activation="relu" if cell == "rnn" else "tanh",
        hidden_size=h,
        readout=readout,
        params=None,
        seed=seed,
        initial_state=rng.normal(size=h),
        initial_cell=rng.normal(size=h) if cell == "lstm" else None,
        training=TrainingSettings("adam", 0.003, 250, 7),
        view={"step": 2, "speed": 7, "future": {"anything": [1, 2]}},
    )
    return doc


def project_dict(**changes) -> dict:
    """The lecture's project object with some keys changed (None removes a key)."""
    obj = rio.document_to_dict(lecture())
    for key, value in changes.items():
        if value is None:
            obj.pop(key, None)
        else:
            obj[key] = value
    return obj


def write_json(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def error_of(fn, *args) -> str:
    with pytest.raises(DocumentError) as info:
        fn(*args)
    text = str(info.value)
    assert "\n" not in text, text
    return text


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
def test_project_round_trip(tmp_path: Path, cell: str, readout: str) -> None:
    doc = make_doc(cell, readout)
    path = tmp_path / "p.rnn.json"
    rio.write_project(doc, path)
    back = rio.read_project(path)
    assert back.equals(doc)
    assert back.training == TrainingSettings("adam", 0.003, 250, 7)
    assert back.view == {"step": 2, "speed": 7, "future": {"anything": [1, 2]}}
    assert back.input_names == ("a", "b b", 'ç,;"q"')
    # and a second save gives the same text (stable output)
    again = tmp_path / "again.rnn.json"
    rio.write_project(back, again)
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_written_project_follows_the_spec(tmp_path: Path) -> None:
    path = tmp_path / "l.rnn.json"
    doc = lecture().with_cell_value(1, 2, None)  # blank the second target
    rio.write_project(doc, path)
    obj = json.loads(path.read_text(encoding="utf-8"))
    assert obj["format"] == "rnn-studio" and obj["version"] == 1
    assert obj["targets"] == [[0.3], [None]]
    assert obj["params"] == {"W": [[0.7, 0.3, 0.4]], "b": [0.4]}
    assert obj["initial_state"] == [0.0]
    assert "initial_cell" not in obj and "training" not in obj
    assert isinstance(obj["hidden_size"], int)
    assert set(obj) <= set(rio.KNOWN_KEYS)


def test_written_lstm_has_no_activation_and_gru_no_cell(tmp_path: Path) -> None:
    lstm = rio.document_to_dict(make_doc("lstm", "identity"))
    gru = rio.document_to_dict(make_doc("gru", "linear"))
    assert "activation" not in lstm and "initial_cell" in lstm
    assert "activation" not in gru and "initial_cell" not in gru
    assert set(gru["params"]) == {"W_r", "b_r", "W_z", "b_z", "W_n", "b_n", "b_nh", "V", "c"}


def test_document_dict_round_trip_without_files() -> None:
    doc = make_doc("gru", "identity")
    assert rio.document_from_dict(rio.document_to_dict(doc)).equals(doc)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_csv_round_trip_keeps_the_data(tmp_path: Path, cell: str) -> None:
    doc = make_doc(cell, "linear")
    path = tmp_path / "data.csv"
    rio.write_csv(doc, path)
    back = rio.read_csv(path, targets=list(doc.target_names))
    assert back.column_names == doc.column_names
    assert np.array_equal(back.inputs, doc.inputs)
    assert np.array_equal(back.targets, doc.targets, equal_nan=True)
    # the default model for the shape: basic RNN, tanh, h = k, identity, seed 0
    assert (back.cell, back.activation, back.hidden_size, back.readout) == (
        "rnn",
        "tanh",
        2,
        "identity",
    )
    assert not back.initial_state.any()
    bound = 1 / math.sqrt(2)
    assert all(np.abs(a).max() <= bound for a in back.params.values())
    assert back.equals(rio.read_csv(path, targets=list(doc.target_names)))  # seed 0: same weights


def test_csv_writes_blank_targets_as_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    rio.write_csv(lecture().with_cell_value(0, 2, None), path)
    assert path.read_text(encoding="utf-8").splitlines() == ["x1,x2,y", "0.1,0.4,", "0.7,0.9,0.5"]


def test_read_path_chooses_by_extension_and_content(tmp_path: Path) -> None:
    project = tmp_path / "noext"
    rio.write_project(lecture(), project)
    assert rio.read_path(project).equals(lecture())
    table = tmp_path / "table.data"
    table.write_text("x1,x2,y\n0.1,0.4,0.3\n", encoding="utf-8")
    assert rio.read_path(table).T == 1
    csv_path = tmp_path / "t.CSV"
    csv_path.write_text("u;v\n1;2\n", encoding="utf-8")
    assert rio.read_path(csv_path).input_names == ("u",)


# -- CSV reading ----------------------------------------------------------------------------


def read_csv_text(tmp_path: Path, text: str | bytes, targets=None, name="d.csv") -> Document:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return rio.read_csv(path, targets)


def test_csv_semicolons_bom_quotes_and_decimal_commas(tmp_path: Path) -> None:
    text = '\ufeff"x, one";x2;y\r\n0,1;0,4;0,3\r\n"0,7";0.9;\r\n\r\n'
    doc = read_csv_text(tmp_path, text)
    assert doc.input_names == ("x, one", "x2")
    assert doc.target_names == ("y",)
    assert np.array_equal(doc.inputs, [[0.1, 0.4], [0.7, 0.9]])
    assert doc.targets[0, 0] == 0.3 and math.isnan(doc.targets[1, 0])


def test_csv_comma_with_quoted_fields(tmp_path: Path) -> None:
    doc = read_csv_text(tmp_path, 'a,"b,c",y\n1,"2",3\n-4,5e-3,\n')
    assert doc.input_names == ("a", "b,c")
    assert np.array_equal(doc.inputs, [[1, 2], [-4, 0.005]])


def test_csv_targets_option(tmp_path: Path) -> None:
    doc = read_csv_text(tmp_path, "p,q,r,s\n1,2,3,4\n5,6,,8\n", targets=["p", "r"])
    assert doc.input_names == ("q", "s") and doc.target_names == ("p", "r")
    assert doc.hidden_size == 2
    assert np.array_equal(doc.targets, [[1, 3], [5, np.nan]], equal_nan=True)
    assert np.array_equal(doc.inputs, [[2, 4], [6, 8]])


@pytest.mark.parametrize(
    ("text", "targets", "fragments"),
    [
        ("x1,x2,y\n0.1,0.4,0.3\n0.7,0.9\n", None, ["row 2", "line 3", "2 fields", "3"]),
        ("x1,x2,y\n0.1,0.4,0.3\n0.7,a,0.5\n", None, ["row 2", "'x2'", "'a'"]),
        ("x1,x2,y\n0.1,,0.3\n", None, ["row 1", "'x2'", "empty"]),
        ("x1,x2,y\n0.1,0.4,zz\n", None, ["row 1", "'y'", "'zz'"]),
        ("x1,x2,y\n0.1,inf,0.3\n", None, ["row 1", "'x2'", "finite"]),
        ("x1,x1,y\n1,2,3\n", None, ["'x1'", "twice"]),
        ("x1,,y\n1,2,3\n", None, ["column 2", "no name"]),
        ("y\n1\n2\n", None, ["one column", "input"]),
        ("x1,x2,y\n", None, ["no rows"]),
        ("x1,x2,y\n1,2,3\n", ["nope"], ["'nope'", "x1, x2, y"]),
        ("x1,y\n1,2\n", ["x1", "y"], ["input column"]),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, targets, fragments) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    message = error_of(rio.read_csv, path, targets)
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, message


# -- project reading: every malformed input ---------------------------------------------------


BAD_PROJECTS = [
    # (object or raw text, fragments the message must contain)
    ("", ["empty"]),
    ("  \n\t ", ["empty"]),
    ("{not json", ["not valid JSON", "line 1"]),
    ("[1, 2]", ["JSON object", "an array"]),
    ('"rnn-studio"', ["JSON object", "string"]),
    ('{"format": "rnn-studio", "version": 1, "cell": "rnn",', ["not valid JSON"]),
    (project_dict(format="other"), ["not an RNN Studio project", "'format'"]),
    (project_dict(format=None), ["not an RNN Studio project", "'format'"]),
    (project_dict(version=2), ["version 2", "not supported", "'version'"]),
    (project_dict(version="1"), ["'version'", "string"]),
    (project_dict(version=1.0), ["'version'", "1.0"]),
    (project_dict(version=True), ["'version'", "true"]),
    (project_dict(version=None), ["'version'", "missing"]),
    (project_dict(colour="blue"), ["unknown key", "'colour'"]),
    (project_dict(inputs=None), ["'inputs'", "missing"]),
    (project_dict(params=None), ["'params'", "missing"]),
    (project_dict(hidden_size="1"), ["'hidden_size'", "integer"]),
    (project_dict(hidden_size=0), ["'hidden_size'", "integer"]),
    (project_dict(hidden_size=1.0), ["'hidden_size'"]),
    (project_dict(cell="cnn"), ["'cell'", "cnn"]),
    (project_dict(cell=3), ["'cell'"]),
    (project_dict(activation="softmax"), ["'activation'", "softmax"]),
    (project_dict(readout="softmax"), ["'readout'", "softmax"]),
    (project_dict(input_names="x1"), ["'input_names'", "array"]),
    (project_dict(input_names=["x1", "x1"]), ["'input_names'", "twice"]),
    (project_dict(input_names=["x1", ""]), ["'input_names[1]'", "empty"]),
    (project_dict(target_names=["x1"]), ["'target_names'", "'x1'"]),
    (project_dict(inputs=[[0.1, 0.4], [0.7]]), ["'inputs'", "row 2", "2 entries", "found 1"]),
    (project_dict(inputs=[[0.1, 0.4], [0.7, "a"]]), ["'inputs'", "row 2", "column 2"]),
    (project_dict(inputs=[[0.1, 0.4], [0.7, None]]), ["'inputs'", "row 2", "null"]),
    (project_dict(inputs=[]), ["'inputs'", "timestep"]),
    (project_dict(targets=[[0.3]]), ["'targets'", "2 rows", "found 1"]),
    (project_dict(targets=[[0.3], [True]]), ["'targets'", "row 2"]),
    (project_dict(params={"W": [[0.7, 0.3]], "b": [0.4]}), ["'params.W'", "1 × 3", "1 × 2"]),
    (project_dict(params={"W": [[0.7, 0.3, 0.4]], "b": [0.4], "V": [[1]]}), ["'params.V'"]),
    (project_dict(params={"W": [[0.7, 0.3, 0.4]]}), ["'params.b'", "missing"]),
    (project_dict(params={"W": [[0.7, 0.3, 0.4]], "b": 0.4}), ["'params.b'", "array"]),
    (project_dict(params={"W": [[0.7, [0.3], 0.4]], "b": [0.4]}), ["'params.W[0][1]'", "array"]),
    (project_dict(params=[1]), ["'params'"]),
    (project_dict(initial_state=[0.0, 1.0]), ["'initial_state'", "(1,)", "(2,)"]),
    (project_dict(initial_state="0"), ["'initial_state'", "array"]),
    (project_dict(initial_cell=[0.0]), ["'initial_cell'", "lstm"]),
    (project_dict(cell="lstm"), ["'activation'", "basic RNN only"]),
    (project_dict(readout="linear"), ["'params"]),
    (project_dict(training={"optimizer": "rmsprop"}), ["'training.optimizer'", "rmsprop"]),
    (project_dict(training={"learning_rate": 0}), ["'training.learning_rate'", "> 0"]),
    (project_dict(training={"learning_rate": "0.1"}), ["'training.learning_rate'"]),
    (project_dict(training={"epochs": 0}), ["'training.epochs'", "≥ 1"]),
    (project_dict(training={"epochs": 2.5}), ["'training.epochs'"]),
    (project_dict(training={"seed": True}), ["'training.seed'"]),
    (project_dict(training={"epoch": 3}), ["'training'", "'epoch'"]),
    (project_dict(training=[]), ["'training'", "object"]),
    ('{"format": "rnn-studio", "format": "rnn-studio"}', ["'format'", "twice"]),
]


def _bad_text(case) -> str:
    return case if isinstance(case, str) else json.dumps(case)


@pytest.mark.parametrize(("case", "fragments"), BAD_PROJECTS, ids=range(len(BAD_PROJECTS)))
def test_bad_project(tmp_path: Path, case, fragments) -> None:
    path = tmp_path / "bad.rnn.json"
    path.write_text(_bad_text(case), encoding="utf-8")
    message = error_of(rio.read_project, path)
    assert message.startswith(str(path) + ":"), message
    for fragment in fragments:
        assert fragment in message, message


def _lecture_text() -> str:
    return rio.dumps_project(lecture())


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        ('"b": [0.4]', '"b": [NaN]', ["NaN", "'params.b[0]'", "finite"]),
        ('"b": [0.4]', '"b": [Infinity]', ["Infinity", "'params.b[0]'"]),
        ('"b": [0.4]', '"b": [-Infinity]', ["-Infinity", "'params.b[0]'"]),
        ("[0.7, 0.9]", "[0.7, 1e999]", ["1e999", "'inputs', row 2, column 2", "finite"]),
        ("[0.7, 0.9]", "[0.7, -1e400]", ["-1e400", "'inputs', row 2, column 2"]),
        ("[0.5]", "[" + "9" * 400 + "]", ["too large", "'targets', row 2, column 1"]),
        ('"initial_state": [0.0]', '"initial_state": [NaN]', ["'initial_state[0]'"]),
    ],
)
def test_non_finite_numbers_are_refused(tmp_path: Path, old, new, fragments) -> None:
    text = _lecture_text()
    assert old in text
    path = tmp_path / "nan.rnn.json"
    path.write_text(text.replace(old, new), encoding="utf-8")
    message = error_of(rio.read_project, path)
    for fragment in fragments:
        assert fragment in message, message


def test_unknown_keys_inside_view_are_kept(tmp_path: Path) -> None:
    path = write_json(tmp_path / "v.rnn.json", project_dict(view={"step": 1, "new_thing": [1]}))
    doc = rio.read_project(path)
    assert doc.view == {"step": 1, "new_thing": [1]}
    out = tmp_path / "out.rnn.json"
    rio.write_project(doc, out)
    assert json.loads(out.read_text(encoding="utf-8"))["view"] == {"step": 1, "new_thing": [1]}


def test_training_block_is_read(tmp_path: Path) -> None:
    block = {"optimizer": "momentum", "learning_rate": 1, "epochs": 3, "seed": 5}
    doc = rio.read_project(write_json(tmp_path / "t.rnn.json", project_dict(training=block)))
    assert doc.training == TrainingSettings("momentum", 1.0, 3, 5)


def test_lstm_and_gru_files_read(tmp_path: Path) -> None:
    for cell in ("lstm", "gru"):
        obj = rio.document_to_dict(make_doc(cell, "identity"))
        doc = rio.read_project(write_json(tmp_path / f"{cell}.rnn.json", obj))
        assert doc.cell == cell


def test_file_problems(tmp_path: Path) -> None:
    missing = tmp_path / "missing.rnn.json"
    assert "no such file" in error_of(rio.read_path, missing)
    assert "folder" in error_of(rio.read_path, tmp_path)
    binary = tmp_path / "bin.rnn.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert "not UTF-8" in error_of(rio.read_path, binary)
    nul = tmp_path / "nul.rnn.json"
    nul.write_bytes(b'{"a":\x00}')
    assert "NUL" in error_of(rio.read_path, nul)
    deep = tmp_path / "deep.rnn.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert str(deep) in error_of(rio.read_path, deep)


def test_huge_file_is_refused_before_parsing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.rnn.json"
    with open(path, "wb") as f:  # sparse: costs no disk
        f.truncate(rio.MAX_FILE_BYTES + 1)
    calls = []
    monkeypatch.setattr(rio.json, "loads", lambda *a, **k: calls.append(1))
    message = error_of(rio.read_path, path)
    assert "50 MB" in message and str(path) in message
    assert not calls


def test_targets_for_a_project_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.rnn.json"
    rio.write_project(lecture(), path)
    assert "CSV" in error_of(rio.read_path, path, ["y"])


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".rnn.json", ".csv", ""]))
def test_random_bytes_never_escape_as_anything_but_document_error(tmp_path, data, suffix) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        doc = rio.read_path(path)
    except DocumentError as err:
        assert "\n" not in str(err) and str(path) in str(err)
    else:
        assert isinstance(doc, Document)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(alphabet=st.sampled_from(list('0123456789.,;-e"\n xy\ufeff')), max_size=80))
def test_random_csv_like_text_only_raises_document_error(tmp_path, text) -> None:
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    try:
        rio.read_csv(path)
    except DocumentError as err:
        assert "\n" not in str(err)


# -- atomic saving -------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("writer", [rio.write_project, rio.write_csv])
def test_failed_rename_keeps_the_old_file(tmp_path: Path, monkeypatch, writer) -> None:
    path = tmp_path / "keep.rnn.json"
    path.write_text("the old contents", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rio.os, "replace", broken_replace)
    message = error_of(writer, make_doc("lstm", "linear"), path)
    assert "No space left on device" in message and str(path) in message
    assert path.read_text(encoding="utf-8") == "the old contents"
    assert _leftovers(tmp_path) == []


def test_failure_while_writing_bytes_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "keep.rnn.json"
    rio.write_project(lecture(), path)
    before = path.read_bytes()

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(rio.os, "fsync", broken_fsync)
    message = error_of(rio.write_project, make_doc("gru", "identity"), path)
    assert "Input/output error" in message
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_failure_while_serialising_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "keep.rnn.json"
    path.write_text("old", encoding="utf-8")
    doc = lecture().with_view(bad=float("nan"))  # not representable in JSON
    assert str(path) in error_of(rio.write_project, doc, path)
    assert path.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_saving_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    assert "cannot save" in error_of(rio.write_project, lecture(), tmp_path / "no" / "x.json")
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "cannot save" in error_of(rio.write_project, lecture(), folder)
    assert _leftovers(tmp_path) == [] and list(folder.iterdir()) == []


def test_saving_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "p.rnn.json"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    rio.write_project(lecture(), path)
    assert (os.stat(path).st_mode & 0o777) == 0o640
    assert rio.read_project(path).equals(lecture())


def test_saving_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.rnn.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.rnn.json"
    link.symlink_to(real)
    rio.write_project(lecture(), link)
    assert link.is_symlink()
    assert rio.read_project(real).equals(lecture())
