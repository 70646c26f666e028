"""Issue 11 item 7: the diagram fits its area. After a change of shape, of step or of the
window's size, everything the diagram draws for the columns it shows (headers, nodes,
their labels, the error's "y = 0.5", the LSTM's cell line, edges and badges) is inside the
viewport at the zoom it chooses, with no scroll bar it does not need; a diagram too big to
fit at a readable zoom keeps the readable zoom, its top and the current step in view.

Driven through the real window at a projector's 1,024 × 768 and at 1,920 × 1,080.
"""

from __future__ import annotations

import pytest
from diagram_mouse import hover
from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QFontInfo, QFontMetricsF
from PySide6.QtWidgets import QApplication, QComboBox, QSpinBox

from rnn_studio import examples
from rnn_studio import io as rio
from rnn_studio.document import Document
from rnn_studio.qt.diagram.fit import readable_scale

SIZES = [(1024, 768), (1920, 1080)]


def open_at(make_window, size):
    w = make_window()
    w.resize(*size)
    QApplication.processEvents()
    return w


def settle(w) -> None:
    for _ in range(3):
        QApplication.processEvents()


def drawn(view, t: int) -> list[tuple[str, QRectF]]:
    """What the diagram draws for column t, each with its scene rectangle: the header, the
    static layer (edges, boxes, badges, operators), every node and every label line, placed
    by the same code that paints them."""
    item = view.item()
    lay = item.layout
    out = []
    head = f"t = {t}"
    metrics = QFontMetricsF(item.head_font)
    cx = t * lay.width + (lay.center if t else lay.state_x)
    width = metrics.horizontalAdvance(head)
    out.append((head, QRectF(cx - width / 2, lay.top + 14 - metrics.height() / 2, width, 1)))
    out[-1][1].setHeight(metrics.height())
    if t:
        out.append((f"edges of {t}", item._static_rect.translated(t * lay.width, 0)))
    for node in lay.initial if t == 0 else lay.nodes:
        rect = node.rect(t * lay.width)
        out.append((f"{node.kind}{node.gate}[{node.index}] at {t}", rect))
        if node.kind != "gate":
            for bounds, _pos, static, _ in item._label_lines(node, rect, t):
                # the text's own box (bounds has a few units of slack around it)
                out.append((f"label {static.text()!r} at {t}", bounds.adjusted(5, 3, -5, -3)))
    return out


def on_screen(view, rect: QRectF) -> QRectF:
    return QRectF(view.mapFromScene(rect).boundingRect())


def assert_inside(view, columns) -> None:
    port = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    for t in columns:
        for what, rect in drawn(view, t):
            assert port.contains(on_screen(view, rect)), (what, on_screen(view, rect), port)


def fits_whole(view) -> bool:
    """Whether every column is on screen (then no scroll bar may show)."""
    port = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    return port.contains(on_screen(view, view.sceneRect()))


def assert_fitted(view) -> None:
    """Every column up to the current step is inside the viewport, with no needless scroll
    bar; or the diagram cannot fit readably and the current step and the top are in view."""
    item = view.item()
    scale = view.transform().m11()
    assert QFontInfo(item.value_font).pixelSize() * scale >= 9  # readable
    if fits_whole(view):
        assert_inside(view, range(item.T + 1))
        assert not view.horizontalScrollBar().isVisible()
        assert not view.verticalScrollBar().isVisible()
    else:
        # too big for a readable zoom: the smallest readable zoom, or the height fitted
        whole = min(
            view.viewport().width() / view.sceneRect().width(),
            view.viewport().height() / view.sceneRect().height(),
        )
        assert whole < readable_scale(item) <= scale + 1e-9
        assert_inside_sideways(view, view.step())


def assert_inside_sideways(view, t: int) -> None:
    """Column t's drawings are within the viewport's width; those of its top (header,
    errors, outputs) within its height too."""
    port = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    top = view.item().layout.top
    for what, rect in drawn(view, t):
        shown = on_screen(view, rect)
        assert port.left() <= shown.left() and shown.right() <= port.right(), (what, shown)
        if rect.bottom() < top + 120:  # the header, the errors and their labels
            assert port.contains(shown), (what, shown, port)


# -- the four cases of the issue --------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_a_project_reopened_at_step_2_shows_the_t0_column(make_window, tmp_path, size):
    path = tmp_path / "lecture.rnn.json"
    rio.write_project(examples.lecture_example().with_view(step=2, speed=5), path)
    w = open_at(make_window, size)
    assert w.open_path(path)
    settle(w)
    view = w.diagram
    assert view.step() == 2
    assert fits_whole(view), "the lecture fits both windows readably"
    assert_fitted(view)


@pytest.mark.parametrize("size", SIZES)
def test_adding_x3_keeps_the_whole_diagram_in_view(make_window, size):
    w = open_at(make_window, size)
    w.findChild(QAction, "actionLast").trigger()
    w.table.action_add_input.trigger()
    settle(w)
    assert w.session.document.d == 3
    assert fits_whole(w.diagram)
    assert_fitted(w.diagram)


@pytest.mark.parametrize("size", SIZES)
def test_gru_at_step_2_shows_y_of_the_last_error(make_window, size):
    w = open_at(make_window, size)
    combo = w.findChild(QComboBox, "cellCombo")
    combo.setCurrentIndex(combo.findData("gru"))
    w.findChild(QAction, "actionLast").trigger()
    settle(w)
    view = w.diagram
    assert view.step() == 2
    labels = [what for what, _ in drawn(view, 2)]
    assert "label 'y = 0.5' at 2" in labels
    assert_fitted(view)
    assert_inside_sideways(view, 2)  # the last error's "y = 0.5" on screen in any case
    if size == (1920, 1080):
        assert fits_whole(view)


