"""Bad files on the command line: exit status 3, one line on stderr naming the problem."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.examples import lecture


def lecture_obj(**changes) -> dict:
    obj = rio.document_to_dict(lecture())
    obj.update(changes)
    return obj


def lecture_text_with(old: str, new: str) -> str:
    text = rio.dumps_project(lecture())
    assert old in text
    return text.replace(old, new)


# name, file name, contents (str, bytes or dict), fragments the one line must contain
BAD_FILES = [
    ("ragged csv", "d.csv", "x1,x2,y\n0.1,0.4,0.3\n0.7,0.9\n", ["row 2", "2 fields"]),
    ("letter in a number", "d.csv", "x1,x2,y\n0.1,0.4,0.3\n0.7,0.x9,0.5\n", ["row 2", "'x2'"]),
    ("empty input cell", "d.csv", "x1,x2,y\n0.1,,0.3\n", ["row 1", "'x2'", "empty"]),
    ("one column csv", "d.csv", "y\n1\n", ["one column"]),
    ("duplicate header", "d.csv", "a,a,y\n1,2,3\n", ["'a'", "twice"]),
    ("wrong shape W", "p.rnn.json", lecture_obj(params={"W": [[1, 2]], "b": [0]}), ["params.W"]),
    ("wrong rows", "p.rnn.json", lecture_obj(inputs=[[0.1, 0.4, 1], [0.7, 0.9, 1]]), ["inputs"]),
    ("unknown key", "p.rnn.json", lecture_obj(weights=[1]), ["unknown key", "'weights'"]),
    ("version 2", "p.rnn.json", lecture_obj(version=2), ["version 2", "not supported"]),
    ("version string", "p.rnn.json", lecture_obj(version="1"), ["'version'"]),
    ("NaN", "p.rnn.json", lecture_text_with('"b": [0.4]', '"b": [NaN]'), ["NaN", "params.b"]),
    ("1e999", "p.rnn.json", lecture_text_with("[0.7, 0.9]", "[0.7, 1e999]"), ["1e999", "row 2"]),
    ("empty file", "p.rnn.json", "", ["empty"]),
    ("empty csv", "d.csv", "", ["empty"]),
    ("not json", "p.rnn.json", "hello {", ["not valid JSON"]),
    ("json list", "p.rnn.json", "[1, 2, 3]", ["JSON object"]),
    ("random bytes", "p.rnn.json", bytes(range(256)) * 3, ["not UTF-8"]),
    ("random bytes csv", "d.csv", b"\xff\xfe\x00\x01garbage", ["not UTF-8"]),
    ("lstm activation", "p.rnn.json", lecture_obj(cell="lstm"), ["'activation'"]),
    ("bad training", "p.rnn.json", lecture_obj(training={"epochs": 0}), ["training.epochs"]),
]


def write(path: Path, contents) -> None:
    if isinstance(contents, bytes):
        path.write_bytes(contents)
    elif isinstance(contents, dict):
        path.write_text(json.dumps(contents), encoding="utf-8")
    else:
        path.write_text(contents, encoding="utf-8")


def assert_one_line_exit_3(capsys, argv: list[str], fragments: list[str]) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 3, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("rnn-studio: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("name", "filename", "contents", "fragments"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_bad_file_exits_3_with_one_line(tmp_path, capsys, name, filename, contents, fragments, fmt):
    path = tmp_path / filename
    write(path, contents)
    line = assert_one_line_exit_3(capsys, ["trace", str(path), "--format", fmt], fragments)
    assert str(path) in line


def test_missing_file_and_folder(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.rnn.json"
    assert_one_line_exit_3(capsys, ["trace", str(missing)], [str(missing), "no such file"])
    assert_one_line_exit_3(capsys, ["trace", str(tmp_path), "--grad"], ["folder"])


def test_huge_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as f:
        f.truncate(rio.MAX_FILE_BYTES + 10)
    assert_one_line_exit_3(capsys, ["trace", str(path)], ["50 MB"])


def test_failing_output_file_exits_3(tmp_path: Path, capsys) -> None:
    target = tmp_path / "missing-folder" / "L.rnn.json"
    assert_one_line_exit_3(capsys, ["example", "lecture", "-o", str(target)], ["cannot save"])
    assert not target.parent.exists()


def test_failing_rename_keeps_old_output(tmp_path: Path, capsys, monkeypatch) -> None:
    target = tmp_path / "L.rnn.json"
    target.write_text("old", encoding="utf-8")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    assert_one_line_exit_3(capsys, ["example", "lecture", "-o", str(target)], ["No space"])
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["L.rnn.json"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=200))
def test_random_bytes_never_give_a_traceback(tmp_path, capsys, data) -> None:
    path = tmp_path / "random.rnn.json"
    path.write_bytes(data)
    code = main(["trace", str(path)])
    out, err = capsys.readouterr()
    assert code == 3
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_bad_view_setting_is_a_warning_on_stderr_and_the_trace_goes_on(tmp_path, capsys):
    obj = rio.document_to_dict(lecture())
    obj["view"] = {"speed": 2**40, "step": 1}
    path = tmp_path / "bad-view.rnn.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    assert main(["trace", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "0.5299" in out
    assert err.count("\n") == 1 and "warning" in err and "view.speed" in err
