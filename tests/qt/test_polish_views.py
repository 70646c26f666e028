"""Review polish of the diagram and the plot, checked on what is shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette

from rnn_studio import examples
from rnn_studio.qt.plot import ERROR_COLOR, StatePlot, target_label
from rnn_studio.qt.style import dark_palette


@pytest.fixture
def plot(qtbot):
    p = StatePlot()
    qtbot.addWidget(p)
    p.resize(560, 320)
    p.show()
    qtbot.waitExposed(p)
    return p


def two_targets():
    return examples.sine().with_hidden_size(2).with_readout("linear").with_target_added()


def legend_labels(plot: StatePlot) -> list[str]:
    return [label.text for _, label in plot.legend.items]


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two opaque colours."""

    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_x_range_has_half_a_step_each_side_and_room_right(plot):
    doc = examples.sine()
    plot.show_document(doc, doc.trace())
    plot.set_step(doc.T)
    (x0, x1), _ = plot.getPlotItem().vb.viewRange()
    assert x0 <= 0.5 and x1 >= doc.T + 0.5
    vb = plot.getPlotItem().vb.sceneBoundingRect()
    assert vb.right() <= plot.width() - 8  # the last tick's label is not cut by the edge


def test_a_target_named_target_is_not_called_target_target(plot):
    doc = examples.lecture().with_column_renamed(2, "target")
    plot.show_document(doc, doc.trace())
    labels = legend_labels(plot)
    assert "target" in labels and not any("target target" in s for s in labels)
    assert target_label("y") == "target y"


def test_two_targets_error_and_series_colours_differ_and_targets_stand_apart(plot):
    doc = two_targets()
    plot.show_document(doc, doc.trace())
    plot.set_step(5)
    error = QColor(plot.error_item().opts["pen"].color())
    assert error == QColor(ERROR_COLOR)
    series = [QColor(c.opts["pen"].color()) for c in plot.curves()]
    assert len(series) == 2 and series[0] != series[1]
    for c in series:  # far from the error colour (not two shades of orange)
        pairs = zip(c.getRgb()[:3], error.getRgb()[:3], strict=True)
        assert sum(abs(x - y) for x, y in pairs) > 150
    targets = plot.target_curves()
    symbols = {t.opts["symbol"] for t in targets}
    assert len(symbols) == 2 and "o" not in symbols  # ŷ are dots, targets are not
    text = plot.palette().color(QPalette.ColorRole.Text)
    for t in targets:  # in the text colour, not a series' colour
        assert QColor(t.opts["pen"].color()).rgb() == text.rgb()
    labels = legend_labels(plot)
    assert "target y" in labels and "target y2" in labels


def test_narrow_plot_moves_the_legend_below_the_selector(plot, qtbot):
    doc = two_targets()
    plot.show_document(doc, doc.trace())
    plot.resize(300, 300)
    qtbot.wait(20)
    assert plot.legend_inside()
    combo = plot.series_combo.geometry()
    legend = plot.mapFromScene(plot.legend.sceneBoundingRect()).boundingRect()
    assert not legend.intersects(combo)
    assert legend.left() >= 0 and legend.right() <= plot.width()
    vb = plot.mapFromScene(plot.getPlotItem().vb.sceneBoundingRect()).boundingRect()
    assert legend.bottom() <= vb.top() + 4  # not over the data either
    plot.resize(900, 300)
    qtbot.wait(20)
    assert not plot.legend_inside()


def test_faint_line_is_visible_on_the_dark_theme(qtbot):
    p = StatePlot()
    qtbot.addWidget(p)
    p.setPalette(dark_palette())
    doc = examples.sine()
    p.show_document(doc, doc.trace())
    p.set_step(3)
    base = dark_palette().color(QPalette.ColorRole.Base)
    faint = QColor(p.faint_curves()[0].opts["pen"].color())
    assert faint.alpha() == 255
    assert contrast(faint, base) >= 2.0
    assert np.isfinite(p.faint_curves()[0].getData()[1]).all()
