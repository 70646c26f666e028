"""Test setup shared by every test: headless Qt, per-test settings, no leaked timers."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: without a display Qt would abort.
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


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
    running = [t for w in app.allWidgets() for t in w.findChildren(QTimer) if t.isActive()]
    assert not running, f"{len(running)} QTimer(s) still running after the test: {running}"
