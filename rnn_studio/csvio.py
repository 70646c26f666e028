"""CSV tables in and out (spec/file-format.md, "CSV"). No Qt.

A header row of column names, then one row per timestep; commas or semicolons, a UTF-8
byte-order mark ignored. Every problem, the csv module's own errors included, becomes a
``DocumentError`` naming the file and the row, line or column at fault.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence

import numpy as np

from .document import MAX_COLUMNS, MAX_HIDDEN, Document, name_problem, parse_number
from .errors import DocumentError
from .files import PathLike, read_text, write_text_atomic

#: The csv module's own limit on one field; a longer one is refused by name.
FIELD_LIMIT = csv.field_size_limit()
_QUOTED = re.compile(r'"(?:[^"]|"")*"')


def _delimiter(header_line: str) -> str:
    """Semicolon when the header has more semicolons than commas (outside quotes)."""
    bare = _QUOTED.sub("", header_line)
    return ";" if bare.count(";") > bare.count(",") else ","


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every line that is not blank; csv.Error named by its line."""
    lines = io.StringIO(text, newline=None)  # lazily: a 50 MB table has millions of lines
    first_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    rows: list[tuple[int, list[str]]] = []
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as err:
            line = reader.line_num
            if "field larger than field limit" in str(err):
                message = f"a field is longer than {FIELD_LIMIT:,} characters"
            else:
                message = f"this is not a readable CSV row ({err})"
            raise DocumentError(message, where=f"line {line}") from None
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        rows.append((reader.line_num, cells))


def _header(rows: list[tuple[int, list[str]]]) -> list[str]:
    if not rows:
        raise DocumentError("the table has no header row (every line is empty)")
    header = [c.strip() for c in rows[0][1]]
    where = "row 1 (the header)"
    if len(header) > MAX_COLUMNS:
        raise DocumentError(
            f"the table has {len(header):,} columns; RNN Studio models up to {MAX_COLUMNS} "
            f"(inputs and targets together): keep the columns you need in a smaller table",
            where=where,
        )
    for j, name in enumerate(header):
        if not name:
            raise DocumentError(f"column {j + 1} has no name", where=where)
        problem = name_problem(name)
        if problem:
            raise DocumentError(f"column {j + 1}: {problem}", where=where)
        if name in header[:j]:
            raise DocumentError(
                f"the column name {name!r} appears twice (columns "
                f"{header.index(name) + 1} and {j + 1})",
                where=where,
            )
    return header


def csv_columns(path: PathLike) -> list[str]:
    """The column names of a CSV file's header row, checked; DocumentError when unusable.

    For the window's Import CSV dialog: the file is read as read_csv reads it (regular
    files only, never blocking), so a bad file is reported before any dialog opens.
    """
    source = str(path)
    try:
        return _header(_rows(read_text(path)))
    except DocumentError as err:
        raise (err if err.source else err.in_file(source)) from None


def read_csv(path: PathLike, targets: Sequence[str] | None = None) -> Document:
    """Read a CSV table: a header row, then one row per timestep.

    The last column is the target unless ``targets`` names the target columns. The
    document gets the default model for its shape (Document.create's seeded weights).
    """
    source = str(path)
    text = read_text(path)
    try:
        return _parse_csv(text, targets)
    except DocumentError as err:
        raise err.in_file(source) from None
    except Exception as err:  # anything unforeseen: still one clear line
        raise DocumentError(
            f"this is not a readable CSV table ({type(err).__name__})", source=source
        ) from None


def _parse_csv(text: str, targets: Sequence[str] | None) -> Document:
    rows = _rows(text)
    header = _header(rows)
    rows = rows[1:]
    where_header = "row 1 (the header)"
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
    if len(target_names) > MAX_HIDDEN:
        raise DocumentError(
            f"{len(target_names)} target columns are too many: a table's model has one "
            f"hidden unit per target, and RNN Studio models up to {MAX_HIDDEN}"
        )
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
    return table_document(x, y, input_names, target_names)


def table_document(inputs, targets, input_names, target_names) -> Document:
    """The model a table opens with: the lecture's basic RNN (tanh, ŷ = s), one hidden
    unit per target, weights drawn with seed 0."""
    return Document.create(
        input_names=tuple(input_names),
        target_names=tuple(target_names),
        inputs=inputs,
        targets=targets,
        cell="rnn",
        activation="tanh",
        hidden_size=len(target_names),
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
