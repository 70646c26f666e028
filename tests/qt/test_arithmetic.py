"""The arithmetic panel: the lecture's numbers, previous steps above, every cell's gates."""

from __future__ import annotations

import time

import numpy as np
import pytest

from rnn_studio import examples
from rnn_studio.explain import fmt
from rnn_studio.qt.arithmetic import HISTORY, ArithmeticView


@pytest.fixture
def view(qtbot):
    v = ArithmeticView()
    qtbot.addWidget(v)
    v.resize(640, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def show(view: ArithmeticView, doc):
    trace = doc.trace()
    view.show_document(doc, trace)
    return trace


def test_the_lecture_step_by_step(view):
    show(view, examples.lecture())
    assert view.objectName() == "arithmeticView"
    view.set_step(0)
    text = view.toPlainText()
    assert "Step 0" in text and "s₀ = 0" in text and "Step 1" not in text
    view.set_step(1)
    text = view.toPlainText()
    assert "s₁ = tanh(0.7·0.1 + 0.3·0.4 + 0.4·0 + 0.4) = tanh(0.59) = 0.5299" in text
    assert "error = ŷ₁ − y = 0.5299 − 0.3 = 0.2299" in text
    view.set_step(2)
    text = view.toPlainText()
    assert "tanh(0.59)" in text  # the previous step stays, above
    assert "tanh(1.3720) = 0.8791" in text
    assert text.index("Step 1") < text.index("Step 2")
    # the current step is scrolled into view
    bar = view.verticalScrollBar()
    assert bar.value() == bar.maximum()


def test_an_edit_shows_the_new_numbers(view):
    doc = examples.lecture()
    show(view, doc)
    view.set_step(1)
    show(view, doc.with_cell_value(0, 0, 0.2))
    text = view.toPlainText()
    assert "0.7·0.2" in text and "0.5784" in text and "0.5299" not in text
    show(view, doc.with_param("W", (0, 0), 0.5))
    assert "0.5·0.1" in view.toPlainText()


def test_lstm_shows_one_line_per_gate(view):
    trace = show(view, examples.lecture().with_cell("lstm"))
    view.set_step(1)
    text = view.toPlainText()
    for g in "ifgo":
        value = fmt(trace.gates[g][0, 0])
        assert f"{g}₁ = " in text and f") = {value}" in text
    assert "c₁ = f₁·c₀ + i₁·g₁" in text and fmt(trace.cells[1, 0]) in text
    assert "c₀ = 0" in text  # the initial cell state in step 0's block


def test_gru_with_two_units_is_grouped_per_unit(view):
    trace = show(view, examples.lecture().with_hidden_size(2).with_cell("gru"))
    view.set_step(1)
    text = view.toPlainText()
    assert text.index("unit 1") < text.index("r₁[1]") < text.index("unit 2") < text.index("r₁[2]")
    assert fmt(trace.states[1, 1]) in text


def test_long_sequences_render_a_window_quickly(view):
    rng = np.random.default_rng(0)
    doc = examples.lecture().with_rows_inserted(2, 1998).with_hidden_size(4)
    doc = doc.with_block(0, 0, rng.uniform(-1, 1, (2000, 2)).round(3).tolist())
    show(view, doc)
    start = time.perf_counter()
    view.set_step(1500)
    elapsed = time.perf_counter() - start
    text = view.toPlainText()
    assert "Step 1500" in text and "Step 1499" in text  # the current one and the one before
    assert "Step 1000" not in text and "steps 0–" in text  # older ones are only mentioned
    assert text.count("Step ") <= HISTORY + 1
    assert elapsed < 0.5


def test_overflow_is_explained(view):
    doc = examples.lecture().with_activation("identity").with_rows_inserted(2, 4)
    doc = doc.with_param("W", (0, 2), 1e200)
    show(view, doc)
    view.set_step(doc.T)
    text = view.toPlainText()
    assert "Overflow at step" in text
    assert "∞" in text or "NaN" in text


def test_grab_is_a_picture(view):
    show(view, examples.lecture())
    view.set_step(2)
    image = view.grab().toImage()
    colors = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colors) > 5


def test_an_edit_after_the_shown_step_keeps_the_text_and_later_steps_are_fresh(view):
    doc = examples.lecture()
    show(view, doc)
    view.set_step(2)
    view.set_step(1)  # step 2's block has been written once and cached
    before = view.toPlainText()
    edited = doc.with_cell_value(1, 0, 0.2)  # row 2: only step 2 changes
    trace = show(view, edited)
    assert view.toPlainText() == before  # step 1 reads the same
    view.set_step(2)
    text = view.toPlainText()
    assert "0.7·0.2" in text and fmt(trace.states[2, 0]) in text
    assert "0.7·0.7" not in text


def _pixels(image) -> np.ndarray:
    image = image.convertToFormat(image.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).astype(int)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_new_numbers_in_place_read_and_look_as_the_text_written_afresh(
    view, qtbot, monkeypatch, cell
):
    doc = examples.lecture().with_rows_inserted(2, 3).with_cell(cell)
    if cell == "rnn":
        doc = doc.with_hidden_size(2)
    show(view, doc)
    view.set_step(4)
    blocks = view.document().blockCount()
    # only numbers change: the lines are rewritten in place, the text is not set anew
    monkeypatch.setattr(view, "setHtml", lambda _html: pytest.fail("setHtml for new numbers"))
    for value in (0.9, -0.9, 12345.678):  # new numbers on the lines of steps 2..4
        doc = doc.with_cell_value(1, 0, value)
        show(view, doc)
    assert view.document().blockCount() == blocks
    fresh = ArithmeticView()
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    show(fresh, doc)
    fresh.set_step(4)
    qtbot.wait(20)  # what the user sees: after the event loop has run
    assert view.toPlainText() == fresh.toPlainText()
    assert fmt(doc.trace().states[4, 0], 4) in view.toPlainText()
    for bar in (view.verticalScrollBar(), fresh.verticalScrollBar()):
        assert bar.value() == bar.maximum()  # the current step in view, at the bottom
    assert (_pixels(view.grab().toImage()) == _pixels(fresh.grab().toImage())).all()
    view.verticalScrollBar().setValue(0)
    fresh.verticalScrollBar().setValue(0)
    assert (_pixels(view.grab().toImage()) == _pixels(fresh.grab().toImage())).all()
