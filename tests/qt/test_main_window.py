"""The window driven as a user drives it: edits, undo/redo, keys, files, settings, cell switches."""

from __future__ import annotations

import gc
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QMessageBox,
    QSlider,
    QSpinBox,
    QWidget,
)

from rnn_studio import io as rio
from rnn_studio.examples import lecture

ROOT = Path(__file__).resolve().parents[2]
EDIT = Qt.ItemDataRole.EditRole


def _flush() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _count_show_document(window, monkeypatch) -> dict[str, int]:
    calls = {"diagram": 0, "arithmetic": 0, "plot": 0}
    for name in calls:
        view = getattr(window, name)
        original = view.show_document

        def counted(doc, trace, _name=name, _original=original):
            calls[_name] += 1
            return _original(doc, trace)

        monkeypatch.setattr(view, "show_document", counted)
    return calls


def test_status_bar_shows_loss_length_and_parameter_count(window):
    # reveal, don't spoil: no step is computed at step 0, so there is no loss yet
    assert window.loss_label.text() == "loss —"
    window.session.set_step(2)
    assert window.loss_label.text() == "loss 0.0983"
    assert window.length_label.text() == "T = 2"
    assert window.count_label.text() == "4 parameters"
    window.table.action_insert_below.trigger()
    assert window.length_label.text() == "T = 3"


def test_undo_and_redo_of_every_kind_of_edit(window):
    s = window.session
    stack = s.undo_stack
    original = s.document
    model = window.table.model()
    undo = window.action_undo
    redo = window.action_redo
    # a cell edit
    model.setData(model.index(0, 0), "0.2", EDIT)
    undo.trigger()
    assert s.document.inputs[0, 0] == 0.1 and model.data(model.index(0, 0)) == "0.1"
    redo.trigger()
    assert s.document.inputs[0, 0] == 0.2
    # a weight change
    spin = window.findChild(QDoubleSpinBox, "param:b:0")
    spin.setValue(-0.1)
    assert s.document.params["b"][0] == -0.1
    undo.trigger()
    assert spin.value() == 0.4 and s.document.params["b"][0] == 0.4
    # a hidden size change (a structure change rebuilds the panel)
    window.findChild(QSpinBox, "hiddenSizeSpin").setValue(3)
    assert s.document.hidden_size == 3
    assert window.findChild(QDoubleSpinBox, "param:W:2:4") is not None
    undo.trigger()
    _flush()
    assert s.document.hidden_size == 1
    assert window.findChild(QDoubleSpinBox, "param:W:2:4") is None
    assert window.findChild(QSpinBox, "hiddenSizeSpin").value() == 1
    # a cell switch
    window.findChild(QComboBox, "cellCombo").setCurrentIndex(1)
    assert s.document.cell == "lstm"
    undo.trigger()
    assert s.document.cell == "rnn"
    assert window.findChild(QComboBox, "cellCombo").currentData() == "rnn"
    redo.trigger()
    assert s.document.cell == "lstm"
    while stack.canUndo():
        stack.undo()
    assert s.document.equals(original)


