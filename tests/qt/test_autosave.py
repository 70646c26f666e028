"""Autosave and recovery: unsaved work survives a crash, a clean exit leaves nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QListWidget, QPushButton

from rnn_studio import io as rio
from rnn_studio.app import MainWindow
from rnn_studio.examples import lecture
from rnn_studio.qt.window.autosave import find_orphans

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fast(monkeypatch):
    """Autosave 30 ms after the last change (the real delay is 5 s)."""
    monkeypatch.setenv("RNN_STUDIO_AUTOSAVE_MS", "30")


@pytest.fixture
def data(tmp_path) -> Path:
    return Path(os.environ["RNN_STUDIO_DATA_DIR"])


def open_window(qtbot) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _edit_bias(window, value: float) -> None:
    window.findChild(QDoubleSpinBox, "param:b:0").setValue(value)


def _copies(data: Path) -> list[Path]:
    folder = data / "autosave"
    return sorted(folder.glob("*.rnn.json")) if folder.exists() else []


def _wait_written(qtbot, window) -> dict:
    qtbot.waitUntil(lambda: window.autosave.path.exists(), timeout=5000)
    return json.loads(window.autosave.path.read_text(encoding="utf-8"))


CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDoubleSpinBox
from rnn_studio.app import MainWindow

app = QApplication(sys.argv[:1])
window = MainWindow()
window.show()
if sys.argv[1] != "-":
    assert window.open_path(sys.argv[1])
window.findChild(QDoubleSpinBox, "param:b:0").setValue(-0.375)

def check():
    if window.autosave.path.exists():
        print("written", window.autosave.path, flush=True)
    else:
        QTimer.singleShot(20, check)

QTimer.singleShot(0, check)
app.exec()
"""


def _killed_instance(tmp_path, project: Path | None = None) -> Path:
    """A crash: an instance edits ``project`` (or the lecture: b = -0.375), its copy is
    written, and it is killed with SIGKILL. Returns the copy it left."""
    env = dict(os.environ, RNN_STUDIO_AUTOSAVE_MS="50", PYTHONPATH=str(ROOT))
    env["QT_QPA_PLATFORM"] = "offscreen"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project) if project is not None else "-"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("written"), child.stderr.read() if child.poll() else line
        assert find_orphans() == []  # while it lives, its copy is its own
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    return Path(line.split(maxsplit=1)[1].strip())


def test_the_data_folder_is_under_tmp_path(data, tmp_path):
    assert data == tmp_path / "data"


def test_an_unsaved_edit_is_copied_after_the_delay(qtbot, fast, data):
    window = open_window(qtbot)
    assert _copies(data) == []
    _edit_bias(window, 0.25)
    saved = _wait_written(qtbot, window)
    assert saved["params"]["b"] == [0.25]
    assert saved["view"]["recovery"]["title"] == "the lecture's example"
    assert saved["view"]["recovery"]["path"] is None
    assert _copies(data) == [window.autosave.path]
    # a valid project file: the app's own reader opens it
    assert rio.read_project(window.autosave.path).params["b"][0] == 0.25
    window.close()


def test_the_default_delay_is_five_seconds_and_the_variable_overrides_it(qtbot, monkeypatch):
    window = open_window(qtbot)
    assert window.autosave.timer.interval() == 5000
    window.close()
    monkeypatch.setenv("RNN_STUDIO_AUTOSAVE_MS", "1234")
    other = open_window(qtbot)
    assert other.autosave.timer.interval() == 1234
    other.close()


def test_nothing_is_written_before_the_delay_and_a_clean_document_never(qtbot, monkeypatch):
    monkeypatch.setenv("RNN_STUDIO_AUTOSAVE_MS", "60000")
    window = open_window(qtbot)
    assert not window.autosave.timer.isActive()  # nothing unsaved: nothing to do
    assert not window.autosave.write_now()
    _edit_bias(window, 0.1)
    assert window.autosave.timer.isActive()
    assert not window.autosave.path.exists()
    _edit_bias(window, 0.2)
    assert window.autosave.timer.isActive()
    assert window.autosave.write_now()  # what the timer does when the delay is over
    saved = json.loads(window.autosave.path.read_text(encoding="utf-8"))
    assert saved["params"]["b"] == [0.2]  # the last change
    window.close()


