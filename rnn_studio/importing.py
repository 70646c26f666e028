"""Importing a student's own table: each column's role in one step, or a plain series.

Below Qt (the window's Import dialog and the tests share it). A CSV table is read into a
``Table`` of texts; each column gets a role, ``input``, ``target`` or ``ignore`` (text
columns, such as a date, are ignored by default); ``build`` makes the Document. A table
with one numeric column (a plain series v₁ … v_n) can instead become "predict the next
value": xₜ = vₜ (and with more lags vₜ₋₁, …), yₜ = vₜ₊₁.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass

import numpy as np

from .csvio import table_document
from .document import Document, parse_number
from .errors import DocumentError
from .files import read_text  # the safe reader: regular files only, never blocking, a size limit
from .validation import MAX_COLUMNS

INPUT = "input"
TARGET = "target"
IGNORE = "ignore"
ROLES = (INPUT, TARGET, IGNORE)
#: how many earlier values "predict the next value" may use as inputs
MAX_LAGS = 8
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


@dataclass(frozen=True)
class Table:
    """A CSV table as texts: the header's names and every row's cells (all as long)."""

    names: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def numeric(self) -> tuple[bool, ...]:
        """Per column: every non-blank cell is a number (and at least one is)."""
        return tuple(_is_numeric([r[j] for r in self.rows]) for j in range(len(self.names)))

    def column(self, j: int) -> list[str]:
        return [r[j] for r in self.rows]


def _is_numeric(cells: list[str]) -> bool:
    seen = False
    for text in cells:
        if not text.strip():
            continue
        try:
            parse_number(text)
        except DocumentError:
            return False
        seen = True
    return seen


def parse_table(text: str) -> Table:
    """The header and rows of a CSV text (commas, or semicolons when the header has more).

    DocumentError names the line of a row that is not as long as the header, and a header
    without names or with a name twice.
    """
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise DocumentError("the table is empty: no header row")
    bare = _QUOTED.sub("", first)
    delimiter = ";" if bare.count(";") > bare.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[str, ...]] = []
    try:
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                if len(header) > MAX_COLUMNS:  # a roles dialog of 20,000 columns would freeze
                    raise DocumentError(
                        f"the table has {len(header):,} columns; RNN Studio models up to "
                        f"{MAX_COLUMNS} (inputs and targets together)",
                        where="the header row",
                    )
                continue
            if len(cells) != len(header):
                raise DocumentError(
                    f"this row has {len(cells)} fields but the header has {len(header)}",
                    where=f"line {reader.line_num}",
                )
            rows.append(tuple(c.strip() for c in cells))
    except csv.Error as err:
        reason = (
            f"a field is longer than {csv.field_size_limit():,} characters"
            if "field larger" in str(err)
            else f"this is not a readable CSV row ({err})"
        )
        raise DocumentError(reason, where=f"line {reader.line_num}") from None
    assert header is not None
    for j, name in enumerate(header):
        if not name:
            raise DocumentError(f"column {j + 1} has no name", where="the header row")
        if name in header[:j]:
            raise DocumentError(f"the column name {name!r} appears twice", where="the header row")
    if not rows:
        raise DocumentError("the table has a header but no rows of data")
    return Table(tuple(header), tuple(rows))


def default_roles(table: Table) -> list[str]:
    """Text columns ignored; of the numeric ones the last is the target, the rest inputs."""
    numeric = table.numeric
    roles = [INPUT if ok else IGNORE for ok in numeric]
    last = max((j for j, ok in enumerate(numeric) if ok), default=None)
    if last is not None and sum(numeric) > 1:
        roles[last] = TARGET
    return roles


def is_series(table: Table) -> bool:
    """One numeric column only: a plain series, offered as "predict the next value"."""
    return sum(table.numeric) == 1


def _numbers(table: Table, j: int, blank_ok: bool) -> np.ndarray:
    out = np.empty(len(table.rows))
    name = table.names[j]
    for t, row in enumerate(table.rows):
        text = row[j]
        where = f"row {t + 1}, column {name!r}"
        if not text.strip():
            if not blank_ok:
                raise DocumentError("an input cannot be blank", where=where)
            out[t] = math.nan
            continue
        try:
            out[t] = parse_number(text)
        except DocumentError as err:
            raise DocumentError(err.message, where=where) from None
    return out


def build(table: Table, roles: list[str]) -> Document:
    """The document of ``table`` with each column in its role (one role per column)."""
    if len(roles) != len(table.names) or any(r not in ROLES for r in roles):
        raise DocumentError(f"one role ({', '.join(ROLES)}) is needed for every column")
    ins = [j for j, r in enumerate(roles) if r == INPUT]
    outs = [j for j, r in enumerate(roles) if r == TARGET]
    if not ins or not outs:
        raise DocumentError("choose at least one input column and one target column")
    x = np.column_stack([_numbers(table, j, blank_ok=False) for j in ins])
    y = np.column_stack([_numbers(table, j, blank_ok=True) for j in outs])
    return table_document(x, y, [table.names[j] for j in ins], [table.names[j] for j in outs])


def lag_name(name: str, lag: int) -> str:
    """The input column of the value ``lag`` steps back: "temp", "temp t-1", "temp t-2"."""
    return name if lag == 0 else f"{name} t-{lag}"


def next_value(table: Table, column: int, lags: int = 1) -> Document:
    """Predict the next value of a series: inputs vₜ … vₜ₋ₗₐ₉ₛ₊₁, target vₜ₊₁.

    The first ``lags − 1`` values only serve as earlier inputs, and the last only as the
    last target, so T = n − lags steps remain.
    """
    if not 1 <= lags <= MAX_LAGS:
        raise DocumentError(f"the number of values to look back must be 1 to {MAX_LAGS}")
    v = _numbers(table, column, blank_ok=False)
    n = len(v)
    T = n - lags
    if T < 1:
        raise DocumentError(
            f"a series of {n} value(s) is too short to predict the next value from {lags}"
        )
    name = table.names[column]
    # row t (0-based) looks at v[t + lags − 1] (now) back to v[t] and predicts v[t + lags]
    x = np.column_stack([v[lags - 1 - lag : lags - 1 - lag + T] for lag in range(lags)])
    y = v[lags : lags + T, None]
    names = [lag_name(name, lag) for lag in range(lags)]
    return table_document(x, y, names, [f"next {name}"])


def read_table(path) -> Table:
    """The table of a CSV file (read as the project reader reads files)."""
    try:
        return parse_table(read_text(path))
    except DocumentError as err:
        raise (err if err.source else err.in_file(str(path))) from None
