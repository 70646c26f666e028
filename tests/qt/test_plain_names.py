"""Names from a file are shown as the text they are (issue 10): never as rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from rnn_studio import io as rio
from rnn_studio.examples import lecture

EVIL = '<img src="x.png">'


def test_a_column_name_in_the_legend_is_escaped(qtbot, window, tmp_path) -> None:
    doc = lecture().with_column_renamed(2, EVIL)
    path = tmp_path / "evil.rnn.json"
    rio.write_project(doc, path)
    window.open_path(path)
    labels = [label.text for _, label in window.plot.legend.items]
    assert any("&lt;img" in text for text in labels)
    assert not any("<img" in text for text in labels)


def test_an_error_box_shows_its_text_as_plain_text(qtbot, window) -> None:
    window.show_error("Cannot open", f"{EVIL}: not a project")
    box = window.findChild(QMessageBox, "errorBox")
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text().startswith(EVIL)
    box.close()
