"""``rnn-studio export FILE -o OUT [--step T]``: chosen by OUT's suffix (spec/cli.md).

``.py`` the self-contained PyTorch script, ``.md`` / ``.tex`` the trace table and each
step's arithmetic, ``.csv`` the trace table; all written atomically. ``.png`` / ``.svg``
(the diagram) are drawn by the window's code: ``write_image`` is the one place that
calls it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..document import Document
from ..io import write_text_atomic
from ..report import EXPORT_SUFFIXES, IMAGE_SUFFIXES, export_suffix, export_text
from .common import (
    EXIT_OK,
    UsageError,
    check_precision,
    load,
    step_in_range,
    target_columns,
)

STEP_SUFFIXES = (".md", ".tex", *IMAGE_SUFFIXES)


def run(ns: argparse.Namespace) -> int:
    check_precision(ns.precision)
    suffix = export_suffix(ns.output)
    if suffix not in EXPORT_SUFFIXES:
        found = f"'{suffix}'" if suffix else "no suffix"
        raise UsageError(
            f"-o {ns.output}: cannot export to {found}; OUT must end in "
            f"{', '.join(EXPORT_SUFFIXES[:-1])} or {EXPORT_SUFFIXES[-1]}"
        )
    if ns.grad and suffix not in (".md", ".tex"):
        raise UsageError(
            f"--grad adds the backward arithmetic to a .md or .tex export, not {suffix}"
        )
    if ns.step is not None and suffix not in STEP_SUFFIXES:
        raise UsageError(
            f"--step chooses the step of a {', '.join(STEP_SUFFIXES)} export; "
            f"a {suffix} export holds every step"
        )
    doc = load(ns.file, target_columns(ns))
    if ns.step is not None:
        step_in_range(ns.step, ns.file, doc.T)
    if suffix in IMAGE_SUFFIXES:
        return write_image(doc, ns.output, ns.step)
    text = export_text(
        doc,
        suffix,
        None if ns.step is None else [ns.step],
        ns.precision,
        title=Path(ns.file).name,
        script_name=Path(ns.output).name,
        backward=ns.grad,
    )
    write_text_atomic(ns.output, text)
    print(f"wrote {ns.output}", file=sys.stderr)
    return EXIT_OK


def write_image(doc: Document, path: str, step: int | None) -> int:
    """The diagram at ``step`` (None: all steps) as PNG or SVG, drawn by the window's own
    code offscreen (the same picture as File ▸ Export ▸ in the window)."""
    from ..qt.window.export import export_image

    export_image(doc, path, "diagram", step)
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
