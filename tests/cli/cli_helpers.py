"""What the command-line tests share: running ``main`` in-process or as a subprocess,
and documents of every cell written to real files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.document import Document

ROOT = Path(__file__).resolve().parents[2]
CELLS = [("rnn", "tanh"), ("rnn", "relu"), ("rnn", "sigmoid"), ("rnn", "identity")]
CELLS += [("lstm", "tanh"), ("gru", "tanh")]


def run(capsys, *argv) -> tuple[int, str, str]:
    """``rnn-studio ARGV`` in this process: (exit status, stdout, stderr)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def env() -> dict[str, str]:
    out = dict(os.environ)
    out["PYTHONPATH"] = str(ROOT) + os.pathsep + out.get("PYTHONPATH", "")
    out["PYTHONIOENCODING"] = "utf-8"
    out.pop("DISPLAY", None)
    return out


def cli(*args, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m rnn_studio ARGS`` as a separate process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "rnn_studio", *(str(a) for a in args)],
        cwd=cwd,
        env=env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def make_doc(
    cell: str,
    activation: str = "tanh",
    readout: str = "linear",
    seed: int = 3,
    T: int = 5,
    blank: bool = True,
    **changes,
) -> Document:
    """A small random document: d = 2, h = 3 (= k for the identity readout), k = 2."""
    rng = np.random.default_rng(seed)
    d, k = 2, 2
    h = k if readout == "identity" else 3
    y = rng.normal(size=(T, k))
    if blank:
        y[1, 1] = np.nan
    kwargs = dict(
        input_names=["u", "v"],
        target_names=["p", "q"],
        inputs=rng.normal(size=(T, d)),
        targets=y,
        cell=cell,
        activation=activation,
        hidden_size=h,
        readout=readout,
        params=None,
        seed=seed,
        initial_state=rng.normal(scale=0.5, size=h),
        initial_cell=rng.normal(scale=0.5, size=h) if cell == "lstm" else None,
    )
    kwargs.update(changes)
    return Document.create(**kwargs)


def write_doc(tmp_path: Path, doc: Document, name: str = "doc.rnn.json") -> Path:
    path = tmp_path / name
    rio.write_project(doc, path)
    return path


def one_line_usage_error(code: int, out: str, err: str, *fragments: str) -> str:
    """Status 2, nothing on stdout, one line on stderr holding every fragment."""
    assert code == 2, (code, out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]
