"""What every command shares: exit codes, the error guard, loading FILE, printing.

A bad file never gives a traceback: it becomes exit status 3 and one line on stderr;
a bad option becomes exit status 2 and one line that names the option.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable

from ..document import Document
from ..errors import DocumentError
from ..io import is_csv
from ..io import load as read_file

PROG = "rnn-studio"
EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_BAD_FILE = 0, 1, 2, 3


class UsageError(Exception):
    """Bad usage found after argparse (exit status 2); the message names the option."""


def guarded(command: str, body: Callable[[], int]) -> int:
    """Run a command body; bad usage → status 2, bad files and failed writes → 3."""
    try:
        return body()
    except UsageError as err:
        prefix = f"{PROG} {command}" if command else PROG
        print(f"{prefix}: {one_line(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except DocumentError as err:
        print(f"{PROG}: {one_line(str(err))}", file=sys.stderr)
        return EXIT_BAD_FILE
    except BrokenPipeError:  # e.g. piped into `head`: not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as err:
        name = getattr(err, "filename", None)
        where = f"{name}: " if name else ""
        print(f"{PROG}: {where}{err.strerror or err}", file=sys.stderr)
        return EXIT_BAD_FILE
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # a bug of ours: still one line, never a traceback
        print(
            f"{PROG}: internal error ({type(err).__name__}: {one_line(str(err))}); "
            f"please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def one_line(text: str) -> str:
    return " ".join(text.split())


def utf8_streams() -> None:
    """Print ŷ, s₁ and · even where the console's default encoding cannot."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(encoding="utf-8", errors="replace")


def target_columns(ns: argparse.Namespace) -> list[str] | None:
    """``--targets NAME[,NAME]`` (CSV only), checked; None when not given."""
    text = getattr(ns, "targets", None)
    if text is None:
        return None
    targets = [t.strip() for t in text.split(",")]
    if not all(targets):
        raise UsageError(f"--targets needs column names separated by commas: {text!r}")
    if not is_csv(ns.file):
        raise UsageError("--targets applies to a CSV table only; a project names its targets")
    return targets


def load(path: str, targets: list[str] | None = None) -> Document:
    """Read FILE (project or CSV); a CSV gets the default model, said on stderr, and a
    setting dropped on the way (a bad ``view`` value) is a warning there too."""
    loaded = read_file(path, targets)
    doc = loaded.document
    for line in loaded.warnings:
        print(f"{PROG}: warning: {line}", file=sys.stderr)
    if loaded.is_csv:
        print(
            f"no model in {path}: using a basic RNN (tanh, h = {doc.hidden_size}, identity "
            f"readout, s₀ = 0, weights uniform in ±1/√h, seed 0)",
            file=sys.stderr,
        )
    return doc


def emit(text: str) -> None:
    """Print a command's result on stdout, ending with one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def check_precision(precision: int) -> None:
    if not 0 <= precision <= 15:
        raise UsageError(f"--precision must be between 0 and 15, found {precision}")


def finite(option: str, value: float) -> float:
    """``value`` if it is a finite number, else a UsageError naming the option."""
    if not math.isfinite(value):
        raise UsageError(f"{option} must be a finite number, found {value}")
    return value


def step_in_range(step: int, path: str, T: int) -> None:
    if not 0 <= step <= T:
        raise UsageError(
            f"--step {step} is outside 0..{T} ({path} has {T} timestep"
            f"{'s' if T != 1 else ''}; 0 shows the initial state)"
        )
