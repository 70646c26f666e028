"""``example``, ``--version`` and the window branch of ``rnn-studio [FILE]``."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from rnn_studio import __version__
from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.examples import EXAMPLES, lecture


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_example_list(capsys) -> None:
    code, out, _ = run(capsys, "example", "--list")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(EXAMPLES)
    for (name, (description, _)), line in zip(EXAMPLES.items(), lines, strict=True):
        assert line.split()[0] == name and description in line


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_example_writes_a_readable_project(tmp_path: Path, capsys, name: str) -> None:
    out_path = tmp_path / f"{name}.rnn.json"
    code, _, _ = run(capsys, "example", name, "-o", out_path)
    assert code == 0
    assert rio.read_project(out_path).equals(EXAMPLES[name][1]())


def test_example_to_stdout_is_the_same_json(tmp_path: Path, capsys) -> None:
    code, out, _ = run(capsys, "example", "lecture")
    assert code == 0
    assert rio.document_from_dict(json.loads(out)).equals(lecture(training=True))
    assert out == rio.dumps_project(lecture(training=True))


def test_unknown_example_exits_2_naming_the_choices(capsys) -> None:
    code, out, err = run(capsys, "example", "nonsense")
    assert code == 2 and out == ""
    assert "'nonsense'" in err and all(name in err for name in EXAMPLES)
    code, _, err = run(capsys, "example")
    assert code == 2 and "--list" in err


def test_version_and_help(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and __version__ in out
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert all(command in out for command in ("trace", "train", "landscape", "export", "example"))
    for command, option in (("train", "--momentum"), ("landscape", "--grid"), ("export", "-o")):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and option in out
    code, out, _ = run(capsys, "trace", "--help")
    assert code == 0 and "--precision" in out and "--grad" in out
    code, _, err = run(capsys, "--bogus")
    assert code == 2


def test_trace_without_a_file_is_usage_error(capsys) -> None:
    code, _, err = run(capsys, "trace")
    assert code == 2 and "FILE" in err


@pytest.fixture
def fake_window(monkeypatch):
    """Stand in for rnn_studio.app so the window branch is tested without opening one."""
    calls: list = []
    module = types.ModuleType("rnn_studio.app")

    def gui_main(path=None):
        calls.append(path)
        return 0

    module.main = gui_main
    monkeypatch.setitem(sys.modules, "rnn_studio.app", module)
    return calls


def test_no_command_opens_the_window(fake_window, capsys) -> None:
    assert main([]) == 0
    assert fake_window == [None]


def test_a_file_alone_opens_the_window_on_it(fake_window, tmp_path: Path) -> None:
    path = tmp_path / "L.rnn.json"
    assert main([str(path)]) == 0
    assert fake_window == [str(path)]


def test_two_files_is_usage_error(fake_window, capsys) -> None:
    code, _, err = run(capsys, "a.rnn.json", "b.rnn.json")
    assert code == 2 and "usage" in err
    assert fake_window == []
