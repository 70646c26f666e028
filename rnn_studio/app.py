"""The GUI's front door: ``main()`` and ``MainWindow``.

The one top-level module that imports Qt, and only when ``main()`` runs or
``MainWindow`` is asked for, so ``python -m rnn_studio trace …`` never loads PySide6.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .qt.window import MainWindow

__all__ = ["MainWindow", "main"]

#: test hook: quit the event loop after this many milliseconds (``main()`` in a subprocess)
QUIT_AFTER_ENV = "RNN_STUDIO_QUIT_AFTER_MS"


def __getattr__(name: str) -> Any:
    if name == "MainWindow":
        from .qt.window import MainWindow

        return MainWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: X11 libraries Qt's xcb platform plugin loads, with the Debian/Ubuntu package of each.
#: Qt aborts the process when one is missing; we say which instead.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
}


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why no window can open here, as a message for a person; None when it can.

    Checked before Qt starts, because Qt's answer to a missing display or library is
    to abort the whole process.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform and platform != "xcb":
        return None  # offscreen, wayland, …: Qt's own choice
    if not env.get("DISPLAY"):
        if env.get("WAYLAND_DISPLAY") and not platform:
            return None
        return (
            "rnn-studio: no display to open the window on (DISPLAY is not set). "
            "Run it from a desktop session, or use the command line: "
            "'rnn-studio trace FILE' (see 'rnn-studio --help')."
        )
    missing = [pkg for soname, pkg in XCB_LIBRARIES.items() if not _loadable(soname)]
    if missing:
        return (
            "rnn-studio: the window needs system libraries that are not installed: "
            f"{', '.join(missing)}. On Debian or Ubuntu: sudo apt install {' '.join(missing)}"
        )
    return None


def _loadable(soname: str) -> bool:
    """Whether the dynamic loader finds ``soname`` the way Qt's plugin loader will."""
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def main(path: str | None = None) -> int:
    """Open the window (on ``path`` if given; a bad file falls back to the lecture)."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("RNN Studio")
    app.setApplicationDisplayName("RNN Studio")
    app.setOrganizationName("RNN Studio")
    app.setApplicationVersion(_version())
    app.setStyle("Fusion")

    from .qt.icons import icon
    from .qt.window import MainWindow, single_shot_quit
    from .qt.window.crash import install_crash_handler

    install_crash_handler(app)  # an exception in a slot: a dialog and the log, never a crash

    app.setWindowIcon(icon("play"))
    window = MainWindow()
    if path:
        window.open_path(path)  # on a bad file: a message, and the lecture stays
    window.show()
    window.offer_recovery()  # after a crash: the unsaved work, back
    quit_after = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if quit_after.isdigit():
        single_shot_quit(app, int(quit_after))
    code = app.exec()
    window.stop_timers()
    window.autosave.stop()  # closed: nothing left; quit otherwise: unsaved work kept
    return int(code)


def _version() -> str:
    from . import __version__

    return __version__
