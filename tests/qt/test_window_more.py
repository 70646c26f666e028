"""More of the window: animation on Next, overflow shown as a message, unsaved-change questions,
a big LSTM panel built fast, the screenshot script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QDoubleSpinBox, QMessageBox, QSpinBox

from rnn_studio.app import MainWindow
from rnn_studio.qt.window import dialogs, files

ROOT = Path(__file__).resolve().parents[2]


def test_next_animates_the_diagram_and_the_slider_does_not(qtbot, window):
    window.findChild(QAction, "actionNext").trigger()
    assert window.session.step == 1
    assert window.diagram.is_animating()
    with qtbot.waitSignal(window.diagram.animationFinished, timeout=5000):
        pass
    window.findChild(QAction, "actionFirst").trigger()
    window.player.step_slider.setValue(2)
    assert not window.diagram.is_animating()


def test_an_overflow_is_shown_as_a_message_not_an_exception(window):
    s = window.session
    s.edit(lambda d: d.with_activation("identity"), "identity")
    s.edit(lambda d: d.with_rows_inserted(2, 200), "rows")
    window.findChild(QDoubleSpinBox, "param:W:0:2").setValue(100.0)
    assert not s.trace.finite
    assert "overflowed at step" in window.last_message
    assert "overflowed" in window.statusBar().currentMessage()
    window.findChild(QAction, "actionLast").trigger()
    QApplication.processEvents()
    window.findChild(QDoubleSpinBox, "param:W:0:2").setValue(0.4)
    assert s.trace.finite
    assert window.statusBar().currentMessage() == ""  # a good edit clears the warning


def test_unsaved_changes_are_asked_about(window, monkeypatch):
    monkeypatch.setattr(files, "headless", lambda: False)
    answers = []

    def ask_to_save(*_args, **_kwargs):
        return answers.pop(0)

    monkeypatch.setattr(files, "ask_to_save", ask_to_save)
    window.findChild(QDoubleSpinBox, "param:b:0").setValue(0.0)
    edited = window.session.document
    answers.append(QMessageBox.StandardButton.Cancel)
    window.new_lecture()
    assert window.session.document is edited
    answers.append(QMessageBox.StandardButton.Discard)
    window.new_lecture()
    assert window.session.document.params["b"][0] == 0.4
    assert not window.isWindowModified()
    # back at a clean document nothing is asked
    window.new_lecture()
    assert answers == []


def test_a_16_unit_lstm_panel_is_built_once_with_one_recompute(window):
    window.findChild(QComboBox, "cellCombo").setCurrentIndex(1)
    builds, recomputes = window.params.grid_builds, window.session.recompute_count
    window.findChild(QSpinBox, "hiddenSizeSpin").setValue(16)
    # the time this takes is in benchmarks/bench_window.py ("16-unit LSTM panel")
    assert window.params.grid_builds == builds + 1
    assert window.session.recompute_count == recomputes + 1
    assert window.findChild(QDoubleSpinBox, "param:W_o:15:17") is not None
    assert window.params.spin_count == 4 * 16 * (2 + 16) + 4 * 16 + 2 * 16 + 16 + 1
    window.findChild(QSpinBox, "hiddenSizeSpin").setValue(1)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_screenshot_script_renders_the_real_window(tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rnn_studio.screenshots",
            "--out",
            str(tmp_path / "shots"),
            "--size",
            "1200x800",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    from PySide6.QtGui import QImage

    pictures = sorted((tmp_path / "shots").glob("*.png"))
    assert len(pictures) == 8
    for picture in pictures:
        image = QImage(str(picture))
        assert (image.width(), image.height()) == (1200, 800), picture.name


def test_clicking_the_toolbar_buttons_and_closing_while_playing(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolBar

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    bar = w.findChild(QToolBar, "playerToolBar")
    next_button = bar.widgetForAction(w.findChild(QAction, "actionNext"))
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert w.player.step_slider.value() == 1
    w.findChild(QAction, "actionFirst").trigger()
    w.findChild(QAction, "actionPlay").trigger()
    assert w.player.playing
    w.close()
    assert not w.player.playing
    assert not w.diagram.is_animating()


def test_ctrl_z_and_ctrl_y_undo_and_redo_from_the_keyboard(qtbot, window):
    from PySide6.QtCore import Qt

    window.activateWindow()
    qtbot.waitActive(window)
    window.findChild(QDoubleSpinBox, "param:b:0").setValue(0.0)
    window.diagram.setFocus()
    qtbot.keyClick(window.diagram, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.params["b"][0] == 0.4
    qtbot.keyClick(window.diagram, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.params["b"][0] == 0.0
    qtbot.keyClick(window.diagram, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.params["b"][0] == 0.4
    qtbot.keyClick(
        window.diagram,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.session.document.params["b"][0] == 0.0


def test_importing_a_csv_with_chosen_targets(window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    csv = tmp_path / "two-targets.csv"
    csv.write_text("a;b;c;d\n1;2;3;4\n5;6;;8\n", encoding="utf-8")
    assert files.csv_header(csv) == ["a", "b", "c", "d"]
    dialog = dialogs.TargetDialog(files.csv_header(csv), window)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.targets() == ["d"] and ok.isEnabled()
    dialog.list.item(3).setCheckState(Qt.CheckState.Unchecked)
    assert not ok.isEnabled()  # no target: refused
    dialog.list.item(2).setCheckState(Qt.CheckState.Checked)
    dialog.list.item(3).setCheckState(Qt.CheckState.Checked)
    assert dialog.targets() == ["c", "d"] and ok.isEnabled()
    assert window.open_path(csv, targets=dialog.targets())
    doc = window.session.document
    assert doc.input_names == ("a", "b") and doc.target_names == ("c", "d")
    dialog.close()


def test_dark_theme_toggles_the_palette_and_is_remembered(qtbot, window):
    from PySide6.QtCore import QSettings

    from rnn_studio.qt.style import apply_theme, is_dark

    action = window.findChild(QAction, "actionDarkTheme")
    assert not action.isChecked() and not is_dark()
    play = window.findChild(QAction, "actionPlay")
    light_icon = play.icon().pixmap(24, 24).toImage()
    try:
        action.trigger()
        QApplication.processEvents()
        assert is_dark()
        dark_icon = play.icon().pixmap(24, 24).toImage()
        assert dark_icon != light_icon  # re-tinted for the dark background
        window.save_settings()
        assert str(QSettings().value("view/dark")).lower() == "true"
        action.trigger()
        assert not is_dark()
    finally:
        apply_theme(False)


def test_first_show_gives_the_arithmetic_room_for_a_lecture_line(qtbot) -> None:
    """At the default size the lecture's step-2 line fits the arithmetic panel unwrapped."""
    from PySide6.QtGui import QFontMetrics

    from rnn_studio.app import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    line = "s₂ = tanh(0.7·0.7 + 0.3·0.9 + 0.4·0.5299 + 0.4) = tanh(1.3720) = 0.8791"
    view = window.arithmetic
    needed = QFontMetrics(view.font()).horizontalAdvance(line)
    qtbot.waitUntil(lambda: view.viewport().width() > needed + 40, timeout=2000)
    assert window.arithmetic_dock.width() > 1.5 * window.plot_dock.width()
    window.close()
