"""The data table's "Scale columns" actions: to [−1, 1], to z-scores, back to the original
units. Each is one undoable edit; the scaling is recorded in the document
(rnn_studio/scaling.py), so the plot can show ŷ in the original units."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTableView

from .. import scaling
from .actions import make_action
from .session import Session


def _chosen_columns(table: QTableView, session: Session) -> list[str]:
    """The selected columns; the current cell's when nothing is selected; else all."""
    names = session.document.column_names
    cols = sorted({i.column() for i in table.selectionModel().selectedIndexes()})
    if not cols and table.currentIndex().isValid():
        cols = [table.currentIndex().column()]
    return [names[c] for c in cols] if cols else list(names)


def make_scale_actions(table: QTableView, session: Session) -> list[QAction]:
    """Create the three actions on ``table`` (they show in its context menu)."""

    def scale(method: str) -> None:
        names = _chosen_columns(table, session)
        label = ", ".join(names)
        session.edit(
            lambda d: scaling.scaled(d, names, method),
            f"Scale {label} {scaling.METHODS[method]}",
        )

    def unscale() -> None:
        names = _chosen_columns(table, session)
        if not set(names) & set(scaling.scalings(session.document)):
            session.messageRaised.emit(
                f"{', '.join(names)}: not scaled; the values are in their original units"
            )
            return
        session.edit(lambda d: scaling.unscaled(d, names), "Back to the original units")

    actions = [
        make_action(
            table,
            "actionScaleRange",
            "Scale columns to [−1, 1]",
            "Scale the selected columns (or all) so the smallest value is −1 and the largest 1,"
            "\nwithin a tanh's reach; recorded in the file, undoable",
            lambda: scale(scaling.RANGE),
        ),
        make_action(
            table,
            "actionScaleZ",
            "Scale columns to z-scores",
            "Scale the selected columns (or all) to mean 0 and standard deviation 1; "
            "recorded in the file, undoable",
            lambda: scale(scaling.ZSCORE),
        ),
        make_action(
            table,
            "actionUnscale",
            "Columns back to original units",
            "Undo the scaling of the selected columns (or all): the numbers as they were",
            unscale,
        ),
    ]
    for action in actions:
        table.addAction(action)
    return actions
