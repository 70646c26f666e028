"""Project files (``*.rnn.json``, version 1) and CSV, read and written per spec/file-format.md.

No Qt. Every reader and writer raises ``DocumentError`` and nothing else: a bad file
becomes one line for a person that names the file and the key, row or column at fault.
Writing is atomic: the new text goes to a temporary file beside the target, is flushed
to disk and then renamed over the target, so a failure leaves the old file whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .core import CELL_KINDS
from .document import OPTIMIZERS, Document, TrainingSettings, parse_number
from .errors import DocumentError

FORMAT = "rnn-studio"
VERSION = 1
#: Files bigger than this are refused before parsing.
MAX_FILE_BYTES = 50 * 1024 * 1024

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


# -- reading bytes ----------------------------------------------------------------------
def _read_text(path: PathLike) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or DocumentError saying why not."""
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DocumentError("no such file", source=source) from None
    except OSError as err:
        raise DocumentError(f"cannot open the file ({_os_reason(err)})", source=source) from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("this is a folder, not a file", source=source)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("this is not a regular file", source=source)
    if info.st_size > MAX_FILE_BYTES:
        raise DocumentError(_too_big(info.st_size), source=source)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise DocumentError(f"cannot read the file ({_os_reason(err)})", source=source) from None
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise DocumentError(_too_big(len(data)), source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DocumentError(
            f"this is not UTF-8 text (byte 0x{data[err.start]:02x} at line {line}, "
            f"byte offset {err.start})",
            source=source,
        ) from None
    if not text.strip():
        raise DocumentError("the file is empty", source=source)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DocumentError(f"this is not a text file (a NUL byte at line {line})", source=source)
    return text


def _too_big(size: int) -> str:
    return (
        f"the file is {size / 1024 / 1024:.1f} MB; RNN Studio reads files of up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB"
    )


def _os_reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


# -- project JSON -----------------------------------------------------------------------
class _NonFinite:
    """Stands in for NaN, Infinity or an overflowing number while parsing, so the
    check afterwards can name the key where it sits."""

    def __init__(self, text: str) -> None:
        self.text = text


def _parse_float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DocumentError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _loads(text: str, source: str) -> Any:
    try:
        return json.loads(
            text,
            parse_float=_parse_float,
            parse_constant=_NonFinite,
            object_pairs_hook=_unique_pairs,
        )
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
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        raise DocumentError(f"this is not valid JSON: {err}", source=source) from None


def read_project(path: PathLike) -> Document:
    """Read a project file (JSON, version 1)."""
    source = str(path)
    obj = _loads(_read_text(path), source)
    return document_from_dict(obj, source=source)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value!r}" if len(value) <= 40 else "a string"
    if isinstance(value, int):
        return f"the integer {value}" if abs(value) < 10**20 else "a huge integer"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


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


def _check_numbers(obj: Any, source: str) -> None:
    """Refuse NaN, Infinity and numbers too large for a float, anywhere, naming the key."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(obj, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _NonFinite):
            raise DocumentError(
                f"{value.text} is not allowed: every number must be finite",
                where=_where(path),
                source=source,
            )
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                float(value)
            except OverflowError:
                raise DocumentError(
                    "the number is too large: every number must be finite",
                    where=_where(path),
                    source=source,
                ) from None
        elif isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))


def document_from_dict(obj: Any, source: str = "") -> Document:
    """A validated Document from a parsed project object (spec/file-format.md)."""
    try:
        return _from_dict(obj, source)
    except DocumentError as err:
        raise (err.in_file(source) if source and not err.source else err) from None
    except Exception as err:  # anything unforeseen in a malformed file: still one clear line
        raise DocumentError(f"the project cannot be read: {err}", source=source) from None


def _from_dict(obj: Any, source: str) -> Document:
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
    _check_numbers(obj, source)
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
            raise fail(f"expected a list, found {_json_type(obj[key])}", key)
    params = obj["params"]
    if not isinstance(params, dict):
        raise fail(f"expected an object of named matrices, found {_json_type(params)}", "params")
    for name, value in params.items():
        if not isinstance(value, list):
            raise fail(f"expected a list of numbers, found {_json_type(value)}", f"params.{name}")
    training = _training(obj.get("training"), source) if "training" in obj else None
    view = obj.get("view", {})
    if not isinstance(view, dict):
        raise fail(f"expected an object, found {_json_type(view)}", "view")

    return Document.create(
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
        view=view,
    )


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


# -- atomic writing -------------------------------------------------------------------
def write_text_atomic(path: PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename.

    On any failure the old file is untouched, the temporary file is removed and a
    DocumentError names the file.
    """
    source = str(path)
    target = Path(path)
    if target.is_symlink():  # save through a link, keeping the link
        target = target.resolve()
    folder = target.parent
    tmp_name: str | None = None
    try:
        if target.is_dir():
            raise IsADirectoryError(21, "this is a folder")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as err:
        raise DocumentError(f"cannot save ({_os_reason(err)})", source=source) from None
    except Exception as err:  # anything else mid-write: still one clear error
        raise DocumentError(f"cannot save ({err})", source=source) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- CSV ------------------------------------------------------------------------------
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _delimiter(header_line: str) -> str:
    """Semicolon when the header has more semicolons than commas (outside quotes)."""
    bare = _QUOTED.sub("", header_line)
    return ";" if bare.count(";") > bare.count(",") else ","


