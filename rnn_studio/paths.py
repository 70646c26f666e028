"""Where the shipped files are: icons, examples, the math page. No Qt.

In a source checkout (and an editable install) they sit at the top of the repository
(``resources/``, ``docs/``); a built wheel carries them inside the package, mapped there
by ``pyproject.toml``. Both are plain folders, so lookups need no importlib machinery.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder ``resources`` or ``docs``: inside the package if built, else the checkout's."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


def resources_dir() -> Path:
    return shipped_dir("resources")


def docs_dir() -> Path:
    return shipped_dir("docs")
