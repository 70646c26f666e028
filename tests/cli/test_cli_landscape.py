"""``rnn-studio landscape``: the grid of spec/cli.md, equal to the core, and bad options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import CELLS, cli, make_doc, one_line_usage_error, run, write_doc

from rnn_studio.core.landscape import landscape, parse_entry
from rnn_studio.document import Document
from rnn_studio.examples import lecture


def core_grid(doc: Document, x: str, y: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    cell = doc.initial_cell if doc.cell == "lstm" else None
    return landscape(
        doc.spec,
        doc.params,
        doc.inputs,
        doc.targets,
        doc.initial_state,
        cell,
        parse_entry(x, doc.spec),
        parse_entry(y, doc.spec),
        xs,
        ys,
    )


def test_json_shape_and_values_for_the_lecture(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    code, out, err = run(
        capsys, "landscape", path, "--x", "W:0:0", "--y", "b:0", "--format", "json"
    )
    assert code == 0, err
    obj = json.loads(out)
    assert list(obj) == ["x", "y", "loss"]
    assert obj["x"]["param"] == "W:0:0" and obj["y"]["param"] == "b:0"
    xs, ys = np.array(obj["x"]["values"]), np.array(obj["y"]["values"])
    # the default: 51 points over the current value ± 1
    np.testing.assert_array_equal(xs, np.linspace(0.7 - 1, 0.7 + 1, 51))
    np.testing.assert_array_equal(ys, np.linspace(0.4 - 1, 0.4 + 1, 51))
    loss = np.array(obj["loss"])
    assert loss.shape == (51, 51)  # loss[i][j]: y value i, x value j
    np.testing.assert_array_equal(loss, core_grid(lecture(), "W:0:0", "b:0", xs, ys))
    # the middle of the grid is the file's own point: the lecture's loss
    assert loss[25, 25] == pytest.approx(lecture().trace().loss, rel=1e-12)


@pytest.mark.parametrize(("cell", "activation"), CELLS)
def test_csv_grid_equals_the_core(tmp_path: Path, capsys, cell, activation) -> None:
    doc = make_doc(cell, activation)
    x = "W:1:2" if cell == "rnn" else ("W_f:0:1" if cell == "lstm" else "b_nh:2")
    y = "c:1"
    path = write_doc(tmp_path, doc)
    code, out, err = run(
        capsys,
        "landscape",
        path,
        "--x",
        x,
        "--y",
        y,
        "--x-range",
        "-2:3",
        "--y-range",
        "-0.5:0.25",
        "--grid",
        "7",
    )
    assert code == 0, err
    table = list(csv.reader(io.StringIO(out)))
    assert len(table) == 8 and all(len(row) == 8 for row in table)
    assert table[0][0] == f"{y}\\{x}"
    xs = np.array([float(v) for v in table[0][1:]])
    ys = np.array([float(row[0]) for row in table[1:]])
    np.testing.assert_array_equal(xs, np.linspace(-2, 3, 7))
    np.testing.assert_array_equal(ys, np.linspace(-0.5, 0.25, 7))
    grid = np.array([[float(v) for v in row[1:]] for row in table[1:]])
    np.testing.assert_array_equal(grid, core_grid(doc, x, y, xs, ys))  # repr: exact


def test_negative_ranges_need_no_equals_sign(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    args = ["landscape", path, "--x", "W:0:1", "--y", "W:0:2", "--grid", "3", "--format", "json"]
    code, out, err = run(capsys, *args, "--x-range", "-3:-1", "--y-range=-1:0")
    assert code == 0, err
    obj = json.loads(out)
    assert obj["x"]["values"] == [-3.0, -2.0, -1.0]
    assert obj["y"]["values"] == [-1.0, -0.5, 0.0]


def test_an_overflowing_point_is_null_in_json(tmp_path: Path, capsys) -> None:
    doc = make_doc("rnn", "identity", readout="identity", T=40, blank=False)
    path = write_doc(tmp_path, doc)
    code, out, _ = run(
        capsys, "landscape", path, "--x", "W:0:2", "--y", "W:1:3", "--format", "json",
        "--x-range", "1e200:1e201", "--y-range", "0:1", "--grid", "2",
    )  # fmt: skip
    assert code == 0
    obj = json.loads(out)
    assert obj["loss"][0][0] is None
    assert any("loss" in w and "null" in w for w in obj["warnings"])


BAD = [
    (["--x", "V:0"], ["--x V:0", "unknown parameter 'V'", "W, b"]),
    (["--x", "W:0"], ["--x W:0", "two indices"]),
    (["--x", "W:0:3"], ["--x W:0:3", "out of range"]),
    (["--x", "W:-1:0"], ["--x W:-1:0", "out of range"]),
    (["--y", "b:1"], ["--y b:1", "out of range"]),
    (["--y", "b:x"], ["--y b:x", "not a whole number"]),
    (["--y", "W:0:0"], ["--y W:0:0", "same entry as --x"]),
    (["--x-range", "2:1"], ["--x-range", "A < B"]),
    (["--x-range", "1:1"], ["--x-range", "A < B"]),
    (["--y-range", "0:inf"], ["--y-range", "finite"]),
    (["--y-range", "0"], ["--y-range", "A:B"]),
    (["--x-range", "a:b"], ["--x-range", "A:B"]),
    (["--grid", "1"], ["--grid", "between 2 and"]),
    (["--grid", "100000"], ["--grid", "between 2 and"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD, ids=lambda v: " ".join(v))
def test_bad_options_exit_2_naming_the_option(tmp_path: Path, capsys, options, fragments) -> None:
    path = write_doc(tmp_path, lecture())
    given = {"--x": "W:0:0", "--y": "b:0"}
    for option, value in zip(options[::2], options[1::2], strict=True):
        given[option] = value
    argv = [item for pair in given.items() for item in pair]
    line = one_line_usage_error(*run(capsys, "landscape", path, *argv), *fragments)
    assert line.startswith("rnn-studio landscape: ")


def test_missing_x_is_argparse_usage(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    code, out, err = run(capsys, "landscape", path, "--y", "b:0")
    assert code == 2 and out == "" and "--x" in err


def test_no_target_exits_3(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, make_doc("rnn", targets=np.full((5, 2), np.nan)))
    code, out, err = run(capsys, "landscape", path, "--x", "W:0:0", "--y", "b:0")
    assert code == 3 and out == "" and len(err.splitlines()) == 1 and "no loss" in err


def test_landscape_as_a_subprocess(tmp_path: Path) -> None:
    write_doc(tmp_path, lecture(), "L.rnn.json")
    done = cli("landscape", "L.rnn.json", "--x", "W:0:0", "--y", "b:0", "--grid", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert len(rows) == 6 and rows[0][0] == "b:0\\W:0:0"
