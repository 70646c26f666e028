"""The unfolded diagram, driven as a user would: steps, hover, animation, edits, zoom."""

from __future__ import annotations

import numpy as np
import pytest
from diagram_mouse import move_mouse
from PySide6.QtCore import QPoint, QPointF, Qt, QVariantAnimation
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from rnn_studio import examples
from rnn_studio.explain import fmt
from rnn_studio.qt.diagram import HOVER, DiagramView


@pytest.fixture
def view(qtbot):
    v = DiagramView()
    qtbot.addWidget(v)
    v.resize(760, 460)  # inside the headless platform's 800 × 600 screen
    v.show()
    qtbot.waitExposed(v)
    return v


def show(view: DiagramView, doc):
    view.show_document(doc, doc.trace())
    return doc


def overflowing():
    """The lecture with a huge recurrent weight and identity activation: s becomes ±∞/NaN."""
    doc = examples.lecture().with_activation("identity").with_rows_inserted(2, 3)
    return doc.with_param("W", (0, 2), 1e200)


def close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_nodes_blank_until_computed_then_show_the_lecture_numbers(view):
    show(view, examples.lecture())
    view.set_step(0)
    assert view.node_text("s", 0, 0) == "0"  # s_0 is always shown
    assert view.node_text("s", 0, 1) == ""
    assert view.node_text("yhat", 0, 1) == ""
    assert view.node_text("err", 0, 1) == ""
    assert view.node_text("x", 0, 1) == "0.1"  # inputs are data, known from the start
    view.set_step(1)
    assert view.node_text("s", 0, 1) == "0.5299"
    assert view.node_text("yhat", 0, 1) == "0.5299"
    assert view.node_text("err", 0, 1) == "0.2299"
    assert view.node_text("s", 0, 2) == ""
    view.set_step(2)
    assert view.node_text("s", 0, 2) == "0.8791"


def test_hovering_a_weight_highlights_it_in_every_timestep(view, qtbot):
    doc = show(view, examples.lecture())
    view.set_step(2)
    view.fit_all()
    key = ("W", (0, 2))  # the recurrent weight 0.4: s_{t-1} → s_t
    segments = view.weight_segments(key)
    assert [t for t, _ in segments] == [1, 2]
    move_mouse(view, segments[0][1].pointAt(0.5))
    assert view.hovered_weight() == key
    assert "0.4" in view.item().toolTip()
    # every copy is drawn in the highlight colour, in step 1 and in step 2
    image = view.viewport().grab().toImage()
    for _, line in segments:
        p = view.mapFromScene(line.pointAt(0.3))
        assert close(image.pixelColor(p), HOVER), (line, image.pixelColor(p).name())
    # an input weight is dimmed meanwhile, not highlighted
    other = view.weight_segments(("W", (0, 0)))[1][1]
    p = view.mapFromScene(other.pointAt(0.5))
    assert not close(image.pixelColor(p), HOVER)
    # the pen of a weight is the same in every copy and follows its sign and size
    pen = view.edge_pen(key)
    assert pen.widthF() > 0
    assert doc.params["W"][0, 2] > 0 and pen.color().blue() > pen.color().red()
    # moving away clears the highlight
    move_mouse(view, view.mapToScene(QPoint(2, 2)))
    assert view.hovered_weight() is None


def test_hover_on_a_gru_gate_weight_marks_all_steps(view, qtbot):
    doc = examples.lecture().with_rows_inserted(2, 2).with_cell("gru")
    show(view, doc)
    view.set_step(4)
    view.reset_zoom()  # readable: the lines are thick enough to sample
    key = ("W_z", (0, 1))
    segments = view.weight_segments(key)
    assert [t for t, _ in segments] == [1, 2, 3, 4]
    move_mouse(view, segments[2][1].pointAt(0.5))
    assert view.hovered_weight() == key
    image = view.viewport().grab().toImage()
    for _, line in segments:
        p = view.mapFromScene(line.pointAt(0.35))
        if view.viewport().rect().contains(p):
            assert close(image.pixelColor(p), HOVER), (line, image.pixelColor(p).name())


def test_animated_step_emits_finished_and_leaves_nothing_running(view, qtbot):
    show(view, examples.lecture())
    view.set_animation_duration(200)
    with qtbot.waitSignal(view.animationFinished, timeout=3000):
        view.set_step(1, animate=True)
        assert view.is_animating()
        assert view.node_text("s", 0, 1) == ""  # the value appears only once it is computed
        assert view.node_text("x", 1, 1) == "0.4"
    assert not view.is_animating()
    assert view.node_text("s", 0, 1) == "0.5299"
    assert view.step() == 1
    running = [a for a in view.findChildren(QVariantAnimation) if a.state() != a.State.Stopped]
    assert running == []


