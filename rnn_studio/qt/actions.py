"""One way to make a QAction: name, text, tooltip, slot, keys and icon."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from .icons import set_icon

Shortcut = str | QKeySequence | QKeySequence.StandardKey
ShortcutSpec = Shortcut | list[Shortcut] | tuple[Shortcut, ...] | None


def make_action(
    parent: QObject,
    name: str,
    text: str,
    tip: str,
    slot: Callable[[], object],
    shortcut: ShortcutSpec = None,
    icon_name: str | None = None,
) -> QAction:
    """An action with its objectName, tooltip (also the status tip) and keys.

    ``shortcut`` may be one key or several; a standard key expands to the platform's
    bindings, without duplicates.
    """
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if icon_name:
        set_icon(action, icon_name)
    if shortcut is not None:
        if isinstance(shortcut, list | tuple):
            keys: list[QKeySequence] = []
            for s in shortcut:
                if isinstance(s, QKeySequence.StandardKey):
                    found = QKeySequence.keyBindings(s)
                else:
                    found = [QKeySequence(s)]
                keys += [k for k in found if not k.isEmpty() and k not in keys]
            action.setShortcuts(keys)
        else:
            action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action
