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


def test_the_entry_scripts_run_only_as_the_main_program() -> None:
    """The window's worker processes start by "spawn", which imports the main module again
    in each: an entry script without the guard would open a window in every worker."""
    for script in (ROOT / "main.py", ROOT / "rnn_studio" / "__main__.py"):
        before, guard, _after = script.read_text(encoding="utf-8").partition(
            'if __name__ == "__main__":'
        )
        assert guard, f"{script.name} has no main guard"
        assert "main()" not in before, f"{script.name} runs main() when imported"
