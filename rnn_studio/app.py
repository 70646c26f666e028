"""The GUI's front door: ``main()`` and ``MainWindow``.

The one top-level module that imports Qt, and only when ``main()`` runs or
``MainWindow`` is asked for, so ``python -m rnn_studio trace …`` never loads PySide6.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .qt.main_window import MainWindow

__all__ = ["MainWindow", "main"]

#: test hook: quit the event loop after this many milliseconds (``main()`` in a subprocess)
QUIT_AFTER_ENV = "RNN_STUDIO_QUIT_AFTER_MS"


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from .qt.main_window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(path: str | None = None) -> int:
    """Open the window (on ``path`` if given; a bad file falls back to the lecture)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("RNN Studio")
    app.setApplicationDisplayName("RNN Studio")
    app.setOrganizationName("RNN Studio")
    app.setApplicationVersion(_version())
    app.setStyle("Fusion")

    from .qt.icons import icon
    from .qt.main_window import MainWindow, single_shot_quit

    app.setWindowIcon(icon("play"))
    window = MainWindow()
    if path:
        window.open_path(path)  # on a bad file: a message, and the lecture stays
    window.show()
    quit_after = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if quit_after.isdigit():
        single_shot_quit(app, int(quit_after))
    code = app.exec()
    window.stop_timers()
    return int(code)


def _version() -> str:
    from . import __version__

    return __version__
