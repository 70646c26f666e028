"""The suite leaves the checkout as it was: no tool writes its cache next to the sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st


def test_hypothesis_keeps_no_example_database() -> None:
    assert settings().database is None


@given(st.integers())
@settings(max_examples=5)
def test_a_property_test_runs_without_a_database(n: int) -> None:
    assert isinstance(n, int)


def test_ruff_as_the_style_test_runs_it_writes_no_cache(tmp_path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    exe = shutil.which("ruff")
    cmd = [exe] if exe else [sys.executable, "-m", "ruff"]
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            cmd + args, cwd=tmp_path, env=dict(os.environ), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


def test_hypothesis_keeps_its_files_outside_the_checkout() -> None:
    from pathlib import Path

    from hypothesis.configuration import storage_directory

    root = Path(__file__).resolve().parents[1]
    assert root not in storage_directory("x", intent_to_write=False).path.parents
