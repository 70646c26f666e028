"""A number as a person types it into a table cell or a weight box: one parser for all."""

from __future__ import annotations

import math

from .errors import DocumentError


def parse_number(text: str | float | int) -> float:
    """A finite float from a cell's text, or DocumentError saying why not.

    Accepts a decimal comma ("0,5") as typed by many European spreadsheet users.
    """
    if isinstance(text, bool):
        raise DocumentError(f"{text!r} is not a number")
    if isinstance(text, int | float):
        value = float(text)
    else:
        stripped = str(text).strip().replace("\u2212", "-")
        if not stripped:
            raise DocumentError("the cell is empty; a number is needed")
        if stripped.count(",") == 1 and "." not in stripped:
            stripped = stripped.replace(",", ".")
        try:
            value = float(stripped)
        except ValueError:
            raise DocumentError(f"{str(text).strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise DocumentError(f"{text!r} is not a finite number")
    return value
