"""Many generated bad inputs: random JSON, mutated project files, odd bytes and
encodings, awkward CSV. Each one reads as a Document or raises DocumentError with one
line naming the file, in JSON's words; never another exception. A document that reads
also saves and reads back equal, so nothing a file holds makes it impossible to save.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import hypothesis.configuration
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_studio import io as rio
from rnn_studio.document import Document, TrainingSettings
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture

# hypothesis keeps its caches and example database out of the checkout
hypothesis.configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="rnn-hypothesis-"))

PYTHON_WORDS = ("NoneType", "_NonFinite", "BadNumber", "set_int_max_str_digits", "<class")
SETTINGS = settings(
    database=None,
    deadline=None,
    max_examples=int(os.environ.get("RNN_FUZZ_EXAMPLES", "60")),  # more for a long run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_reads_or_refuses(path: Path) -> Document | None:
    """The property every input must have."""
    try:
        doc = rio.read_path(path)
    except DocumentError as err:
        text = str(err)
        assert "\n" not in text and "\r" not in text, text
        assert text.startswith(str(path)), text
        assert not any(word in text for word in PYTHON_WORDS), text
        text.encode("utf-8")  # printable
        return None
    assert isinstance(doc, Document)
    again = path.with_name("again.rnn.json")
    rio.write_project(doc, again)
    back = rio.read_project(again)
    assert back.equals(doc) and back.view == doc.view
    return doc


# -- random JSON-ish values ----------------------------------------------------------------------

any_text = st.text(st.characters(codec=None), max_size=12)  # lone surrogates included
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | any_text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(any_text, inner, max_size=5),
    max_leaves=30,
)


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")  # NaN, Infinity, \ud800 as JSON has them
    return path


@SETTINGS
@given(value=json_values)
def test_random_json_values(tmp_path: Path, value) -> None:
    check_reads_or_refuses(write_json(tmp_path / "r.rnn.json", value))


# -- mutated valid projects ------------------------------------------------------------------------


def base_projects() -> list[dict]:
    out = [rio.document_to_dict(lecture())]
    for cell in ("lstm", "gru"):
        doc = lecture().with_cell(cell).with_hidden_size(2).with_training(TrainingSettings())
        out.append(rio.document_to_dict(doc.with_view(step=1, speed=4)))
    return out


BASES = base_projects()


def paths_in(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += paths_in(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += paths_in(v, (*prefix, i))
    return found


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: replaced(value[head], rest, new)}
    copy = list(value)
    copy[head] = replaced(copy[head], rest, new)
    return copy


def deleted(value: Any, path: tuple) -> Any:
    if len(path) == 1:
        if isinstance(value, dict):
            return {k: v for k, v in value.items() if k != path[0]}
        return [v for i, v in enumerate(value) if i != path[0]]
    head = path[0]
    if isinstance(value, dict):
        return {**value, head: deleted(value[head], path[1:])}
    copy = list(value)
    copy[head] = deleted(copy[head], path[1:])
    return copy


def flipped(value: Any) -> Any:
    """The same content in another JSON type."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return False


HUGE = [10**400, -(10**309), 2**31, 2**63, 10**20, 1e308, -1e-320, 0, -0.0]


@SETTINGS
@given(data=st.data(), base=st.sampled_from(BASES))
def test_mutated_projects(tmp_path: Path, data, base: dict) -> None:
    value = base
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        path = data.draw(st.sampled_from(paths_in(value)), label="path")
        kind = data.draw(st.sampled_from(["delete", "flip", "random", "huge", "deep"]))
        if kind == "delete" and path:
            value = deleted(value, path)
            continue
        old = value
        for key in path:
            old = old[key]
        if kind == "flip":
            new = flipped(old)
        elif kind == "random":
            new = data.draw(json_values, label="value")
        elif kind == "huge":
            new = data.draw(st.sampled_from(HUGE), label="number")
        else:
            new = old
            for _ in range(data.draw(st.integers(1, 40), label="depth")):
                new = [new]
        value = replaced(value, path, new)
    text = json.dumps(value)
    if data.draw(st.booleans(), label="as literal"):  # Python cannot print these as ints
        text = text.replace("100000000000000000000", "1" + "0" * 5000, 1)
    path = tmp_path / "m.rnn.json"
    path.write_text(text, encoding="utf-8")
    check_reads_or_refuses(path)


