"""The data table: model over the session's document, edits, paste, copy, rows and columns."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from rnn_studio.examples import lecture
from rnn_studio.qt.data_table import DataTable, parse_block
from rnn_studio.qt.session import Session

EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def table(qtbot):
    session = Session(lecture())
    view = DataTable(session)
    session.setParent(view)
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def _select(view: DataTable, top: int, left: int, bottom: int, right: int) -> None:
    model = view.model()
    sel = view.selectionModel()
    sel.clearSelection()
    for r in range(top, bottom + 1):
        for c in range(left, right + 1):
            sel.select(model.index(r, c), QItemSelectionModel.SelectionFlag.Select)
    sel.setCurrentIndex(model.index(top, left), QItemSelectionModel.SelectionFlag.NoUpdate)


def test_model_passes_qtmodeltester(qtmodeltester, table):
    qtmodeltester.check(table.model(), force_py=True)


def test_model_shows_rows_as_timesteps_and_columns_by_name(table):
    model = table.model()
    assert model.rowCount() == 2 and model.columnCount() == 3
    names = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert names == ["x1", "x2", "y"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)] == ["1", "2"]
    assert model.data(model.index(1, 1), DISPLAY) == "0.9"
    assert model.data(model.index(0, 2), EDIT) == "0.3"


def test_set_data_edits_the_document_and_emits_data_changed(qtbot, table):
    model = table.model()
    session = table._session
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(model.index(0, 0), "0.2", EDIT)
    assert blocker.args[0].row() == 0 and blocker.args[0].column() == 0
    assert session.document.inputs[0, 0] == 0.2
    assert model.setData(model.index(1, 2), 0.25, EDIT)
    assert session.document.targets[1, 0] == 0.25


@pytest.mark.parametrize("text", ["abc", "inf", "nan", "1e999", ""])
def test_bad_text_is_refused_with_a_message_and_the_cell_keeps_its_value(qtbot, table, text):
    model = table.model()
    session = table._session
    doc = session.document
    messages: list[str] = []
    session.messageRaised.connect(messages.append)
    assert model.setData(model.index(1, 0), text, EDIT) is False
    assert session.document is doc
    assert model.data(model.index(1, 0), DISPLAY) == "0.7"
    assert len(messages) == 1
    assert "row 2" in messages[0] and "x1" in messages[0]


def test_a_blank_target_shows_as_blank_with_a_tooltip(table):
    model = table.model()
    assert model.setData(model.index(0, 2), "", EDIT)
    assert math.isnan(table._session.document.targets[0, 0])
    assert model.data(model.index(0, 2), DISPLAY) == "—"
    assert "no target" in model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 2), EDIT) == ""


def test_typing_into_a_cell_through_the_views_editor(qtbot, table):
    model = table.model()
    index = model.index(1, 1)
    table.setCurrentIndex(index)
    table.edit(index)
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "0.9"
    editor.selectAll()
    qtbot.keyClicks(editor, "0.45")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: table._session.document.inputs[1, 1] == 0.45)
    qtbot.waitUntil(lambda: table.findChild(QLineEdit) is None)
    # and "abc" typed the same way changes nothing and raises nothing
    table.edit(index)
    editor = table.findChild(QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    with qtbot.waitSignal(table._session.messageRaised) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "'abc' is not a number" in blocker.args[0]
    assert table._session.document.inputs[1, 1] == 0.45


def test_delete_key_blanks_selected_targets_only(qtbot, table):
    _select(table, 0, 1, 1, 2)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    doc = table._session.document
    assert np.isnan(doc.targets).all()
    assert doc.inputs[0, 1] == 0.4 and doc.inputs[1, 1] == 0.9
    table._session.undo_stack.undo()
    _select(table, 1, 2, 1, 2)
    qtbot.keyClick(table, Qt.Key.Key_Backspace)
    doc = table._session.document
    assert doc.targets[0, 0] == 0.3 and np.isnan(doc.targets[1, 0])


def test_paste_a_tab_separated_block_grows_the_table_in_one_recompute(qtbot, table):
    session = table._session
    before = session.recompute_count
    changes: list[bool] = []
    session.documentChanged.connect(changes.append)
    QGuiApplication.clipboard().setText("1\t2\t0.5\n3\t4\t\n5\t6\t0.7\n")
    _select(table, 1, 0, 1, 0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    doc = session.document
    assert doc.T == 4
    assert doc.inputs.tolist() == [[0.1, 0.4], [1, 2], [3, 4], [5, 6]]
    assert doc.targets[1, 0] == 0.5 and math.isnan(doc.targets[2, 0])
    assert session.recompute_count == before + 1
    assert changes == [True]
    assert table.model().rowCount() == 4
    session.undo_stack.undo()
    assert session.document.T == 2 and table.model().rowCount() == 2


def test_paste_comma_separated_and_a_bad_cell_changes_nothing(table):
    session = table._session
    _select(table, 0, 0, 0, 0)
    assert table.paste("0.5,0.6\n")
    assert session.document.inputs[0].tolist() == [0.5, 0.6]
    doc = session.document
    messages: list[str] = []
    session.messageRaised.connect(messages.append)
    assert not table.paste("1\t2\n3\tzz\n")
    assert session.document is doc
    assert "row 2" in messages[0] and "zz" in messages[0]
    table.ask_extra_columns = lambda *_args, **_kw: None  # "Cancel" when offered columns
    assert not table.paste("1\t2\t3\t4\n")  # wider than the table
    assert session.document is doc
    assert "4 columns wide" in messages[-1]


def test_copy_the_selection_out_tab_separated(qtbot, table):
    _select(table, 0, 0, 1, 2)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "0.1\t0.4\t0.3\n0.7\t0.9\t0.5\n"
    assert parse_block(QGuiApplication.clipboard().text()) == [
        ["0.1", "0.4", "0.3"],
        ["0.7", "0.9", "0.5"],
    ]


def test_rows_insert_and_delete_through_the_context_actions(table):
    session = table._session
    _select(table, 1, 0, 1, 0)
    table.action_insert_above.trigger()
    assert session.document.T == 3 and session.document.inputs[1].tolist() == [0, 0]
    _select(table, 2, 0, 2, 0)
    table.action_insert_below.trigger()
    assert session.document.T == 4 and math.isnan(session.document.targets[3, 0])
    _select(table, 1, 0, 3, 0)
    table.action_delete_rows.trigger()
    assert session.document.T == 1
    assert table.model().rowCount() == 1
    table.selectAll()
    table.action_delete_rows.trigger()  # the last row cannot go: a message, no change
    assert session.document.T == 1


def test_columns_add_remove_and_rename_by_double_clicking_the_header(qtbot, table):
    session = table._session
    table.action_add_input.trigger()
    assert session.document.input_names == ("x1", "x2", "x3")
    assert session.document.params["W"].shape == (1, 4)
    table.action_add_target.trigger()
    assert session.document.target_names == ("y", "y2")
    assert session.document.readout == "linear"
    assert table.model().columnCount() == 5
    table.remove_column(2)
    assert session.document.input_names == ("x1", "x2")
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    from PySide6.QtCore import QPoint

    qtbot.mouseDClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    editor = table.findChild(QLineEdit, "columnNameEditor")
    assert editor is not None and editor.text() == "x1"
    editor.selectAll()
    qtbot.keyClicks(editor, "speed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert session.document.input_names == ("speed", "x2")
    assert table.model().headerData(0, Qt.Orientation.Horizontal) == "speed"
    # a clashing name is refused with a message
    editor = table.start_rename(1)
    editor.setText("speed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert session.document.input_names == ("speed", "x2")
    # Escape cancels
    editor = table.start_rename(1)
    editor.setText("other")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert session.document.input_names == ("speed", "x2")
    QApplication.processEvents()
