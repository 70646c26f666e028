"""What ``export FILE -o OUT`` writes, chosen by OUT's suffix (spec/cli.md)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core import backprop
from ..document import Document
from .csv_table import render_csv
from .latex import latex_document
from .markdown import markdown_document
from .torch_script import torch_script

#: the suffixes written as text here
TEXT_SUFFIXES = (".py", ".md", ".tex", ".csv")
#: the diagram at a step: drawn by the window (rnn_studio.qt), not by this package
IMAGE_SUFFIXES = (".png", ".svg")
EXPORT_SUFFIXES = TEXT_SUFFIXES + IMAGE_SUFFIXES


def export_suffix(path: str | Path) -> str:
    """OUT's suffix, lower case (``Model.PY`` → ``.py``); "" when it has none."""
    return Path(path).suffix.lower()


def export_text(
    doc: Document,
    suffix: str,
    steps: Iterable[int] | None = None,
    precision: int = 4,
    title: str = "",
    script_name: str = "model.py",
    backward: bool = False,
) -> str:
    """The text of an export: ``.py`` the PyTorch script, ``.md`` / ``.tex`` the trace
    table then the arithmetic of ``steps`` (default: every step) and, with ``backward``,
    their backward lines too; ``.csv`` the table.

    ``suffix`` is one of TEXT_SUFFIXES (ValueError otherwise; images are the window's).
    """
    suffix = suffix.lower()
    if suffix == ".py":
        return torch_script(doc, title, script_name)
    if suffix not in TEXT_SUFFIXES:
        raise ValueError(f"no text export for {suffix!r}; choose from {', '.join(TEXT_SUFFIXES)}")
    trace = doc.trace()
    if suffix == ".csv":
        return render_csv(doc, trace, None, precision)
    chosen = list(range(1, trace.T + 1) if steps is None else steps)
    grads = backprop(trace) if backward else None
    if suffix == ".md":
        return markdown_document(doc, trace, chosen, precision, title, grads)
    return latex_document(doc, trace, chosen, precision, title, grads)
