"""`trace --format json --grad` on many generated project files, against the reference.

Each file is written per spec/file-format.md by this test (not by rnn_studio.io), run
through the command line, and its JSON compared with tests/reference.py: values within
1e-12, gradients (complex step, ∂L/∂x_t included) within 1e-9.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from reference import STEP, Case, _perturbed, assert_close, forward, random_case

from rnn_studio.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = [
    ("rnn", a, r) for a in ("tanh", "relu", "sigmoid", "identity") for r in ("identity", "linear")
]
CONFIGS += [(c, "tanh", r) for c in ("lstm", "gru") for r in ("identity", "linear")]


def make_case(cell: str, activation: str, readout: str, seed: int) -> tuple[Case, bool]:
    """A random case; every third one leaves s_0 (and c_0) out of the file: zeros."""
    rng = np.random.default_rng(seed)
    case = random_case(
        seed,
        cell,
        activation,
        readout,
        d=int(rng.integers(1, 5)),
        h=int(rng.integers(1, 5)),
        k=int(rng.integers(1, 4)),
        T=int(rng.integers(1, 7)),
        blank=float(rng.choice([0.0, 0.3, 0.6, 1.0])),
        scale=float(rng.uniform(0.3, 2.5)),
    )
    defaults = seed % 3 == 0
    if defaults:
        case.initial_state = np.zeros(case.h)
        case.initial_cell = np.zeros(case.h)
    return case, defaults


def project(case: Case, default_starts: bool) -> dict:
    """The project file of spec/file-format.md for a case, built from the spec's table."""
    obj: dict = {
        "format": "rnn-studio",
        "version": 1,
        "cell": case.cell,
        "hidden_size": case.h,
        "readout": case.readout,
        "input_names": [f"in{j + 1}" for j in range(case.d)],
        "target_names": [f"out{j + 1}" for j in range(case.k)],
        "inputs": case.inputs.tolist(),
        "targets": [[None if np.isnan(v) else float(v) for v in row] for row in case.targets],
        "params": {name: value.tolist() for name, value in case.params.items()},
    }
    if case.cell == "rnn":
        obj["activation"] = case.activation
    if not default_starts:
        obj["initial_state"] = case.initial_state.tolist()
        if case.cell == "lstm":
            obj["initial_cell"] = case.initial_cell.tolist()
    return obj


def write(tmp_path: Path, case: Case, default_starts: bool, name: str) -> Path:
    path = tmp_path / f"{name}.rnn.json"
    path.write_text(json.dumps(project(case, default_starts)), encoding="utf-8")
    return path


def input_gradients(case: Case) -> np.ndarray:
    """∂L/∂x_t by the complex step, one input cell at a time (zero when there is no loss)."""
    g = np.zeros(case.inputs.shape)
    for index in np.ndindex(*case.inputs.shape):
        loss = forward(
            case.cell,
            case.activation,
            case.readout,
            case.params,
            _perturbed(case.inputs, index),
            case.targets,
            case.initial_state,
            case.cell_start,
        ).loss
        g[index] = 0.0 if loss is None else loss.imag / STEP
    return g


def check_against_reference(out: dict, case: Case) -> None:
    ref = case.forward()
    assert out["cell"] == case.cell
    assert (out["T"], out["d"], out["h"], out["k"]) == (case.T, case.d, case.h, case.k)
    assert [s["t"] for s in out["steps"]] == list(range(1, case.T + 1))
    assert "warnings" not in out

    def column(key: str, sub: str | None = None) -> np.ndarray:
        rows = [s[key] if sub is None else s[key][sub] for s in out["steps"]]
        return np.array([[np.nan if v is None else v for v in row] for row in rows], float)

    if case.cell == "rnn":
        assert_close(column("z"), ref.real_dict("pre")["z"], 1e-12, "z")
        assert "gates" not in out["steps"][0]
    else:
        gates = ref.real_dict("gates")
        assert set(out["steps"][0]["gates"]) == set(gates)
        for name, values in gates.items():
            assert_close(column("gates", name), values, 1e-12, f"gates.{name}")
    if case.cell == "lstm":
        assert_close(column("cell"), ref.real("cells")[1:], 1e-12, "cell")
    else:
        assert "cell" not in out["steps"][0]
    assert_close(column("state"), ref.real("states")[1:], 1e-12, "state")
    assert_close(column("output"), ref.real("outputs"), 1e-12, "output")
    assert_close(column("error"), ref.real("errors"), 1e-12, "error")
    np.testing.assert_array_equal(column("target"), case.targets)
    if ref.loss is None:
        assert out["loss"] is None
    else:
        assert_close(out["loss"], ref.loss.real, 1e-12, "loss")

    expected = case.gradients()
    expected["inputs"] = input_gradients(case)
    assert list(out["gradients"]) == list(expected)  # file order, s_0 (c_0), then inputs
    for name, g in expected.items():
        assert_close(np.array(out["gradients"][name]), g, 1e-9, f"gradients.{name}")


@pytest.mark.parametrize(("cell", "activation", "readout"), CONFIGS)
def test_trace_json_grad_agrees_with_the_reference(cell, activation, readout, tmp_path, capsys):
    for seed in range(10):
        case, defaults = make_case(cell, activation, readout, 100 * seed + len(cell))
        path = write(tmp_path, case, defaults, f"case{seed}")
        capsys.readouterr()
        code = main(["trace", str(path), "--format", "json", "--grad"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        check_against_reference(json.loads(captured.out), case)


@pytest.mark.parametrize(
    ("cell", "activation", "readout"),
    [("rnn", "relu", "linear"), ("lstm", "tanh", "linear"), ("gru", "tanh", "identity")],
)
def test_trace_json_grad_as_a_subprocess(cell, activation, readout, tmp_path):
    case, defaults = make_case(cell, activation, readout, 7)
    path = write(tmp_path, case, defaults, "sub")
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run(
        [sys.executable, "-m", "rnn_studio", "trace", str(path), "--format", "json", "--grad"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    check_against_reference(json.loads(result.stdout), case)


def test_the_lecture_file_by_the_reference(tmp_path, capsys):
    case = Case(
        cell="rnn",
        activation="tanh",
        readout="identity",
        d=2,
        h=1,
        k=1,
        params={"W": np.array([[0.7, 0.3, 0.4]]), "b": np.array([0.4])},
        inputs=np.array([[0.1, 0.4], [0.7, 0.9]]),
        targets=np.array([[0.3], [0.5]]),
        initial_state=np.zeros(1),
        initial_cell=np.zeros(1),
    )
    path = write(tmp_path, case, True, "lecture")
    assert main(["trace", str(path), "--format", "json", "--grad"]) == 0
    out = json.loads(capsys.readouterr().out)
    check_against_reference(out, case)
    assert round(out["loss"], 7) == 0.0982987
    assert [round(s["state"][0], 4) for s in out["steps"]] == [0.5299, 0.8791]
