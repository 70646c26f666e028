"""Project files (``*.rnn.json``, version 1) read and written per spec/file-format.md.

No Qt. Every reader and writer raises ``DocumentError`` and nothing else: a bad file
becomes one line for a person that names the file and the key, row or column at fault.
The layers below: ``files`` (regular files only, atomic saves), ``jsontext`` (parsing
that names the key of a bad number), ``view_settings`` (the ``view`` block), ``csvio``
(CSV tables; re-exported here). Reading a project's JSON is project_read.py; writing it
and choosing the reader for a path are here.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .csvio import csv_columns, dumps_csv, read_csv, write_csv
from .document import Document
from .errors import DocumentError
from .files import MAX_FILE_BYTES, read_bytes, write_text_atomic
from .project_read import FORMAT, KNOWN_KEYS, VERSION, document_from_dict, read_project

__all__ = [
    "FORMAT",
    "KNOWN_KEYS",
    "MAX_FILE_BYTES",
    "VERSION",
    "Loaded",
    "csv_columns",
    "document_from_dict",
    "document_to_dict",
    "dump_json",
    "dumps_csv",
    "dumps_project",
    "is_csv",
    "load",
    "read_csv",
    "read_path",
    "read_project",
    "write_csv",
    "write_project",
    "write_text_atomic",
]

PathLike = str | os.PathLike


# -- project JSON -----------------------------------------------------------------------


def document_to_dict(doc: Document) -> dict[str, Any]:
    """The project object for ``doc``: plain Python values, blank targets as None."""
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "cell": doc.cell}
    if doc.cell == "rnn":
        out["activation"] = doc.activation
    out["hidden_size"] = int(doc.hidden_size)
    out["readout"] = doc.readout
    out["input_names"] = list(doc.input_names)
    out["target_names"] = list(doc.target_names)
    out["inputs"] = _floats(doc.inputs)
    out["targets"] = _floats(doc.targets, blank=True)
    out["initial_state"] = _floats(doc.initial_state)
    if doc.cell == "lstm":
        out["initial_cell"] = _floats(doc.initial_cell)
    out["params"] = {ps.name: _floats(doc.params[ps.name]) for ps in doc.param_specs()}
    if doc.training is not None:
        t = doc.training
        out["training"] = {
            "optimizer": t.optimizer,
            "learning_rate": float(t.learning_rate),
            "epochs": int(t.epochs),
            "momentum": float(t.momentum),
            "clip": None if t.clip is None else float(t.clip),
            "seed": None if t.seed is None else int(t.seed),
        }
    if doc.view:
        out["view"] = _plain(doc.view)
    return out


def _floats(a: np.ndarray, blank: bool = False) -> Any:
    """Nested lists of Python floats (exact: JSON gets their repr); NaN → None if ``blank``."""
    if a.ndim == 0:
        v = float(a)
        return None if (blank and math.isnan(v)) else v
    return [_floats(row, blank) for row in a]


def _plain(value: Any) -> Any:
    """View settings as plain JSON values (numpy scalars and arrays turned into Python)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def dumps_project(doc: Document) -> str:
    """The project file's text: one key per line, each matrix row on its own line."""
    try:
        return _dump(document_to_dict(doc), 0) + "\n"
    except (TypeError, ValueError, RecursionError) as err:
        raise DocumentError(f"the document cannot be written as JSON: {err}") from None


def dump_json(value: Any) -> str:
    """JSON text with one key per line and each innermost list on one line."""
    return _dump(value, 0)


def _dump(value: Any, indent: int) -> str:
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_dump(v, indent + 2)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, list | dict) for v in value):
            return "[" + ", ".join(_dump(v, indent) for v in value) + "]"
        return "[\n" + ",\n".join(inner + _dump(v, indent + 2) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_project(doc: Document, path: PathLike) -> None:
    """Save ``doc`` as a project file, atomically."""
    try:
        text = dumps_project(doc)
    except DocumentError as err:
        raise err.in_file(str(path)) from None
    write_text_atomic(path, text)


# -- choosing the reader ------------------------------------------------------------------
def is_csv(path: PathLike) -> bool:
    """True when ``path`` is to be read as CSV: by its extension, else by its first character."""
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".txt"):
        return True
    if suffix == ".json":
        return False
    try:
        head = read_bytes(path, limit=4096)  # regular files only: a FIFO never blocks here
    except DocumentError:
        return False  # the project reader reports the problem
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return bool(stripped) and stripped[:1] not in (b"{", b"[")


def read_path(
    path: PathLike, targets: Sequence[str] | None = None, warnings: list[str] | None = None
) -> Document:
    """Read a project file or a CSV table, chosen by extension (else by content)."""
    return load(path, targets, warnings).document


@dataclass(frozen=True)
class Loaded:
    """What ``load`` read: the document, whether it came from a CSV table (so it has no
    project path of its own) and one line per setting dropped on the way."""

    document: Document
    is_csv: bool
    warnings: tuple[str, ...] = ()


def load(
    path: PathLike, targets: Sequence[str] | None = None, warnings: list[str] | None = None
) -> Loaded:
    """Read a project or a CSV table, deciding the kind once (the file is looked at once)."""
    found: list[str] = []
    csv_table = is_csv(path)
    if csv_table:
        doc = read_csv(path, targets)
    else:
        if targets:
            raise DocumentError(
                "target columns can be chosen only for a CSV table; a project names its own",
                source=str(path),
            )
        doc = read_project(path, found)
    if warnings is not None:
        warnings.extend(found)
    return Loaded(doc, csv_table, tuple(found))
