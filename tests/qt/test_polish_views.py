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


# -- the diagram -------------------------------------------------------------------------
from diagram_mouse import hover  # noqa: E402
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QFontInfo, QFontMetricsF  # noqa: E402

from rnn_studio.qt.diagram import NODE_W, DiagramView, compact  # noqa: E402


@pytest.fixture
def view(qtbot):
    v = DiagramView()
    qtbot.addWidget(v)
    v.resize(780, 470)
    v.show()
    qtbot.waitExposed(v)
    return v


def show(view: DiagramView, doc):
    view.show_document(doc, doc.trace())
    return doc


def visible(view: DiagramView) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_fit_keeps_the_memory_example_readable_and_zooming_out_shows_all_sixteen_steps(view):
    # issue 11 item 13: Fit never chooses a zoom at which the numbers are unreadable; the
    # whole of a sequence too long for that is a few Ctrl+- away (the step numbers stay)
    show(view, examples.memory())
    view.set_step(9)
    view.fit_all()
    item = view.item()
    assert QFontInfo(item.value_font).pixelSize() * view.transform().m11() >= 9
    assert visible(view).contains(item.column_rect(9).adjusted(0, 1, 0, -1))
    for _ in range(12):
        view.zoom_out()
    seen = visible(view)
    for t in (0, 1, 9, 16):  # store at step 1, recall at step 9, and the end
        assert seen.contains(item.column_rect(t)), t
    assert "every step" in DiagramView.FIT_TIP


def test_fit_of_a_long_sequence_fits_its_height_around_the_current_step(view):
    doc = examples.sine().with_rows_inserted(20, 180)
    show(view, doc)
    view.set_step(120)
    view.fit_all()
    seen, item = visible(view), view.item()
    assert seen.contains(item.column_rect(120).adjusted(0, 1, 0, -1))
    assert not seen.contains(item.column_rect(1))
    assert seen.height() >= item.boundingRect().height() * 0.98


@pytest.mark.parametrize("name", ["lstm-by-hand", "gru-by-hand"])
def test_gated_cells_open_at_a_zoom_where_numbers_are_readable(view, name):
    show(view, examples.example(name))
    view.reset_zoom()
    item, scale = view.item(), view.transform().m11()
    for font in (item.value_font, item.small_value_font, item.label_font):
        assert QFontInfo(font).pixelSize() * scale >= 11, font.pointSizeF()
    # the whole cell's height is in view, from the error down to the inputs
    seen = visible(view)
    lay = item.layout
    assert seen.top() <= lay.top + 30 and seen.bottom() >= lay.bottom - 10
    view.set_step(1)
    assert seen.intersects(view.node_scene_rect("gate", 0, 1, gate="i" if "lstm" in name else "r"))


def test_zoom_in_and_out_step_the_scale(view):
    show(view, examples.lecture())
    before = view.transform().m11()
    view.zoom_in()
    assert view.transform().m11() == pytest.approx(before * 1.25)
    view.zoom_out()
    view.zoom_out()
    assert view.transform().m11() == pytest.approx(before / 1.25)


def test_long_numbers_stay_inside_their_node(view):
    assert compact(-1234569.0095) == "-1.23e6"
    assert compact(0.5299) == "0.5299" and compact(12345.678) == "12345.7"
    doc = examples.lecture().with_activation("identity").with_param("W", (0, 0), 100.0)
    doc = show(view, doc.with_cell_value(0, 0, -12345.678))
    view.set_step(2)
    metrics = QFontMetricsF(view.item().value_font)
    for kind in ("x", "s", "yhat", "err"):
        for t in (1, 2):
            text = view.node_text(kind, 0, t)
            assert len(text) <= 7 and metrics.horizontalAdvance(text) <= NODE_W - 4, text
    assert view.node_text("s", 0, 1) == compact(doc.trace().states[1, 0])


def test_travelling_products_never_overlap(view, qtbot):
    show(view, examples.gru_by_hand())
    view.reset_zoom()
    item = view.item()
    written: list[list] = []
    original = item.product_labels

    def record(products):
        out = original(products)
        written.append((len(products), out))
        return out

    item.product_labels = record
    view.set_animation_duration(100000)
    view.set_step(1, animate=True)
    for progress in (0.01, 0.05, 0.15):
        item.progress = progress
        view.viewport().repaint()
    view.stop_animation()
    assert written
    metrics = QFontMetricsF(item.small_value_font)
    assert any(n > len(out) for n, out in written)  # some were held back at the start
    for _, out in written:
        assert out
        boxes = [
            QRectF(at.x(), at.y() - 6, metrics.horizontalAdvance(text), 12) for at, text in out
        ]
        for i, a in enumerate(boxes):
            assert not any(a.intersects(b) for b in boxes[i + 1 :]), out


def test_a_zero_weight_is_grey_and_called_zero(view):
    show(view, examples.lecture().with_param("W", (0, 1), 0.0))
    view.set_step(2)
    key = ("W", (0, 1))
    pen = view.edge_pen(key)
    assert pen.style() == Qt.PenStyle.DashLine
    c = pen.color()
    assert abs(c.red() - c.blue()) < 30 and abs(c.red() - c.green()) < 30  # grey
    _, line = view.weight_segments(key)[0]
    view.reset_zoom()
    view.centerOn(line.pointAt(0.5))
    tip = hover(view, line.pointAt(0.5))
    assert "zero" in tip and "positive" not in tip


def test_gru_gates_in_spec_order_and_the_mix_explained(view):
    show(view, examples.gru_by_hand())
    boxes = {g.gate: g.rect.center().x() for g in view.item().layout.gate_boxes}
    assert boxes["r"] < boxes["z"] < boxes["n"]
    view.reset_zoom()
    view.set_step(1)
    mix = next(op for op in view.item().layout.ops if op.symbol == "mix")
    at = QPointF(mix.x + view.item().layout.width, mix.y)
    view.centerOn(at)
    assert "(1 − z)" in hover(view, at)


def test_lstm_products_each_have_a_times_node(view):
    show(view, examples.lstm_by_hand())
    lay = view.item().layout
    gx = {g.gate: g.rect.center().x() for g in lay.gate_boxes}
    times = [op for op in lay.ops if op.symbol == "×"]
    assert len(times) == 3  # f·c, i·g, o·tanh(c)
    assert any(abs(op.x - gx["g"]) < 1 and "i · g" in op.what for op in times)
    assert any("o" in op.what and "tanh" in op.what for op in times)


def test_two_targets_labels_clear_of_edges_and_badges_clear_of_nodes(view):
    doc = examples.lecture().with_readout("linear").with_target_added()
    show(view, doc)
    view.set_step(1)
    lay = view.item().layout
    outs = [n for n in lay.nodes if n.kind == "yhat"]
    assert len(outs) == 2
    gap = outs[1].x - outs[0].x
    assert gap >= NODE_W + 60  # room for a label right of each
    for badge in lay.badges:
        if badge.key[0] == "c":
            disc = QRectF(badge.x - 7, badge.y - 7, 14, 14)
            assert not any(disc.intersects(n.rect()) for n in outs)


def test_lstm_times_nodes_say_what_they_multiply(view):
    show(view, examples.lstm_by_hand())
    view.reset_zoom()
    view.set_step(1)
    lay = view.item().layout
    for op in lay.ops:
        if op.symbol == "×":
            at = QPointF(op.x + lay.width, op.y)
            view.centerOn(at)
            assert hover(view, at) == op.what