def test_a_bulk_paste_is_one_recompute_and_one_redraw(qtbot, window, monkeypatch):
    s = window.session
    calls = _count_show_document(window, monkeypatch)
    before = s.recompute_count
    rows = "\n".join(f"{i / 10}\t{-i / 10}\t{i / 20}" for i in range(50))
    QGuiApplication.clipboard().setText(rows + "\n")
    table = window.table
    table.setFocus()
    table.selectionModel().setCurrentIndex(
        table.model().index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert s.document.T == 50
    assert s.recompute_count == before + 1
    assert calls == {"diagram": 1, "arithmetic": 1, "plot": 1}
    assert window.findChild(QSlider, "stepSlider").maximum() == 50
    window.action_undo.trigger()
    assert s.document.T == 2 and window.findChild(QSlider, "stepSlider").maximum() == 2


def test_stepping_never_recomputes_or_redraws_the_document(window, monkeypatch):
    s = window.session
    calls = _count_show_document(window, monkeypatch)
    before = s.recompute_count
    for name in ("actionNext", "actionNext", "actionPrev", "actionFirst", "actionLast"):
        window.findChild(QAction, name).trigger()
    assert s.recompute_count == before
    assert calls == {"diagram": 0, "arithmetic": 0, "plot": 0}


def test_keys_drive_the_player(qtbot, window):
    slider = window.findChild(QSlider, "stepSlider")
    window.diagram.setFocus()
    assert slider.value() == 0
    qtbot.keyClick(window.diagram, Qt.Key.Key_Right)
    assert slider.value() == 1
    qtbot.keyClick(window.diagram.viewport(), Qt.Key.Key_Right)
    assert slider.value() == 2
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert slider.value() == 1
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert slider.value() == 0
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert slider.value() == 2
    window.findChild(QSlider, "speedSlider").setValue(10)
    qtbot.keyClick(window.diagram, Qt.Key.Key_Space)
    assert window.player.playing
    qtbot.keyClick(window.diagram, Qt.Key.Key_Space)
    assert not window.player.playing
    # in the table the arrows move between cells, not through time
    window.table.setFocus()
    before = slider.value()
    window.table.setCurrentIndex(window.table.model().index(0, 0))
    qtbot.keyClick(window.table, Qt.Key.Key_Right)
    assert slider.value() == before
    assert window.table.currentIndex().column() == 1


def test_play_stops_at_t_and_leaves_no_timer(qtbot, window):
    window.findChild(QSlider, "speedSlider").setValue(10)
    window.session.edit(lambda d: d.with_rows_inserted(2, 2), "rows")
    play = window.findChild(QAction, "actionPlay")
    play.trigger()
    assert play.isChecked() and window.player.playing
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=5000)
    assert window.session.step == 4
    assert not window.player.playing


def test_speed_sets_the_animation_duration(window):
    speed = window.findChild(QSlider, "speedSlider")
    speed.setValue(speed.minimum())
    slow = window.diagram.animation_duration()
    speed.setValue(speed.maximum() - 1)  # the fastest animated notch
    fast = window.diagram.animation_duration()
    assert 1300 <= slow <= 1600 and 80 <= fast <= 150
    assert "ms" in speed.toolTip()
    speed.setValue(speed.maximum())  # the top notch: no animation at all
    assert window.diagram.animation_duration() == 0
    assert "no animation" in speed.toolTip()


def test_switching_cells_keeps_the_table_and_leaves_nothing_behind(window):
    combo = window.findChild(QComboBox, "cellCombo")
    table = window.table.model()
    data = window.session.document.inputs.copy()

    def cycle():
        for index in (1, 2, 0):
            combo.setCurrentIndex(index)
            _flush()
            assert np.array_equal(window.session.document.inputs, data)
            assert table.rowCount() == 2 and table.columnCount() == 3

    def python_objects() -> int:
        window.session.undo_stack.clear()  # the history rightly keeps documents; drop it
        gc.collect()
        return len(gc.get_objects())

    cycle()
    objects = python_objects()  # first: collecting may free earlier tests' windows
    _flush()
    widgets = len(QApplication.allWidgets())
    items = len(window.diagram.scene().items())
    for _ in range(6):
        cycle()
    assert len(QApplication.allWidgets()) == widgets
    assert len(window.diagram.scene().items()) == items
    assert python_objects() - objects < 100
    combo.setCurrentIndex(1)
    window.session.set_step(1)
    text = window.arithmetic.toPlainText()
    for gate in ("i₁ = σ(", "f₁ = σ(", "g₁ = tanh(", "o₁ = σ(", "c₁ = "):
        assert gate in text


def test_every_named_control_has_an_accessible_name_and_a_tooltip(window):
    names = [
        "dataTable",
        "cellCombo",
        "activationCombo",
        "readoutCombo",
        "hiddenSizeSpin",
        "stepSlider",
        "speedSlider",
        "arithmeticView",
        "diagramView",
        "statePlot",
        "lossLabel",
        "stepSizeCombo",
        "seedSpin",
        "randomizeButton",
        "resetButton",
        "param:W:0:0",
        "param:W:0:2",
        "param:b:0",
        "param:initial_state:0",
    ]
    for name in names:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
        assert widget.toolTip(), name
    for name in ("actionFirst", "actionPrev", "actionPlay", "actionNext", "actionLast"):
        action = window.findChild(QAction, name)
        assert action is not None and action.toolTip() and not action.icon().isNull(), name


