"""Issue 11, the data table as a newcomer used it: it follows the step shown, a row header's
double-click moves the player there, and a block wider than the table offers its columns."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QPushButton, QTableView

from rnn_studio.examples import sine


def _table(window) -> QTableView:
    return window.findChild(QTableView, "dataTable")


def _select(table, row: int, column: int) -> None:
    table.setCurrentIndex(table.model().index(row, column))


def _answer(name: str) -> None:
    """Click the button ``name`` of the modal box once it is shown (as the student does)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, click)
            return
        button = box.findChild(QPushButton, name)
        if button is None:  # Cancel has no name of ours
            box.reject()
        else:
            button.click()

    QTimer.singleShot(0, click)


def test_the_row_of_the_step_shown_is_marked_and_kept_in_view_while_playing(qtbot, make_window):
    doc = sine()
    doc = doc.with_rows_inserted(doc.T, 80)  # 100 rows: most are out of view
    w = make_window(doc)
    table, model = _table(w), _table(w).model()
    w.resize(1024, 768)
    w.findChild(QAction, "actionPlay").trigger()
    qtbot.waitUntil(lambda: w.session.step >= 3, timeout=20_000)
    w.player.pause()
    t = w.session.step
    vertical = Qt.Orientation.Vertical
    assert "the step shown" in model.headerData(t - 1, vertical, Qt.ItemDataRole.ToolTipRole)
    tint = model.data(model.index(t - 1, 0), Qt.ItemDataRole.BackgroundRole)
    assert tint != model.data(model.index(t - 2, 0), Qt.ItemDataRole.BackgroundRole)
    assert model.data(model.index(t - 1, 0), Qt.ItemDataRole.FontRole).bold()
    assert not model.data(model.index(t - 2, 0), Qt.ItemDataRole.FontRole).bold()
    w.session.set_step(90)  # far below the rows shown
    rect = table.visualRect(model.index(89, 0))
    assert table.viewport().rect().contains(rect.center())
    w.close()


def test_double_clicking_a_row_header_moves_the_player_there(qtbot, window):
    table = _table(window)
    header = table.verticalHeader()
    pos = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, pos))
    assert window.session.step == 2


def test_a_wider_block_offers_to_add_input_columns_in_one_undoable_edit(qtbot, window):
    table = _table(window)
    session = window.session
    _select(table, 0, 0)
    _answer("pasteAddInputs")
    assert table.paste("x1\tx2\tspeed\ty\n0.1\t0.2\t5\t0.3\n0.4\t0.5\t6\t0.7\n")
    doc = session.document
    assert doc.input_names == ("x1", "x2", "speed") and doc.target_names == ("y",)
    assert doc.inputs[:, 2].tolist() == [5.0, 6.0]
    assert doc.targets[:, 0].tolist() == [0.3, 0.7]
    session.undo_stack.undo()  # one step takes back the column and the cells
    assert session.document.d == 2
    assert session.document.inputs.tolist() == [[0.1, 0.4], [0.7, 0.9]]


def test_a_wider_block_at_the_targets_adds_target_columns(qtbot, window):
    table = _table(window)
    _select(table, 0, 2)  # the y column
    _answer("pasteAddTargets")
    assert table.paste("0.3\t1\n0.5\t\n")
    doc = window.session.document
    assert doc.k == 2 and doc.d == 2
    assert doc.targets[0].tolist() == [0.3, 1.0] and math.isnan(doc.targets[1, 1])


def test_cancelling_the_offer_pastes_nothing_and_says_why(qtbot, window):
    table = _table(window)
    before = window.session.document
    _select(table, 0, 0)
    _answer("cancel")
    assert not table.paste("1\t2\t3\t4\n")
    assert window.session.document is before
    assert "4 columns wide" in window.statusBar().currentMessage()
