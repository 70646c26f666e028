"""The loss landscape: L(p, q) over a grid of two parameter entries (spec/model.md).

Rows are the y entry's values q, columns the x entry's values p; every other parameter
stays as it is. The grid is computed batched (``batch.entry_losses``): several rows form
one batch of sequences, one forward pass over time, and the rows are then yielded one
by one so that a caller can show them as they come and stop early.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .batch import entry_losses
from .trace import ModelSpec

#: Grid points per forward pass: enough rows that numpy's per-step overhead is paid
#: rarely, few enough that the arrays stay in cache and the first rows come quickly.
BATCH_POINTS = 2048


@dataclass(frozen=True)
class Entry:
    """One parameter entry, written "W:0:0" (matrix: row, column) or "b:0" (vector)."""

    name: str
    index: tuple[int, ...]

    def __str__(self) -> str:
        return ":".join([self.name, *(str(i) for i in self.index)])


def parse_entry(text: str, spec: ModelSpec) -> Entry:
    """Read "NAME:I[:J]" for ``spec``'s parameters; ValueError naming the problem."""
    parts = [part.strip() for part in str(text).strip().split(":")]
    if not parts[0]:
        raise ValueError(f"{text!r} is not a parameter entry; write NAME:I[:J], e.g. W:0:0")
    shapes = {p.name: p.shape for p in spec.param_specs()}
    name = parts[0]
    if name not in shapes:
        raise ValueError(
            f"unknown parameter {name!r} in {text!r}; this model has {', '.join(shapes)}"
        )
    shape = shapes[name]
    if len(parts) - 1 != len(shape):
        if len(shape) == 2:
            wanted = f"two indices, {name}:ROW:COLUMN ({name} is {shape[0]} × {shape[1]})"
        else:
            wanted = f"one index, {name}:I ({name} has {_count(shape[0], 'index')})"
        raise ValueError(f"{text!r} has {len(parts) - 1} {_indices(len(parts) - 1)}; give {wanted}")
    index: list[int] = []
    for part, size, what in zip(parts[1:], shape, ("row", "column"), strict=False):
        what = what if len(shape) == 2 else "index"
        try:
            i = int(part)
        except ValueError:
            raise ValueError(f"{what} {part!r} in {text!r} is not a whole number") from None
        if not 0 <= i < size:
            has = f"{name} has {_count(size, what)} (0–{size - 1})"
            raise ValueError(f"{what} {i} in {text!r} is out of range: {has}")
        index.append(i)
    return Entry(name, tuple(index))


def _indices(n: int) -> str:
    return "index" if n == 1 else "indices"


def _count(size: int, what: str) -> str:
    noun = {"row": "row", "column": "column", "index": "entry"}[what]
    plural = {"entry": "entries"}.get(noun, noun + "s")
    return f"{size} {noun if size == 1 else plural}"


def entry_value(params: Mapping[str, np.ndarray], entry: Entry) -> float:
    return float(np.asarray(params[entry.name])[entry.index])


def default_range(params: Mapping[str, np.ndarray], entry: Entry) -> tuple[float, float]:
    """The entry's current value ± 1 (spec/cli.md ``landscape``)."""
    value = entry_value(params, entry)
    return value - 1.0, value + 1.0


def landscape_rows(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None,
    initial_cell: np.ndarray | None,
    x: Entry,
    y: Entry,
    x_values: np.ndarray,
    y_values: np.ndarray,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (i, losses over x_values) for row i at y = y_values[i], i = 0, 1, … in order.

    Losses are NaN when the sequence has no target and inf/NaN where the forward pass
    overflows. The work is done a few rows at a time, when the first of them is asked for.
    """
    x_values = _values(x_values, "x_values")
    y_values = _values(y_values, "y_values")
    if x == y:
        raise ValueError(f"x and y are the same entry {x}; choose two different entries")
    for entry in (x, y):
        parse_entry(str(entry), spec)  # the same checks and messages as for typed text
    nx = len(x_values)
    rows = max(1, BATCH_POINTS // max(1, nx))
    for start in range(0, len(y_values), rows):
        ys = y_values[start : start + rows]
        entries = [
            (x.name, x.index, np.tile(x_values, len(ys))),
            (y.name, y.index, np.repeat(ys, nx)),
        ]
        losses = entry_losses(spec, params, entries, inputs, targets, initial_state, initial_cell)
        for i, row in enumerate(losses.reshape(len(ys), nx)):
            yield start + i, row


def landscape(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None,
    initial_cell: np.ndarray | None,
    x: Entry,
    y: Entry,
    x_values: np.ndarray,
    y_values: np.ndarray,
) -> np.ndarray:
    """The whole grid, (len(y_values), len(x_values)): grid[i, j] = L(x_values[j], y_values[i])."""
    x_values = _values(x_values, "x_values")
    y_values = _values(y_values, "y_values")
    grid = np.empty((len(y_values), len(x_values)))
    rows = landscape_rows(
        spec, params, inputs, targets, initial_state, initial_cell, x, y, x_values, y_values
    )
    for i, row in rows:
        grid[i] = row
    return grid


def _values(values: np.ndarray, what: str) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    if a.ndim != 1 or a.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D array, got shape {a.shape}")
    return a
