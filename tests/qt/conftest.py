"""The main window as a test opens it: shown and exposed, then closed."""

from __future__ import annotations

import pytest

from rnn_studio.app import MainWindow


def open_window(qtbot, document=None) -> MainWindow:
    """A shown, exposed MainWindow (on ``document``, or the lecture's example)."""
    w = MainWindow(document)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def make_window(qtbot):
    """Open another window, e.g. to see what a first one left in the settings."""
    return lambda document=None: open_window(qtbot, document)


@pytest.fixture
def window(qtbot):
    w = open_window(qtbot)
    yield w
    w.close()  # closing stops the player; the root conftest fails a test if a timer runs on


@pytest.fixture(autouse=True)
def _isolated_data_folder(tmp_path, monkeypatch):
    """Autosaved copies and the error log go under tmp_path, never the real home."""
    monkeypatch.setenv("RNN_STUDIO_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _collect_garbage_before_the_timer_check():
    """Free the test's garbage here, before the root conftest lists every widget.

    pyqtgraph's parentless ViewBox menus (QMenus owned by Python, in reference cycles)
    outlive their plots; if Python's collector frees one while ``allWidgets()`` is being
    turned into wrappers, the rest of that list points at deleted widgets (a segfault).
    This fixture is torn down before the root one, so the collection happens here.
    """
    yield
    import gc

    gc.collect()
