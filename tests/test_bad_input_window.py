"""Bad files opened in the real window (MainWindow.open_path, offscreen): one message,
the open document untouched; a file whose only fault is a view setting opens whole.
And qt/plain.py, which shows text from a file as text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QSpinBox

from rnn_studio import io as rio
from rnn_studio.app import MainWindow
from rnn_studio.document import MAX_HIDDEN
from rnn_studio.examples import lecture
from rnn_studio.qt import player
from rnn_studio.qt.plain import plain_html, plain_tooltip, set_plain
from rnn_studio.view_settings import SPEED_RANGE


@pytest.fixture
def window(qtbot):
    w = MainWindow(None)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def project_file(tmp_path: Path, name: str = "p.rnn.json", **changes) -> Path:
    obj = rio.document_to_dict(lecture().with_cell_value(0, 0, 0.25))
    obj.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_the_view_range_is_the_speed_sliders() -> None:
    assert SPEED_RANGE == player.SPEEDS


def test_the_hidden_size_limit_is_the_weight_panels(window) -> None:
    spin = window.findChild(QSpinBox, "hiddenSizeSpin")
    assert spin.maximum() == MAX_HIDDEN


@pytest.mark.parametrize("speed", [2**31, 2**63, -(2**31) - 1, 0, 99, "fast", 3.5])
def test_a_bad_view_speed_opens_the_file_whole(window, tmp_path: Path, speed) -> None:
    before = window.player.speed_slider.value()
    path = project_file(tmp_path, view={"speed": speed, "step": 1})
    assert window.open_path(path)
    doc = window.session.document
    assert doc.inputs[0, 0] == 0.25 and window.path == path
    assert window.player.speed_slider.value() == before  # the bad speed is not applied
    assert window.session.step == 1  # the good setting beside it is


def test_a_good_view_speed_is_applied(window, tmp_path: Path) -> None:
    assert window.open_path(project_file(tmp_path, view={"speed": 2}))
    assert window.player.speed_slider.value() == 2


def _unchanged_after(window, path: Path) -> str:
    doc, file_path, title = window.session.document, window.path, window.windowTitle()
    messages: list[str] = []
    window.errorShown.connect(lambda _title, text: messages.append(text))
    assert window.open_path(path) is False
    assert window.session.document is doc and window.path == file_path
    assert window.windowTitle() == title
    assert len(messages) == 1 and "\n" not in messages[0]
    return messages[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", ["pipe.rnn.json", "pipe.csv", "pipe"])
def test_opening_a_fifo_changes_nothing_and_does_not_block(window, tmp_path, name) -> None:
    window.open_path(project_file(tmp_path))
    fifo = tmp_path / name
    os.mkfifo(fifo)
    assert "named pipe" in _unchanged_after(window, fifo)


def test_opening_a_folder_or_device_changes_nothing(window, tmp_path: Path) -> None:
    window.open_path(project_file(tmp_path))
    assert "folder" in _unchanged_after(window, tmp_path)
    if os.path.exists("/dev/zero"):
        assert "device" in _unchanged_after(window, Path("/dev/zero"))


@pytest.mark.parametrize(
    "changes",
    [
        {"input_names": ["x\ud800", "x2"]},
        {"hidden_size": None},
        {"inputs": [[1, None], [1, 2]]},
    ],
)
def test_a_bad_project_changes_nothing(window, tmp_path: Path, changes) -> None:
    window.open_path(project_file(tmp_path))
    assert _unchanged_after(window, project_file(tmp_path, "bad.rnn.json", **changes))


def test_a_wide_or_long_field_csv_changes_nothing(window, tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(1000)) + "\n" + "0," * 999 + "0\n")
    assert "1,000 columns" in _unchanged_after(window, wide)
    long = tmp_path / "long.csv"
    long.write_text("x," + "y" * 200_000 + "\n1,2\n", encoding="utf-8")
    assert "line 1" in _unchanged_after(window, long)


@pytest.mark.parametrize(("name", "fragment"), [("a\tb", "U+0009"), ("n" * 201, "200")])
def test_a_rename_to_a_bad_name_is_refused_with_a_message(window, qtbot, name, fragment):
    doc = window.session.document
    editor = window.table.start_rename(0)
    assert editor is not None
    editor.setText(name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert window.session.document is doc
    assert fragment in window.statusBar().currentMessage()


def test_a_lone_surrogate_never_becomes_a_column_name(window) -> None:
    """Qt's editor cannot hold one; a call with one (a paste from elsewhere) is refused."""
    doc = window.session.document
    assert window.table.rename_column(0, "x\ud800") is False
    assert window.session.document is doc
    assert "surrogate" in window.statusBar().currentMessage()


# -- plain text --------------------------------------------------------------------------------

HOSTILE = "<img src='x.png'> & <b>bold</b>"


def test_plain_html_escapes_markup() -> None:
    assert plain_html(HOSTILE) == "&lt;img src=&#x27;x.png&#x27;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    assert plain_tooltip("a\n<b>") == "<qt>a<br>&lt;b&gt;</qt>"


def test_set_plain_shows_the_text_itself(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    set_plain(label, HOSTILE)
    assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == HOSTILE
    box = QMessageBox()
    qtbot.addWidget(box)
    set_plain(box, f"bad.rnn.json: column {HOSTILE}")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"bad.rnn.json: column {HOSTILE}"
