"""An exception that reaches the event loop: errorDialog, the log, the window alive."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qCritical
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QPlainTextEdit, QPushButton

from rnn_studio.qt.window.crash import CrashHandler, ErrorDialog
from rnn_studio.qt.window.data_folder import log_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def handler(qapp):
    """Installed inside the test body: pytest-qt and pytest swap the hooks per phase."""
    made: list[CrashHandler] = []

    def install() -> CrashHandler:
        h = CrashHandler(qapp).install()
        made.append(h)
        return h

    yield install
    for h in made:
        h.uninstall()
        if h.dialog is not None:
            h.dialog.close()
        h.deleteLater()


def _dialog(qtbot, h: CrashHandler) -> ErrorDialog:
    qtbot.waitUntil(lambda: h.dialog is not None and h.dialog.isVisible(), timeout=5000)
    assert h.dialog is not None
    return h.dialog


def test_an_exception_in_a_slot_shows_the_dialog_and_the_window_lives_on(qtbot, window, handler):
    h = handler()
    before = window.session.document

    def broken() -> None:
        raise ZeroDivisionError("the injected failure")

    action = window.findChild(QAction, "actionFit")
    action.triggered.connect(broken)  # a real signal, from a menu entry the user clicks
    try:
        action.trigger()
    finally:
        action.triggered.disconnect(broken)
    dialog = _dialog(qtbot, h)
    assert dialog.objectName() == "errorDialog"
    assert not dialog.isModal()
    assert window.findChild(ErrorDialog, "errorDialog") is dialog  # over the window
    message = dialog.findChild(QLabel, "errorMessage").text()
    assert "ZeroDivisionError: the injected failure" in message
    assert "keeps running" in message
    details = dialog.findChild(QPlainTextEdit, "errorDetails")
    assert details.isReadOnly()
    assert "Traceback" in details.toPlainText() and "in broken" in details.toPlainText()
    dialog.findChild(QPushButton, "errorCopy").click()
    assert QGuiApplication.clipboard().text() == details.toPlainText()
    # the document is the one it was, and the window still takes edits
    assert window.session.document is before
    assert window.isVisible()
    window.findChild(QDoubleSpinBox, "param:b:0").setValue(0.0)
    assert window.session.document.params["b"][0] == 0.0
    assert "the injected failure" in log_path().read_text(encoding="utf-8")
    assert log_path().is_relative_to(Path(os.environ["RNN_STUDIO_DATA_DIR"]))


def test_a_timer_slot_that_raises_is_reported_too(qtbot, window, handler):
    h = handler()
    edits = window.session.undo_stack.count()

    def broken() -> None:
        window.session.edit(lambda d: d.with_param("b", (0,), 0.9), "set b")
        raise RuntimeError("after an edit")

    QTimer.singleShot(0, broken)
    dialog = _dialog(qtbot, h)
    assert "RuntimeError: after an edit" in dialog.message.text()
    assert window.session.undo_stack.count() == edits + 1  # the finished edit stays, undoable
    window.session.undo_stack.undo()
    assert window.session.document.params["b"][0] == 0.4


def test_errors_in_a_row_go_into_one_dialog(qtbot, window, handler):
    h = handler()
    for i in range(3):
        h.report(ValueError(f"number {i}"), None)
    dialog = _dialog(qtbot, h)
    qtbot.waitUntil(lambda: dialog.count == 3)
    assert "3 errors so far" in dialog.message.text()
    assert "number 2" in dialog.details.toPlainText()
    assert len(window.findChildren(ErrorDialog)) == 1


def test_an_exception_in_a_thread_reaches_the_dialog(qtbot, window, handler):
    h = handler()

    def work() -> None:
        raise KeyError("from a worker")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    dialog = _dialog(qtbot, h)
    assert "in thread worker" in dialog.message.text()
    assert "KeyError" in dialog.message.text()


def test_rich_text_in_an_error_is_shown_as_it_is(qtbot, window, handler):
    h = handler()
    h.report(ValueError("<img src=x> <b>bold</b>"), None)
    dialog = _dialog(qtbot, h)
    label = dialog.findChild(QLabel, "errorMessage")
    assert label.textFormat().name == "PlainText"
    assert "<img src=x>" in label.text()


def test_qt_critical_messages_are_logged(qtbot, handler):
    handler()
    qCritical("a critical message from Qt")
    assert "Qt: a critical message from Qt" in log_path().read_text(encoding="utf-8")


def test_uninstall_puts_the_old_hooks_back(qapp):
    before = (sys.excepthook, threading.excepthook)
    h = CrashHandler(qapp).install()
    assert sys.excepthook != before[0]
    h.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    h.deleteLater()


CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from rnn_studio import app as rapp

def broken():
    QTimer.singleShot(200, check)
    raise ZeroDivisionError("raised in the running app")

def check():
    from rnn_studio.qt.window.crash import ErrorDialog
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ErrorDialog)]
    visible = [d for d in dialogs if d.isVisible()]
    print("dialog" if visible else "no dialog", flush=True)

app = QApplication(sys.argv[:1])  # main() takes this one
QTimer.singleShot(100, broken)
sys.exit(rapp.main())
"""


def test_main_installs_the_handler_and_keeps_running(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    env.update(QT_QPA_PLATFORM="offscreen", RNN_STUDIO_QUIT_AFTER_MS="800")
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "ZeroDivisionError: raised in the running app" in result.stderr  # also on stderr
    assert result.stdout.strip() == "dialog"
    logged = (Path(env["RNN_STUDIO_DATA_DIR"]) / "rnn-studio.log").read_text(encoding="utf-8")
    assert "raised in the running app" in logged
