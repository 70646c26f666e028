"""Open, save, import and export CSV, recent files: the document's way in and out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ...document import Document
from ...errors import DocumentError
from ...examples import EXAMPLES, lecture
from ..plain import set_plain
from .layout import headless

PROJECT_SUFFIX = ".rnn.json"
PROJECT_FILTER = "RNN Studio projects (*.rnn.json *.json)"
CSV_FILTER = "CSV tables (*.csv *.txt)"
OPEN_FILTER = "Projects and CSV tables (*.rnn.json *.json *.csv *.txt)"
MAX_RECENT = 8


class FilesMixin:
    """The File menu's work on ``self.session`` and ``self.path`` (part of MainWindow)."""

    def confirm_discard(self) -> bool:
        """True when the current document may be replaced (saved, or the user agrees)."""
        if self.session.undo_stack.isClean() or headless():
            return True
        answer = ask_to_save(self, self.path.name if self.path else self._title)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def show_error(self, title: str, text: str) -> None:
        """A message box that does not block the caller (window-modal)."""
        self.last_message = text
        self.errorShown.emit(title, text)
        box = QMessageBox(QMessageBox.Icon.Critical, title, "", QMessageBox.StandardButton.Ok, self)
        set_plain(box, text)  # a name from a file is text, never markup
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _start_over(self, document: Document, path: Path | None, title: str) -> None:
        self.player.pause()
        self.path = path
        self.source_csv = None
        self._title = title
        self.session.reset(document)
        self._apply_view_settings(document)
        self._update_title()
        self.diagram.reset_zoom()  # a readable zoom; Fit (Ctrl+0) shows every step

    def new_lecture(self) -> None:
        if self.confirm_discard():
            self._start_over(lecture(training=True), None, "the lecture's example")

    def open_example(self, name: str) -> None:
        if self.confirm_discard():
            self._start_over(EXAMPLES[name][1](), None, f"example {name}")

    def open_dialog(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open",
            self._last_folder(),
            f"{OPEN_FILTER};;{PROJECT_FILTER};;{CSV_FILTER};;All files (*)",
        )
        if path:
            from ... import io as rio

            # a CSV table goes through Import: its columns' roles (or its next value)
            (self.import_path if rio.is_csv(path) else self.open_path)(path)

    def import_csv(self) -> None:
        if not self.confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Import CSV", self._last_folder(), f"{CSV_FILTER};;All files (*)"
        )
        if not path:
            return
        self.import_path(path)

    def import_path(self, path: str | Path) -> bool:
        """Import a CSV table through the roles dialog (qt/import_dialog.py)."""
        from ..import_dialog import ask_import

        document = ask_import(self, path)
        if document is None:
            return False
        path = Path(path)
        self._start_over(document, None, path.name)
        self.source_csv = path.resolve()
        self._add_recent(path)
        self.statusBar().showMessage(f"Imported {path}")
        return True

    def open_path(self, path: str | Path, targets: list[str] | None = None) -> bool:
        """Load a project or CSV file. A bad file shows a message and changes nothing.

        ``targets`` names a CSV table's target columns (default: the last column).
        """
        from ... import io as rio

        path = Path(path)
        try:
            document = rio.read_path(path, targets)
        except DocumentError as err:
            self.show_error("Cannot open the file", str(err))
            return False
        except (OSError, ValueError) as err:  # io promises DocumentError; be safe anyway
            self.show_error("Cannot open the file", f"{path}: {err}")
            return False
        is_csv = rio.is_csv(path)
        self._start_over(document, None if is_csv else path, path.name)
        if is_csv:
            self.source_csv = path.resolve()
        self._add_recent(path)
        self.statusBar().showMessage(f"Opened {path}")
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save As", str(self._suggested_project_path()), PROJECT_FILTER
        )
        if not path:
            return False
        if not path.endswith(".json"):
            path += PROJECT_SUFFIX
        return self.save_to(path)

    def _suggested_project_path(self) -> Path:
        """The project's own path; after Import CSV ``<csv name>.rnn.json`` beside the CSV."""
        if self.path is not None:
            return self.path
        if self.source_csv is not None:
            return self.source_csv.with_name(self.source_csv.stem + PROJECT_SUFFIX)
        return Path(self._last_folder()) / "untitled"

    def save_to(self, path: str | Path) -> bool:
        """Write the project (atomically) with the current step and speed in ``view``."""
        from ... import io as rio

        path = Path(path)
        doc = self.session.document.with_view(
            step=self.session.step, speed=self.player.speed_slider.value()
        )
        try:
            rio.write_project(doc, path)
        except (DocumentError, OSError) as err:
            self.show_error("Cannot save", str(err))
            return False
        self.path = path
        self.session.undo_stack.setClean()
        self._add_recent(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}")
        return True

    def export_csv(self) -> bool:
        from ... import io as rio

        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", self._last_folder(), CSV_FILTER)
        if not path:
            return False
        if not Path(path).suffix:  # "exp" becomes exp.csv, as Save As adds .rnn.json
            path += ".csv"
        try:
            rio.write_csv(self.session.document, path)
        except (DocumentError, OSError) as err:
            self.show_error("Cannot export", str(err))
            return False
        self.statusBar().showMessage(f"Exported {path}")
        return True

    def _apply_view_settings(self, document: Document) -> None:
        speed = document.view.get("speed") if isinstance(document.view, dict) else None
        if isinstance(speed, int) and not isinstance(speed, bool):
            self.player.speed_slider.setValue(speed)

    def recent_files(self) -> list[str]:
        value = self._settings().value("recentFiles", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        path_text = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != path_text]
        files.insert(0, path_text)
        self._settings().setValue("recentFiles", files[:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for f in files:
            action = self.recent_menu.addAction(f.replace("&", "&&"))  # "&" is a mnemonic
            action.setToolTip(f)
            action.triggered.connect(lambda _c=False, f=f: self._open_recent(f))

    def _open_recent(self, path: str) -> None:
        if self.confirm_discard():
            self.open_path(path)

    def _last_folder(self) -> str:
        files = self.recent_files()
        return str(Path(files[0]).parent) if files else str(Path.home())


def ask_to_save(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Ask whether to save the changes to ``name``: Save (the default), Discard or Cancel.

    An explicit box (``discardBox``) rather than QMessageBox.question, so that the file
    name is plain text: a file called ``<b>x</b>.rnn.json`` is not shown in bold.
    """
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Unsaved changes",
        "",
        buttons.Save | buttons.Discard | buttons.Cancel,
        parent,
    )
    box.setObjectName("discardBox")
    set_plain(box, f"Save the changes to {name}?")
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    box.exec()
    clicked = box.clickedButton()
    answer = box.standardButton(clicked) if clicked is not None else buttons.Cancel
    box.deleteLater()
    return answer


def csv_header(path: str | Path) -> list[str]:
    """The column names of a CSV file's header row ([] when it cannot be read)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            first = next((line for line in f if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return []
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader([first], delimiter=delimiter))
    return [name.strip() for name in rows[0]] if rows else []
