"""The table's edits of a Document: cells, pasted blocks, rows and columns.

A mixin of ``Document`` (rnn_studio/document.py), kept apart because it is the one part
that reads the table's text; each method returns a new document, or the same one when
nothing changed. Adding or removing a column changes the model's shape: the weights are
carried over by ``Document._reshaped``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .errors import DocumentError
from .typed_number import parse_number
from .validation import check_name, check_size

if TYPE_CHECKING:
    from .document import Document


class TableEdits:
    """``Document``'s edits of its data table (see the module)."""

    def with_cell_value(self, row: int, column: int, value: float | str | None) -> Document:
        """Set one table cell. ``None`` or "" blanks a target; inputs must be numbers."""
        if not (0 <= row < self.T and 0 <= column < self.d + self.k):
            raise DocumentError(f"there is no cell at row {row + 1}, column {column + 1}")
        name = self.column_names[column]
        where = f"row {row + 1}, column {name!r}"
        is_target = column >= self.d
        if value is None or (isinstance(value, str) and not value.strip()):
            if not is_target:
                raise DocumentError("an input cannot be blank; type a number", where=where)
            number = math.nan
        else:
            try:
                number = parse_number(value)
            except DocumentError as err:
                raise DocumentError(err.message, where=where) from None
        if is_target:
            y = self.targets.copy()
            old = y[row, column - self.d]
            if (math.isnan(old) and math.isnan(number)) or old == number:
                return self
            y[row, column - self.d] = number
            return self._with(targets=y)
        x = self.inputs.copy()
        if x[row, column] == number:
            return self
        x[row, column] = number
        return self._with(inputs=x)

    def with_block(self, top: int, left: int, block: list[list[str | float | None]]) -> Document:
        """Paste a block of cells at (top, left), growing the table by rows when needed.

        Checks every cell first: on any bad cell nothing changes and the error names it.
        Columns beyond the last one are refused (a paste never invents columns).
        """
        if not block:
            return self
        width = max(len(r) for r in block)
        if left + width > self.d + self.k:
            raise DocumentError(
                f"the pasted block is {width} columns wide but only "
                f"{self.d + self.k - left} column(s) fit from column {left + 1}"
            )
        needed = top + len(block) - self.T
        doc = self.with_rows_inserted(self.T, needed) if needed > 0 else self
        x, y = doc.inputs.copy(), doc.targets.copy()
        for i, cells in enumerate(block):
            for j, value in enumerate(cells):
                row, col = top + i, left + j
                name = doc.column_names[col]
                where = f"row {row + 1}, column {name!r}"
                blank = value is None or (isinstance(value, str) and not value.strip())
                if col < doc.d:
                    if blank:
                        raise DocumentError("an input cannot be blank", where=where)
                    try:
                        x[row, col] = parse_number(value)
                    except DocumentError as err:
                        raise DocumentError(err.message, where=where) from None
                else:
                    try:
                        y[row, col - doc.d] = math.nan if blank else parse_number(value)
                    except DocumentError as err:
                        raise DocumentError(err.message, where=where) from None
        new = doc._with(inputs=x, targets=y)
        return self if new.equals(self) and new.T == self.T else new

    def with_rows_inserted(self, at: int, count: int = 1) -> Document:
        """Insert ``count`` timesteps before row ``at``: inputs 0, targets blank."""
        if count <= 0:
            return self
        at = max(0, min(at, self.T))
        x = np.insert(self.inputs, at, np.zeros((count, self.d)), axis=0)
        y = np.insert(self.targets, at, np.full((count, self.k), np.nan), axis=0)
        return self._with(inputs=x, targets=y)

    def with_rows_removed(self, rows: list[int] | range) -> Document:
        rows = sorted({r for r in rows if 0 <= r < self.T})
        if not rows:
            return self
        if len(rows) >= self.T:
            raise DocumentError("a sequence needs at least one timestep; not every row can go")
        return self._with(
            inputs=np.delete(self.inputs, rows, axis=0),
            targets=np.delete(self.targets, rows, axis=0),
        )

    def with_column_renamed(self, column: int, name: str) -> Document:
        name = name.strip()
        names = list(self.column_names)
        if names[column] == name:
            return self
        if not name:
            raise DocumentError("a column needs a name")
        check_name(name)
        if name in names:
            raise DocumentError(f"there is already a column named {name!r}")
        names[column] = name
        return self._with(input_names=tuple(names[: self.d]), target_names=tuple(names[self.d :]))

    def with_input_added(self, name: str | None = None, values: np.ndarray | None = None):
        """Append an input column (zeros); W gains a column of zeros, keeping the rest."""
        name = name or _fresh_name("x", self.column_names)
        check_name(name)
        check_size(self.d + 1, self.k, self.hidden_size)
        if name in self.column_names:
            raise DocumentError(f"there is already a column named {name!r}")
        col = np.zeros((self.T, 1)) if values is None else np.reshape(values, (self.T, 1))
        x = np.hstack((self.inputs, col))
        return self._reshaped(input_names=self.input_names + (name,), inputs=x)

    def with_input_removed(self, column: int) -> Document:
        if self.d <= 1:
            raise DocumentError("the model needs at least one input column")
        names = list(self.input_names)
        del names[column]
        x = np.delete(self.inputs, column, axis=1)
        return self._reshaped(input_names=tuple(names), inputs=x, dropped_input=column)

    def with_target_added(self, name: str | None = None) -> Document:
        name = name or _fresh_name("y", self.column_names)
        check_name(name)
        check_size(self.d, self.k + 1, self.hidden_size)
        if name in self.column_names:
            raise DocumentError(f"there is already a column named {name!r}")
        y = np.hstack((self.targets, np.full((self.T, 1), np.nan)))
        readout = (
            "linear" if self.readout == "identity" and self.k + 1 != self.hidden_size else None
        )
        return self._reshaped(target_names=self.target_names + (name,), targets=y, readout=readout)

    def with_target_removed(self, column: int) -> Document:
        """Remove target column ``column`` (0-based among the targets)."""
        if self.k <= 1:
            raise DocumentError("the model needs at least one target column")
        names = list(self.target_names)
        del names[column]
        y = np.delete(self.targets, column, axis=1)
        readout = (
            "linear" if self.readout == "identity" and self.k - 1 != self.hidden_size else None
        )
        return self._reshaped(
            target_names=tuple(names), targets=y, readout=readout, dropped_target=column
        )


def _fresh_name(prefix: str, taken: tuple[str, ...]) -> str:
    """The next free name: x3 after x1, x2; y2 beside a lone y."""
    i = 2 if prefix in taken else 1
    while f"{prefix}{i}" in taken:
        i += 1
    return f"{prefix}{i}"
