"""The command line as a user runs it: a separate Python process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LECTURE_STEP_1 = "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("DISPLAY", None)
    return env


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rnn_studio", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_example_then_step_1_prints_the_lecture_line(tmp_path: Path) -> None:
    made = cli("example", "lecture", "-o", "L.rnn.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "L.rnn.json").exists()
    traced = cli("trace", "L.rnn.json", "--step", "1", cwd=tmp_path)
    assert traced.returncode == 0, traced.stderr
    lines = traced.stdout.splitlines()
    assert LECTURE_STEP_1 in lines
    assert "ŷ₁ = s₁ = 0.5299" in lines
    assert "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299" in lines


def test_main_py_runs_the_same_command_line(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("x1,x2,y\n0.1,0.4,0.3\n0.7,0.9,0.5\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "trace", "d.csv", "--format", "csv"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3
    assert "no model in d.csv: using a basic RNN" in done.stderr


def test_bad_file_exits_3_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.rnn.json").write_text('{"format": "rnn-studio", "version": 2}')
    done = cli("trace", "bad.rnn.json", cwd=tmp_path)
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "rnn-studio: bad.rnn.json: key 'version': version 2 is not supported: "
        "this RNN Studio reads version 1 only"
    ]
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x1,x2,y\n0.1,0.4,0.3\n0.7\n", encoding="utf-8")
    done = cli("trace", "ragged.csv", "--format", "json", cwd=tmp_path)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1 and "row 2" in done.stderr


def test_the_command_line_never_imports_qt(tmp_path: Path) -> None:
    """Run the CLI in-process via runpy, then look at what got imported."""
    script = textwrap.dedent(
        """
        import runpy, sys
        sys.argv = ["rnn-studio", "example", "lecture", "-o", "L.rnn.json"]
        try:
            runpy.run_module("rnn_studio", run_name="__main__")
        except SystemExit as stop:
            assert stop.code == 0, stop.code
        for fmt in ("text", "json", "csv", "markdown", "latex"):
            sys.argv = ["rnn-studio", "trace", "L.rnn.json", "--grad", "--format", fmt]
            try:
                runpy.run_module("rnn_studio", run_name="__main__")
            except SystemExit as stop:
                assert stop.code == 0, stop.code
        commands = [
            ["trace", "L.rnn.json", "--step", "1"],
            ["train", "L.rnn.json", "--epochs", "3", "-o", "T.rnn.json"],
            ["landscape", "L.rnn.json", "--x", "W:0:0", "--y", "b:0", "--grid", "3"],
        ]
        for suffix in (".py", ".md", ".tex", ".csv"):
            commands.append(["export", "L.rnn.json", "-o", "out" + suffix])
        for command in commands:
            sys.argv = ["rnn-studio", *command]
            try:
                runpy.run_module("rnn_studio", run_name="__main__")
            except SystemExit as stop:
                assert stop.code == 0, (command, stop.code)
        qt = ("PySide6", "pyqtgraph", "shiboken6", "torch")
        loaded = [m for m in sys.modules if m.split(".")[0] in qt]
        assert not loaded, loaded
        assert "rnn_studio.cli" in sys.modules
        print("NO-QT-OK")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "NO-QT-OK" in done.stdout
    assert "0.5299" in done.stdout
