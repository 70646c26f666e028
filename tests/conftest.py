"""Test setup shared by every test: headless Qt, per-test settings, no leaked timers.

The suite writes nothing into the checkout: ruff runs without its cache and hypothesis
keeps no example database (both would otherwise create folders next to the sources).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

# Before anything imports Qt: without a display Qt would abort.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# ruff (tests/test_style.py runs it in the checkout) would write .ruff_cache/ there.
os.environ["RUFF_NO_CACHE"] = "true"

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# Hypothesis's default database is .hypothesis/ in the working directory.
settings.register_profile("rnn-studio", database=None)
settings.load_profile("rnn-studio")

_SCRATCH = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Send the tools' own files (hypothesis's constants cache, pytest-benchmark's
    storage) to a scratch folder that is removed when the run ends."""
    scratch = Path(tempfile.mkdtemp(prefix="rnn-studio-tests-"))
    config.stash[_SCRATCH] = scratch
    set_hypothesis_home_dir(scratch / "hypothesis")
    # pytest-benchmark configures after every other plugin and makes its folder then.
    if getattr(config.option, "benchmark_storage", None) == "file://./.benchmarks":
        config.option.benchmark_storage = f"file://{scratch / 'benchmarks'}"


def pytest_unconfigure(config: pytest.Config) -> None:
    scratch = config.stash.get(_SCRATCH, None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch, request):
    """Keep QSettings of every Qt test in its own folder (never the user's)."""
    if "PySide6" not in sys.modules and "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    QCoreApplication.setOrganizationName("RNN Studio Tests")
    QCoreApplication.setApplicationName("rnn-studio-tests")
    yield


@pytest.fixture(autouse=True)
def _no_running_timers(request):
    """Fail a Qt test that leaves a QTimer running (as napari's conftest does)."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    import shiboken6

    # Every widget's timers are descendants of some top-level widget; allWidgets() would
    # also hand back wrappers of widgets deleted on the C++ side (and crash on use).
    running = [
        t
        for w in app.topLevelWidgets()
        if shiboken6.isValid(w)
        for t in w.findChildren(QTimer)
        if t.isActive()
    ]
    assert not running, f"{len(running)} QTimer(s) still running after the test: {running}"
