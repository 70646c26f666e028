"""Every output format of RNN Studio, shared by the command line and the window's export.

No Qt, no files: each function returns text. The formats:

- ``render(fmt, doc, trace, grads, precision)``: ``trace --format`` (text, json, csv,
  markdown, latex), ``grads`` optional;
- ``trace_json`` / ``step_json``: the JSON objects of spec/cli.md, as Python values;
- ``step_lines``: one step's arithmetic (``trace --step T``);
- ``export_text(doc, suffix, steps, precision, title)``: what ``export -o OUT`` writes for
  a suffix in TEXT_SUFFIXES; IMAGE_SUFFIXES are drawn by the window;
- ``torch_script(doc)``: the self-contained PyTorch script.
"""

from __future__ import annotations

from ..core import Gradients, Trace
from ..document import Document
from ..io import dump_json
from .columns import Column, gradient_names, table_columns
from .csv_table import render_csv
from .export import EXPORT_SUFFIXES, IMAGE_SUFFIXES, TEXT_SUFFIXES, export_suffix, export_text
from .json_trace import step_json, trace_json
from .latex import latex_document, latex_line, render_latex
from .markdown import markdown_document, render_markdown
from .numbers import num
from .steps import step_lines
from .text import render_text
from .torch_script import torch_script

FORMATS = ("text", "json", "csv", "markdown", "latex")


def _render_json(doc: Document, trace: Trace, grads: Gradients | None, precision: int) -> str:
    return dump_json(trace_json(doc, trace, grads))


_RENDERERS = {
    "text": render_text,
    "json": _render_json,
    "csv": render_csv,
    "markdown": render_markdown,
    "latex": render_latex,
}


def render(
    fmt: str, doc: Document, trace: Trace, grads: Gradients | None = None, precision: int = 4
) -> str:
    """The whole trace in one of FORMATS (``trace --format fmt``); ends with a newline.

    ``precision`` is the decimals of the text formats; JSON is always exact.
    """
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    out = renderer(doc, trace, grads, precision)
    return out if out.endswith("\n") else out + "\n"


__all__ = [
    "EXPORT_SUFFIXES",
    "FORMATS",
    "IMAGE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Column",
    "export_suffix",
    "export_text",
    "gradient_names",
    "latex_document",
    "latex_line",
    "markdown_document",
    "num",
    "render",
    "render_csv",
    "render_latex",
    "render_markdown",
    "render_text",
    "step_json",
    "step_lines",
    "table_columns",
    "torch_script",
    "trace_json",
]
