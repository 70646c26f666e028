"""The ``view`` block of a project file: window settings that travel with the document.

They are settings, not data, so a bad one never stops a file from opening: a known key
with a bad value (``step`` outside 0..T, ``speed`` outside the speed slider's range) is
dropped with a warning, and so is the whole block when it is not an object. Unknown
keys are kept for a newer version of the program, but only small, plain JSON ones: a
value that could not be saved again (a non-finite number, a lone surrogate) or that is
too big to be a setting is dropped with a warning, so a 49 MB blob under ``view`` is
never carried along, autosaved or walked again.
"""

from __future__ import annotations

import math
from typing import Any

from .errors import DocumentError
from .jsontext import BadNumber, describe

#: The speed slider's range (rnn_studio/qt/player.py SPEEDS; a test keeps them equal).
SPEED_RANGE = (1, 11)
#: How much all unknown view keys may hold together (values; a string counts by length).
MAX_EXTRA_SIZE = 1000
MAX_EXTRA_DEPTH = 16


class _Unfit(Exception):
    pass


def check_view(view: Any, T: int, source: str = "") -> tuple[dict[str, Any], list[str]]:
    """The view settings to keep, and one warning line per thing dropped."""
    warnings: list[str] = []

    def warn(message: str, key: str = "") -> None:
        where = f"key 'view.{key}'" if key else "key 'view'"
        warnings.append(str(DocumentError(message, where=where, source=source)))

    if not isinstance(view, dict):
        warn(f"expected an object, found {describe(view)}; the view settings are ignored")
        return {}, warnings
    kept: dict[str, Any] = {}
    budget = MAX_EXTRA_SIZE
    for key, value in view.items():
        if key == "step":
            if _is_int(value) and 0 <= value <= T:
                kept[key] = value
            else:
                warn(
                    f"expected an integer from 0 to {T}, found {describe(value)}; "
                    f"ignored, the window starts at step 0",
                    key,
                )
        elif key == "speed":
            lo, hi = SPEED_RANGE
            if _is_int(value) and lo <= value <= hi:
                kept[key] = value
            else:
                warn(
                    f"expected an integer from {lo} to {hi}, found {describe(value)}; "
                    f"ignored, the window keeps its speed",
                    key,
                )
        else:
            try:
                budget -= _size(key, budget, 0)
                budget -= _size(value, budget, 0)
            except _Unfit as why:
                warn(f"an unknown setting that {why}; ignored", _printable(key))
                continue
            kept[key] = value
    return kept, warnings


def _is_int(value: Any) -> bool:
    return type(value) is int


def _printable(key: str) -> str:
    return key.encode("utf-8", "backslashreplace").decode("utf-8")[:40]


def _size(value: Any, budget: int, depth: int) -> int:
    """How much of the budget ``value`` takes; _Unfit when it cannot be kept."""
    if depth > MAX_EXTRA_DEPTH:
        raise _Unfit("is nested too deeply")
    if isinstance(value, BadNumber) or (isinstance(value, float) and not math.isfinite(value)):
        raise _Unfit("holds a number that is not finite")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _Unfit("holds text UTF-8 cannot store (a lone surrogate)") from None
        cost = 1 + len(value) // 64
    elif isinstance(value, dict | list):
        cost = 1
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for k, v in items:
            if cost > budget:
                break
            if k is not None:
                cost += _size(k, budget - cost, depth + 1)
            cost += _size(v, budget - cost, depth + 1)
    else:
        cost = 1
    if cost > budget:
        raise _Unfit("is too large to keep as a view setting")
    return cost
