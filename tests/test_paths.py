"""The shipped files are found, in a checkout as in a built wheel's layout."""

from __future__ import annotations

import re
from pathlib import Path

from rnn_studio import paths

ROOT = Path(__file__).resolve().parents[1]


def test_the_checkout_layout_is_found() -> None:
    assert (paths.resources_dir() / "icons" / "play.svg").is_file()
    assert (paths.resources_dir() / "examples" / "lecture.rnn.json").is_file()
    assert (paths.docs_dir() / "math.md").is_file()


def test_a_folder_inside_the_package_wins(tmp_path, monkeypatch) -> None:
    """A wheel carries resources/ inside the package: that copy is used."""
    package = tmp_path / "rnn_studio"
    (package / "resources" / "icons").mkdir(parents=True)
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    assert paths.resources_dir() == package / "resources"
    assert paths.docs_dir() == tmp_path / "docs"


def test_the_wheel_mapping_carries_every_shipped_folder() -> None:
    """pyproject maps resources/ and docs/ into the package, with the files the app reads."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"rnn_studio\.resources"\s*=\s*"resources"', text)
    assert re.search(r'"rnn_studio\.docs"\s*=\s*"docs"', text)
    assert '"icons/*.svg"' in text and '"examples/*"' in text and '"*.md"' in text
