"""The one error type that every bad input becomes."""

from __future__ import annotations


class DocumentError(ValueError):
    """Input that cannot be accepted: a bad file, cell, key or shape.

    ``where`` names the place at fault (``row 3, column "x2"``, ``key "params.W"``) and
    ``source`` the file, when there is one. ``str()`` gives one line for a person.
    """

    def __init__(self, message: str, *, where: str = "", source: str = "") -> None:
        self.message = message
        self.where = where
        self.source = source
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def in_file(self, source: str) -> DocumentError:
        """The same error, now naming the file it came from."""
        return DocumentError(self.message, where=self.where, source=source)

    def __str__(self) -> str:
        return self._line()
