"""Issue 11, the plot as a newcomer used it: a wheel zoom can be undone (button, double-click,
context menu), and after an overflow the axis fits the finite values and marks the step."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QToolButton

from rnn_studio.examples import sine


def _y_range(plot) -> tuple[float, float]:
    return tuple(plot.getPlotItem().vb.viewRange()[1])


def _wheel(plot, clicks: int = 3) -> None:
    """Turn the mouse wheel over the middle of the plot (zoom in)."""
    viewport = plot.viewport()
    centre = QPointF(viewport.width() / 2, viewport.height() / 2)
    for _ in range(clicks):
        event = QWheelEvent(
            centre,
            QPointF(viewport.mapToGlobal(centre.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(viewport, event)


def _zoomed_window(qtbot, make_window):
    w = make_window(sine())
    w.session.set_step(w.session.document.T)
    plot = w.plot
    qtbot.waitUntil(lambda: plot.isVisible())
    full = _y_range(plot)
    _wheel(plot)
    assert _y_range(plot) != full
    return w, plot, full


def test_the_show_all_button_appears_after_a_wheel_zoom_and_undoes_it(qtbot, make_window):
    w, plot, full = _zoomed_window(qtbot, make_window)
    button = w.findChild(QToolButton, "plotShowAllButton")
    assert button.isVisible() and plot.is_zoomed()
    # an edit while zoomed leaves the learner's zoom alone
    zoomed = _y_range(plot)
    w.findChild(QDoubleSpinBox, "param:b:0").setValue(0.3)
    assert _y_range(plot) == zoomed
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isVisible() and not plot.is_zoomed()
    lo, hi = _y_range(plot)
    outputs = w.session.trace.outputs
    assert lo <= outputs.min() and outputs.max() <= hi  # every value in view again
    w.close()


def test_a_double_click_on_the_plot_shows_all_again(qtbot, make_window):
    w, plot, full = _zoomed_window(qtbot, make_window)
    viewport = plot.viewport()
    centre = viewport.rect().center()
    # as the system delivers one: press, release, double-click, release
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    at, screen = QPointF(centre), QPointF(viewport.mapToGlobal(centre))
    double = QMouseEvent(QEvent.Type.MouseButtonDblClick, at, screen, left, left, none)
    QApplication.sendEvent(viewport, double)
    qtbot.mouseRelease(viewport, left, pos=centre)
    assert not plot.is_zoomed()
    assert np.allclose(_y_range(plot), full)
    w.close()


def test_the_context_menu_offers_show_all(qtbot, make_window):
    w, plot, full = _zoomed_window(qtbot, make_window)
    centre = plot.viewport().rect().center()
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton, pos=centre)
    menu = w.findChild(object, "plotMenu")
    qtbot.waitUntil(menu.isVisible)
    action = w.findChild(object, "plotShowAllAction")
    assert action in menu.actions()
    action.trigger()
    menu.hide()
    assert np.allclose(_y_range(plot), full)
    w.close()


def test_after_an_overflow_the_axis_fits_the_targets_and_marks_the_step(qtbot, make_window):
    w = make_window(sine())
    session = w.session
    session.set_step(session.document.T)
    combo = w.findChild(object, "activationCombo")
    combo.setCurrentIndex(combo.findData("identity"))
    w.findChild(QDoubleSpinBox, "param:W:0:1").setValue(1e20)  # s grows 1e20-fold a step
    trace = session.trace
    assert not trace.finite
    t = trace.first_nonfinite_step
    lo, hi = _y_range(w.plot)
    assert -3 < lo < -1 and 1 < hi < 3  # the targets' scale (sin in [-1, 1]), not 4e10
    mark = w.plot.overflow_mark()
    assert mark.isVisible() and mark.value() == t
    assert f"overflow at t = {t}" in mark.label.toPlainText()
    session.undo_stack.undo()  # the weight back: no mark, the range of the new values
    assert session.trace.finite and not mark.isVisible()
    lo, hi = _y_range(w.plot)
    assert hi - lo < 5
    w.close()
