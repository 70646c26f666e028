"""Checks of a document's parts: names, sizes, numbers, matrices and parameters.

Each one refuses with a DocumentError naming the key (and the row, column or entry)
at fault, in JSON's words; Document.create and the edits call them, so neither a file
nor an edit can make a document that cannot be shown or saved.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .core import ModelSpec
from .errors import DocumentError
from .jsontext import TOO_LARGE, BadNumber, describe

#: Limits of a teaching model: beyond them the diagram and the weight panel cannot
#: show the model as a whole, and a file that asks for more is refused by name.
MAX_COLUMNS = 100  # input and target columns together
MAX_HIDDEN = 16  # the weight panel's hidden-size box goes as far (a test keeps them equal)
MAX_NAME_LENGTH = 200


def check_size(d: int, k: int, h: int) -> None:
    """Refuse a model too big to be shown (and taught) as a whole."""
    if d + k > MAX_COLUMNS:
        raise DocumentError(
            f"{d:,} input and {k:,} target columns are too many: RNN Studio models up to "
            f"{MAX_COLUMNS} columns in all, a size the diagram and the weights can show"
        )
    if h > MAX_HIDDEN:
        raise DocumentError(
            f"hidden_size {h:,} is too large: RNN Studio models up to {MAX_HIDDEN} hidden units",
            where="key 'hidden_size'",
        )


def name_problem(name: Any) -> str | None:
    """Why ``name`` cannot name a column, or None when it can.

    A name is shown in the table, the diagram, the plot's legend and messages, and saved
    as UTF-8: one line of printable text that UTF-8 can store, not too long.
    """
    if not isinstance(name, str):
        return f"a name must be a string, found {describe(name)}"
    if not name.strip():
        return "a name must not be empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"a name has at most {MAX_NAME_LENGTH} characters; this one has {len(name):,}"
    for ch in name:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            return (
                f"the name holds a lone surrogate (\\u{code:04x}), a character that "
                f"UTF-8 cannot store"
            )
        if code < 0x20 or 0x7F <= code < 0xA0 or ch in "\u2028\u2029":
            return f"a name is one line of text; this one holds the control character U+{code:04X}"
    return None


def check_name(name: Any) -> None:
    problem = name_problem(name)
    if problem:
        raise DocumentError(problem)


def check_names(key: str, names: tuple) -> None:
    if not names:
        raise DocumentError("at least one name is needed", where=f"key {key!r}")
    seen: set[str] = set()
    for i, n in enumerate(names):
        problem = name_problem(n)
        if problem:
            raise DocumentError(problem, where=f"key '{key}[{i}]'")
        if n in seen:
            raise DocumentError(f"the name {n!r} appears twice", where=f"key {key!r}")
        seen.add(n)


def number(value: Any, where: str, allow_blank: bool) -> float:
    """A finite float from a JSON value; null is a blank (NaN) where ``allow_blank``
    (and so is NaN itself, which only a caller in Python can pass: JSON's NaN is a
    BadNumber)."""
    if type(value) is float and math.isfinite(value):
        return value
    if value is None or (allow_blank and isinstance(value, float) and math.isnan(value)):
        if allow_blank:
            return math.nan
        raise DocumentError("a number is needed, found null", where=where)
    if isinstance(value, BadNumber):
        raise DocumentError(value.what, where=where)
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise DocumentError(f"a number is needed, found {describe(value)}", where=where)
    try:
        f = float(value)
    except OverflowError:
        raise DocumentError(TOO_LARGE, where=where) from None
    if not math.isfinite(f):
        if math.isnan(f):
            raise DocumentError("NaN is not allowed: every number must be finite", where=where)
        raise DocumentError(TOO_LARGE, where=where)
    return f


_PLAIN = frozenset({float, int})
_PLAIN_OR_NULL = frozenset({float, int, type(None)})


def matrix(key: str, rows: Any, cols: int, allow_blank: bool) -> np.ndarray:
    """A (T, cols) float matrix; null is a blank (NaN) where ``allow_blank``."""
    if isinstance(rows, np.ndarray):
        a = np.asarray(rows, dtype=np.float64)
        if a.ndim != 2 or a.shape[1] != cols:
            raise DocumentError(
                f"expected rows of {cols} numbers, found shape {a.shape}", where=f"key {key!r}"
            )
        bad = ~np.isfinite(a) & ~(np.isnan(a) if allow_blank else False)
        if bad.any():
            r, c = np.argwhere(bad)[0]
            number(float(a[r, c]), f"key {key!r}, row {r + 1}, column {c + 1}", allow_blank)
        return a.copy()
    if not isinstance(rows, list | tuple):
        raise DocumentError(
            f"expected an array of rows, found {describe(rows)}", where=f"key {key!r}"
        )
    fast = _fast_matrix(rows, cols, allow_blank)
    if fast is not None:
        return fast
    out = np.empty((len(rows), cols))
    for r, row in enumerate(rows):
        if not isinstance(row, list | tuple) or len(row) != cols:
            found = f"{len(row)}" if isinstance(row, list | tuple) else describe(row)
            raise DocumentError(
                f"expected {cols} entries, found {found}", where=f"key {key!r}, row {r + 1}"
            )
        for c, value in enumerate(row):
            out[r, c] = number(value, f"key {key!r}, row {r + 1}, column {c + 1}", allow_blank)
    return out


def _fast_matrix(rows: list, cols: int, allow_blank: bool) -> np.ndarray | None:
    """The matrix at C speed when every row is a list of ``cols`` plain numbers (or
    nulls, where blanks are allowed) and every number is finite; else None, and the
    checks entry by entry find what is wrong and name it."""
    plain = _PLAIN_OR_NULL if allow_blank else _PLAIN
    if not all(type(row) is list and len(row) == cols for row in rows):
        return None
    if not all(type(v) in plain for row in rows for v in row):
        return None
    try:
        a = np.array(rows, dtype=np.float64).reshape(len(rows), cols)
    except (OverflowError, ValueError):  # an integer too large for a float
        return None
    if not (np.isfinite(a) | (np.isnan(a) if allow_blank else False)).all():
        return None
    return a


def vector(key: str, values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.zeros(n)
    a = array(key, values)
    if a.shape != (n,):
        raise DocumentError(f"expected shape ({n},), found {a.shape}", where=f"key {key!r}")
    return a


def array(key: str, values: Any) -> np.ndarray:
    """A float vector or matrix from (nested) lists, refusing non-numbers, non-finite
    numbers, ragged rows and deeper nesting; the message names the entry."""
    if isinstance(values, np.ndarray):
        a = np.asarray(values, dtype=np.float64)
        if not np.isfinite(a).all():
            raise DocumentError("every number must be finite", where=f"key {key!r}")
        return a
    if not isinstance(values, list | tuple):
        raise DocumentError(
            f"expected an array of numbers, found {describe(values)}", where=f"key {key!r}"
        )
    if not any(isinstance(v, list | tuple) for v in values):
        return np.array(
            [number(v, f"key '{key}[{i}]'", allow_blank=False) for i, v in enumerate(values)],
            dtype=np.float64,
        )
    rows: list[list[float]] = []
    for i, row in enumerate(values):
        if not isinstance(row, list | tuple):
            raise DocumentError(
                f"expected a row (an array of numbers), found {describe(row)}",
                where=f"key '{key}[{i}]'",
            )
        rows.append(
            [number(v, f"key '{key}[{i}][{j}]'", allow_blank=False) for j, v in enumerate(row)]
        )
    if len({len(r) for r in rows}) > 1:
        raise DocumentError("rows of different lengths", where=f"key {key!r}")
    return np.array(rows, dtype=np.float64)


def check_params(spec: ModelSpec, params: dict[str, Any]) -> dict[str, np.ndarray]:
    specs = spec.param_specs()
    expected = {ps.name for ps in specs}
    for name in params:
        if name not in expected:
            raise DocumentError(
                f"unknown parameter {name!r} for a {spec.cell} with {spec.readout} readout; "
                f"expected {', '.join(ps.name for ps in specs)}",
                where=f"key 'params.{name}'",
            )
    out: dict[str, np.ndarray] = {}
    for ps in specs:
        if ps.name not in params:
            raise DocumentError("this parameter is missing", where=f"key 'params.{ps.name}'")
        a = array(f"params.{ps.name}", params[ps.name])
        if a.shape != ps.shape:
            raise DocumentError(
                f"expected shape {_shape(ps.shape)}, found {_shape(a.shape)}",
                where=f"key 'params.{ps.name}'",
            )
        a.flags.writeable = False
        out[ps.name] = a
    return out


def _shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape) if len(shape) > 1 else f"{shape[0] if shape else 0}"
