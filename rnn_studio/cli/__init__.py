"""The command line (spec/cli.md): ``rnn-studio [FILE]``, ``trace``, ``train``,
``landscape``, ``export``, ``example``.

One module per command, each with ``run(ns) -> int``; the parser in parser.py; what
they share (exit codes, loading FILE, the error guard) in common.py; every output
format in rnn_studio.report. Nothing here imports Qt: the window is imported only when
it is asked for, so ``rnn-studio trace`` works on a machine without a display. A bad
file never gives a traceback: it becomes exit status 3 and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import example, export, landscape, trace, train
from .common import EXIT_BAD_FILE, EXIT_OK, EXIT_USAGE, PROG, UsageError, guarded, utf8_streams
from .parser import COMMANDS, USAGE, build_parser, joined_ranges
from .window import open_window

RUN: dict[str, Callable[[argparse.Namespace], int]] = {
    "trace": trace.run,
    "train": train.run,
    "landscape": landscape.run,
    "export": export.run,
    "example": example.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    utf8_streams()
    if not args or (args[0] not in COMMANDS and not args[0].startswith("-")):
        if len(args) > 1:
            print(
                f"usage: {USAGE}\n"
                f"{PROG}: error: the window opens one file; found {len(args)} arguments",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return open_window(args[0] if args else None)
    parser = build_parser()
    try:
        ns = parser.parse_args(joined_ranges(args))
    except SystemExit as stop:  # argparse: 2 on bad usage, 0 after --help or --version
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    if ns.command is None:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    return guarded(ns.command, lambda: RUN[ns.command](ns))


__all__ = [
    "COMMANDS",
    "EXIT_BAD_FILE",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROG",
    "UsageError",
    "build_parser",
    "main",
]
