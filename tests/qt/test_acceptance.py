"""The window as issue 3 checks it, using only the names of spec/ui.md (findChild by objectName)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel, QSlider, QTableView, QWidget

EDIT = Qt.ItemDataRole.EditRole


def child(window, cls, name):
    found = window.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found


def arithmetic_text(window) -> str:
    view = child(window, QWidget, "arithmeticView")
    return view.toPlainText() if hasattr(view, "toPlainText") else view.text()


def goto(window, t: int) -> None:
    child(window, QSlider, "stepSlider").setValue(t)


def test_step_one_reads_as_the_lecture_writes_it(window):
    goto(window, 1)
    text = arithmetic_text(window)
    assert "tanh(0.59)" in text and "0.5299" in text
    assert "tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299" in text
    # the loss of the steps computed so far: e₁² = 0.2299², not the whole sequence's yet
    assert child(window, QLabel, "lossLabel").text() == "loss 0.0529 so far"
    goto(window, 2)
    assert child(window, QLabel, "lossLabel").text() == "loss 0.0983"


def test_a_table_edit_and_a_weight_change_follow_at_once(window):
    goto(window, 1)
    table = child(window, QTableView, "dataTable")
    model = table.model()
    assert model.setData(model.index(0, 0), 0.2, EDIT)
    text = arithmetic_text(window)
    assert "0.7·0.2" in text and "0.5784" in text
    assert "tanh(0.7·0.2 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.66) = 0.5784" in text
    child(window, QDoubleSpinBox, "param:W:0:0").setValue(0.5)
    text = arithmetic_text(window)
    assert "0.5·0.2" in text and "0.5784" not in text
    expected = np.tanh(0.5 * 0.2 + 0.3 * 0.4 + 0.4)
    assert f"{expected:.4f}" in text


def test_the_player_actions_move_the_slider_through_every_step(qtbot, window):
    slider = child(window, QSlider, "stepSlider")
    T = 2
    assert (slider.minimum(), slider.maximum()) == (0, T)
    child(window, QAction, "actionFirst").trigger()
    assert slider.value() == 0
    seen = []
    for _ in range(T):
        child(window, QAction, "actionNext").trigger()
        seen.append(slider.value())
    assert seen == [1, 2]
    child(window, QAction, "actionPrev").trigger()
    assert slider.value() == 1
    child(window, QAction, "actionLast").trigger()
    assert slider.value() == T
    child(window, QAction, "actionFirst").trigger()
    assert slider.value() == 0
    child(window, QSlider, "speedSlider").setValue(child(window, QSlider, "speedSlider").maximum())
    play = child(window, QAction, "actionPlay")
    values: list[int] = []
    slider.valueChanged.connect(values.append)
    play.trigger()
    qtbot.waitUntil(lambda: slider.value() == T and not play.isChecked(), timeout=5000)
    assert values == [1, 2]
    play.trigger()  # at T, play starts over from 0
    assert slider.value() in (0, 1) and play.isChecked()
    play.trigger()
    assert not play.isChecked()


def test_the_plot_holds_the_computed_states(window):
    goto(window, 2)
    plot = child(window, QWidget, "statePlot")
    states = window.session.trace.states[1:, 0]
    found = False
    for item in plot.getPlotItem().listDataItems():
        x, y = item.getData()
        if x is None or y is None or len(y) != len(states):
            continue
        if np.allclose(y, states):
            found = True
    assert found, "no curve of the plot holds s_1..s_T"


def test_abc_typed_into_a_cell_changes_nothing_and_raises_nothing(window):
    goto(window, 1)
    before = arithmetic_text(window)
    model = child(window, QTableView, "dataTable").model()
    assert model.setData(model.index(0, 0), "abc", EDIT) is False
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole) == "0.1"
    assert arithmetic_text(window) == before


def test_thousands_of_spin_box_changes_do_not_crash(window):
    goto(window, 1)
    spin = child(window, QDoubleSpinBox, "param:W:0:0")
    for i in range(3000):
        spin.setValue(((i % 200) - 100) / 100)
        if i % 100 == 0:
            QApplication.processEvents()
    spin.setValue(0.7)
    QApplication.processEvents()
    assert "tanh(0.59) = 0.5299" in arithmetic_text(window)
