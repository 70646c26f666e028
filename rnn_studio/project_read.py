"""Reading a project file's JSON (spec/file-format.md, version 1) into a Document.

Every key is checked before the Document is made, and each problem is one DocumentError
naming the file and the key, row or column at fault. rnn_studio/io.py is the way in.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .core import CELL_KINDS
from .document import OPTIMIZERS, Document, TrainingSettings
from .errors import DocumentError
from .files import read_text
from .jsontext import TOO_LARGE, describe, find_not_finite, loads
from .view_settings import check_view

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