@pytest.mark.parametrize("size", SIZES)
def test_lstm_with_three_units_keeps_its_top_in_view(make_window, size):
    w = open_at(make_window, size)
    combo = w.findChild(QComboBox, "cellCombo")
    combo.setCurrentIndex(combo.findData("lstm"))
    w.findChild(QSpinBox, "hiddenSizeSpin").setValue(3)
    settle(w)
    view = w.diagram
    assert w.session.document.hidden_size == 3
    assert_fitted(view)
    # the top: the current step's header, its errors, and the top of the cell line (c[1])
    lay = view.item().layout
    port = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    t = view.step()
    c_top = view.node_scene_rect("c", 0, t)
    assert port.contains(on_screen(view, c_top))
    assert port.contains(on_screen(view, view.node_scene_rect("err", 0, max(t, 1))))
    assert on_screen(view, QRectF(0, lay.top, 1, 1)).top() >= -1
    if size == (1920, 1080):
        assert fits_whole(view)


def test_a_resized_window_fits_the_diagram_again(make_window):
    w = open_at(make_window, (1920, 1080))
    w.table.action_add_input.trigger()
    settle(w)
    big = w.diagram.transform().m11()
    w.resize(1024, 768)
    settle(w)
    assert w.diagram.transform().m11() < big
    assert fits_whole(w.diagram)
    assert_fitted(w.diagram)
    w.resize(1920, 1080)
    settle(w)
    assert w.diagram.transform().m11() == pytest.approx(big)


def test_fit_after_a_resize_refits(make_window):
    w = open_at(make_window, (1920, 1080))
    w.findChild(QAction, "actionFit").trigger()
    w.resize(1024, 768)
    settle(w)
    assert_fitted(w.diagram)


def test_a_long_sequence_keeps_the_current_step_in_view_at_a_readable_zoom(make_window):
    doc = examples.sine()  # T = 20: not readable as a whole in either window
    w = make_window(doc)
    w.resize(1024, 768)
    settle(w)
    w.findChild(QAction, "actionLast").trigger()
    settle(w)
    view = w.diagram
    assert view.step() == 20 and not fits_whole(view)
    assert_fitted(view)
    assert view.horizontalScrollBar().isVisible()


# -- long names -----------------------------------------------------------------------------
def long_names(k: int) -> Document:
    doc = examples.lecture()
    inputs = ("<b>temperature</b> " + "t" * 180, "humidity " + "h" * 190)
    targets = tuple(f"rain & snow {m} " + "r" * 170 for m in range(k))
    return Document.create(
        input_names=inputs,
        target_names=targets,
        inputs=doc.inputs,
        targets=[[v] * k for v in (0.3, 0.5)],
        cell="rnn",
        activation="tanh",
        hidden_size=k,
        readout="identity" if k == 1 else "linear",
        params=None,
        initial_state=[0.0] * k,
        seed=1,
    )


@pytest.mark.parametrize("k", [1, 2])
def test_long_column_names_are_elided_and_in_full_in_a_plain_tooltip(make_window, tmp_path, k):
    path = tmp_path / "long.rnn.json"
    rio.write_project(long_names(k), path)
    w = open_at(make_window, (1024, 768))
    assert w.open_path(path)
    w.findChild(QAction, "actionLast").trigger()
    settle(w)
    view, doc = w.diagram, w.session.document
    assert max(len(n) for n in doc.input_names + doc.target_names) >= 199
    item = view.item()
    for t in (1, 2):
        boxes = []
        for node in item.layout.nodes:
            if node.kind not in ("x", "yhat", "err"):
                continue
            rect = node.rect(t * item.layout.width)
            for bounds, _pos, static, _ in item._label_lines(node, rect, t):
                text = static.text()
                boxes.append((text, bounds.adjusted(5, 3, -5, -3), id(node)))
        names = [text for text, *_ in boxes if "…" in text]
        assert len(names) >= 2 + (2 if k > 1 else 0), [text for text, *_ in boxes]
        for i, (a, ra, na) in enumerate(boxes):  # no label runs into another node's
            for b, rb, nb in boxes[i + 1 :]:
                assert na == nb or not ra.intersects(rb), (a, b)
    assert_fitted(view)
    # hovering an elided name shows it in full, as plain text (no bold, "&" as itself)
    node = next(n for n in item.layout.nodes if n.kind == "x" and n.index == 0)
    (bounds, *_rest) = item._label_lines(node, node.rect(2 * item.layout.width), 2)[0]
    view.centerOn(bounds.center())
    tip = hover(view, bounds.center())
    assert "&lt;b&gt;temperature&lt;/b&gt; " + "t" * 180 in tip
    assert tip.startswith("<qt>") and "<b>" not in tip
    if k > 1:
        err = next(n for n in item.layout.nodes if n.kind == "err" and n.index == 1)
        lines = item._label_lines(err, err.rect(2 * item.layout.width), 2)
        texts = [placed[2].text() for placed in lines]
        assert texts[0] == "error" and texts[-1] == "= 0.5", texts
        assert texts[1].startswith("rain &") and texts[1].endswith("…"), texts
        view.centerOn(lines[1][0].center())
        tip = hover(view, lines[1][0].center())
        assert "rain &amp; snow 1 " + "r" * 170 in tip
