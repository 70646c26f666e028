"""The training path's coordinates over the landscape's two entries (no Qt).

A run's path grows while it trains, and each preview hands over the whole path so far
(slices of one history, so the same weight objects, oldest first). Reading two entries out
of every epoch's weights again at each preview would cost O(epochs) per frame; this reads
only the epochs that are new since the last call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ...core.landscape import Entry, entry_value

Params = Mapping[str, np.ndarray]


class PathCoordinates:
    def __init__(self) -> None:
        self._key: tuple | None = None
        self._last: Params | None = None
        self.xs: list[float] = []
        self.ys: list[float] = []

    def update(self, path: Sequence[Params], x: Entry, y: Entry) -> tuple[list, list]:
        """The x and y values along ``path`` (empty if the entries are not in it)."""
        if len(path) < 2:
            return [], []
        key = (x, y, id(path[0]))
        done = len(self.xs)
        if key != self._key or done > len(path) or (done and path[done - 1] is not self._last):
            self._key, done = key, 0
            self.xs, self.ys = [], []
        try:
            for params in path[done:]:
                self.xs.append(entry_value(params, x))
                self.ys.append(entry_value(params, y))
        except (IndexError, KeyError):
            self._key, self.xs, self.ys = None, [], []
            return [], []
        self._last = path[-1]
        return self.xs, self.ys
