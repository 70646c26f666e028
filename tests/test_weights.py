"""rnn_studio.weights: the seed that gives the weights shown, and what Reset goes back to."""

from __future__ import annotations

import numpy as np

from rnn_studio import io as rio
from rnn_studio import weights
from rnn_studio.examples import example, lecture


def test_a_randomized_document_knows_its_seed_and_keeps_it_through_a_file(tmp_path) -> None:
    doc = weights.randomized(lecture(), 1)
    assert weights.seed_of(doc) == 1 and doc.view["seed"] == 1
    path = tmp_path / "p.rnn.json"
    rio.write_project(doc, path)
    again = rio.read_path(path)
    assert weights.seed_of(again) == 1
    assert weights.next_seed(again) == 2


def test_an_edited_weight_has_no_seed_but_the_next_draw_moves_on() -> None:
    doc = weights.randomized(lecture(), 5).with_param("b", (0,), 0.25)
    assert weights.seed_of(doc) is None
    assert weights.next_seed(doc) == 6


def test_the_lecture_has_no_seed_and_draws_seed_0_first() -> None:
    assert weights.seed_of(lecture()) is None
    assert weights.next_seed(lecture()) == 0


def test_a_new_models_weights_are_seed_0_without_a_stored_seed() -> None:
    doc = weights.seeded_values(example("gru-by-hand"))
    assert weights.seed_of(weights.with_seed(doc, None)) == 0
    assert not np.any(doc.initial_state) and not np.any(doc.initial_cell)


def test_reset_choices_fit_only_their_shape() -> None:
    gru = example("gru-by-hand")
    assert weights.lecture_values(gru) is None
    assert weights.opened_values(gru.with_hidden_size(gru.hidden_size + 1), gru) is None
    back = weights.opened_values(weights.randomized(gru, 3), gru)
    assert back is not None and back.equals(gru)
    edited = lecture().with_param("W", (0, 0), 2.0)
    assert weights.lecture_values(edited).equals(lecture())
