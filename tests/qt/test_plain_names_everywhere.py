"""A column's name is user text, never rich text (issue 10), wherever the window shows it:
the Model panel's headers, row labels and weight tooltips, the table's headers and cell
tooltips, the table's menus, and the unsaved-changes question.

Each check reads the text the way Qt would render it: a label by its text format (AutoText
means "rich if Qt.mightBeRichText says so"), a tooltip always by Qt.mightBeRichText.
"""

from __future__ import annotations

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QLabel, QMessageBox

from rnn_studio.qt.window import files

BOLD = "<b>x</b>"
IMAGE = "<img src=x>"
TOOLTIP = Qt.ItemDataRole.ToolTipRole
DISPLAY = Qt.ItemDataRole.DisplayRole


def as_shown(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a person reads when Qt renders ``text`` in ``fmt`` (a tooltip is AutoText)."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    if fmt == Qt.TextFormat.MarkdownText:
        doc = QTextDocument()
        doc.setMarkdown(text)
        return doc.toPlainText()
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText().replace("\u2028", "\n")  # <br> is a line separator


def label_shown(label: QLabel) -> str:
    return as_shown(label.text(), label.textFormat())


def _rename(window, column: int, name: str, qtbot) -> None:
    """Rename a column as a person does: the header's inline editor, typed, Enter."""
    editor = window.table.start_rename(column)
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.session.document.column_names[column] == name


@pytest.fixture
def named(window, qtbot):
    """The lecture with input x1 called <b>x</b>, target y called <img src=x>, and a
    linear readout (so the Model panel has a row per target)."""
    _rename(window, 0, BOLD, qtbot)
    _rename(window, 2, IMAGE, qtbot)
    combo = window.findChild(QComboBox, "readoutCombo")
    combo.setCurrentIndex(combo.findData("linear"))
    assert window.session.document.readout == "linear"
    return window


@pytest.mark.parametrize("name", [BOLD, "ŷ " + IMAGE])
def test_the_model_panels_labels_show_a_name_as_typed(named, name) -> None:
    labels = named.params.findChildren(QLabel)
    assert any(label_shown(label) == name for label in labels), name
    for label in labels:  # no label in the panel reads a name as markup
        if "<" in label.text():
            assert label_shown(label) == label.text(), label.text()


def test_a_column_header_in_the_model_panel_has_a_plain_tooltip(named) -> None:
    header = next(lb for lb in named.params.findChildren(QLabel) if lb.text() == BOLD)
    assert as_shown(header.toolTip()) == f"column {BOLD} of W"


@pytest.mark.parametrize(
    ("spin", "shown"),
    [
        ("param:W:0:0", f"W[unit 1, {BOLD}]: weight from {BOLD} into unit 1\n= 0.7"),
        ("param:V:0:0", f"V[ŷ {IMAGE}, s1]: weight from s1 into ŷ {IMAGE}\n= "),
    ],
)
def test_a_weights_tooltip_shows_the_name_as_typed(named, spin, shown) -> None:
    tip = as_shown(named.findChild(QDoubleSpinBox, spin).toolTip())
    assert tip.startswith(shown), tip


def test_the_tables_headers_show_names_as_typed(named) -> None:
    model = named.table.model()
    horizontal = Qt.Orientation.Horizontal
    for column, name in ((0, BOLD), (2, IMAGE)):
        assert model.headerData(column, horizontal, DISPLAY) == name  # drawn as plain text
        tip = as_shown(model.headerData(column, horizontal, TOOLTIP))
        assert tip.startswith(f"{'input' if column == 0 else 'target'} column “{name}”"), tip


def test_the_tables_cell_tooltips_show_names_as_typed(named) -> None:
    model = named.table.model()
    assert as_shown(model.data(model.index(0, 0), TOOLTIP)) == f"input {BOLD} at t = 1: 0.1"
    tip = as_shown(model.data(model.index(1, 2), TOOLTIP))
    assert tip.startswith(f"target {IMAGE} at t = 2: "), tip


def test_the_tables_remove_action_names_the_column_as_typed(named, qtbot) -> None:
    table = named.table
    table.setCurrentIndex(table.model().index(0, 0))
    action = table.action_remove_column
    assert as_shown(action.toolTip()).startswith(f"Remove column {BOLD} (")
    _rename(named, 0, "R&D", qtbot)
    table.setCurrentIndex(table.model().index(0, 1))
    table.setCurrentIndex(table.model().index(0, 0))
    # a menu shows iconText's way: "&" marks a shortcut unless doubled
    assert action.iconText() == "Remove column R&D"
    assert table.action_rename_column.iconText() == "Rename column R&D"  # (… dropped too)


def test_the_unsaved_changes_question_shows_the_name_as_plain_text(named, monkeypatch):
    """The real box, answered by a click: its text is plain, Save|Discard|Cancel, Save the
    default; Cancel keeps the document."""
    named._title = BOLD + IMAGE  # an unsaved import takes its title from the CSV's name
    edited = named.session.document
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.update(
            name=box.objectName(),
            format=box.textFormat(),
            text=as_shown(box.text(), box.textFormat()),
            buttons=box.standardButtons(),
            default=box.standardButton(box.defaultButton()),
        )
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    with monkeypatch.context() as patch:  # undone before the window's close asks again
        patch.setattr(files, "headless", lambda: False)
        assert not named.confirm_discard()
    assert named.session.document is edited
    b = QMessageBox.StandardButton
    assert seen == {
        "name": "discardBox",
        "format": Qt.TextFormat.PlainText,
        "text": f"Save the changes to {BOLD}{IMAGE}?",
        "buttons": b.Save | b.Discard | b.Cancel,
        "default": b.Save,
    }