@SETTINGS
@given(
    base=st.sampled_from(BASES),
    literal=st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e400", "9" * 5000]),
    nth=st.integers(0, 30),
)
def test_odd_number_literals_anywhere(tmp_path: Path, base, literal: str, nth: int) -> None:
    text = rio.dumps_project(Document.create(**_create_args(base)))
    spots = [i for i, ch in enumerate(text) if ch.isdigit() and not text[i - 1].isalnum()]
    at = spots[nth % len(spots)]
    end = at
    while end < len(text) and (text[end].isdigit() or text[end] in ".e-"):
        end += 1
    path = tmp_path / "n.rnn.json"
    path.write_text(text[:at] + literal + text[end:], encoding="utf-8")
    doc = check_reads_or_refuses(path)
    if doc is not None:  # only the view may hold it: dropped, and the rest is intact
        assert all(math.isfinite(v) for a in doc.params.values() for v in a.ravel())


def _create_args(obj: dict) -> dict:
    return dict(
        input_names=obj["input_names"],
        target_names=obj["target_names"],
        inputs=obj["inputs"],
        targets=obj["targets"],
        cell=obj["cell"],
        activation=obj.get("activation", "tanh"),
        hidden_size=obj["hidden_size"],
        readout=obj["readout"],
        params=obj["params"],
        initial_state=obj.get("initial_state"),
        initial_cell=obj.get("initial_cell"),
        view=obj.get("view"),
    )


# -- bytes and encodings ---------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1"]


@SETTINGS
@given(
    encoding=st.sampled_from(ENCODINGS),
    name=st.sampled_from(["x1", "café", "température", "日本"]),
    suffix=st.sampled_from([".rnn.json", ".csv", ""]),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b" \n"]),
)
def test_encodings_and_byte_order_marks(tmp_path, encoding, name, suffix, prefix) -> None:
    doc = lecture().with_column_renamed(0, name)
    text = rio.dumps_csv(doc) if suffix == ".csv" else rio.dumps_project(doc)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, "replace")
    path = tmp_path / f"e{suffix}"
    path.write_bytes(prefix + data)
    got = check_reads_or_refuses(path)
    clean = prefix == b"" or (prefix == b" \n" and encoding == "utf-8")
    if got is not None and encoding in ("utf-8", "utf-8-sig") and clean:
        assert got.input_names[0] == name


# -- CSV -----------------------------------------------------------------------------------------

cells = st.sampled_from(["1", "-2.5", "0,5", "", " ", "x", '"3"', '"a,b"', '"', '""', "1e999"])
csv_rows = st.lists(st.lists(cells, min_size=0, max_size=5), min_size=0, max_size=6)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(["x", "y", "x2", "", '"q"', "a;b", " t "]), max_size=5),
    rows=csv_rows,
    separator=st.sampled_from([",", ";"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    blank_lines=st.booleans(),
)
def test_awkward_csv(tmp_path, header, rows, separator, newline, blank_lines) -> None:
    lines = [separator.join(header)] + [separator.join(r) for r in rows]
    if blank_lines:
        lines = [part for line in lines for part in (line, "")]
    path = tmp_path / "a.csv"
    path.write_text(newline.join(lines) + newline, encoding="utf-8", newline="")
    check_reads_or_refuses(path)
    try:
        columns = rio.csv_columns(path)
    except DocumentError as err:
        assert "\n" not in str(err)
    else:
        assert all(isinstance(c, str) and c for c in columns)
