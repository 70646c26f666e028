"""Help ▸ The math, About, and the Import CSV target chooser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...paths import docs_dir
from ..style import use_contrast_style

MATH_DOC = docs_dir() / "math.md"


class DialogsMixin:
    """Help menu's windows (part of MainWindow)."""

    def open_math(self) -> QDialog | None:
        """Help ▸ The math: docs/math.md in a window of its own (non-modal).

        Shown in the app itself: a launcher for .md files is often missing, and then
        nothing visible would happen. Without the page, a message says so.
        """
        try:
            text = MATH_DOC.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "The math",
                "The page on the math (docs/math.md) is not installed with this copy of "
                f"RNN Studio ({err.strerror if isinstance(err, OSError) else err}).\n"
                "Every step's arithmetic is written out in the Arithmetic region, and "
                "hovering a weight in the diagram names it.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("mathMissingBox")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.last_message = box.text()
            box.open()
            return None
        if self._math_dialog is None:
            self._math_dialog = MathDialog(self)
        self._math_dialog.show_markdown(text, MATH_DOC.parent)
        return self._math_dialog

    def about(self) -> None:
        from ... import __version__

        QMessageBox.about(
            self,
            "About RNN Studio",
            f"<b>RNN Studio</b> {__version__}<br>Watch a recurrent network compute, step by "
            "step, with the numbers: the lecture's basic RNN, the LSTM and the GRU.",
        )


class MathDialog(QDialog):
    """docs/math.md rendered as Markdown; non-modal, so the window stays usable beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mathDialog")
        self.setWindowTitle("The math — RNN Studio")
        self.setModal(False)
        self.resize(760, 720)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("mathBrowser")
        self.browser.setAccessibleName("The math RNN Studio computes")
        self.browser.setOpenExternalLinks(True)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def show_markdown(self, text: str, folder: Path) -> None:
        self.browser.setSearchPaths([str(folder)])
        self.browser.setMarkdown(text)
        self.show()
        self.raise_()
        self.activateWindow()


class TargetDialog(QDialog):
    """Choose which columns of a CSV table are targets (the others are inputs)."""

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvTargetDialog")
        self.setWindowTitle("Import CSV: choose the targets")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the target columns; the others are inputs."))
        self.list = QListWidget()
        self.list.setObjectName("csvColumns")
        self.list.setAccessibleName("Columns of the CSV table")
        self.list.setToolTip("Ticked: a target column (y). Unticked: an input column (x).")
        use_contrast_style(self.list)
        for i, name in enumerate(columns):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            last = i == len(columns) - 1
            item.setCheckState(Qt.CheckState.Checked if last else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemChanged.connect(self._check)
        self._check()

    def targets(self) -> list[str]:
        return [
            self.list.item(i).text()
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _check(self, *_args) -> None:
        n = len(self.targets())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(0 < n < self.list.count())
        ok.setToolTip("" if ok.isEnabled() else "At least one target and one input are needed")
