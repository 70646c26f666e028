"""The live plot: curves hold the trace, the marker follows the step, bad numbers don't crash."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from rnn_studio import examples
from rnn_studio.qt.plot import StatePlot


@pytest.fixture
def plot(qtbot):
    p = StatePlot()
    qtbot.addWidget(p)
    p.resize(700, 360)
    p.show()
    qtbot.waitExposed(p)
    return p


def show(plot: StatePlot, doc):
    trace = doc.trace()
    plot.show_document(doc, trace)
    return trace


def y_of(curve) -> np.ndarray:
    _, y = curve.getData()
    return np.asarray([] if y is None else y, dtype=float)


def test_states_and_outputs_are_plotted_up_to_the_step(plot):
    doc = examples.lecture()
    trace = show(plot, doc)
    assert plot.objectName() == "statePlot"
    plot.set_step(2)
    solid = plot.curves()
    assert len(solid) == 1
    np.testing.assert_allclose(y_of(solid[0]), trace.outputs[:, 0])
    plot.set_series("state")
    np.testing.assert_allclose(y_of(plot.curves()[0]), trace.states[:, 0])  # s_0, s_1, s_2
    plot.set_step(1)
    np.testing.assert_allclose(y_of(plot.curves()[0]), trace.states[:2, 0])
    # the faint curve always holds every step
    np.testing.assert_allclose(y_of(plot.faint_curves()[0]), trace.states[:, 0])
    np.testing.assert_allclose(y_of(plot.target_curves()[0]), trace.targets[:, 0])
    # a long series draws its targets as a line, with a gap where one is blank
    long = examples.sine().with_rows_inserted(20, 200).with_cell_value(5, 1, "")
    show(plot, long)
    y = y_of(plot.target_curves()[0])
    assert len(y) == long.T and np.isnan(y[5]) and np.isfinite(y[4])


def test_marker_sits_at_the_step_and_errors_join_output_and_target(plot):
    trace = show(plot, examples.lecture())
    for t in (0, 1, 2):
        plot.set_step(t)
        assert plot.marker().value() == t
        x, y = plot.error_item().getData()
        x = np.asarray([] if x is None else x)
        y = np.asarray([] if y is None else y)
        assert len(x) == 2 * t  # one segment per computed step with a target
        for i in range(t):
            assert x[2 * i] == x[2 * i + 1] == i + 1
            assert {round(y[2 * i], 12), round(y[2 * i + 1], 12)} == {
                round(trace.outputs[i, 0], 12),
                round(trace.targets[i, 0], 12),
            }


def test_an_edit_updates_curves_in_place(plot):
    doc = examples.lecture()
    show(plot, doc)
    plot.set_step(2)
    curves = plot.curves() + plot.faint_curves() + plot.target_curves()
    edited = doc.with_cell_value(0, 0, 0.2)
    trace = show(plot, edited)
    after = plot.curves() + plot.faint_curves() + plot.target_curves()
    assert all(a is b for a, b in zip(after, curves, strict=True))
    assert y_of(plot.curves()[0])[0] == pytest.approx(trace.outputs[0, 0])
    assert round(trace.outputs[0, 0], 4) == 0.5784


def test_blank_targets_leave_gaps_and_no_error_bar(plot):
    doc = examples.lecture().with_cell_value(1, 2, "")
    show(plot, doc)
    plot.set_step(2)
    x, y = plot.target_curves()[0].getData()
    assert list(x) == [1] and list(y) == [0.3]  # no cross where the target is blank
    x, _ = plot.error_item().getData()
    assert list(x) == [1, 1]


def test_gates_and_cell_state_series(plot, qtbot):
    doc = examples.lecture().with_hidden_size(2).with_cell("lstm")
    trace = show(plot, doc)
    combo = plot.series_combo
    assert combo.objectName() == "plotSeriesCombo"
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert keys == ["output", "state", "gate:i", "gate:f", "gate:g", "gate:o", "cell"]
    plot.set_step(2)
    combo.setCurrentIndex(keys.index("gate:f"))  # as a user's choice does
    assert plot.series() == "gate:f"
    assert len(plot.curves()) == 2  # one per unit
    np.testing.assert_allclose(y_of(plot.curves()[1]), trace.gates["f"][:, 1])
    combo.setCurrentIndex(keys.index("cell"))
    np.testing.assert_allclose(y_of(plot.curves()[0]), trace.cells[:, 0])
    # GRU: its own gates; a missing series falls back to the output
    show(plot, doc.with_cell("gru"))
    keys = [combo.itemData(i) for i in range(combo.count())]
    assert keys == ["output", "state", "gate:r", "gate:z", "gate:n"]
    assert plot.series() == "output"


def test_non_finite_values_do_not_crash(plot):
    doc = examples.lecture().with_activation("identity").with_rows_inserted(2, 4)
    doc = doc.with_param("W", (0, 2), 1e200)
    trace = show(plot, doc)
    assert not trace.finite
    for t in range(doc.T + 1):
        plot.set_step(t)
    plot.set_series("state")
    y = y_of(plot.curves()[0])
    assert np.isnan(y).any() and np.isfinite(y[:2]).all()
    assert not plot.grab().toImage().isNull()


def test_grab_shows_a_picture(plot):
    show(plot, examples.sine())
    plot.set_step(10)
    image = plot.grab().toImage()
    assert image.width() > 100
    colors = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    assert len(colors) > 10


def test_stepping_and_editing_do_not_drift_the_refcount_of_none(plot):
    """pyqtgraph's PlotDataItem.setData and per-call scatter pens leak refs to None."""
    doc = examples.lecture().with_rows_inserted(2, 30)
    show(plot, doc)
    for t in range(5):  # warm up caches
        plot.set_step(t)
    before = sys.getrefcount(None)
    for i in range(300):
        plot.set_step(i % (doc.T + 1))
    for i in range(100):
        show(plot, doc.with_cell_value(i % doc.T, 0, 0.01 * i))
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 150, f"None's refcount drifted by {drift}"


def test_every_data_item_is_named_so_scripts_can_find_the_states(plot):
    """listDataItems() names say what each holds; the computed curve holds s_1..s_t."""
    doc = examples.lecture()
    trace = show(plot, doc)
    plot.set_step(1)
    items = {item.name(): item for item in plot.listDataItems()}
    assert all(items), "an unnamed data item"
    np.testing.assert_allclose(y_of(items["ŷ (computed)"]), trace.outputs[:1, 0])
    np.testing.assert_allclose(y_of(items["ŷ (all steps)"]), trace.outputs[:, 0])
    np.testing.assert_allclose(y_of(items["target y"]), [0.3, 0.5])


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).astype(int)


@pytest.mark.parametrize("step", [1, 2, 4])
def test_the_step_line_from_its_picture_has_the_pixels_of_the_line_drawn(plot, qtbot, step):
    import pyqtgraph as pg

    show(plot, examples.lecture().with_rows_inserted(2, 2))
    plot.set_step(step)
    qtbot.wait(10)
    blitted = plot.grab().toImage()
    marker = plot.marker()
    assert marker._picture is not None  # noqa: SLF001 - it was drawn from its picture
    # the same line, drawn by pyqtgraph itself
    plain = pg.InfiniteLine(pos=marker.value(), angle=90, movable=False, pen=marker.pen)
    plain.setZValue(marker.zValue())
    plot.getPlotItem().addItem(plain)
    marker.hide()
    qtbot.wait(10)
    drawn = plot.grab().toImage()
    assert (_pixels(blitted) == _pixels(drawn)).all()
