"""Bytes in and out of files, safely. No Qt, no JSON, no CSV.

Reading takes regular files only: a folder, a named pipe (FIFO), a device or a socket is
refused before anything reads it, and the file is opened with ``O_NONBLOCK`` so that a
path swapped for a FIFO between the check and the open can never block. Writing is
atomic (a temporary file beside the target, flushed, then renamed over it), refuses to
replace anything that is not a regular file, and removes the temporary files that an
earlier save killed midway left behind. Every failure is a ``DocumentError`` naming the file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from .errors import DocumentError

#: Files bigger than this are refused before parsing.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: A temporary file of ours older than this is a leftover of a save that was killed.
STALE_TEMP_SECONDS = 10 * 60

PathLike = str | os.PathLike
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words: ``a folder``, ``a named pipe (FIFO)`` …"""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_a_file(mode: int) -> str:
    kind = file_kind(mode)
    return f"this is {kind}, not a file" if kind.startswith("a") else f"this is {kind}"


def os_reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def too_big(size: int) -> str:
    return (
        f"the file is {size / 1024 / 1024:.1f} MB; RNN Studio reads files of up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MB"
    )


def read_bytes(path: PathLike, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit`` of them when given).

    Without ``limit`` a file over MAX_FILE_BYTES is refused before it is read.
    """
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DocumentError("no such file", source=source) from None
    except (OSError, ValueError) as err:  # ValueError: a NUL in the name
        reason = os_reason(err) if isinstance(err, OSError) else "the name is not valid"
        raise DocumentError(f"cannot open the file ({reason})", source=source) from None
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(_not_a_file(info.st_mode), source=source)
    if limit is None and info.st_size > MAX_FILE_BYTES:
        raise DocumentError(too_big(info.st_size), source=source)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except OSError as err:
        raise DocumentError(f"cannot open the file ({os_reason(err)})", source=source) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped for something else since the stat above
            raise DocumentError(_not_a_file(mode), source=source)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read((MAX_FILE_BYTES if limit is None else limit) + 1)
    except OSError as err:
        raise DocumentError(f"cannot read the file ({os_reason(err)})", source=source) from None
    finally:
        os.close(fd)
    if limit is not None:
        return data[:limit]
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        raise DocumentError(too_big(len(data)), source=source)
    return data


def read_text(path: PathLike) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or DocumentError saying why not."""
    source = str(path)
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DocumentError(_not_utf8(data, err), source=source) from None
    if not text.strip():
        raise DocumentError("the file is empty", source=source)
    if "\x00" in text:
        if _looks_utf16(data):
            raise DocumentError(
                "this is UTF-16 text, not UTF-8: save it as UTF-8 and open it again",
                source=source,
            )
        line = text[: text.index("\x00")].count("\n") + 1
        raise DocumentError(f"this is not a text file (a NUL byte at line {line})", source=source)
    return text


def _looks_utf16(data: bytes) -> bool:
    """ASCII text in UTF-16 without a byte-order mark: every other byte is NUL."""
    head = data[:4096]
    return len(head) >= 4 and (
        head[1::2].count(0) > 0.9 * len(head[1::2]) or head[0::2].count(0) > 0.9 * len(head[0::2])
    )


def _not_utf8(data: bytes, err: UnicodeDecodeError) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "this is UTF-16 text, not UTF-8: save it as UTF-8 and open it again"
    line = data[: err.start].count(b"\n") + 1
    return (
        f"this is not UTF-8 text (byte 0x{data[err.start]:02x} at line {line}, "
        f"byte offset {err.start}); save it as UTF-8 and open it again"
    )


# -- atomic writing -------------------------------------------------------------------
def write_text_atomic(path: PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and a rename.

    On any failure the old file is untouched, the temporary file is removed and a
    DocumentError names the file. Only a regular file or a new name can be saved to.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise DocumentError(
            "cannot save: the text holds a character that UTF-8 cannot store (a lone surrogate)",
            source=str(path),
        ) from None
    write_bytes_atomic(path, data)


def write_bytes_atomic(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` as ``write_text_atomic`` writes text (an exported image)."""
    source = str(path)
    target = Path(path)
    tmp_name: str | None = None
    try:
        if target.is_symlink():  # save through a link, keeping the link
            target = target.resolve()
        _check_save_target(target, source)
        folder = target.parent
        clean_stale_temps(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, _mode_for(target))
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except DocumentError:
        raise
    except OSError as err:
        raise DocumentError(f"cannot save ({os_reason(err)})", source=source) from None
    except Exception as err:  # anything else mid-write: still one clear error
        raise DocumentError(f"cannot save ({err})", source=source) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _check_save_target(target: Path, source: str) -> None:
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return  # a new name
    except OSError as err:
        raise DocumentError(f"cannot save ({os_reason(err)})", source=source) from None
    if stat.S_ISDIR(mode):
        raise DocumentError("cannot save: this is a folder; choose a file name", source=source)
    if not stat.S_ISREG(mode):
        raise DocumentError(
            f"cannot save: this is {file_kind(mode)}, not a file; save to a regular file "
            f"or a new name",
            source=source,
        )


def _temp_pattern(target: Path) -> re.Pattern[str]:
    """The names tempfile.mkstemp gives our temporary files: ``.NAME.<8 chars>.tmp``."""
    return re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp")


def clean_stale_temps(target: PathLike, older_than: float = STALE_TEMP_SECONDS) -> list[str]:
    """Remove the temporary files a killed save of ``target`` left beside it.

    Only regular files of our exact naming pattern and older than ``older_than``
    seconds go (a save in progress elsewhere writes its file within a second or two).
    Returns the names removed; failures are ignored (cleaning is a courtesy).
    """
    target = Path(target)
    pattern = _temp_pattern(target)
    removed: list[str] = []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


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
