"""The compact vector view (issue 11, item 14), driven by objectName as a user does: the
default follows the hidden size, the action and the corner button switch and keep the
choice, the vectors reveal each step's values (and gradients) as the per-unit nodes do,
the heat maps are the weights, and an export draws the view shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QMenu, QSlider, QSpinBox, QToolButton

from rnn_studio import io
from rnn_studio.explain import fmt
from rnn_studio.qt.diagram.compact_item import CompactItem
from rnn_studio.qt.diagram.gradients import grad_compact


def action(window, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert found is not None, name
    return found


def button(window) -> QToolButton:
    found = window.findChild(QToolButton, "compactViewButton")
    assert found is not None
    return found


def set_h(window, h: int) -> None:
    window.findChild(QSpinBox, "hiddenSizeSpin").setValue(h)


def set_cell(window, cell: str) -> None:
    combo = window.findChild(QComboBox, "cellCombo")
    combo.setCurrentIndex(combo.findData(cell))


def compact(window) -> bool:
    return isinstance(window.diagram.item(), CompactItem)


def no_animation(window) -> None:
    window.findChild(QSlider, "speedSlider").setValue(11)


def test_the_action_is_in_the_view_menu_with_its_own_shortcut(window):
    act = action(window, "actionCompactView")
    assert act.isCheckable()
    view = next(m for m in window.findChildren(QMenu) if m.title() == "&View")
    assert act in view.actions()
    key = act.shortcut()
    assert not key.isEmpty()
    clashes = [
        a.objectName()
        for a in window.findChildren(QAction)
        if a is not act and any(k == key for k in a.shortcuts())
    ]
    assert clashes == []


def test_the_default_follows_the_hidden_size(window):
    assert not compact(window)  # the lecture: h = 1, one node per unit
    assert not action(window, "actionCompactView").isChecked()
    assert not button(window).isChecked()
    set_h(window, 4)
    assert compact(window)
    assert action(window, "actionCompactView").isChecked() and button(window).isChecked()
    set_h(window, 3)
    assert not compact(window) and not action(window, "actionCompactView").isChecked()


def test_the_button_and_the_action_switch_and_the_choice_is_kept(window, qtbot, tmp_path):
    set_h(window, 8)
    assert compact(window)
    qtbot.mouseClick(button(window), Qt.MouseButton.LeftButton)
    assert not compact(window)  # the per-unit view, one click away
    assert not action(window, "actionCompactView").isChecked()
    # edits that keep the shape keep the choice
    window.table.data_model.setData(window.table.data_model.index(0, 0), 0.25, Qt.EditRole)
    set_cell(window, "gru")
    assert not compact(window)
    action(window, "actionCompactView").trigger()
    assert compact(window) and button(window).isChecked()
    action(window, "actionCompactView").trigger()
    assert not compact(window)
    # a new hidden size takes the default again
    set_h(window, 6)
    assert compact(window)
    qtbot.mouseClick(button(window), Qt.MouseButton.LeftButton)
    assert not compact(window)
    # and so does opening a document
    path = tmp_path / "eight.rnn.json"
    io.write_project(window.session.document.with_hidden_size(8), path)
    assert window.open_path(path)
    assert compact(window) and action(window, "actionCompactView").isChecked()


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_vectors_show_each_steps_values_and_nothing_beyond(window, cell):
    no_animation(window)
    set_cell(window, cell)
    set_h(window, 8)
    action(window, "actionFirst").trigger()
    view, trace = window.diagram, window.session.trace
    assert compact(window)
    gates = list(trace.gates)
    for t in range(1, trace.T + 1):
        action(window, "actionNext").trigger()
        for j in range(8):
            assert view.node_text("s", j, t) == fmt(trace.states[t, j])
            for g in gates:
                assert view.node_text("gate", j, t, gate=g) == fmt(trace.gates[g][t - 1, j])
            if cell == "lstm":
                assert view.node_text("c", j, t) == fmt(trace.cells[t, j])
        assert view.node_text("yhat", 0, t) == fmt(trace.outputs[t - 1, 0])
        for later in range(t + 1, trace.T + 1):
            assert view.node_text("s", 0, later) == ""
            assert view.node_text("yhat", 0, later) == ""
            assert all(view.node_text("gate", 0, later, gate=g) == "" for g in gates)
        assert view.node_text("s", 0, 0) == "0"


def test_a_step_reveals_its_vectors_with_its_phases(window):
    set_cell(window, "lstm")
    set_h(window, 8)
    action(window, "actionFirst").trigger()
    view = window.diagram
    item = view.item()
    view.set_step(1, animate=True)
    try:
        item.progress = 0.2  # the inputs flow in: no gate, c or s of step 1 yet
        assert view.node_text("x", 0, 1) != ""
        assert view.node_text("gate", 0, 1, gate="f") == ""
        assert view.node_text("c", 0, 1) == "" and view.node_text("s", 0, 1) == ""
        item.progress = 0.6  # the gates are full, c and s still to come
        assert view.node_text("gate", 0, 1, gate="f") != ""
        assert view.node_text("s", 0, 1) == ""
        item.progress = 0.8
        assert view.node_text("s", 0, 1) == fmt(window.session.trace.states[1, 0])
        assert not view.grab().toImage().isNull()  # the moving dots paint
    finally:
        view.stop_animation()


def _cell_pixel(window, key) -> tuple[int, int, int]:
    """The colour drawn at the centre of the heat map cell of weight ``key`` at step 1."""
    view = window.diagram
    item = view.item()
    for m in item.layout.matrices:
        for r in range(m.rows):
            for c in range(m.cols):
                if m.key(r, c) == key:
                    center = m.cell_rect(r, c, item.layout.width).center()
                    view.resetTransform()
                    view.scale(2.0, 2.0)
                    view.centerOn(center)
                    image: QImage = view.viewport().grab().toImage()
                    at = view.mapFromScene(center)
                    color = image.pixelColor(at)
                    return color.red(), color.green(), color.blue()
    raise KeyError(key)


def _tip(window, key) -> str:
    item = window.diagram.item()
    for m in item.layout.matrices:
        for r in range(m.rows):
            for c in range(m.cols):
                if m.key(r, c) == key:
                    center = m.cell_rect(r, c, item.layout.width).center()
                    found, tip = item.hit(center, 1.0)
                    assert found == key
                    return tip
    raise KeyError(key)


def test_the_heat_maps_are_the_weight_matrices(window):
    set_h(window, 8)
    item = window.diagram.item()
    params = window.session.document.params
    titles = {m.title for m in item.layout.matrices}
    assert {"W_s", "W_x", "b", "V", "c"} <= titles
    d = window.session.document.d
    for m in item.layout.matrices:
        for r in range(m.rows):
            for c in range(m.cols):
                name, index = m.key(r, c)
                assert item._values[(name, index)] == float(params[name][index])
    ws = next(m for m in item.layout.matrices if m.title == "W_s")
    assert ws.key(2, 3) == ("W", (2, d + 3))
    tip = _tip(window, ("W", (2, d + 3)))
    assert "W_s (8 × 8): recurrent weights" in tip
    assert f"= <b>{fmt(params['W'][2, d + 3], 4)}</b>" in tip
    assert "column s4" in tip
    # the colour's hue is the sign: blue positive, orange negative
    flat = [(j, i) for j in range(8) for i in range(d + 8)]
    pos = next(ji for ji in flat if params["W"][ji] > 0.1)
    neg = next(ji for ji in flat if params["W"][ji] < -0.1)
    r, _g, b = _cell_pixel(window, ("W", pos))
    assert b > r
    r, _g, b = _cell_pixel(window, ("W", neg))
    assert r > b


def test_an_edit_undo_and_redo_redraw_the_heat_map(window):
    set_h(window, 8)
    d = window.session.document.d
    key = ("W", (0, d))  # W_s[1, 1]
    spin = window.findChild(QDoubleSpinBox, f"param:W:0:{d}")
    spin.setValue(0.9)
    r, _g, b = _cell_pixel(window, key)
    assert b > r
    assert f"= <b>{fmt(0.9, 4)}</b>" in _tip(window, key)
    spin.setValue(-0.9)
    r, _g, b = _cell_pixel(window, key)
    assert r > b
    window.session.undo_stack.undo()
    assert f"= <b>{fmt(0.9, 4)}</b>" in _tip(window, key)
    r, _g, b = _cell_pixel(window, key)
    assert b > r
    window.session.undo_stack.redo()
    assert f"= <b>{fmt(-0.9, 4)}</b>" in _tip(window, key)
    assert compact(window)  # an edit of a weight keeps the view


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_the_backward_pass_shows_the_gradient_on_the_state_vector(window, cell):
    no_animation(window)
    set_cell(window, cell)
    set_h(window, 8)
    action(window, "actionLast").trigger()
    action(window, "actionBackward").trigger()
    view = window.diagram
    T = window.session.trace.T
    assert view.grad_text("s", 0, T) == ""  # the signal has not started
    action(window, "actionNext").trigger()  # it passes step T
    backward = window.session.backward
    for j in range(8):
        assert view.grad_text("s", j, T) == grad_compact(float(backward.d_state[T - 1, j]))
    assert view.grad_text("s", 0, T - 1) == ""  # not reached yet: no spoiler
    item = view.item()
    state = next(v for v in item.layout.vectors if v.kind == "s")
    assert item._vector_name(state, T).startswith("∂L/∂s")
    assert not view.grab().toImage().isNull()  # the ribbon paints
    # switching view keeps the backward pass where it is
    button(window).click()
    assert not compact(window)
    assert view.grad_text("s", 0, T) == grad_compact(float(backward.d_state[T - 1, 0]))


def test_an_export_draws_the_view_shown(window, tmp_path):
    set_h(window, 8)
    svg = tmp_path / "compact.svg"
    assert window.export_path(svg, "diagram")
    text = svg.read_text(encoding="utf-8")
    assert "W_s" in text and "W_x" in text
    png = tmp_path / "compact.png"
    assert window.export_path(png, "diagram")
    image = QImage(str(png))
    assert not image.isNull()
    pixels = np.frombuffer(image.constBits(), np.uint8)
    assert len(np.unique(pixels)) > 10  # drawn, not blank
    button(window).click()
    per_unit = tmp_path / "per-unit.svg"
    assert window.export_path(per_unit, "diagram")
    assert "W_s" not in per_unit.read_text(encoding="utf-8")


def test_hovering_a_heat_map_cell_names_the_entry_and_frames_it_in_every_step(window, qtbot):
    set_cell(window, "lstm")
    set_h(window, 8)
    view, item = window.diagram, window.diagram.item()
    w_f = next(m for m in item.layout.matrices if m.title == "W_f")
    qtbot.wait(20)  # (the window settles its docks' sizes, and the diagram its zoom)
    while view.transform().m11() < 2.0:  # zoomed in as a user does: cells many pixels wide
        action(window, "actionZoomIn").trigger()
    port = view.viewport().rect()
    # W_f[2, 3] (s_{t-1}'s first column) in a step on screen
    view.centerOn(w_f.cell_rect(1, 2, item.layout.width).center())
    points = [
        view.mapFromScene(w_f.cell_rect(1, 2, t * item.layout.width).center())
        for t in range(1, window.session.trace.T + 1)
    ]
    at = next(p for p in points if port.adjusted(2, 2, -2, -2).contains(p))
    qtbot.mouseMove(view.viewport(), port.topLeft() + QPoint(1, 1))
    with qtbot.waitSignal(view.hoveredWeightChanged, timeout=2000) as seen:
        qtbot.mouseMove(view.viewport(), at)
    assert seen.args == [("W_f", (1, 2))]
    assert view.hovered_weight() == ("W_f", (1, 2))
    value = window.session.document.params["W_f"][1, 2]
    tip = item.toolTip()
    assert "W_f (8 × 10): weights of the forget gate: columns x1…x2 (xₜ)" in tip
    assert f"W_f[2, 3]  (row 2, column s1) = <b>{fmt(value, 4)}</b>" in tip


def test_the_button_sits_in_the_diagram_and_space_keeps_playing(window, qtbot):
    set_h(window, 8)
    action(window, "actionFirst").trigger()
    view = window.diagram
    view.setFocus()
    qtbot.mouseClick(button(window), Qt.MouseButton.LeftButton)
    assert not compact(window)
    assert view.viewport().geometry().contains(button(window).geometry())
    assert not button(window).hasFocus()  # Space goes to the player, not the button
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Space)
    assert window.player.playing
    window.player.pause()
    assert not compact(window)  # Space did not press the button again


def test_a_column_name_in_a_heat_map_tooltip_is_plain_text(window):
    window.session.edit(lambda d: d.with_column_renamed(0, "<b>x</b>"), "rename")
    set_h(window, 8)
    item = window.diagram.item()
    w = next(m for m in item.layout.matrices if m.title == "W_x")
    tip = item.matrix_tip(w, 0, 0)
    assert "&lt;b&gt;x&lt;/b&gt;" in tip and "<b>x</b>" not in tip
