"""Issue 11, the Model panel as a newcomer used it: Randomize, Space, the seed, typed numbers,
undo of typed values, Reset weights and the arrow step (driven by objectName)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QPushButton, QSpinBox, QTextBrowser

from rnn_studio.document import initial_params


def _type(qtbot, spin: QDoubleSpinBox, text: str) -> None:
    """Click into a weight box, replace its text, press Enter (as a student does)."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def _params(window) -> dict[str, np.ndarray]:
    return {n: np.array(a) for n, a in window.session.document.params.items()}


# -- 1. Randomize after switching the cell --------------------------------------------------
def test_randomize_changes_every_weight_on_its_first_click_after_switching_to_gru(qtbot, window):
    cell = window.findChild(QComboBox, "cellCombo")
    cell.setCurrentIndex(cell.findData("gru"))
    before = _params(window)
    qtbot.mouseClick(window.findChild(QPushButton, "randomizeButton"), Qt.MouseButton.LeftButton)
    after = _params(window)
    assert after.keys() == before.keys()
    for name in before:
        assert not np.array_equal(after[name], before[name]), name


def test_randomize_with_gru_h3_changes_every_parameter_not_only_the_readout(qtbot, window):
    cell = window.findChild(QComboBox, "cellCombo")
    cell.setCurrentIndex(cell.findData("gru"))
    window.findChild(QSpinBox, "hiddenSizeSpin").setValue(3)
    button = window.findChild(QPushButton, "randomizeButton")
    for _ in range(3):
        before = _params(window)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        after = _params(window)
        changed = {n for n in before if not np.array_equal(before[n], after[n])}
        assert changed == set(before)
        seed = window.findChild(QSpinBox, "seedSpin").value()
        drawn = initial_params(window.session.document.spec, seed)
        assert all(np.array_equal(drawn[n], after[n]) for n in drawn)  # seed shown = weights


# -- 2. Space plays, whatever button of the panel has focus ---------------------------------
@pytest.mark.parametrize("name", ["randomizeButton", "resetButton"])
def test_space_on_a_focused_panel_button_plays_and_leaves_the_weights(qtbot, window, name):
    button = window.findChild(QPushButton, name)
    assert button.focusPolicy() == Qt.FocusPolicy.TabFocus  # a click does not focus it
    before = window.session.document
    button.setFocus()  # reached with Tab
    assert button.hasFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert window.player.playing
    window.player.pause()
    assert window.session.document is before
    assert not window.findChild(object, "resetMenu").isVisible()


def test_space_in_a_weight_box_plays_too_and_the_weight_stays(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:0")
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Space)
    assert window.player.playing
    window.player.pause()
    assert window.session.document.params["W"][0, 0] == 0.7


def test_enter_presses_a_button_reached_with_tab(qtbot, window):
    button = window.findChild(QPushButton, "randomizeButton")
    button.setFocus()
    before = window.session.document
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert window.session.document is not before


# -- 4. the seed shown gives the weights shown, also after reopening -------------------------
def test_a_project_drawn_with_seed_1_reopens_showing_seed_1(qtbot, window, make_window, tmp_path):
    seed_spin = window.findChild(QSpinBox, "seedSpin")
    seed_spin.setFocus()
    seed_spin.lineEdit().selectAll()
    qtbot.keyClicks(seed_spin.lineEdit(), "1")
    qtbot.keyClick(seed_spin.lineEdit(), Qt.Key.Key_Return)
    qtbot.mouseClick(window.findChild(QPushButton, "randomizeButton"), Qt.MouseButton.LeftButton)
    assert seed_spin.value() == 1
    drawn = _params(window)
    path = tmp_path / "seeded.rnn.json"
    assert window.save_to(path)
    again = make_window()
    assert again.open_path(path)
    shown = again.findChild(QSpinBox, "seedSpin")
    assert shown.value() == 1 and shown.text() == "seed 1"
    expected = initial_params(again.session.document.spec, 1)
    assert all(np.array_equal(expected[n], drawn[n]) for n in expected)
    # a weight typed by hand: no seed gives these weights any more
    _type(qtbot, again.findChild(QDoubleSpinBox, "param:b:0"), "0.5")
    assert shown.text() == "no seed"
    again.session.undo_stack.undo()
    assert shown.text() == "seed 1"
    again.close()


