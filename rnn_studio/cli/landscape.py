"""``rnn-studio landscape FILE --x NAME:I[:J] --y …``: the loss over a grid of two
parameter entries (spec/model.md, The loss landscape), every other parameter fixed."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from typing import Any

import numpy as np

from ..document import Document
from ..io import dump_json
from ..report.numbers import Finite
from .common import EXIT_OK, UsageError, emit, load, target_columns

MAX_GRID = 1001


def parse_range(option: str, text: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """``A:B`` with finite A < B; ``default`` when the option was not given."""
    if text is None:
        return default
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        a, b = (float(p) for p in parts)
    except ValueError:
        raise UsageError(f"{option} needs A:B, two numbers, found {text!r}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise UsageError(f"{option} needs finite numbers, found {text!r}")
    if not a < b:
        raise UsageError(f"{option} needs A < B, found {text!r}")
    return a, b


def _entry(option: str, text: str, doc: Document):
    from ..core.landscape import parse_entry

    try:
        return parse_entry(text, doc.spec)
    except ValueError as err:
        raise UsageError(f"{option} {text}: {err}") from None


def run(ns: argparse.Namespace) -> int:
    from ..core.landscape import default_range, landscape_rows

    if not 2 <= ns.grid <= MAX_GRID:
        raise UsageError(f"--grid must be between 2 and {MAX_GRID}, found {ns.grid}")
    doc = load(ns.file, target_columns(ns))
    x = _entry("--x", ns.x, doc)
    y = _entry("--y", ns.y, doc)
    if x == y:
        raise UsageError(f"--y {ns.y} is the same entry as --x: choose two different entries")
    x_range = parse_range("--x-range", ns.x_range, default_range(doc.params, x))
    y_range = parse_range("--y-range", ns.y_range, default_range(doc.params, y))
    x_values = np.linspace(*x_range, ns.grid)
    y_values = np.linspace(*y_range, ns.grid)
    initial_cell = doc.initial_cell if doc.cell == "lstm" else None
    rows = landscape_rows(
        doc.spec,
        doc.params,
        doc.inputs,
        doc.targets,
        doc.initial_state,
        initial_cell,
        x,
        y,
        x_values,
        y_values,
    )
    if ns.format == "json":
        grid = np.empty((len(y_values), len(x_values)))
        for i, losses in rows:
            grid[i] = losses
        emit(dump_json(landscape_json(str(x), x_values, str(y), y_values, grid)))
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([f"{y}\\{x}", *(repr(float(v)) for v in x_values)])
        for i, losses in rows:
            writer.writerow([repr(float(y_values[i])), *(repr(float(v)) for v in losses)])
        sys.stdout.flush()
    return EXIT_OK


def landscape_json(
    x: str, x_values: np.ndarray, y: str, y_values: np.ndarray, loss: np.ndarray
) -> dict[str, Any]:
    """spec/cli.md's object: ``loss[i][j]`` at y value i and x value j; null if not finite."""
    clean = Finite()
    obj: dict[str, Any] = {
        "x": {"param": x, "values": clean(x_values, "x")},
        "y": {"param": y, "values": clean(y_values, "y")},
        "loss": clean(loss, "loss"),
    }
    if clean.bad:
        obj["warnings"] = clean.warnings()
    return obj
