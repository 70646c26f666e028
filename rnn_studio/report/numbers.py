"""Numbers as text (rounded, for tables and arithmetic) and as JSON (exact, finite or null)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..explain import fmt


def num(value: float, precision: int) -> str:
    """explain.fmt's rounding; a huge number in scientific form so a table stays readable."""
    value = float(value)
    if math.isfinite(value) and abs(value) >= 1e9:
        return f"{value:.{max(precision, 1)}e}"
    return fmt(value, precision)


def array_text(a: Any, precision: int) -> str:
    """A number, vector or matrix as nested brackets: ``[[0.0190, 0.0760, 0]]``."""
    a = np.asarray(a)
    if a.ndim == 0:
        return num(float(a), precision)
    if a.ndim == 1:
        return "[" + ", ".join(num(v, precision) for v in a) + "]"
    return "[" + ", ".join(array_text(row, precision) for row in a) + "]"


def parenthesised(text: str) -> str:
    """A negative number after "+" in parentheses, as the arithmetic lines write it."""
    return f"({text})" if text.startswith("-") else text


class Finite:
    """Turns arrays into nested lists of floats, non-finite values into None, noting where.

    JSON has no NaN or Infinity; an overflowed forward pass is written as null and
    listed in the object's ``warnings`` (spec/model.md, Numbers that go wrong).
    """

    def __init__(self) -> None:
        self.bad: dict[str, int | None] = {}

    def __call__(self, value: Any, key: str, t: int | None = None, blank: Any = None) -> Any:
        a = np.asarray(value, dtype=np.float64)
        blank_mask = np.zeros(a.shape, bool) if blank is None else np.asarray(blank, bool)
        bad = ~np.isfinite(a) & ~blank_mask
        if bad.any() and key not in self.bad:
            self.bad[key] = t
        return _nested(a, blank_mask)

    def warnings(self) -> list[str]:
        return [
            f"{key}: not finite (overflow)"
            + (f" from step {t}" if t is not None else "")
            + "; written as null"
            for key, t in self.bad.items()
        ]


def _nested(a: np.ndarray, blank: np.ndarray) -> Any:
    if a.ndim == 0:
        v = float(a)
        return None if (bool(blank) or not math.isfinite(v)) else v
    return [_nested(row, b) for row, b in zip(a, blank, strict=True)]
