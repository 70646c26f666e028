"""The argument parser of every command (spec/cli.md). Checks beyond argparse's (ranges,
parameter names) are the commands' own, so each bad option gets one line naming it."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from .. import __version__
from ..report import FORMATS
from .common import EXIT_USAGE, PROG

COMMANDS = ("trace", "train", "landscape", "export", "example")
OPTIMIZERS = ("sgd", "momentum", "adam")
USAGE = f"{PROG} [FILE] | {PROG} {{{','.join(COMMANDS)}}} ..."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a project file (.rnn.json) or a CSV table")
    parser.add_argument(
        "--targets",
        metavar="NAME[,NAME]",
        help="for a CSV table: the target columns (default: the last column)",
    )


def _precision(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--precision",
        type=int,
        default=4,
        metavar="N",
        help="decimals in text formats (default 4, as the lecture; JSON is always exact)",
    )


def _add_trace(commands) -> None:
    trace = commands.add_parser(
        "trace",
        help="print the forward trace of FILE (and with --grad its gradients)",
        description="Print the forward pass of FILE step by step: the pre-activation, "
        "the gates (lstm, gru), the state, the output and the error; then the loss.",
    )
    _file(trace)
    trace.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    trace.add_argument(
        "--step",
        type=int,
        metavar="T",
        help="print step T's arithmetic written out with its numbers (0 = initial state)",
    )
    trace.add_argument("--grad", action="store_true", help="add the gradients (BPTT)")
    _precision(trace)


def _add_train(commands) -> None:
    train = commands.add_parser(
        "train",
        help="train FILE's model headless and print the losses",
        description="Train FILE's model headless, with the window's code: full-batch epochs, "
        "progress on stderr. Options left out fall back to the file's training settings, "
        "then to sgd, lr 0.1, 100 epochs.",
    )
    _file(train)
    train.add_argument("--epochs", type=int, metavar="N", help="epochs (≥ 1)")
    train.add_argument("--lr", type=float, metavar="X", help="learning rate (> 0)")
    train.add_argument("--optimizer", choices=OPTIMIZERS)
    train.add_argument("--momentum", type=float, metavar="B", help="β of momentum, in [0, 1)")
    train.add_argument("--clip", type=float, metavar="C", help="max gradient norm (0 = off)")
    train.add_argument("--seed", type=int, metavar="S", help="start from fresh weights (seed S)")
    train.add_argument("--format", choices=("text", "json"), default="text")
    train.add_argument("-o", "--output", metavar="OUT", help="write the trained project here")


def _add_landscape(commands) -> None:
    land = commands.add_parser(
        "landscape",
        help="the loss over a grid of two parameter entries",
        description="The loss of FILE over an N × N grid of two parameter entries, every "
        "other parameter fixed. Ranges default to the entry's value ± 1.",
    )
    _file(land)
    land.add_argument("--x", required=True, metavar="NAME:I[:J]", help="e.g. W:0:0")
    land.add_argument("--y", required=True, metavar="NAME:I[:J]", help="e.g. b:0")
    land.add_argument("--x-range", metavar="A:B", help="default: the value ± 1")
    land.add_argument("--y-range", metavar="A:B", help="default: the value ± 1")
    land.add_argument("--grid", type=int, default=51, metavar="N", help="points a side (51)")
    land.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")


def _add_export(commands) -> None:
    export = commands.add_parser(
        "export",
        help="write a PyTorch script, a Markdown / LaTeX hand-in or the trace table",
        description="Write FILE as OUT, chosen by OUT's suffix: .py a self-contained "
        "PyTorch script, .md / .tex the trace table and each step's arithmetic, .csv the "
        "trace table, .png / .svg the diagram (from the window).",
    )
    _file(export)
    export.add_argument("-o", "--output", metavar="OUT", required=True)
    export.add_argument(
        "--step", type=int, metavar="T", help="only step T's arithmetic (default: all steps)"
    )
    export.add_argument(
        "--grad",
        action="store_true",
        help="with .md / .tex: each step's backward arithmetic too, as the window's backward pass",
    )
    _precision(export)


def _add_example(commands) -> None:
    example = commands.add_parser(
        "example",
        help="write one of the shipped examples",
        description="Write one of the shipped examples as a project file.",
    )
    example.add_argument("name", metavar="NAME", nargs="?", help="the example's name")
    example.add_argument(
        "-o", "--output", metavar="OUT", help="the file to write (default: stdout)"
    )
    example.add_argument("--list", action="store_true", help="list the examples")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        usage=USAGE,
        description="Watch a recurrent neural network compute, step by step. "
        "With no command, opens the window on FILE (a project or a CSV table) "
        "or on the lecture's example.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog=PROG keeps a subcommand's messages short: "rnn-studio trace: error: …"
    commands = parser.add_subparsers(
        dest="command", metavar="{" + ",".join(COMMANDS) + "}", prog=PROG
    )
    for add in (_add_trace, _add_train, _add_landscape, _add_export, _add_example):
        add(commands)
    return parser


RANGE_OPTIONS = ("--x-range", "--y-range")
_NEGATIVE = re.compile(r"-[0-9.]")


def joined_ranges(args: list[str]) -> list[str]:
    """``--x-range -2:-1`` as ``--x-range=-2:-1``: argparse would take "-2:-1" for an option."""
    out: list[str] = []
    i = 0
    while i < len(args):
        negative = i + 1 < len(args) and _NEGATIVE.match(args[i + 1]) is not None
        if args[i] in RANGE_OPTIONS and negative:
            out.append(f"{args[i]}={args[i + 1]}")
            i += 2
            continue
        out.append(args[i])
        i += 1
    return out