def read_csv(path: PathLike, targets: Sequence[str] | None = None) -> Document:
    """Read a CSV table: a header row, then one row per timestep.

    The last column is the target unless ``targets`` names the target columns. The
    document gets the default model for its shape (Document.create's seeded weights).
    """
    source = str(path)
    text = _read_text(path)
    try:
        return _parse_csv(text, targets)
    except DocumentError as err:
        raise err.in_file(source) from None
    except Exception as err:  # csv.Error and anything unforeseen: still one clear line
        raise DocumentError(f"this is not a readable CSV table: {err}", source=source) from None


def _parse_csv(text: str, targets: Sequence[str] | None) -> Document:
    first_line = next(line for line in text.splitlines() if line.strip())
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []  # (line number, cells)
    for cells in reader:
        if not cells or all(not c.strip() for c in cells) and len(cells) == 1:
            continue  # a blank line
        if header is None:
            header = [c.strip() for c in cells]
        else:
            rows.append((reader.line_num, cells))
    if header is None:
        raise DocumentError("the table has no header row (every line is empty)")
    where_header = "row 1 (the header)"
    for j, name in enumerate(header):
        if not name:
            raise DocumentError(f"column {j + 1} has no name", where=where_header)
        if name in header[:j]:
            raise DocumentError(
                f"the column name {name!r} appears twice (columns {header.index(name) + 1} "
                f"and {j + 1})",
                where=where_header,
            )
    if len(header) < 2:
        raise DocumentError(
            f"the table has one column ({header[0]!r}); it needs at least one input "
            f"column and one target column",
            where=where_header,
        )
    if targets:
        target_names = [t.strip() for t in targets]
        for name in target_names:
            if name not in header:
                raise DocumentError(
                    f"there is no column {name!r} to use as a target; the columns are "
                    f"{', '.join(header)}"
                )
        if len(set(target_names)) != len(target_names):
            raise DocumentError("a target column is named twice")
    else:
        target_names = [header[-1]]
    input_names = [n for n in header if n not in target_names]
    if not input_names:
        raise DocumentError("every column is a target; at least one input column is needed")
    if not rows:
        raise DocumentError("the table has a header but no rows of data")

    index = {name: j for j, name in enumerate(header)}
    x = np.empty((len(rows), len(input_names)))
    y = np.empty((len(rows), len(target_names)))
    for t, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            raise DocumentError(
                f"this row has {len(cells)} fields but the header has {len(header)}",
                where=f"row {t + 1} (line {line})",
            )
        for j, name in enumerate(input_names):
            x[t, j] = _cell(cells[index[name]], t, line, name, blank_ok=False)
        for j, name in enumerate(target_names):
            y[t, j] = _cell(cells[index[name]], t, line, name, blank_ok=True)
    k = len(target_names)
    return Document.create(
        input_names=input_names,
        target_names=target_names,
        inputs=x,
        targets=y,
        cell="rnn",
        activation="tanh",
        hidden_size=k,
        readout="identity",
        params=None,
        seed=0,
    )


def _cell(text: str, t: int, line: int, name: str, blank_ok: bool) -> float:
    where = f"row {t + 1} (line {line}), column {name!r}"
    if not text.strip():
        if blank_ok:
            return math.nan
        raise DocumentError("the input cell is empty; every input needs a number", where=where)
    try:
        return parse_number(text)
    except DocumentError as err:
        raise DocumentError(err.message, where=where) from None


def dumps_csv(doc: Document) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(doc.column_names)
    for t in range(doc.T):
        row = [repr(float(v)) for v in doc.inputs[t]]
        row += ["" if math.isnan(v) else repr(float(v)) for v in doc.targets[t]]
        writer.writerow(row)
    return buffer.getvalue()


def write_csv(doc: Document, path: PathLike) -> None:
    """Save the data table (not the model) as CSV, atomically; blank targets stay empty."""
    write_text_atomic(path, dumps_csv(doc))


# -- choosing the reader ------------------------------------------------------------------
def is_csv(path: PathLike) -> bool:
    """True when ``path`` is to be read as CSV: by its extension, else by its first character."""
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".txt"):
        return True
    if suffix == ".json":
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False  # the project reader reports the problem
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return bool(stripped) and stripped[:1] not in (b"{", b"[")


def read_path(path: PathLike, targets: Sequence[str] | None = None) -> Document:
    """Read a project file or a CSV table, chosen by extension (else by content)."""
    if is_csv(path):
        return read_csv(path, targets)
    if targets:
        raise DocumentError(
            "target columns can be chosen only for a CSV table; a project file names its own",
            source=str(path),
        )
    return read_project(path)
