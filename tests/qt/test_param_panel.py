"""The Model panel: spin boxes laid out like the matrices, generic over rnn, lstm and gru."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel

from rnn_studio.document import initial_params
from rnn_studio.examples import lecture
from rnn_studio.qt.param_panel import ParamPanel
from rnn_studio.qt.session import Session


@pytest.fixture
def panel(qtbot):
    session = Session(lecture())
    widget = ParamPanel(session)
    session.setParent(widget)
    qtbot.addWidget(widget)
    widget.resize(420, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _flush() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _spin(panel, name) -> QDoubleSpinBox:
    spin = panel.findChild(QDoubleSpinBox, name)
    assert spin is not None, name
    return spin


def test_the_lectures_w_reads_like_its_matrix(panel):
    spins = [_spin(panel, f"param:W:0:{j}") for j in range(3)]
    assert [s.value() for s in spins] == [0.7, 0.3, 0.4]
    assert [s.text() for s in spins] == ["0.7", "0.3", "0.4"]
    assert _spin(panel, "param:b:0").value() == 0.4
    assert _spin(panel, "param:initial_state:0").value() == 0.0
    # the column headers above W's three numbers are x1 | x2 | s1
    grid = spins[0].parentWidget().layout()
    headers = []
    for j in range(3):
        pos = grid.getItemPosition(grid.indexOf(spins[j]))
        headers.append(grid.itemAtPosition(0, pos[1]).widget().text())
    assert headers == ["x1", "x2", "s1"]
    assert spins[1].accessibleName() == "W row 1, column x2"
    assert spins[1].keyboardTracking() is False
    assert spins[1].toolTip()


def test_set_value_changes_the_document_once_and_undo_restores_it(panel):
    session = panel._session
    before = session.recompute_count
    _spin(panel, "param:W:0:0").setValue(0.5)
    assert session.document.params["W"][0, 0] == 0.5
    assert session.recompute_count == before + 1
    session.undo_stack.undo()
    assert session.document.params["W"][0, 0] == 0.7
    assert _spin(panel, "param:W:0:0").value() == 0.7


def test_arrow_keys_change_by_the_chosen_step(qtbot, panel):
    panel.findChild(object, "stepSizeCombo").setCurrentIndex(1)  # 0.01
    spin = _spin(panel, "param:b:0")
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert panel._session.document.params["b"][0] == pytest.approx(0.41)
    panel.findChild(object, "stepSizeCombo").setCurrentIndex(3)  # 1
    qtbot.keyClick(spin, Qt.Key.Key_Down)
    assert panel._session.document.params["b"][0] == pytest.approx(-0.59)


def test_typing_a_value_and_leaving_a_box_untouched(qtbot, panel):
    session = panel._session
    session.edit(lambda d: d.with_param("W", (0, 1), 0.12345678901234), "precise")
    spin = _spin(panel, "param:W:0:1")
    assert spin.text() == "0.1235"  # a computed-looking value: 4 decimals shown
    spin.setFocus()
    spin.clearFocus()  # focus out without typing: nothing changes
    spin.interpretText()
    assert session.document.params["W"][0, 1] == 0.12345678901234
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "-0.25")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert session.document.params["W"][0, 1] == -0.25


def test_hidden_size_reshapes_and_keeps_what_fits(panel):
    session = panel._session
    panel.findChild(object, "hiddenSizeSpin").setValue(2)
    doc = session.document
    assert doc.hidden_size == 2 and doc.params["W"].shape == (2, 4)
    assert doc.readout == "linear"
    assert _spin(panel, "param:W:0:0").value() == 0.7
    assert _spin(panel, "param:W:1:3") is not None
    assert _spin(panel, "param:V:0:1") is not None
    assert _spin(panel, "param:initial_state:1") is not None
    session.undo_stack.undo()
    _flush()
    assert panel.findChild(QDoubleSpinBox, "param:W:1:3") is None
    assert session.document.hidden_size == 1


def test_cells_group_their_parameters_by_gate(panel):
    combo = panel.findChild(object, "cellCombo")
    assert [combo.itemData(i) for i in range(combo.count())] == ["rnn", "lstm", "gru"]
    combo.setCurrentIndex(1)
    _flush()
    doc = panel._session.document
    assert doc.cell == "lstm" and doc.inputs.tolist() == lecture().inputs.tolist()
    titles = [
        b.title()
        for b in panel.findChildren(object)
        if hasattr(b, "title") and b.objectName().startswith("group:")
    ]
    for title in ("input gate i", "forget gate f", "candidate g", "output gate o"):
        assert title in titles
    assert _spin(panel, "param:W_f:0:2").value() == doc.params["W_f"][0, 2]
    assert _spin(panel, "param:initial_cell:0") is not None
    assert not panel.findChild(object, "activationCombo").isEnabled()
    combo.setCurrentIndex(2)
    _flush()
    titles = [
        b.title()
        for b in panel.findChildren(object)
        if hasattr(b, "title") and b.objectName().startswith("group:")
    ]
    for title in ("reset gate r", "update gate z", "candidate n"):
        assert title in titles
    assert panel.findChild(QDoubleSpinBox, "param:b_nh:0") is not None
    assert panel.findChild(QDoubleSpinBox, "param:initial_cell:0") is None


def test_randomize_is_reproducible_and_reset_brings_back_the_lecture(panel):
    session = panel._session
    panel.findChild(object, "seedSpin").setValue(7)
    qbutton = panel.findChild(object, "randomizeButton")
    qbutton.click()
    expected = initial_params(session.document.spec, 7)
    assert np.array_equal(session.document.params["W"], expected["W"])
    first = session.document
    session.edit(lambda d: d.with_param("W", (0, 0), 1.0), "x")
    assert panel.findChild(object, "seedSpin").text() == "no seed"  # W[1, 1] typed
    qbutton.click()  # each click draws new weights: the next seed, shown
    assert panel.findChild(object, "seedSpin").value() == 8
    expected = initial_params(session.document.spec, 8)
    assert np.array_equal(session.document.params["W"], expected["W"])
    panel.findChild(object, "seedSpin").setValue(7)  # the seed typed again ...
    qbutton.click()
    assert session.document.equals(first)  # ... gives its weights again
    panel.findChild(object, "resetLecture").trigger()
    assert session.document.params["W"].tolist() == [[0.7, 0.3, 0.4]]
    assert panel.findChild(object, "seedSpin").text() == "no seed"


def test_a_refused_readout_snaps_the_combo_back(panel):
    session = panel._session
    messages: list[str] = []
    session.messageRaised.connect(messages.append)
    panel.findChild(object, "hiddenSizeSpin").setValue(3)
    combo = panel.findChild(object, "readoutCombo")
    combo.setCurrentIndex(combo.findData("identity"))
    assert session.document.readout == "linear"
    assert combo.currentData() == "linear"
    assert "identity readout" in messages[-1]


def test_column_headers_follow_the_input_names(panel):
    session = panel._session
    session.edit(lambda d: d.with_column_renamed(0, "speed"), "rename")
    labels = [w.text() for w in panel.findChildren(QLabel)]
    assert "speed" in labels


def test_reset_goes_back_to_the_opened_values_for_other_shapes(panel):
    from rnn_studio.examples import example

    session = panel._session
    session.reset(example("gru-by-hand"))
    panel._update_reset_menu()
    menu = panel.findChild(object, "resetMenu")
    visible = [a.objectName() for a in menu.actions() if a.isVisible()]
    assert visible == ["resetOpened", "resetSeeded"]  # no lecture's values for a GRU
    opened = session.document
    panel.findChild(object, "randomizeButton").click()
    assert not session.document.equals(opened)
    panel.findChild(object, "resetOpened").trigger()
    assert session.document.equals(opened)
    panel.findChild(object, "hiddenSizeSpin").setValue(2)
    panel._update_reset_menu()
    assert not panel.findChild(object, "resetOpened").isVisible()
    panel.findChild(object, "resetSeeded").trigger()
    assert np.array_equal(
        session.document.params["W_r"], initial_params(session.document.spec, 0)["W_r"]
    )
    assert panel.findChild(object, "seedSpin").value() == 0
