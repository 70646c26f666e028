"""What one landscape computation is: its inputs, its key, and the worker's generator.

No Qt here. ``Job.rows()`` wraps ``core.landscape.landscape_rows`` so that every row
lands in ``Job.values`` as it comes (the GUI thread's poll sees only the newest item, so
the rows themselves must not travel through it), and yields how many rows are done.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from ...core.landscape import Entry, landscape_rows
from ...document import Document


def axis_values(low: float, high: float, n: int) -> np.ndarray:
    return np.linspace(low, high, n)


def surface_key(document: Document, x: Entry, y: Entry, ranges, n: int) -> tuple:
    """Everything the surface depends on. The two chosen entries' own values are left out:
    moving them (a click, a training step in those two) only moves the marker."""
    params = {name: np.array(a) for name, a in document.params.items()}
    for entry in (x, y):
        params[entry.name][entry.index] = 0.0
    c0 = document.initial_cell if document.cell == "lstm" else None
    arrays = [document.inputs, document.targets, document.initial_state]
    if c0 is not None:
        arrays.append(c0)
    arrays += [params[name] for name in sorted(params)]
    return (
        document.spec,
        document.T,
        str(x),
        str(y),
        tuple(float(v) for v in ranges),
        n,
        tuple(a.tobytes() for a in arrays),
    )


@dataclass
class Job:
    document: Document
    x: Entry
    y: Entry
    x_values: np.ndarray
    y_values: np.ndarray
    key: tuple
    values: np.ndarray = field(init=False)
    done: int = 0

    def __post_init__(self) -> None:
        self.values = np.full((len(self.y_values), len(self.x_values)), np.nan)

    def rows(self) -> Iterator[int]:
        d = self.document
        rows = landscape_rows(
            d.spec,
            d.params,
            d.inputs,
            d.targets,
            d.initial_state,
            d.initial_cell if d.cell == "lstm" else None,
            self.x,
            self.y,
            self.x_values,
            self.y_values,
        )
        try:
            for i, row in rows:
                self.values[i] = row
                self.done = i + 1
                yield self.done
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
