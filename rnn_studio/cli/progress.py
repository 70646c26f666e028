"""Training progress on stderr: a bar on a terminal, a line every 10 % otherwise (a log)."""

from __future__ import annotations

import sys
from typing import TextIO

BAR_WIDTH = 30


def loss_text(loss: float | None) -> str:
    return "not finite" if loss is None else f"{loss:.6g}"


class ProgressReport:
    """Told of each finished epoch; draws the bar or writes the 10 % lines."""

    def __init__(self, epochs: int, stream: TextIO | None = None) -> None:
        self.epochs = epochs
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.bar = bool(isatty and isatty())
        self._drawn = False

    def epoch(self, epoch: int, loss: float | None) -> None:
        if self.bar:
            done = BAR_WIDTH * epoch // self.epochs
            bar = "#" * done + "." * (BAR_WIDTH - done)
            self.stream.write(f"\r[{bar}] epoch {epoch}/{self.epochs}  loss {loss_text(loss)}")
            self._drawn = True
        elif 10 * epoch // self.epochs > 10 * (epoch - 1) // self.epochs:
            # the epochs that cross a 10 % mark: 10 lines for 100 epochs, every one for 3
            percent = 100 * epoch // self.epochs
            self.stream.write(f"epoch {epoch}/{self.epochs} ({percent}%): loss {loss_text(loss)}\n")
        self.stream.flush()

    def close(self) -> None:
        """End the bar's line, so what follows starts on a line of its own."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
