"""The loss landscape in the window: its numbers, a click, recomputing, the path
(spec/ui.md, The loss landscape)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QPushButton, QSpinBox

from rnn_studio.core.landscape import landscape, parse_entry
from rnn_studio.document import Document
from rnn_studio.examples import lecture_example


def open_landscape(qtbot, make_window, doc: Document | None = None, points: int = 21):
    w = make_window(doc)
    w.landscape_dock.raise_()
    view = w.landscape
    qtbot.waitUntil(lambda: view._shown and view.isVisible())
    view.findChild(QSpinBox, "landscapePoints").setValue(points)
    wait_drawn(qtbot, view)
    return w, view


def wait_drawn(qtbot, view) -> None:
    """Until the surface asked for is computed (the debounce, then every row)."""
    view.compute()  # what the debounce does after a quiet moment
    qtbot.waitUntil(lambda: not view.is_computing and not view._stopping, timeout=30_000)
    assert view.job is not None and view.job.done == len(view.y_values)


def choose(view, x: str, y: str) -> None:
    for name, text in (("landscapeXCombo", x), ("landscapeYCombo", y)):
        combo = view.findChild(QComboBox, name)
        combo.setCurrentIndex(combo.findData(text))


def expected(doc: Document, view) -> np.ndarray:
    spec = doc.spec
    return landscape(
        spec,
        doc.params,
        doc.inputs,
        doc.targets,
        doc.initial_state,
        doc.initial_cell if doc.cell == "lstm" else None,
        parse_entry(view.x_combo.currentData(), spec),
        parse_entry(view.y_combo.currentData(), spec),
        view.x_values,
        view.y_values,
    )


def test_the_values_equal_the_cores_landscape(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window)
    choose(view, "W:0:0", "b:0")
    wait_drawn(qtbot, view)
    # ranges: each weight's value ± 1
    assert view.findChild(QDoubleSpinBox, "landscapeXMin").value() == -0.3
    assert view.findChild(QDoubleSpinBox, "landscapeYMax").value() == 1.4
    np.testing.assert_array_equal(view.x_values, np.linspace(-0.3, 1.7, 21))
    np.testing.assert_allclose(view.values, expected(w.session.document, view), rtol=0, atol=1e-12)
    # the current point is marked where the weights are
    xs, ys = view.marker.getData()
    assert (xs[0], ys[0]) == (0.7, 0.4)
    w.close()


def test_a_click_sets_the_two_weights_as_one_undo_step(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window)
    before = w.session.document
    vb = view.plot.getPlotItem().vb
    target = QPointF(float(view.x_values[5]), float(view.y_values[15]))
    pos = view.plot.mapFromScene(vb.mapViewToScene(target))
    qtbot.mouseClick(view.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    doc = w.session.document
    assert doc.params["W"][0, 0] == view.x_values[5]
    assert doc.params["W"][0, 1] == view.y_values[15]
    assert abs(doc.trace().loss - view.values[15, 5]) <= 1e-12
    assert w.session.undo_stack.undoText() == "Move W:0:0 and W:0:1 on the landscape"
    job = view.job
    view.compute()
    assert view.job is job  # the surface does not depend on the two weights themselves
    w.session.undo_stack.undo()
    assert w.session.document.equals(before)
    w.close()


def test_a_changed_document_is_recomputed_and_an_old_computation_stopped(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window, points=301)
    view.findChild(QSpinBox, "landscapePoints").setValue(401)
    view.compute()
    assert view.is_computing
    w.session.edit(lambda d: d.with_param("b", (0,), 0.1), "Edit b")
    view.compute()  # the debounce's work: the 401 × 401 surface is out of date
    wait_drawn(qtbot, view)
    assert view.values.shape == (401, 401)
    np.testing.assert_allclose(view.values, expected(w.session.document, view), rtol=0, atol=1e-12)
    w.close()


def test_the_last_training_run_is_drawn_over_it(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window)
    w.findChild(QAction, "actionTrain").trigger()
    qtbot.waitUntil(lambda: not w.training.is_running, timeout=30_000)
    xs, ys = view.path_item.getData()
    assert len(xs) == 101  # the start and the weights after each of the 100 epochs
    assert (xs[0], ys[0]) == (0.7, 0.3)
    doc = w.session.document
    assert (xs[-1], ys[-1]) == (doc.params["W"][0, 0], doc.params["W"][0, 1])
    mx, my = view.marker.getData()
    assert (mx[0], my[0]) == (xs[-1], ys[-1])
    wait_drawn(qtbot, view)
    w.close()


def test_a_weight_hovered_in_the_diagram_is_offered(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window)
    w.diagram.hoveredWeightChanged.emit(("b", (0,)))
    w.diagram.hoveredWeightChanged.emit(None)  # moving off it keeps the offer
    button = view.findChild(QPushButton, "landscapeHoverY")
    assert button.isEnabled() and "b:0" in button.text()
    button.click()
    assert view.findChild(QComboBox, "landscapeYCombo").currentData() == "b:0"
    wait_drawn(qtbot, view)
    w.close()


def test_bad_ranges_and_one_weight_twice_say_so(qtbot, make_window):
    w, view = open_landscape(qtbot, make_window)
    choose(view, "W:0:0", "W:0:0")
    view.compute()
    assert "two different" in view.status.text() and not view.is_computing
    choose(view, "W:0:0", "b:0")
    view.findChild(QDoubleSpinBox, "landscapeXMin").setValue(5.0)
    view.compute()
    assert "smallest value below its largest" in view.status.text()
    w.close()


def test_the_lecture_opens_with_the_landscape_idle(qtbot, make_window):
    w = make_window(lecture_example())
    assert not w.landscape.is_computing  # behind the Plot tab: nothing computed
    w.close()
