"""The review's polish findings, driven as a user drives the window (keys, clicks, menus)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QSpinBox

from rnn_studio.app import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.stop_timers()
    w.close()


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    QApplication.processEvents()


# -- 1. Ctrl+Z in a spin box undoes the document ---------------------------------------------
def test_ctrl_z_in_a_weight_box_undoes_the_document(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:1")
    _click(qtbot, spin)
    assert spin.hasFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.3)
    assert float(spin.text()) == pytest.approx(0.3)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(spin, Qt.Key.Key_Y, CTRL)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)


def test_a_typed_value_is_committed_before_ctrl_z_takes_it_back(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:b:0")
    _click(qtbot, spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "0.9")  # typed, not yet entered
    assert window.session.document.params["b"][0] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.params["b"][0] == pytest.approx(0.4)
    assert float(spin.text()) == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL | SHIFT)  # the typed value comes back
    assert window.session.document.params["b"][0] == pytest.approx(0.9)
    assert float(spin.text()) == pytest.approx(0.9)


def test_ctrl_z_in_the_hidden_size_box_undoes_the_document(qtbot, window):
    spin = window.findChild(QSpinBox, "hiddenSizeSpin")
    _click(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.session.document.hidden_size == 2
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.hidden_size == 1
    assert spin.value() == 1
    qtbot.keyClick(spin, Qt.Key.Key_Y, CTRL)
    assert window.session.document.hidden_size == 2
