"""``rnn-studio trace``: the lecture's numbers, every format, --step, --grad, --precision."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
import pytest

from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.core import backprop
from rnn_studio.document import Document
from rnn_studio.examples import EXAMPLES, lecture

LECTURE_STEP_1 = "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lecture_file(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "L.rnn.json"
    code, _, _ = run(capsys, "example", "lecture", "-o", path)
    assert code == 0 and path.exists()
    return path


def doc_file(tmp_path: Path, doc: Document, name: str = "doc.rnn.json") -> Path:
    path = tmp_path / name
    rio.write_project(doc, path)
    return path


def random_doc(cell: str, readout: str = "linear", seed: int = 3) -> Document:
    rng = np.random.default_rng(seed)
    T, d, k, h = 4, 2, 2, 3
    if readout == "identity":
        h = k
    y = rng.normal(size=(T, k))
    y[1, 1] = np.nan
    return Document.create(
        input_names=["u", "v"],
        target_names=["p", "q"],
        inputs=rng.normal(size=(T, d)),
        targets=y,
        cell=cell,
        activation="sigmoid" if cell == "rnn" else "tanh",
        hidden_size=h,
        readout=readout,
        params=None,
        seed=seed,
        initial_state=rng.normal(size=h),
        initial_cell=rng.normal(size=h) if cell == "lstm" else None,
    )


# -- the lecture -------------------------------------------------------------------------------


def test_step_1_prints_the_lecture_line(lecture_file: Path, capsys) -> None:
    code, out, err = run(capsys, "trace", lecture_file, "--step", "1")
    assert code == 0, err
    lines = out.splitlines()
    assert LECTURE_STEP_1 in lines
    assert "ŷ₁ = s₁ = 0.5299" in lines
    assert "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299" in lines


def test_step_2_and_step_0(lecture_file: Path, capsys) -> None:
    _, out, _ = run(capsys, "trace", lecture_file, "--step", "2")
    assert "s₂ = tanh(0.7·0.7 + 0.3·0.9 + 0.4·0.5299 + 0.4) = tanh(1.3720) = 0.8791" in out
    assert "error = ŷ₂ − y = 0.8791 − 0.5 = 0.3791" in out
    code, out, _ = run(capsys, "trace", lecture_file, "--step", "0")
    assert code == 0 and "s₀ = 0" in out and "initial state" in out


def test_text_trace_shows_the_lecture_numbers(lecture_file: Path, capsys) -> None:
    code, out, err = run(capsys, "trace", lecture_file)
    assert code == 0 and err == ""
    for number in ("0.5299", "0.8791", "0.2299", "0.3791", "0.59", "1.3720"):
        assert number in out
    assert "loss = 0.0983" in out
    rows = [line.split() for line in out.splitlines() if line[:1] in ("1", "2")]
    assert rows == [
        ["1", "0.1", "0.4", "0.59", "0.5299", "0.5299", "0.3", "0.2299"],
        ["2", "0.7", "0.9", "1.3720", "0.8791", "0.8791", "0.5", "0.3791"],
    ]


def test_json_loss_and_values_are_full_precision(lecture_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "trace", lecture_file, "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert abs(obj["loss"] - 0.098298696692277) < 1e-12
    assert list(obj) == ["cell", "T", "d", "h", "k", "steps", "loss"]
    assert (obj["cell"], obj["T"], obj["d"], obj["h"], obj["k"]) == ("rnn", 2, 2, 1, 1)
    step = obj["steps"][0]
    assert list(step) == ["t", "z", "state", "output", "target", "error"]
    assert step["t"] == 1 and step["target"] == [0.3]
    assert abs(step["state"][0] - math.tanh(0.7 * 0.1 + 0.3 * 0.4 + 0.4)) < 1e-15
    trace = lecture().trace()
    assert [s["state"][0] for s in obj["steps"]] == trace.states[1:, 0].tolist()
    assert obj["loss"] == trace.loss  # repr round-trips exactly


def test_precision_option(lecture_file: Path, capsys) -> None:
    _, out, _ = run(capsys, "trace", lecture_file, "--precision", "6")
    assert "0.529896" in out and "0.879138" in out
    _, out, _ = run(capsys, "trace", lecture_file, "--step", "1", "--precision", "2")
    assert "= tanh(0.59) = 0.53" in out
    code, _, err = run(capsys, "trace", lecture_file, "--precision", "99")
    assert code == 2 and "--precision" in err


# -- gradients ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("readout", ["identity", "linear"])
def test_json_grad_schema_matches_the_spec(tmp_path: Path, capsys, cell, readout) -> None:
    doc = random_doc(cell, readout)
    code, out, _ = run(capsys, "trace", doc_file(tmp_path, doc), "--format", "json", "--grad")
    assert code == 0
    obj = json.loads(out)
    trace = doc.trace()
    grads = backprop(trace)
    gate_keys = {"rnn": None, "lstm": ["i", "f", "g", "o"], "gru": ["r", "z", "n"]}[cell]
    for t, step in enumerate(obj["steps"], start=1):
        expected = ["t"]
        expected += ["z"] if cell == "rnn" else ["gates"]
        expected += ["cell"] if cell == "lstm" else []
        expected += ["state", "output", "target", "error"]
        assert list(step) == expected
        if gate_keys:
            assert list(step["gates"]) == gate_keys
            for g in gate_keys:
                assert step["gates"][g] == trace.gates[g][t - 1].tolist()
        if cell == "lstm":
            assert step["cell"] == trace.cells[t].tolist()
        assert step["state"] == trace.states[t].tolist()
        assert step["output"] == trace.outputs[t - 1].tolist()
    # blank target (row 2, column q): null target and null error
    assert obj["steps"][1]["target"][1] is None and obj["steps"][1]["error"][1] is None
    assert obj["steps"][1]["error"][0] == trace.errors[1, 0]
    names = [ps.name for ps in doc.param_specs()] + ["initial_state"]
    names += ["initial_cell"] if cell == "lstm" else []
    assert list(obj["gradients"]) == [*names, "inputs"]
    for name in names:
        expected = grads.totals[name]
        got = np.array(obj["gradients"][name])
        assert got.shape == expected.shape
        assert np.array_equal(got, expected)
    # ∂L/∂x_t: T rows of d (spec/cli.md)
    inputs = np.array(obj["gradients"]["inputs"])
    assert inputs.shape == (doc.T, doc.d)
    assert np.array_equal(inputs, grads.inputs)
    assert set(obj["gradients"]) - {"initial_state", "initial_cell", "inputs"} == set(doc.params)
    assert "warnings" not in obj


def test_text_grad_shows_totals_and_error_signal(lecture_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "trace", lecture_file, "--grad")
    assert code == 0
    grads = backprop(lecture().trace())
    assert "∂L/∂s" in out
    assert f"{grads.d_state[0, 0]:.4f}" in out  # the error signal arriving at step 1
    w = grads.totals["W"][0]
    assert "∂L/∂W" in out and all(f"{v:.4f}" in out for v in w)
    assert "∂L/∂initial_state" in out


def test_step_with_grad_shows_the_backward_pieces(lecture_file: Path, capsys) -> None:
    _, out, _ = run(capsys, "trace", lecture_file, "--step", "1", "--grad")
    grads = backprop(lecture().trace())
    assert LECTURE_STEP_1 in out.splitlines()
    assert f"= {grads.d_state[0, 0]:.4f}" in out
    # the window's backward arithmetic, word for word (spec/model.md's lecture table)
    assert "∂L/∂s₁ = 0.2299 + 0.4·0.0861 = 0.2643" in out
    assert "∂L/∂W += 0.1901·[0.1, 0.4, 0] = [0.0190, 0.0760, 0]" in out


# -- other cells and formats ------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_example_traces_in_every_format(tmp_path: Path, capsys, name: str) -> None:
    doc = EXAMPLES[name][1]()
    path = doc_file(tmp_path, doc, f"{name}.rnn.json")
    T = doc.T
    code, out, _ = run(capsys, "trace", path, "--format", "json", "--grad")
    assert code == 0 and len(json.loads(out)["steps"]) == T
    code, out, _ = run(capsys, "trace", path, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert len(out.splitlines()) == T + 1 and len(rows) == T + 1
    assert rows[0][0] == "t" and [r[0] for r in rows[1:]] == [str(t) for t in range(1, T + 1)]
    assert all(len(r) == len(rows[0]) for r in rows)
    code, out, _ = run(capsys, "trace", path, "--format", "markdown", "--grad")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("| t |")
    assert set(lines[1].replace("|", "").split()) == {"---:"}
    assert sum(1 for line in lines if line.startswith("| ")) == T + 2
    code, out, _ = run(capsys, "trace", path, "--format", "latex")
    assert code == 0 and out.startswith("\\begin{tabular}") and "\\end{tabular}" in out
    assert out.count("\\\\") == T + 2  # header, T steps, the loss row
    assert "\\multicolumn" in out and "loss" in out
    code, out, _ = run(capsys, "trace", path, "--grad")
    assert code == 0 and "loss" in out and "gradients" in out


def test_csv_format_columns(lecture_file: Path, capsys) -> None:
    _, out, _ = run(capsys, "trace", lecture_file, "--format", "csv", "--grad")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["t", "x1", "x2", "z", "s", "yhat", "y", "error", "dL/ds"]
    assert rows[1]["s"] == "0.8791" and rows[0]["error"] == "0.2299"


def test_lstm_text_has_one_line_per_gate(tmp_path: Path, capsys) -> None:
    doc = random_doc("lstm", "linear")
    _, out, _ = run(capsys, "trace", doc_file(tmp_path, doc))
    trace = doc.trace()
    for label in ("input gate i", "forget gate f", "candidate g", "output gate o", "cell c"):
        assert out.count(label) == doc.T
    assert f"{trace.gates['f'][0, 0]:.4f}" in out
    assert f"{trace.cells[1, 0]:.4f}" in out


def test_gru_text_has_its_gates(tmp_path: Path, capsys) -> None:
    doc = random_doc("gru", "identity")
    _, out, _ = run(capsys, "trace", doc_file(tmp_path, doc))
    for label in ("reset gate r", "update gate z", "candidate n", "state s"):
        assert out.count(label) == doc.T


def test_blank_targets_and_no_targets(tmp_path: Path, capsys) -> None:
    doc = lecture().with_cell_value(0, 2, None).with_cell_value(1, 2, None)
    path = doc_file(tmp_path, doc)
    _, out, _ = run(capsys, "trace", path, "--format", "json", "--grad")
    obj = json.loads(out)
    assert obj["loss"] is None
    assert [s["target"] for s in obj["steps"]] == [[None], [None]]
    assert obj["gradients"]["W"] == [[0.0, 0.0, 0.0]]
    _, out, _ = run(capsys, "trace", path)
    assert "no step has a target" in out


def test_overflow_gives_valid_json_with_warnings(tmp_path: Path, capsys) -> None:
    doc = (
        lecture().with_activation("identity").with_params({"W": [[1e200, 1e200, 1e200]], "b": [0]})
    )
    path = doc_file(tmp_path, doc)
    code, out, err = run(capsys, "trace", path, "--format", "json", "--grad")
    assert code == 0
    obj = json.loads(out)  # strict JSON: no NaN or Infinity
    assert "NaN" not in out and "Infinity" not in out
    assert obj["steps"][1]["state"] == [None] and obj["loss"] is None
    assert any("state" in w for w in obj["warnings"])
    assert "overflow" in err
    code, out, _ = run(capsys, "trace", path)
    assert code == 0 and "∞" in out and "overflowed" in out


# -- CSV files ------------------------------------------------------------------------------------


def test_csv_file_uses_the_default_model_and_says_so(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,y\n0.1,0.4,0.3\n0.7,0.9,0.5\n", encoding="utf-8")
    code, out, err = run(capsys, "trace", path, "--format", "json")
    assert code == 0
    assert f"no model in {path}: using a basic RNN" in err
    assert len(err.strip().splitlines()) == 1
    expected = rio.read_csv(path).trace()
    obj = json.loads(out)
    assert (obj["cell"], obj["h"]) == ("rnn", 1)
    assert obj["loss"] == expected.loss


def test_csv_targets_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b,c\n1,2,3\n4,5,\n", encoding="utf-8")
    code, out, _ = run(capsys, "trace", path, "--targets", "a,c", "--format", "json")
    obj = json.loads(out)
    assert code == 0 and (obj["d"], obj["k"], obj["h"]) == (1, 2, 2)
    assert obj["steps"][1]["target"] == [4.0, None]
    code, _, err = run(capsys, "trace", path, "--targets", "zz")
    assert code == 3 and "'zz'" in err and len(err.splitlines()) == 1


# -- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--step", "3"], "outside 0..2"),
        (["--step", "-1"], "outside 0..2"),
        (["--step", "x"], "invalid int"),
        (["--format", "xml"], "invalid choice"),
        (["--step", "1", "--format", "csv"], "--step"),
        (["--targets", "y"], "CSV"),
    ],
)
def test_bad_usage_exits_2(lecture_file: Path, capsys, args, fragment) -> None:
    code, out, err = run(capsys, "trace", lecture_file, *args)
    assert code == 2
    assert fragment in err and out == ""
    assert "Traceback" not in err


def test_step_json_holds_the_step_and_its_lines(lecture_file: Path, capsys) -> None:
    code, out, _ = run(capsys, "trace", lecture_file, "--step", "1", "--format", "json")
    obj = json.loads(out)
    assert code == 0 and obj["t"] == 1 and LECTURE_STEP_1 in obj["lines"]
