"""JSON text to Python values for a project file, and values described in JSON's words.

``loads`` parses in one linear pass at C speed. ``NaN`` and ``Infinity`` and an integer
too long for Python to read become ``BadNumber`` markers instead of failing, and a
literal too large for a float becomes infinity, so that the checks afterwards can name
the key where such a number sits (``find_not_finite``, the matrix checks).
"""

from __future__ import annotations

import gc
import json
import math
import sys
from typing import Any

from .errors import DocumentError

#: Python refuses to convert integer literals longer than this (its int max-str-digits
#: limit); shorter ones past 309 digits are read and then refused as too large.
_MAX_INT_DIGITS = sys.get_int_max_str_digits() or 4300
#: The message for a number that is infinite as a float (its literal was too large).
TOO_LARGE = "the number is too large: every number must be finite"


class BadNumber:
    """Stands in for a number that is not a finite float while parsing."""

    __slots__ = ("noun", "what")

    def __init__(self, noun: str, what: str) -> None:
        self.noun = noun  # what it is: "NaN", "a number too long to read"
        self.what = what  # the message: "NaN is not allowed: every number must be finite"

    def __repr__(self) -> str:
        return self.what


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DocumentError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return out


def _constant(s: str) -> BadNumber:
    return BadNumber(s, f"{s} is not allowed: every number must be finite")


def _long_int(s: str) -> int | BadNumber:
    digits = len(s) - s.startswith("-")
    if digits > _MAX_INT_DIGITS:
        return BadNumber(
            "a number too long to read",
            f"a number too long to read ({digits:,} digits): every number must be finite",
        )
    return int(s)


def _exact_float(s: str) -> float | BadNumber:
    value = float(s)
    if math.isfinite(value):
        return value
    shown = s if len(s) <= 24 else f"{s[:12]}…"
    return BadNumber(
        "a number too large to be finite",
        f"the number {shown} is too large: every number must be finite",
    )


def _decode(text: str, parse_int: Any, parse_float: Any = float) -> Any:
    return json.loads(
        text,
        parse_int=parse_int,
        parse_float=parse_float,
        parse_constant=_constant,
        object_pairs_hook=_unique_pairs,
    )


def loads(text: str, source: str = "", literals: bool = False) -> Any:
    """The parsed value; DocumentError naming the line of a syntax error.

    Numbers are parsed at C speed: a literal too large for a float becomes infinity (a
    float), found afterwards by ``find_not_finite`` or the matrix checks, whose message
    is then TOO_LARGE. ``literals`` parses it into a BadNumber that quotes the literal
    instead (slower: for the message of a file already known to be bad). The cyclic
    garbage collector is paused meanwhile: it would walk millions of new lists many times.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        if literals:
            return _decode(text, _long_int, _exact_float)
        try:
            return _decode(text, int)
        except (DocumentError, json.JSONDecodeError):
            raise
        except ValueError:  # an integer with more digits than Python converts: again,
            return _decode(text, _long_int)  # with a hook that marks it instead
    except DocumentError as err:
        raise err.in_file(source) from None
    except json.JSONDecodeError as err:
        raise DocumentError(
            f"this is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}",
            source=source,
        ) from None
    except RecursionError:
        raise DocumentError(
            "this JSON is nested too deeply to be a project", source=source
        ) from None
    except (ValueError, MemoryError) as err:
        raise DocumentError(
            f"this is not valid JSON ({type(err).__name__})", source=source
        ) from None
    finally:
        if collecting:
            gc.enable()


def _not_finite(value: Any) -> bool:
    """A number that cannot be a finite float: a marker, ±inf, or an integer past 2¹⁰²⁴."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() > 1024
    return isinstance(value, BadNumber)


def _message(value: Any) -> str:
    if isinstance(value, BadNumber):
        return value.what
    if isinstance(value, float) and math.isnan(value):
        return "NaN is not allowed: every number must be finite"
    return TOO_LARGE


def find_not_finite(value: Any, skip: tuple[str, ...] = ()) -> tuple[str, list] | None:
    """The first number in ``value`` that is not finite: (why, path of keys and indices).

    Top-level keys in ``skip`` are not searched. Each element is visited once and
    remembers only its parent, so the search stays linear however deep the nesting.
    """
    if _not_finite(value):
        return _message(value), []
    stack: list[tuple[Any, int, str | int]] = []  # (value, parent's index in seen, key)
    seen: list[tuple[int, str | int]] = []
    if isinstance(value, dict):
        stack.extend(reversed([(v, -1, k) for k, v in value.items() if k not in skip]))
    elif isinstance(value, list):
        stack.extend(reversed([(v, -1, i) for i, v in enumerate(value)]))
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict | list):
            me = len(seen)
            seen.append((parent, key))
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = [
                (v, me, k) for k, v in pairs if isinstance(v, dict | list | float | int | BadNumber)
            ]
            stack.extend(reversed(children))  # popped in reading order
        elif _not_finite(item):
            path: list[str | int] = [key]
            while parent >= 0:
                parent, key = seen[parent]
                path.append(key)
            return _message(item), path[::-1]
    return None


def describe(value: Any) -> str:
    """A value as JSON calls it: null, true, the number 1.5, the string "a", an array …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {quote(value)}" if len(value) <= 40 else "a string"
    if isinstance(value, int):
        return f"the integer {value}" if abs(value) < 10**20 else "a very large integer"
    if isinstance(value, float):
        return f"the number {value!r}" if math.isfinite(value) else "a number that is not finite"
    if isinstance(value, BadNumber):
        return value.noun
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a value of another kind"


def quote(text: str) -> str:
    """``text`` in JSON's double quotes, with control and lone surrogate characters escaped,
    so a message stays one printable line."""
    return json.dumps(text, ensure_ascii=False).encode("utf-8", "backslashreplace").decode()


def is_json_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
