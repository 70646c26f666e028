"""Scale columns: real values (temperatures of 3–19 °C) brought within a tanh's reach.

A column is scaled to [−1, 1] (``range``: the smallest value to −1, the largest to 1) or
to z-scores (``zscore``: mean 0, standard deviation 1). The table then holds the scaled
numbers, and the document records, per column, how to get the original back:

    original = stored × scale + offset

so the plot can show ŷ in the original units, and "back to original units" restores the
column exactly as typed (to the last bit where the arithmetic allows, see ``unscaled``).

The record lives in ``view.scaling`` for now: {"temp": {"method": "range", "offset": 11.0,
"scale": 8.0}}. The proposal for the file format is a top-level ``scaling`` block of the
same shape (readers that do not know it would then drop nothing but the units).
No Qt here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .document import Document
from .errors import DocumentError

RANGE = "range"
ZSCORE = "zscore"
METHODS = {RANGE: "to [−1, 1]", ZSCORE: "to z-scores"}
KEY = "scaling"


@dataclass(frozen=True)
class ColumnScale:
    method: str
    offset: float
    scale: float  # > 0

    def to_original(self, values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=np.float64) * self.scale + self.offset

    def to_dict(self) -> dict[str, object]:
        return {"method": self.method, "offset": self.offset, "scale": self.scale}


def fit(values: np.ndarray, method: str, name: str = "") -> ColumnScale:
    """The scaling of one column's (original) values; blanks (NaN) are left out."""
    if method not in METHODS:
        raise DocumentError(f"unknown scaling {method!r}; choose {', '.join(METHODS)}")
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    where = f"column {name!r}" if name else ""
    if v.size == 0:
        raise DocumentError("the column holds no numbers to scale", where=where)
    if method == RANGE:
        lo, hi = float(v.min()), float(v.max())
        offset, scale = (hi + lo) / 2, (hi - lo) / 2
    else:
        offset, scale = float(v.mean()), float(v.std())
    if not scale > 0 or not math.isfinite(scale):
        raise DocumentError(
            "every value of the column is the same; there is nothing to scale", where=where
        )
    return ColumnScale(method, offset, scale)


def scalings(doc: Document) -> dict[str, ColumnScale]:
    """The recorded scalings by column name (those of columns that still exist)."""
    block = doc.view.get(KEY) if isinstance(doc.view, dict) else None
    out: dict[str, ColumnScale] = {}
    if not isinstance(block, dict):
        return out
    for name, rec in block.items():
        if name not in doc.column_names or not isinstance(rec, dict):
            continue
        method, offset, scale = rec.get("method"), rec.get("offset"), rec.get("scale")
        numbers = all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
            for x in (offset, scale)
        )
        if method in METHODS and numbers and scale > 0:
            out[name] = ColumnScale(method, float(offset), float(scale))
    return out


def _column(doc: Document, name: str) -> np.ndarray:
    j = doc.column_names.index(name)
    return doc.inputs[:, j] if j < doc.d else doc.targets[:, j - doc.d]


def _with_columns(doc: Document, new: dict[str, np.ndarray]) -> Document:
    """``doc`` with whole columns replaced (through with_block: every cell checked)."""
    for name, values in new.items():
        j = doc.column_names.index(name)
        block = [[None if math.isnan(v) else float(v)] for v in values]
        doc = doc.with_block(0, j, block)
    return doc


def _record(doc: Document, records: dict[str, ColumnScale]) -> Document:
    view = {k: v for k, v in doc.view.items() if k != KEY}
    if records:
        view[KEY] = {name: rec.to_dict() for name, rec in records.items()}
    return replace(doc, view=view)


def scaled(doc: Document, names: list[str], method: str) -> Document:
    """Scale the columns ``names`` with ``method`` (a scaled column is rescaled from its
    original values)."""
    records = scalings(doc)
    new: dict[str, np.ndarray] = {}
    for name in names:
        if name not in doc.column_names:
            raise DocumentError(f"there is no column {name!r}")
        original = _column(doc, name)
        if name in records:
            original = records[name].to_original(original)
        rec = fit(original, method, name)
        new[name] = (original - rec.offset) / rec.scale
        records[name] = rec
    return _record(_with_columns(doc, new), records)


def unscaled(doc: Document, names: list[str] | None = None) -> Document:
    """Put the columns (default: every scaled one) back in their original units.

    original = stored × scale + offset, rounded to 12 significant digits when that reads
    back as the same number within rounding (so 3.5 °C comes back as 3.5, not
    3.4999999999999996).
    """
    records = scalings(doc)
    names = list(records) if names is None else [n for n in names if n in records]
    new = {}
    for name in names:
        back = records.pop(name).to_original(_column(doc, name))
        tidy = np.array([float(f"{v:.12g}") if math.isfinite(v) else v for v in back])
        close = np.isclose(tidy, back, rtol=1e-12, atol=0) | np.isnan(back)
        new[name] = np.where(close, tidy, back)
    return _record(_with_columns(doc, new), records)


def to_original(doc: Document, name: str, values: np.ndarray) -> np.ndarray:
    """``values`` of column ``name`` in its original units (as they are if not scaled)."""
    rec = scalings(doc).get(name)
    return np.asarray(values, dtype=np.float64) if rec is None else rec.to_original(values)
