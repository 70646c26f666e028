"""Before Qt starts, the app says clearly why no window can open (Qt would abort)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rnn_studio import app


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(app.sys, "platform", "linux")


def test_no_display_is_explained(linux) -> None:
    message = app.display_problem({})
    assert message is not None
    assert "DISPLAY" in message and "rnn-studio trace" in message


def test_missing_x_libraries_are_named_with_their_packages(linux, monkeypatch) -> None:
    monkeypatch.setattr(app, "_loadable", lambda soname: soname != "libxcb-cursor.so.0")
    message = app.display_problem({"DISPLAY": ":0"})
    assert message is not None
    assert "libxcb-cursor0" in message and "apt install libxcb-cursor0" in message
    assert "libxcb-icccm4" not in message


def test_no_problem_when_everything_is_there(linux, monkeypatch) -> None:
    monkeypatch.setattr(app, "_loadable", lambda soname: True)
    assert app.display_problem({"DISPLAY": ":0"}) is None


@pytest.mark.parametrize("platform", ["offscreen", "wayland", "minimal"])
def test_other_qt_platforms_are_left_to_qt(linux, platform: str) -> None:
    assert app.display_problem({"QT_QPA_PLATFORM": platform}) is None


def test_loadable_tells_a_real_library_from_a_missing_one() -> None:
    from ctypes.util import find_library

    assert app._loadable(find_library("c") or "libc.so.6")
    assert not app._loadable("libno-such-library-rnn-studio.so.7")


def test_without_a_display_the_command_exits_with_one_line(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "rnn_studio"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    if not sys.platform.startswith("linux"):
        return
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "no display" in result.stderr
