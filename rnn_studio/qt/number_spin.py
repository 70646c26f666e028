"""The Model panel's controls: a weight's spin box, and buttons and boxes that leave Space
and Ctrl+Z to the window.

A weight box takes a typed number as typed (a decimal comma, ``1e-3``, any finite size)
or refuses it with a message; it never rounds, clamps or truncates on its own. Only the
arrow keys and the wheel step it, and the panel merges those turns into one undo step.
"""

from __future__ import annotations

import math
import sys

from PySide6.QtCore import QEvent, QLocale, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ..document import parse_number
from ..errors import DocumentError
from ..explain import fmt_operand

#: Qt rounds a QDoubleSpinBox's value to its decimals; 323 (its maximum) keeps every
#: float64 exactly, the smallest included. 4 are shown for a computed value.
DECIMALS = 323
LIMIT = sys.float_info.max  # any finite number a student types

_UNDO_KEYS = (QKeySequence("Ctrl+Z"), QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))


def _is_undo_key(event: QKeyEvent) -> bool:
    """Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y (or the platform's undo/redo keys)."""
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return QKeySequence(event.keyCombination()) in _UNDO_KEYS


def pass_undo_keys(spin: QDoubleSpinBox | QSpinBox, event: QEvent) -> bool:
    """Let the window's Undo/Redo win over the line edit's own undo (True: handled).

    A student who changes a weight and presses Ctrl+Z means the document's undo. A value
    typed but not yet entered is committed first, so Ctrl+Z takes it back (and Redo
    brings it again) instead of silently dropping it.
    """
    if event.type() != QEvent.Type.ShortcutOverride or not _is_undo_key(event):
        return False
    spin.interpretText()
    event.ignore()  # not overridden: the shortcut goes to the window's action
    return True


def is_plain_space(event: QKeyEvent) -> bool:
    return event.key() == Qt.Key.Key_Space and event.modifiers() == Qt.KeyboardModifier.NoModifier


class _LeavesSpace:
    """Space is the player's key: a focused control passes it up to the window."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if is_plain_space(event):
            event.ignore()
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if is_plain_space(event):
            event.ignore()
            return
        super().keyReleaseEvent(event)  # type: ignore[misc]


class PanelButton(_LeavesSpace, QPushButton):
    """A button that a click does not focus (Tab still reaches it; Enter presses it)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.click()
            return
        super().keyPressEvent(event)


class PanelCombo(_LeavesSpace, QComboBox):
    """A combo box that leaves Space to the player (Alt+↓ or F4 open it)."""


class UndoAwareSpinBox(_LeavesSpace, QSpinBox):
    """A QSpinBox (the hidden size, the seed) on which Ctrl+Z undoes the document."""

    def event(self, event: QEvent) -> bool:
        if pass_undo_keys(self, event):
            return True
        return super().event(event)


class NumberSpin(_LeavesSpace, QDoubleSpinBox):
    """A spin box for one weight: shows what was typed, or 4 decimals of a computed value.

    Leaving the box without typing does not change the value (the text shown is read back
    as the value it came from), so a weight like 0.548813 stays exact until the user
    changes it. The wheel acts only when the box has focus, so scrolling the panel does
    not change weights by accident.
    """

    #: the text of a commit that is not a finite number (the box keeps its value)
    refused = Signal(str)

    _sizes: dict[str, QSize] = {}  # the narrowest box by font

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(QLocale.c())
        self.setDecimals(DECIMALS)
        self.setRange(-LIMIT, LIMIT)
        self.setKeyboardTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # No arrow buttons: the grid reads like the matrix; ↑/↓ and the wheel still step.
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.doc_value = math.nan
        self.valueChanged.connect(lambda _v: self.updateGeometry())
        #: True while ↑/↓, Page Up/Down or the wheel change the value (those merge)
        self.stepping = False

    # -- text <-> value: as typed, never changed ------------------------------------------
    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return fmt_operand(value, 4)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt override
        if text.strip() == self.textFromValue(self.value()):
            return self.value()
        try:
            return parse_number(text)
        except DocumentError:
            return self.value()

    def validate(self, text: str, pos: int) -> object:
        """Any text may be typed; only a finite number is accepted on Enter."""
        try:
            parse_number(text)
        except DocumentError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        """Called on Enter or leaving the box with text that is not a number: say so."""
        if text.strip() and text.strip() != self.textFromValue(self.value()):
            self.refused.emit(text.strip())
        return text

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        self.stepping = True
        try:
            super().stepBy(steps)
        finally:
            self.stepping = False

    def set_document_value(self, value: float) -> None:
        """Show ``value`` without emitting (the session already has it)."""
        if value == self.doc_value:
            return
        self.doc_value = value
        wide = len(self.text()) > 7
        with QSignalBlocker(self):
            self.setValue(value)
        if wide or len(self.text()) > 7:
            self.updateGeometry()  # a long typed number widens its box (and back)

    # -- events -----------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if pass_undo_keys(self, event):
            return True
        return super().event(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Qt's own hint would make room for 323 decimals. Room for "-0.0000" (4 decimals
        # of a computed value), wider only for a longer number typed in this box.
        metrics = self.fontMetrics()
        key = self.font().key()
        base = NumberSpin._sizes.get(key)
        if base is None:
            width = metrics.horizontalAdvance("-0.0000") + 12
            base = NumberSpin._sizes[key] = QSize(width, super().sizeHint().height())
        text = self.text()
        if len(text) <= 7:
            return base
        return QSize(max(base.width(), metrics.horizontalAdvance(text) + 12), base.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()
