"""Autosave: unsaved work is copied to the data folder a few seconds after the last change.

Each window writes its own copy, ``autosave/<pid>-<n>-<token>.rnn.json`` (a valid project
file, with where it came from in ``view["recovery"]``), and holds ``<same>.lock``, a
QLockFile, as long as it lives. Another instance (or another window) only ever offers a
copy whose lock it can take: a live owner keeps its copy, a crashed one's lock is stale
(QLockFile sees its pid is gone) and the copy is offered back (see ``recovery.py``).
A save, or a clean close, removes the copy.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QLockFile, QObject, QTimer

from ... import io as rio
from ...document import Document
from ...errors import DocumentError
from .data_folder import autosave_dir

if TYPE_CHECKING:
    from .main_window import MainWindow

AUTOSAVE_MS_ENV = "RNN_STUDIO_AUTOSAVE_MS"
DEFAULT_DELAY_MS = 5000
SUFFIX = ".rnn.json"
#: the key in a copy's ``view`` that says where the work came from (readers ignore it)
RECOVERY_KEY = "recovery"

_window_numbers = itertools.count(1)


def autosave_delay() -> int:
    """The delay after the last change, in ms: 5 s, or ``RNN_STUDIO_AUTOSAVE_MS``."""
    text = os.environ.get(AUTOSAVE_MS_ENV, "").strip()
    if text.isdigit():
        return max(0, min(int(text), 3_600_000))
    return DEFAULT_DELAY_MS


def _lock_for(copy: Path) -> QLockFile:
    lock = QLockFile(str(copy.with_name(copy.name[: -len(SUFFIX)] + ".lock")))
    # 0: never stale by age (the owner does not touch its lock); only a dead owner's is
    lock.setStaleLockTime(0)
    return lock


class Autosaver(QObject):
    """The autosaving of one window's document (a child of the window)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("autosaver")
        self._window = window
        name = f"{os.getpid()}-{next(_window_numbers)}-{uuid.uuid4().hex[:8]}"
        #: this window's copy (written only while there is unsaved work)
        self.path = autosave_dir() / f"{name}{SUFFIX}"
        self.last_error = ""
        #: closed cleanly: nothing is written any more
        self.finished = False
        self.timer = QTimer(self)
        self.timer.setObjectName("autosaveTimer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(autosave_delay())
        self.timer.timeout.connect(self.write_now)
        session = window.session
        session.documentChanged.connect(self._changed)
        session.undo_stack.cleanChanged.connect(self._changed)
        # Held from the first copy to a clean close or the end of the app; when the
        # process dies, the OS ends it with it and QLockFile sees the lock is stale.
        self._lock: QLockFile | None = None

    # -- following the document -------------------------------------------------------
    def _changed(self, *_args) -> None:
        stack = self._window.session.undo_stack
        if self.finished or not shiboken6.isValid(stack):
            return  # closed, or being destroyed (a window's children go first)
        if stack.isClean():
            self.timer.stop()
            self.remove()
        else:
            self.timer.start()  # again: the delay counts from the last change

    def write_now(self) -> bool:
        """Write the copy now (the timer does this). False, with ``last_error``, on failure."""
        self.timer.stop()
        w = self._window
        if self.finished or w.session.undo_stack.isClean():
            return False
        try:
            if not self._locked():
                raise OSError(f"cannot lock {self.path.parent}")
            rio.write_text_atomic(self.path, rio.dumps_project(self._document()))
        except (DocumentError, OSError) as err:
            message = f"autosave failed: {err}"
            if message != self.last_error:  # say it once, not every few seconds
                w.show_message(message)
            self.last_error = message
            return False
        self.last_error = ""
        return True

    def _document(self) -> Document:
        w = self._window
        recovery: dict[str, Any] = {
            # absolute: the next start may run in another folder
            "path": os.path.abspath(w.path) if w.path is not None else None,
            "title": w._title,
            "saved": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        return w.session.document.with_view(
            step=w.session.step, speed=w.player.speed_slider.value(), **{RECOVERY_KEY: recovery}
        )

    def _locked(self) -> bool:
        if self._lock is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock_for(self.path)
        if not lock.tryLock(0):
            return False
        self._lock = lock
        return True

    # -- ending --------------------------------------------------------------------------
    def remove(self) -> None:
        """Remove the copy (saved, or discarded by the user); keep the lock for later."""
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def finish(self) -> None:
        """A clean close: no copy left, the lock released."""
        self.finished = True
        self.timer.stop()
        self.remove()
        self._release()

    def stop(self) -> None:
        """The event loop ended: after a close nothing is left; without one (a quit),
        unsaved work is kept for the next start."""
        self.timer.stop()
        if self.finished:
            return
        if self._window.session.undo_stack.isClean():
            self.remove()
        elif not self.path.exists():
            self.write_now()
        self._release()

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.unlock()


# -- finding what a crashed instance left -------------------------------------------------
@dataclass
class Orphan:
    """A copy whose owner is gone; its lock is held by us until ``release``/``discard``."""

    copy: Path
    lock: QLockFile
    path: Path | None  # the project file the work belongs to (None: never saved)
    title: str
    saved: datetime

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else self.title

    def describe(self) -> str:
        """Two lines: the name and when it was autosaved, then where its file is."""
        where = str(self.path) if self.path is not None else "never saved to a file"
        when = self.saved.strftime("%Y-%m-%d %H:%M:%S")
        return f"{self.name} — autosaved {when}\n{where}"

    def read(self) -> Document:
        """The document as it was, without the recovery note (DocumentError when unreadable)."""
        doc = rio.read_project(self.copy)
        view = {k: v for k, v in doc.view.items() if k != RECOVERY_KEY}
        return replace(doc, view=view)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.copy.unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        self.lock.unlock()


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """Copies left by instances (or windows) that are gone, newest first, their locks held."""
    folder = autosave_dir() if folder is None else folder
    try:
        copies = sorted(folder.glob(f"*{SUFFIX}"))
    except OSError:
        return []
    found: list[Orphan] = []
    for copy in copies:
        if copy.name.startswith("."):
            continue  # a temporary file of an atomic write
        lock = _lock_for(copy)
        if not lock.tryLock(0):
            continue  # its owner lives (this or another instance)
        if not copy.exists():  # removed by its owner just before we took the lock
            lock.unlock()
            continue
        found.append(_describe(copy, lock))
    found.sort(key=lambda o: o.saved, reverse=True)
    return found


def _describe(copy: Path, lock: QLockFile) -> Orphan:
    path: Path | None = None
    title = copy.name
    try:
        saved = datetime.fromtimestamp(copy.stat().st_mtime).astimezone()
    except OSError:
        saved = datetime.now().astimezone()
    with contextlib.suppress(DocumentError, OSError, ValueError):
        info = rio.read_project(copy).view.get(RECOVERY_KEY)
        if isinstance(info, dict):
            if isinstance(info.get("path"), str) and info["path"]:
                path = Path(info["path"])
            if isinstance(info.get("title"), str) and info["title"]:
                title = info["title"]
            if isinstance(info.get("saved"), str):
                with contextlib.suppress(ValueError):
                    saved = datetime.fromisoformat(info["saved"])
    return Orphan(copy, lock, path, title, saved)
