"""Project files (``*.rnn.json``, version 1) read and written per spec/file-format.md.

No Qt. Every reader and writer raises ``DocumentError`` and nothing else: a bad file
becomes one line for a person that names the file and the key, row or column at fault.
The layers below: ``files`` (regular files only, atomic saves), ``jsontext`` (parsing
that names the key of a bad number), ``view_settings`` (the ``view`` block), ``csvio``
(CSV tables; re-exported here).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from .core import CELL_KINDS
from .csvio import csv_columns, dumps_csv, read_csv, write_csv
from .document import OPTIMIZERS, Document, TrainingSettings
from .errors import DocumentError
from .files import MAX_FILE_BYTES, read_bytes, read_text, write_text_atomic
from .jsontext import TOO_LARGE, describe, find_not_finite, loads
from .view_settings import check_view

__all__ = [
    "MAX_FILE_BYTES",
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

FORMAT = "rnn-studio"
VERSION = 1

REQUIRED_KEYS = (
    "format",
    "version",
    "cell",
    "hidden_size",
    "input_names",
    "target_names",
    "inputs",
    "targets",
    "params",
)
OPTIONAL_KEYS = ("activation", "readout", "initial_state", "initial_cell", "training", "view")
KNOWN_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
TRAINING_KEYS = ("optimizer", "learning_rate", "epochs", "momentum", "clip", "seed")

PathLike = str | os.PathLike
_json_type = describe  # the name _training uses


# -- project JSON -----------------------------------------------------------------------
def read_project(path: PathLike, warnings: list[str] | None = None) -> Document:
    """Read a project file (JSON, version 1).

    Settings dropped from ``view`` (a bad step or speed …) are appended to ``warnings``
    as one line each, when a list is given.
    """
    source = str(path)
    text = read_text(path)
    try:
        return document_from_dict(loads(text, source), source, warnings)
    except DocumentError as err:
        if err.message != TOO_LARGE:
            raise
    # a literal too large for a float: parse again, keeping its text for the message
    return document_from_dict(loads(text, source, literals=True), source, warnings)


def _where(path: Sequence[str | int]) -> str:
    """A readable place for a value inside the project object."""
    if not path:
        return "the top level"
    head = str(path[0])
    rest = list(path[1:])
    if head in ("inputs", "targets") and rest:
        where = f"key {head!r}, row {int(rest[0]) + 1}"
        if len(rest) > 1:
            where += f", column {int(rest[1]) + 1}"
        return where
    name = head
    for part in rest:
        name += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"key {name!r}"


def document_from_dict(obj: Any, source: str = "", warnings: list[str] | None = None) -> Document:
    """A validated Document from a parsed project object (spec/file-format.md)."""
    try:
        doc, dropped = _from_dict(obj, source)
    except DocumentError as err:
        raise (err.in_file(source) if source and not err.source else err) from None
    except RecursionError:
        raise DocumentError("the project is nested too deeply to read", source=source) from None
    except Exception as err:  # anything unforeseen in a malformed file: still one clear line
        raise DocumentError(
            f"the project cannot be read ({type(err).__name__})", source=source
        ) from None
    if warnings is not None:
        warnings.extend(dropped)
    return doc


def _from_dict(obj: Any, source: str) -> tuple[Document, list[str]]:
    def fail(message: str, key: str | None = None) -> DocumentError:
        return DocumentError(message, where=f"key {key!r}" if key else "", source=source)

    if not isinstance(obj, dict):
        raise fail(f"a project file holds one JSON object; this one holds {_json_type(obj)}")
    if "format" not in obj:
        raise fail(
            f"this is not an RNN Studio project: the key 'format' is missing "
            f'(expected "{FORMAT}")'
        )
    if obj["format"] != FORMAT:
        raise fail(
            f'this is not an RNN Studio project: expected "{FORMAT}", '
            f"found {_json_type(obj['format'])}",
            "format",
        )
    if "version" not in obj:
        raise fail("the key 'version' is missing (expected the integer 1)")
    version = obj["version"]
    if isinstance(version, int) and not isinstance(version, bool) and version != VERSION:
        raise fail(
            f"version {version} is not supported: this RNN Studio reads version {VERSION} only",
            "version",
        )
    if type(version) is not int:
        raise fail(f"expected the integer {VERSION}, found {_json_type(version)}", "version")
    # the data matrices check their own numbers as they are read (row by row, at C speed
    # where they can); the view drops what it cannot keep
    found = find_not_finite(obj, skip=("view", "inputs", "targets"))
    if found is not None:
        why, path = found
        raise DocumentError(why, where=_where(path), source=source)
    unknown = [k for k in obj if k not in KNOWN_KEYS]
    if unknown:
        raise fail(
            f"unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(k) for k in unknown)}; a project has only "
            f"{', '.join(KNOWN_KEYS)}",
            unknown[0],
        )
    for key in REQUIRED_KEYS:
        if key not in obj:
            raise fail("this required key is missing", key)

    cell = obj["cell"]
    if not isinstance(cell, str) or cell not in CELL_KINDS:
        raise fail(f'expected "rnn", "lstm" or "gru", found {_json_type(cell)}', "cell")
    for key in ("activation", "readout"):
        if key in obj and not isinstance(obj[key], str):
            raise fail(f"expected a string, found {_json_type(obj[key])}", key)
    if "activation" in obj and cell != "rnn":
        raise fail(
            f"the activation belongs to the basic RNN only; the {cell} uses σ and tanh "
            f"as spec/model.md fixes them: remove this key",
            "activation",
        )
    if "initial_cell" in obj and cell != "lstm":
        raise fail(f"only an lstm has a cell state; remove this key for the {cell}", "initial_cell")
    hidden = obj["hidden_size"]
    if type(hidden) is not int or hidden < 1:
        raise fail(f"expected an integer ≥ 1, found {_json_type(hidden)}", "hidden_size")
    for key in (
        "input_names",
        "target_names",
        "inputs",
        "targets",
        "initial_state",
        "initial_cell",
    ):
        if key in obj and not isinstance(obj[key], list):
            raise fail(f"expected an array, found {_json_type(obj[key])}", key)
    params = obj["params"]
    if not isinstance(params, dict):
        raise fail(f"expected an object of named matrices, found {_json_type(params)}", "params")
    for name, value in params.items():
        if not isinstance(value, list):
            raise fail(f"expected an array of numbers, found {_json_type(value)}", f"params.{name}")
    training = _training(obj.get("training"), source) if "training" in obj else None

    doc = Document.create(
        input_names=obj["input_names"],
        target_names=obj["target_names"],
        inputs=obj["inputs"],
        targets=obj["targets"],
        cell=cell,
        activation=obj.get("activation", "tanh"),
        hidden_size=hidden,
        readout=obj.get("readout", "identity"),
        params=params,
        initial_state=obj.get("initial_state"),
        initial_cell=obj.get("initial_cell"),
        training=training,
    )
    if "view" not in obj:
        return doc, []
    view, dropped = check_view(obj["view"], doc.T, source)
    return replace(doc, view=view), dropped


def _training(block: Any, source: str) -> TrainingSettings:
    """The ``training`` object; keys left out take TrainingSettings' defaults."""

    def fail(message: str, key: str = "") -> DocumentError:
        where = f"key 'training.{key}'" if key else "key 'training'"
        return DocumentError(message, where=where, source=source)

    if not isinstance(block, dict):
        raise fail(f"expected an object, found {_json_type(block)}")
    unknown = [k for k in block if k not in TRAINING_KEYS]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}; training has only {', '.join(TRAINING_KEYS)}")
    defaults = TrainingSettings()
    optimizer = block.get("optimizer", defaults.optimizer)
    if optimizer not in OPTIMIZERS:
        raise fail(
            f"expected one of {', '.join(OPTIMIZERS)}, found {_json_type(optimizer)}", "optimizer"
        )
    rate = block.get("learning_rate", defaults.learning_rate)
    if not _is_number(rate) or not rate > 0:
        raise fail(f"expected a number > 0, found {_json_type(rate)}", "learning_rate")
    epochs = block.get("epochs", defaults.epochs)
    if type(epochs) is not int or epochs < 1:
        raise fail(f"expected an integer ≥ 1, found {_json_type(epochs)}", "epochs")
    momentum = block.get("momentum", defaults.momentum)
    if not _is_number(momentum) or not 0 <= momentum < 1:
        raise fail(f"expected a number in [0, 1), found {_json_type(momentum)}", "momentum")
    clip = block.get("clip", defaults.clip)
    if clip is not None and (not _is_number(clip) or clip < 0):
        raise fail(f"expected a number ≥ 0 or null, found {_json_type(clip)}", "clip")
    seed = block.get("seed", defaults.seed)
    if seed is not None and (type(seed) is not int or seed < 0):
        raise fail(f"expected an integer ≥ 0 or null, found {_json_type(seed)}", "seed")
    return TrainingSettings(
        optimizer=optimizer,
        learning_rate=float(rate),
        epochs=epochs,
        seed=seed,
        momentum=float(momentum),
        clip=None if clip is None else float(clip),
    )


def _is_number(value: Any) -> bool:
    """A JSON number that is a finite float (a huge integer is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


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
