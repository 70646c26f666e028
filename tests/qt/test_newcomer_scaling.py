"""Issue 11 item 16: Scale columns from the table's menu (undoable, recorded in the file),
and ŷ shown back in the original units in the plot when the student asks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTableView

from rnn_studio import io as rio
from rnn_studio.document import Document


def _temperatures() -> Document:
    t = np.arange(12)
    temps = np.round(11 + 8 * np.sin(t * 0.5), 2)  # 3 … 19 °C
    return Document.create(
        input_names=("temp",),
        target_names=("next temp",),
        inputs=temps[:-1, None],
        targets=temps[1:, None],
        hidden_size=1,
    )


def test_scale_columns_to_range_is_undoable_and_saved(qtbot, make_window, tmp_path):
    w = make_window(_temperatures())
    table = w.findChild(QTableView, "dataTable")
    original = np.array(w.session.document.inputs)
    table.selectAll()
    action = table.findChild(QAction, "actionScaleRange")
    assert action in table.actions()  # in the table's context menu
    action.trigger()
    doc = w.session.document
    assert doc.inputs.min() == -1 and doc.inputs.max() == 1
    assert np.nanmax(np.abs(doc.targets)) <= 1
    assert w.session.undo_stack.undoText().startswith("Scale temp, next temp")
    path = tmp_path / "scaled.rnn.json"
    assert w.save_to(path)
    assert set(rio.read_path(path).view["scaling"]) == {"temp", "next temp"}
    w.session.undo_stack.undo()
    np.testing.assert_array_equal(w.session.document.inputs, original)
    w.session.undo_stack.redo()
    table.findChild(QAction, "actionUnscale").trigger()  # back to the numbers as typed
    np.testing.assert_array_equal(w.session.document.inputs, original)
    w.close()


def test_the_plot_shows_y_hat_in_original_units_when_asked(qtbot, make_window):
    w = make_window(_temperatures())
    plot = w.plot
    units = plot.findChild(QAction, "plotOriginalUnits")
    assert not units.isEnabled()  # nothing scaled yet
    table = w.findChild(QTableView, "dataTable")
    table.selectAll()
    table.findChild(QAction, "actionScaleZ").trigger()
    w.session.set_step(w.session.document.T)
    assert units.isEnabled()
    scaled_targets = plot.target_curves()[0].getData()[1]
    assert np.abs(scaled_targets).max() < 3
    units.trigger()
    shown = plot.target_curves()[0].getData()[1]
    doc = w.session.document
    expected = _temperatures().targets[:, 0]
    np.testing.assert_allclose(shown, expected)  # °C again
    y_hat = plot.curves()[0].getData()[1]
    rec = doc.view["scaling"]["next temp"]
    raw = w.session.trace.outputs[: len(y_hat), 0]
    np.testing.assert_allclose(y_hat, raw * rec["scale"] + rec["offset"])
    lo, hi = plot.getPlotItem().vb.viewRange()[1]
    assert lo < 4 and hi > 18  # the axis in °C
    assert "original units" in plot.getPlotItem().getAxis("left").labelText
    units.trigger()
    assert np.abs(plot.target_curves()[0].getData()[1]).max() == pytest.approx(
        np.abs(scaled_targets).max()
    )
    w.close()
