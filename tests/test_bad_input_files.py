"""Paths that are not regular files: read, imported or saved over, they are refused by
name and kind, never block and never get replaced; a killed save's leftovers go.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from rnn_studio import files
from rnn_studio import io as rio
from rnn_studio.cli import main
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def refused(fn, *args) -> str:
    """The one-line message ``fn(*args)`` refuses with; fails (not hangs) if it blocks."""
    outcome: list[BaseException | object] = []

    def call() -> None:
        try:
            outcome.append(fn(*args))
        except BaseException as err:  # noqa: BLE001 - handed to the test thread
            outcome.append(err)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        _unblock(args[0])
        pytest.fail(f"{fn.__name__}({args[0]}) blocked")
    (result,) = outcome
    assert isinstance(result, DocumentError), repr(result)
    text = str(result)
    assert "\n" not in text and text.startswith(str(args[0])), text
    return text


def _unblock(path) -> None:
    """Release a reader stuck on a FIFO (only reached when the code under test regressed)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


@pytest.fixture
def fifo(tmp_path: Path):
    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        return path

    return make


@needs_fifo
@pytest.mark.parametrize("name", ["pipe.rnn.json", "pipe.csv", "pipe", "pipe.data"])
def test_a_fifo_is_refused_without_blocking(fifo, name: str) -> None:
    path = fifo(name)
    for reader in (rio.read_path, rio.read_project, rio.read_csv, rio.csv_columns, rio.load):
        assert "named pipe (FIFO), not a file" in refused(reader, path)
    assert rio.is_csv(path) in (True, False)  # looked at without blocking


@needs_fifo
def test_the_cli_refuses_a_fifo_in_one_line(fifo, capsys) -> None:
    path = fifo("pipe")
    code = refused_exit(main, ["trace", str(path)])
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1
    assert str(path) in err and "named pipe" in err


def refused_exit(fn, argv) -> int:
    box: list[int] = []
    worker = threading.Thread(target=lambda: box.append(fn(argv)), daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        _unblock(argv[-1])
        pytest.fail("the CLI blocked")
    return box[0]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert "a device, not a file" in refused(rio.read_path, device)
    assert "a device, not a file" in refused(rio.csv_columns, device)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "looks.rnn.json"
    folder.mkdir()
    assert "is a folder, not a file" in refused(rio.read_path, folder)
    assert "is a folder, not a file" in refused(rio.read_csv, tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="no unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.rnn.json"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "a socket, not a file" in refused(rio.read_path, path)


def test_a_file_swapped_for_a_fifo_after_the_check_does_not_block(tmp_path, monkeypatch):
    """The stat says regular file, the open finds a FIFO: O_NONBLOCK and fstat catch it."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "swap.rnn.json"
    os.mkfifo(path)
    real_stat = os.stat

    def regular_first(p, *a, **k):
        info = real_stat(p, *a, **k)
        if str(p) == str(path):
            return os.stat_result((stat.S_IFREG | 0o644, *tuple(info)[1:]))
        return info

    monkeypatch.setattr(files.os, "stat", regular_first)
    assert "named pipe" in refused(rio.read_project, path)


# -- saving -------------------------------------------------------------------------------------


@needs_fifo
def test_saving_over_a_fifo_refuses_and_keeps_it(fifo) -> None:
    path = fifo("out.rnn.json")
    for writer in (rio.write_project, rio.write_csv):
        message = _save_refused(writer, path)
        assert "named pipe (FIFO), not a file" in message and "new name" in message
        assert stat.S_ISFIFO(os.stat(path).st_mode)
    assert [p.name for p in path.parent.iterdir()] == ["out.rnn.json"]


def _save_refused(writer, path: Path) -> str:
    with pytest.raises(DocumentError) as info:
        writer(lecture(), path)
    text = str(info.value)
    assert "\n" not in text and text.startswith(str(path))
    return text


@needs_fifo
def test_saving_through_a_link_to_a_fifo_refuses(fifo, tmp_path: Path) -> None:
    target = fifo("real")
    link = tmp_path / "link.rnn.json"
    link.symlink_to(target)
    assert "named pipe" in _save_refused(rio.write_project, link)
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(target).st_mode)


@pytest.mark.skipif(sys.platform == "win32", reason="no unix sockets")
def test_saving_over_a_socket_refuses(tmp_path: Path) -> None:
    path = tmp_path / "s.rnn.json"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert "a socket, not a file" in _save_refused(rio.write_project, path)
        assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_saving_onto_a_folder_says_so(tmp_path: Path) -> None:
    assert "this is a folder" in _save_refused(rio.write_project, tmp_path)


def _aged(path: Path, seconds: float) -> Path:
    path.write_text("half a save", encoding="utf-8")
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_a_save_removes_stale_temporary_files_of_its_own_name_only(tmp_path: Path) -> None:
    target = tmp_path / "p.rnn.json"
    stale = _aged(tmp_path / ".p.rnn.json.k3j_9x0a.tmp", 3600)
    fresh = _aged(tmp_path / ".p.rnn.json.abcdefgh.tmp", 5)  # a save in progress, maybe
    other_file = _aged(tmp_path / ".q.rnn.json.k3j_9x0a.tmp", 3600)
    not_ours = _aged(tmp_path / ".p.rnn.json.notours.tmp", 3600)  # 7 characters
    user_file = _aged(tmp_path / "p.rnn.json.k3j_9x0a.tmp", 3600)  # no leading dot
    rio.write_project(lecture(), target)
    assert not stale.exists()
    assert fresh.exists() and other_file.exists() and not_ours.exists() and user_file.exists()
    assert rio.read_project(target).equals(lecture())


def test_a_killed_save_leaves_a_file_that_the_next_save_removes(tmp_path: Path) -> None:
    """A real leftover: mkstemp's own name, as a save killed before its rename leaves it."""
    import tempfile

    target = tmp_path / "w.rnn.json"
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=tmp_path)
    os.close(fd)
    _aged(Path(name), files.STALE_TEMP_SECONDS + 60)
    rio.write_csv(lecture(), target)
    assert not Path(name).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.rnn.json"]


def test_cleaning_ignores_a_folder_of_the_same_pattern(tmp_path: Path) -> None:
    folder = tmp_path / ".p.rnn.json.aaaaaaaa.tmp"
    folder.mkdir()
    then = time.time() - 3600
    os.utime(folder, (then, then))
    assert files.clean_stale_temps(tmp_path / "p.rnn.json") == []
    assert folder.is_dir()
