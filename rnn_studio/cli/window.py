"""``rnn-studio [FILE]``: the window, imported only when asked for (the CLI imports no Qt)."""

from __future__ import annotations

import sys

from ..report import render
from .common import EXIT_OK, PROG, guarded, load


def open_window(path: str | None) -> int:
    try:
        from rnn_studio.app import main as gui_main
    except ModuleNotFoundError as err:
        if err.name != "rnn_studio.app":
            print(f"{PROG}: the window cannot start: {err}", file=sys.stderr)
            return 1
        # The window is not part of this build: show the trace it would show.
        print(f"{PROG}: the window is not available yet; printing the trace", file=sys.stderr)
        return guarded("", lambda: _print_fallback_trace(path))
    return gui_main(path)


def _print_fallback_trace(path: str | None) -> int:
    from ..examples import lecture

    doc = lecture() if path is None else load(path)
    sys.stdout.write(render("text", doc, doc.trace(), None, 4))
    return EXIT_OK