def test_open_path_good_and_bad(qtbot, window, tmp_path):
    good = tmp_path / "lstm.rnn.json"
    doc = lecture().with_cell("lstm", seed=3)
    rio.write_project(doc, good)
    assert window.open_path(good)
    assert window.session.document.equals(doc)
    assert window.path == good
    assert window.findChild(QComboBox, "cellCombo").currentData() == "lstm"
    assert "lstm.rnn.json" in window.windowTitle()

    bad = tmp_path / "bad.rnn.json"
    bad.write_text('{"format": "rnn-studio", "version": 1, "cell": "rnn"', encoding="utf-8")
    before = window.session.document
    with qtbot.waitSignal(window.errorShown) as blocker:
        assert not window.open_path(bad)
    assert window.session.document is before
    assert "bad.rnn.json" in blocker.args[1]
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "bad.rnn.json" in box.text()
    box.close()

    missing = tmp_path / "missing.csv"
    assert not window.open_path(missing)
    assert window.session.document is before
    for b in window.findChildren(QMessageBox):
        b.close()

    csv = tmp_path / "table.csv"
    csv.write_text("a,b,target\n1,2,3\n4,5,\n6,7,8\n", encoding="utf-8")
    assert window.open_path(csv)
    d = window.session.document
    assert d.input_names == ("a", "b") and d.T == 3 and math.isnan(d.targets[1, 0])
    assert window.path is None  # a CSV is imported; saving asks for a project name
    assert window.recent_files()[0] == str(csv.resolve())


def test_save_writes_a_file_that_reloads_equal(window, tmp_path):
    model = window.table.model()
    model.setData(model.index(1, 2), "", EDIT)
    window.findChild(QDoubleSpinBox, "param:W:0:1").setValue(-0.35)
    assert window.isWindowModified()
    path = tmp_path / "saved.rnn.json"
    assert window.save_to(path)
    assert not window.isWindowModified()
    assert rio.read_path(path).equals(window.session.document)
    assert window.save()  # saves again to the same path, no dialog
    assert rio.read_path(path).equals(window.session.document)


def test_settings_remember_geometry_docks_and_speed(make_window):
    first = make_window()
    first.resize(700, 520)
    first.plot_dock.hide()
    first.findChild(QSlider, "speedSlider").setValue(8)
    first.close()
    second = make_window()
    try:
        assert second.size().width() == 700 and second.size().height() == 520
        assert not second.plot_dock.isVisible()
        assert second.findChild(QSlider, "speedSlider").value() == 8
        second.reset_layout()
        assert second.plot_dock.isVisible()
    finally:
        second.close()


def test_examples_open_from_the_menu(window):
    action = window.findChild(QAction, "example:gru-by-hand")
    assert action is not None
    action.trigger()
    assert window.session.document.cell == "gru"
    assert window.session.undo_stack.count() == 0


def _run_main(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        RNN_STUDIO_QUIT_AFTER_MS="400",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    code = "import sys; from rnn_studio.app import main; raise SystemExit(main(*sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_main_runs_and_quits_cleanly_in_a_subprocess(tmp_path):
    result = _run_main(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_main_with_a_bad_file_falls_back_to_the_lecture(tmp_path):
    bad = tmp_path / "broken.csv"
    bad.write_text("x,y\n1,abc\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("x,y\n1,2\n", encoding="utf-8")
    for path in (bad, good):
        result = _run_main(tmp_path, str(path))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


def test_every_visible_control_has_a_tooltip(window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QLineEdit,
        QScrollBar,
    )

    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QSlider, QAbstractItemView, QLineEdit)
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or isinstance(widget, QScrollBar):
            continue
        if not widget.isVisible() or widget.objectName() == "qt_spinbox_lineedit":
            continue  # a spin box's line edit shows its spin box's tooltip
        if not widget.toolTip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert not missing, missing


def test_the_recent_menu_shows_a_path_with_an_ampersand_in_full(window, tmp_path):
    folder = tmp_path / "R&D"
    folder.mkdir()
    path = folder / "lecture.rnn.json"
    assert window.save_to(path)
    assert window.recent_files()[0] == str(path.resolve())
    window.recent_menu.aboutToShow.emit()
    first = window.recent_menu.actions()[0]
    assert first.text().replace("&&", "&") == str(path.resolve())
    assert "&&" in first.text()  # shown as "&", not taken as a mnemonic
    assert first.toolTip() == str(path.resolve())
