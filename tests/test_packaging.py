"""Every package of the source tree is listed in pyproject.toml, so a built wheel has it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_in_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "rnn_studio").rglob("__init__.py")
    }
    assert found <= listed, f"missing from pyproject.toml's packages: {sorted(found - listed)}"