def test_animation_shows_the_phases_in_order(view, qtbot):
    show(view, examples.lecture())
    view.set_animation_duration(400)
    seen = []
    view.set_step(1, animate=True)
    while view.is_animating():
        seen.append((view.node_text("s", 0, 1), view.node_text("err", 0, 1)))
        qtbot.wait(15)
    states = [s for s, _ in seen]
    assert states[0] == "" and "0.5299" in states  # s_1 fills in during the animation
    first_state = states.index("0.5299")
    errors = [e for _, e in seen]
    assert "" in errors[first_state:]  # the error appears after the state
    assert view.node_text("err", 0, 1) == "0.2299"


def test_stop_animation_stops_without_signal(view, qtbot):
    show(view, examples.lecture())
    view.set_animation_duration(5000)
    fired = []
    view.animationFinished.connect(lambda: fired.append(True))
    view.set_step(1, animate=True)
    assert view.is_animating()
    view.stop_animation()
    assert not view.is_animating()
    assert view.node_text("s", 0, 1) == "0.5299"
    qtbot.wait(30)
    assert fired == []


def test_a_new_step_during_an_animation_restarts_it(view, qtbot):
    show(view, examples.lecture())
    view.set_animation_duration(3000)
    view.set_step(1, animate=True)
    view.set_animation_duration(100)
    with qtbot.waitSignal(view.animationFinished, timeout=3000):
        view.set_step(2, animate=True)
    assert view.node_text("s", 0, 2) == "0.8791"
    assert not view.is_animating()


def test_same_shape_updates_in_place_and_shows_the_new_numbers(view):
    doc = show(view, examples.lecture())
    view.set_step(1)
    items = view.scene().items()
    edited = doc.with_cell_value(0, 0, 0.2)
    show(view, edited)
    after = view.scene().items()
    assert len(after) == len(items) and all(a is b for a, b in zip(after, items, strict=True))
    assert view.node_text("s", 0, 1) == "0.5784"
    assert view.node_text("x", 0, 1) == "0.2"
    weighted = edited.with_param("W", (0, 0), -0.7)
    show(view, weighted)
    assert view.scene().items()[0] is items[0]
    pen = view.edge_pen(("W", (0, 0)))
    assert pen.color().red() > pen.color().blue()  # negative: orange


def test_a_change_of_shape_rebuilds(view):
    doc = show(view, examples.lecture())
    before = view.item()
    show(view, doc.with_rows_inserted(2, 1))
    assert view.item() is not before
    assert len(view.scene().items()) == 1
    assert view.scene().sceneRect().width() > 0
    wider = view.item()
    show(view, doc.with_hidden_size(2))
    assert view.item() is not wider


def test_switching_cells_many_times_leaves_no_growth(view):
    doc = examples.lecture()
    counts = set()
    for _ in range(15):
        for cell in ("lstm", "gru", "rnn"):
            show(view, doc.with_cell(cell))
            view.set_step(2)
            counts.add(len(view.scene().items()))
    assert counts == {1}


def test_lstm_and_gru_gates_show_their_values(view):
    for cell in ("lstm", "gru"):
        doc = show(view, examples.lecture().with_cell(cell))
        trace = doc.trace()
        view.set_step(0)
        gate = "f" if cell == "lstm" else "z"
        assert view.node_text("gate", 0, 1, gate=gate) == ""
        view.set_step(1)
        assert view.node_text("gate", 0, 1, gate=gate) == fmt(trace.gates[gate][0, 0])
        assert view.node_text("s", 0, 1) == fmt(trace.states[1, 0])
        if cell == "lstm":
            assert view.node_text("c", 0, 1) == fmt(trace.cells[1, 0])
            assert view.node_text("c", 0, 0) == "0"


def test_many_units_and_features_get_one_node_each(view):
    rng = np.random.default_rng(3)
    doc = examples.lecture().with_rows_inserted(2, 40).with_hidden_size(4)
    doc = doc.with_block(0, 0, rng.uniform(-1, 1, (42, 2)).round(3).tolist())
    trace = show(view, doc).trace()
    view.set_step(30)
    for j in range(4):
        assert view.node_text("s", j, 30) == fmt(trace.states[30, j])
        assert view.node_text("s", j, 31) == ""
    assert view.node_text("x", 1, 30) == fmt(doc.inputs[29, 1])
    # the current step is kept in view
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.intersects(view.node_scene_rect("s", 0, 30))


def test_non_finite_values_are_drawn_not_fatal(view):
    doc = show(view, overflowing())
    view.set_step(doc.T)
    texts = {view.node_text("s", 0, t) for t in range(1, doc.T + 1)}
    assert texts & {"∞", "-∞", "NaN"}
    assert not view.grab().toImage().isNull()


