"""What one landscape computation is: its inputs, its key, and the worker's generator.

No Qt here. ``Job.arguments()`` are ``core.landscape.landscape_rows``'s, which runs in a
worker process; ``Job.take`` stores its rows in ``Job.values`` as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...core.landscape import Entry
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

    def arguments(self) -> tuple:
        """``core.landscape.landscape_rows``'s arguments for this surface."""
        d = self.document
        c0 = d.initial_cell if d.cell == "lstm" else None
        return (d.spec, d.params, d.inputs, d.targets, d.initial_state, c0) + (
            self.x,
            self.y,
            self.x_values,
            self.y_values,
        )

    def take(self, rows: list[tuple[int, np.ndarray]]) -> None:
        """Store rows as they arrive from the worker (in order)."""
        for i, row in rows:
            self.values[i] = row
            self.done = i + 1
