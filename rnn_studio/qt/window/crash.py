"""Errors never escape: one handler for whatever reaches the event loop.

An exception in a slot or a virtual (``sys.excepthook``), in a thread
(``threading.excepthook``) or a critical message of Qt's own (``qInstallMessageHandler``)
is written to a small rotating log in the data folder and shown in ``errorDialog``: a short
message and the details to copy. The window keeps running: the Session only ever swaps
whole documents, so an exception halfway through a slot leaves the document as it was.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .data_folder import log_path

LOG_NAME = "rnn_studio"
LOG_BYTES = 256 * 1024  # small: one file of this size and two older ones
LOG_BACKUPS = 2
SHORT_MAX = 300

log = logging.getLogger(LOG_NAME)


class ErrorDialog(QDialog):
    """Non-modal: a short message, the details read-only with a Copy button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle("Something went wrong — RNN Studio")
        self.setModal(False)
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("errorMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # an error may quote a file
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        self.details = QPlainTextEdit()
        self.details.setObjectName("errorDetails")
        self.details.setAccessibleName("Details of the error")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setObjectName("errorCopy")
        self.copy_button.setToolTip("Copy the details to paste them into a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.count = 0

    def add(self, short: str, details: str) -> None:
        """Show this error; more before the dialog is closed are added below, not stacked."""
        self.count += 1
        if self.count == 1:
            self.message.setText(short)
            self.details.setPlainText(details)
        else:
            self.message.setText(f"{short}\n({self.count} errors so far; all are below.)")
            self.details.appendPlainText("\n" + details)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashHandler(QObject):
    """Installs the hooks; ``reported`` carries (short, details) to the GUI thread."""

    reported = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashHandler")
        self.dialog: ErrorDialog | None = None
        self._previous: tuple[Any, Any, Any] | None = None
        self._file_handler: logging.Handler | None = None
        # queued, also from the GUI thread: never build a dialog inside a paint or a slot
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- installing -------------------------------------------------------------------
    def install(self) -> CrashHandler:
        if self._previous is not None:
            return self
        self._file_handler = _open_log()
        if self._file_handler is not None:
            log.addHandler(self._file_handler)
        log.setLevel(logging.INFO)
        previous_qt = qInstallMessageHandler(self._qt_message)
        self._previous = (sys.excepthook, threading.excepthook, previous_qt)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook, previous_qt = self._previous
        qInstallMessageHandler(previous_qt)
        self._previous = None
        if self._file_handler is not None:
            log.removeHandler(self._file_handler)
            self._file_handler.close()
            self._file_handler = None

    # -- the hooks ----------------------------------------------------------------------
    def _excepthook(
        self, etype: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(etype, KeyboardInterrupt | SystemExit):
            sys.__excepthook__(etype, value, tb)
            return
        self.report(value, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        where = f" in thread {args.thread.name}" if args.thread is not None else ""
        self.report(args.exc_value, args.exc_traceback, where)

    def report(self, value: BaseException, tb: TracebackType | None, where: str = "") -> None:
        """Log the exception and show it (from any thread)."""
        details = "".join(traceback.format_exception(type(value), value, tb))
        log.error("unhandled exception%s\n%s", where, details.rstrip())
        print(details, file=sys.stderr, end="")
        text = f"{type(value).__name__}: {value}" if str(value) else type(value).__name__
        if len(text) > SHORT_MAX:
            text = text[: SHORT_MAX - 1] + "…"
        short = (
            f"Something went wrong{where}: {text}\n"
            "RNN Studio keeps running and your document is as it was. "
            f"The details are also in the log, {log_path()}."
        )
        self.reported.emit(short, details)

    def _qt_message(self, mode: QtMsgType, context: Any, message: str) -> None:
        if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            log.error("Qt: %s", message)  # (warnings are Qt's chatter: not logged)
        previous = self._previous[2] if self._previous is not None else None
        if previous is not None:
            previous(mode, context, message)
        elif mode != QtMsgType.QtDebugMsg and mode != QtMsgType.QtInfoMsg:
            print(message, file=sys.stderr)

    # -- showing ------------------------------------------------------------------------
    def _show(self, short: str, details: str) -> None:
        try:
            self._show_dialog(short, details)
        except Exception:  # never report a failure to report: that would loop
            traceback.print_exc()

    def _show_dialog(self, short: str, details: str) -> None:
        dialog = self.dialog
        if dialog is None or not shiboken6.isValid(dialog) or not dialog.isVisible():
            dialog = ErrorDialog(_main_window())
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog = dialog
        dialog.add(short, details)
        dialog.show()
        dialog.raise_()


def _main_window() -> QWidget | None:
    """The window to put the dialog over: the active one, else any visible main window."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    active = app.activeWindow()
    if isinstance(active, QMainWindow):
        return active
    for widget in app.topLevelWidgets():
        if isinstance(widget, QMainWindow) and widget.isVisible():
            return widget
    return None


def _open_log() -> logging.Handler | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None  # no log then, but still the dialog
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    return handler


def install_crash_handler(app: QObject) -> CrashHandler:
    """The app's one handler (app.main installs it once, before the window opens)."""
    return CrashHandler(app).install()