def test_a_clean_close_removes_the_copy(qtbot, fast, data):
    window = open_window(qtbot)
    _edit_bias(window, 0.25)
    _wait_written(qtbot, window)
    window.close()
    assert _copies(data) == []
    assert list((data / "autosave").glob("*.lock")) == []


def test_save_removes_the_copy_and_undo_to_the_saved_state_too(qtbot, fast, data, tmp_path):
    window = open_window(qtbot)
    _edit_bias(window, 0.25)
    _wait_written(qtbot, window)
    assert window.save_to(tmp_path / "work.rnn.json")
    assert _copies(data) == []
    _edit_bias(window, 0.5)
    _wait_written(qtbot, window)
    window.session.undo_stack.undo()  # back at what is saved: nothing to keep
    assert not window.isWindowModified()
    assert _copies(data) == []
    window.close()


def test_an_instance_killed_after_an_edit_is_offered_back_with_its_path_unsaved(
    qtbot, data, tmp_path
):
    project = tmp_path / "homework.rnn.json"
    rio.write_project(lecture(), project)
    copy = _killed_instance(tmp_path, project)
    assert _copies(data) == [copy]
    assert copy.with_name(copy.name.replace(".rnn.json", ".lock")).exists()  # stale now

    second = open_window(qtbot)
    dialog = second.offer_recovery()
    assert dialog is not None and dialog.objectName() == "recoveryDialog"
    assert dialog.isVisible()
    entries = dialog.findChild(QListWidget, "recoveryList")
    assert entries.count() == 1
    text = entries.item(0).text()
    assert str(project) in text and "autosaved" in text
    dialog.findChild(QPushButton, "recoveryRestore").click()
    doc = second.session.document
    assert doc.params["b"][0] == -0.375
    assert "recovery" not in doc.view
    assert second.path == project
    assert second.isWindowModified()
    assert "homework.rnn.json" in second.windowTitle()
    # the restored work is this window's now: its own copy, the dead one's gone
    qtbot.waitUntil(lambda: _copies(data) == [second.autosave.path])
    second.close()
    assert _copies(data) == []


def test_discard_deletes_the_copy_and_a_later_start_offers_nothing(qtbot, fast, data, tmp_path):
    _killed_instance(tmp_path)
    second = open_window(qtbot)
    dialog = second.offer_recovery()
    assert dialog is not None
    dialog.findChild(QPushButton, "recoveryDiscard").click()
    assert _copies(data) == []
    assert second.session.document.params["b"][0] == 0.4  # the lecture, untouched
    assert not second.isWindowModified()
    assert second.offer_recovery() is None
    second.close()


def test_closing_the_dialog_keeps_the_copy_for_later(qtbot, fast, data, tmp_path):
    _killed_instance(tmp_path)
    second = open_window(qtbot)
    dialog = second.offer_recovery()
    dialog.reject()  # Escape: decide another time
    assert len(_copies(data)) == 1
    again = second.offer_recovery()
    assert again is not None  # its lock was let go, so it is offered again
    again.findChild(QPushButton, "recoveryDiscard").click()
    second.close()


def test_two_windows_keep_separate_copies_and_never_take_each_others(qtbot, fast, data):
    a = open_window(qtbot)
    b = open_window(qtbot)
    assert a.autosave.path != b.autosave.path
    _edit_bias(a, 0.1)
    _edit_bias(b, 0.9)
    assert _wait_written(qtbot, a)["params"]["b"] == [0.1]
    assert _wait_written(qtbot, b)["params"]["b"] == [0.9]
    assert len(_copies(data)) == 2
    # both owners are alive: a third window is offered neither
    c = open_window(qtbot)
    assert c.offer_recovery() is None
    assert find_orphans() == []
    a.close()
    assert _copies(data) == [b.autosave.path]
    b.close()
    c.close()
    assert _copies(data) == []


