"""After a crash: offer the autosaved work back (``recoveryDialog``: Restore / Discard).

The dialog is window-modal but never blocks the caller (``open()``), so a test or the
start-up code goes on and the answer arrives through the buttons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...errors import DocumentError
from .autosave import Orphan, find_orphans

if TYPE_CHECKING:
    from .main_window import MainWindow


class RecoveryDialog(QDialog):
    """Lists the copies crashed instances left; Restore opens one, Discard deletes them."""

    def __init__(self, orphans: list[Orphan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryDialog")
        self.setWindowTitle("Recover unsaved work — RNN Studio")
        self.orphans = orphans
        self.resize(620, 300)
        layout = QVBoxLayout(self)
        many = len(orphans) > 1
        intro = QLabel(
            "RNN Studio did not close normally. "
            + (
                "These unsaved changes were kept; choose one to restore."
                if many
                else "This unsaved work was kept:"
            )
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("recoveryList")
        self.list.setAccessibleName("Unsaved work that can be restored")
        for orphan in orphans:
            item = QListWidgetItem(orphan.describe())  # plain text: names are never markup
            item.setToolTip(str(orphan.copy))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setObjectName("recoveryRestore")
        self.restore_button.setToolTip("Open the selected work again, marked unsaved")
        self.discard_button = QPushButton("&Discard")
        self.discard_button.setObjectName("recoveryDiscard")
        self.discard_button.setToolTip("Delete every copy listed here")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.accept)
        self.discard_button.clicked.connect(self._discard)
        layout.addWidget(buttons)
        self.discarded = False
        self.finished.connect(self._release)

    def selected(self) -> Orphan | None:
        row = self.list.currentRow()
        return self.orphans[row] if 0 <= row < len(self.orphans) else None

    def _discard(self) -> None:
        self.discarded = True
        for orphan in self.orphans:
            orphan.discard()
        self.reject()

    def _release(self, *_args) -> None:
        """Whatever was not restored or discarded stays on disk for a later start."""
        for orphan in self.orphans:
            orphan.release()


def offer_recovery(window: MainWindow) -> RecoveryDialog | None:
    """Show ``recoveryDialog`` when a crashed instance left work behind (None when not)."""
    orphans = find_orphans()
    if not orphans:
        return None
    dialog = RecoveryDialog(orphans, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _restore_selected(window, dialog))
    dialog.open()
    return dialog


def _restore_selected(window: MainWindow, dialog: RecoveryDialog) -> None:
    orphan = dialog.selected()
    if orphan is not None:
        restore(window, orphan)


def restore(window: MainWindow, orphan: Orphan) -> bool:
    """Open the orphan's document with its path, marked unsaved; its old copy goes."""
    try:
        document = orphan.read()
    except DocumentError as err:
        window.show_error("Cannot restore the unsaved work", str(err))
        return False
    window._start_over(document, orphan.path, orphan.title)
    window.session.undo_stack.resetClean()  # unsaved until the user saves it
    window.autosave.write_now()  # this instance's own copy, before the old one goes
    orphan.discard()
    window.statusBar().showMessage(f"Restored the unsaved work on {orphan.name}")
    return True