def test_the_lectures_values_come_from_no_seed(window):
    assert window.findChild(QSpinBox, "seedSpin").text() == "no seed"


# -- 5. a typed number shows as typed, in the box and in the arithmetic -----------------------
def test_a_typed_weight_shows_as_typed_in_the_box_and_the_arithmetic(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:0")
    _type(qtbot, spin, "0.123456")
    assert window.session.document.params["W"][0, 0] == 0.123456
    assert spin.text() == "0.123456"
    window.session.set_step(1)
    text = window.findChild(QTextBrowser, "arithmeticView").toPlainText()
    assert "0.123456·0.1" in text and "0.1235·" not in text


# -- 6. each typed value is its own undo step; arrow turns merge ------------------------------
def test_two_typed_values_undo_one_at_a_time_and_arrow_turns_as_one(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:0")
    stack = window.session.undo_stack
    _type(qtbot, spin, "2")
    _type(qtbot, spin, "2.5")
    assert window.session.document.params["W"][0, 0] == 2.5
    stack.undo()
    assert window.session.document.params["W"][0, 0] == 2.0
    assert spin.text() == "2"
    stack.undo()
    assert window.session.document.params["W"][0, 0] == 0.7
    stack.redo()
    stack.redo()
    count = stack.count()
    spin.setFocus()
    for _ in range(3):
        qtbot.keyClick(spin, Qt.Key.Key_Up)  # ± 0.1, three turns
    assert window.session.document.params["W"][0, 0] == pytest.approx(2.8)
    assert stack.count() == count + 1
    stack.undo()
    assert window.session.document.params["W"][0, 0] == 2.5


# -- 10.4: a typed number is taken as typed or refused with a message ------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [("0,5", 0.5), ("1e6", 1e6), ("99999", 99999.0), ("-1,25", -1.25), ("1e-20", 1e-20)],
)
def test_a_typed_number_is_taken_as_typed(qtbot, window, typed, value):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:1")
    _type(qtbot, spin, typed)
    assert window.session.document.params["W"][0, 1] == value


@pytest.mark.parametrize("typed", ["1e309", "abc", "1,2,3", "nan"])
def test_a_number_out_of_reach_is_refused_with_a_message(qtbot, window, typed):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:1")
    before = window.session.document
    _type(qtbot, spin, typed)
    assert window.session.document is before
    assert spin.text() == "0.3"
    message = window.statusBar().currentMessage()
    assert typed in message and "not a finite number" in message and "W row 1" in message


# -- 10. one Reset weights button, a menu of what to reset to ---------------------------------
def test_reset_weights_offers_the_lectures_values_for_the_lectures_shape(qtbot, window):
    button = window.findChild(QPushButton, "resetButton")
    assert button.text() == "Reset weights ▾"
    _type(qtbot, window.findChild(QDoubleSpinBox, "param:W:0:0"), "2")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    menu = window.findChild(object, "resetMenu")
    qtbot.waitUntil(menu.isVisible)
    names = [a.objectName() for a in menu.actions() if a.isVisible()]
    assert names == ["resetLecture", "resetOpened", "resetSeeded"]
    window.findChild(object, "resetLecture").trigger()
    menu.hide()
    assert window.session.document.params["W"].tolist() == [[0.7, 0.3, 0.4]]
    assert window.session.undo_stack.undoText() == "Reset weights to the lecture's values"
    window.findChild(object, "resetSeeded").trigger()
    spec = window.session.document.spec
    assert np.array_equal(window.session.document.params["W"], initial_params(spec, 0)["W"])
    assert window.findChild(QSpinBox, "seedSpin").text() == "seed 0"


# -- 11. the arrow step is not the random range -------------------------------------------------
def test_the_step_size_is_labelled_as_the_arrow_step(window):
    combo = window.findChild(QComboBox, "stepSizeCombo")
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["0.001", "0.01", "0.1", "1"]  # no "±" to read as a random range
    assert combo.accessibleName() == "Arrow step"
    assert "Randomize" in combo.toolTip() and "↑/↓" in combo.toolTip()
    randomize = window.findChild(QPushButton, "randomizeButton")
    assert "±1/√h" in randomize.toolTip()