MAIN = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from rnn_studio import app as rapp

app = QApplication(sys.argv[:1])

def check():
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "recoveryDialog"]
    print("recoveryDialog" if any(w.isVisible() for w in found) else "none", flush=True)

QTimer.singleShot(300, check)
sys.exit(rapp.main())
"""


def _start_main(tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    env.update(QT_QPA_PLATFORM="offscreen", RNN_STUDIO_QUIT_AFTER_MS="1000")
    return subprocess.run(
        [sys.executable, "-c", MAIN],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_offers_a_killed_instances_work_at_start_and_a_clean_run_leaves_nothing(
    data, tmp_path
):
    clean = _start_main(tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.strip() == "none"
    assert _copies(data) == [] and not list((data / "autosave").glob("*.lock"))
    project = tmp_path / "homework.rnn.json"
    rio.write_project(lecture(), project)
    _killed_instance(tmp_path, project)
    after_crash = _start_main(tmp_path)
    assert after_crash.returncode == 0, after_crash.stderr
    assert after_crash.stdout.strip() == "recoveryDialog"
    assert len(_copies(data)) == 1  # not answered: still there for the next start


def test_a_file_opened_by_a_relative_name_is_remembered_by_its_full_path(
    qtbot, fast, data, tmp_path, monkeypatch
):
    folder = tmp_path / "course"
    folder.mkdir()
    rio.write_project(lecture(), folder / "week1.rnn.json")
    monkeypatch.chdir(folder)
    window = open_window(qtbot)
    assert window.open_path("week1.rnn.json")
    _edit_bias(window, 0.5)
    saved = _wait_written(qtbot, window)
    assert saved["view"]["recovery"]["path"] == str(folder / "week1.rnn.json")
    window.close()


def test_after_a_close_with_discard_the_end_of_the_app_writes_nothing(qtbot, fast, data):
    window = open_window(qtbot)
    _edit_bias(window, 0.25)  # unsaved; headless, the close discards it
    window.close()
    window.autosave.stop()  # what app.main does when the event loop ends
    assert _copies(data) == []


def test_a_quit_without_a_close_keeps_unsaved_work(qtbot, monkeypatch, data):
    monkeypatch.setenv("RNN_STUDIO_AUTOSAVE_MS", "60000")
    window = open_window(qtbot)
    _edit_bias(window, 0.25)
    window.autosave.stop()  # the loop ended before the delay was over
    assert _copies(data) == [window.autosave.path]
    assert len(find_orphans()) == 1  # its lock is let go: the next start offers it
    for orphan in find_orphans():
        orphan.release()
    window.close()


def test_while_one_window_offers_a_copy_no_other_window_does(qtbot, fast, data, tmp_path):
    _killed_instance(tmp_path)
    second, third = open_window(qtbot), open_window(qtbot)
    dialog = second.offer_recovery()
    assert dialog is not None
    assert third.offer_recovery() is None  # the copy's lock is the dialog's now
    dialog.findChild(QPushButton, "recoveryDiscard").click()
    assert third.offer_recovery() is None and _copies(data) == []


def test_an_unwritable_data_folder_gives_one_message_and_no_error(
    qtbot, fast, tmp_path, monkeypatch
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setenv("RNN_STUDIO_DATA_DIR", str(blocked))
    window = open_window(qtbot)
    _edit_bias(window, 0.25)
    qtbot.waitUntil(lambda: "autosave failed" in window.last_message, timeout=5000)
    assert window.session.document.params["b"][0] == 0.25  # the edit itself is untouched
    window.last_message = ""
    _edit_bias(window, 0.5)
    assert not window.autosave.write_now()
    assert window.last_message == ""  # said once, not every few seconds
    window.close()