def test_zoom_pan_and_fit(view, qtbot):
    show(view, examples.lecture())
    view.fit_all()
    scale = view.transform().m11()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.adjusted(-2, -2, 2, 2).contains(view.scene().sceneRect())
    center = view.viewport().rect().center()
    view.wheelEvent(_wheel(view, center, 240))
    assert view.transform().m11() > scale * 1.2
    view.fit_all()
    assert view.transform().m11() == pytest.approx(scale)


def _wheel(view, pos, delta):
    from PySide6.QtGui import QWheelEvent

    return QWheelEvent(
        QPointF(pos),
        QPointF(view.viewport().mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )


def test_grab_is_a_real_picture(view):
    for cell in ("rnn", "lstm", "gru"):
        doc = examples.lecture()
        show(view, doc if cell == "rnn" else doc.with_cell(cell))
        view.set_step(1)
        image = view.grab().toImage()
        assert not image.isNull() and image.width() > 100
        colors = {
            image.pixel(x, y)
            for x in range(0, image.width(), 7)
            for y in range(0, image.height(), 7)
        }
        assert len(colors) > 20


def test_fit_on_a_long_sequence_stays_readable(view):
    rng = np.random.default_rng(1)
    doc = examples.lecture().with_rows_inserted(2, 398)
    doc = doc.with_block(0, 0, rng.uniform(-1, 1, (400, 2)).round(3).tolist())
    show(view, doc)
    view.set_step(250)
    view.fit_all()
    assert view.transform().m11() >= 0.3  # not a sliver of 400 columns
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.node_scene_rect("s", 0, 250).center())
    assert view.node_text("s", 0, 250) == fmt(doc.trace().states[250, 0])
    # zooming far out shows dozens of steps, but stops before the drawing is a hairline
    for _ in range(40):
        view.wheelEvent(_wheel(view, view.viewport().rect().center(), -480))
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.width() >= 8 * view.item().layout.width
    assert view.transform().m11() * view.scene().sceneRect().height() >= (
        view.viewport().height() / 3 - 1
    )
    assert not view.grab().toImage().isNull()


def test_dark_palette_is_followed(view):
    from PySide6.QtGui import QPalette

    show(view, examples.lecture())
    view.set_step(1)
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    view.setPalette(dark)
    image = view.viewport().grab().toImage()
    corner = image.pixelColor(3, image.height() - 3)
    assert close(corner, QColor("#1e1e1e"), tol=8)  # the background follows the palette
    # the value text is drawn in the palette's text colour: light pixels inside s_1's node
    rect = view.mapFromScene(view.node_scene_rect("s", 0, 1)).boundingRect()
    light = [
        image.pixelColor(x, y).lightnessF()
        for x in range(rect.left() + 4, rect.right() - 4)
        for y in range(rect.top() + 4, rect.bottom() - 4)
    ]
    assert max(light) > 0.75


def test_a_blank_target_shows_no_error(view):
    doc = show(view, examples.lecture().with_cell_value(1, 2, ""))
    view.set_step(2)
    assert view.node_text("err", 0, 2) == "—"
    assert view.node_text("err", 0, 1) == "0.2299"
    assert "no target" in view.item().label(view._find("err", 0, 2), 2)
    assert doc.trace().loss is not None


def test_an_edit_updates_the_later_steps_and_keeps_the_earlier_ones(view):
    doc = examples.lecture().with_rows_inserted(2, 4)
    doc = doc.with_block(2, 0, [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.8], [0.9, 0.1]])
    show(view, doc)
    view.set_step(doc.T)
    view.fit_all()
    shown = {t: view.node_text("s", 0, t) for t in range(1, doc.T + 1)}
    edited = doc.with_cell_value(3, 1, -0.9)  # row 4: steps 4.. change
    trace = show(view, edited).trace()
    for t in range(1, doc.T + 1):
        assert view.node_text("s", 0, t) == fmt(trace.states[t, 0])
    assert [view.node_text("s", 0, t) for t in (1, 2, 3)] == [shown[1], shown[2], shown[3]]
    assert view.node_text("s", 0, 4) != shown[4]
    assert view.node_text("x", 1, 4) == "-0.9"


def test_a_partial_repaint_looks_like_a_fresh_drawing(view, qtbot):
    doc = examples.lecture().with_rows_inserted(2, 4)
    doc = doc.with_block(2, 0, [[0.5, -0.2], [0.1, 0.3], [-0.4, 0.8], [0.9, 0.1]])
    show(view, doc)
    view.set_step(doc.T)
    view.fit_all()
    QApplication.processEvents()  # drawn once with the old numbers
    before = QApplication.primaryScreen().grabWindow(view.winId()).toImage()
    edited = doc.with_cell_value(3, 1, -0.9)
    show(view, edited)
    QApplication.processEvents()
    fresh = DiagramView()
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    show(fresh, edited)
    fresh.set_step(edited.T)
    fresh.setTransform(view.transform())
    fresh.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
    fresh.verticalScrollBar().setValue(view.verticalScrollBar().value())
    QApplication.processEvents()
    # what is on screen (the backing store, not a fresh render) is what a fresh view shows
    screen = QApplication.primaryScreen()
    on_screen = screen.grabWindow(view.winId()).toImage()
    assert on_screen == screen.grabWindow(fresh.winId()).toImage()
    assert on_screen != before


def test_renaming_a_column_shows_the_new_name(view, qtbot):
    doc = show(view, examples.lecture())
    view.set_step(1)
    renamed = show(view, doc.with_column_renamed(0, "rain"))
    assert view.item().label(view._find("x", 0, 1), 1) == "rain"
    segments = view.weight_segments(("W", (0, 0)))
    move_mouse(view, segments[0][1].pointAt(0.5))
    assert "rain" in view.item().toolTip()
    assert renamed.input_names[0] == "rain"


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).astype(int)


@pytest.mark.parametrize("zoom", ["reset", "fit", "in"])
def test_node_shapes_from_the_cache_look_like_shapes_drawn_directly(view, zoom):
    doc = show(view, examples.lstm_by_hand().with_rows_inserted(1, 2))
    view.set_step(2)
    {"reset": view.reset_zoom, "fit": view.fit_all, "in": view.zoom_in}[zoom]()
    cached = view.viewport().grab().toImage()
    assert view.item()._shapes  # noqa: SLF001 - the nodes were drawn from the cache
    view.item().shape_cache_max_lod = 0.0  # every shape drawn directly
    view.viewport().update()
    direct = view.viewport().grab().toImage()
    diff = np.abs(_pixels(cached) - _pixels(direct)).max(axis=2)
    assert diff.max() <= 8, (doc.T, int(diff.max()))  # antialiasing rounds a little apart
    # and a node's value is still written on its shape
    assert view.node_text("s", 0, 2)


def test_after_input_and_target_edits_the_diagram_reads_as_if_drawn_afresh(view, qtbot):
    doc = show(view, examples.lecture())
    view.set_step(3)
    view.reset_zoom()
    view.viewport().grab()  # drawn once: its texts and labels are cached
    doc = show(view, doc.with_cell_value(1, 0, 0.25))  # an input: the labels stay
    view.viewport().grab()
    doc = show(view, doc.with_cell_value(1, doc.d, 0.125))  # a target: "y = 0.125"
    edited = view.viewport().grab().toImage()
    err = view._find("err", 0, 2)  # noqa: SLF001
    assert "y = 0.125" in view.item().label(err, 2)
    fresh = DiagramView()
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    show(fresh, doc)
    fresh.set_step(3)
    fresh.reset_zoom()
    fresh.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
    fresh.verticalScrollBar().setValue(view.verticalScrollBar().value())
    assert (_pixels(edited) == _pixels(fresh.viewport().grab().toImage())).all()


def test_after_weight_and_name_edits_the_diagram_reads_as_if_drawn_afresh(view, qtbot):
    doc = show(view, examples.lecture())
    view.set_step(3)
    view.reset_zoom()
    view.viewport().grab()  # drawn once: its texts and labels are cached
    doc = show(view, doc.with_param("W", (0, 0), -0.75))  # a weight: the labels stay
    view.viewport().grab()
    doc = show(view, doc.with_column_renamed(0, "u"))  # a name: they change
    edited = view.viewport().grab().toImage()
    assert view.item().label(view._find("x", 0, 2), 2) == "u"  # noqa: SLF001
    fresh = DiagramView()
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    show(fresh, doc)
    fresh.set_step(3)
    fresh.reset_zoom()
    fresh.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
    fresh.verticalScrollBar().setValue(view.verticalScrollBar().value())
    assert (_pixels(edited) == _pixels(fresh.viewport().grab().toImage())).all()


def test_the_export_paints_vectors_without_the_pixmap_caches(view, tmp_path):
    from PySide6.QtCore import QRectF, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    show(view, examples.lecture())
    view.set_step(2)
    rect = view.export_rect()
    path = tmp_path / "diagram.svg"
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(rect.width()), int(rect.height())))
    generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
    painter = QPainter(generator)
    painter.translate(-rect.left(), -rect.top())
    view.paint_for_export(painter)
    painter.end()
    svg = path.read_text(encoding="utf-8")
    assert "<image" not in svg  # no picture in a frame
    assert "0.5299" in svg and "0.8791" in svg  # the values, as text
    assert "<path" in svg or "<polyline" in svg
    assert view.item().use_caches  # the window's own painting keeps its caches
