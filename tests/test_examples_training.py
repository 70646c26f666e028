"""The examples worth training: their stored settings do what examples.py says."""

from __future__ import annotations

from pathlib import Path

from rnn_studio.core.train import train_all
from rnn_studio.examples import example, lecture
from rnn_studio.io import read_path

EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "resources" / "examples"


def run(doc):
    c0 = doc.initial_cell if doc.cell == "lstm" else None
    config = doc.training.to_config()
    return train_all(doc.spec, doc.params, doc.inputs, doc.targets, doc.initial_state, c0, config)


def test_the_shipped_files_store_their_training_settings():
    for name in ("lecture", "sine", "memory"):
        doc = read_path(EXAMPLE_DIR / f"{name}.rnn.json")
        assert doc.training is not None and doc.training == example(name).training, name
    assert lecture().training is None  # the bare worked example (tests, Reset) has none


def test_the_lecture_trains_below_1e_4():
    result = run(example("lecture"))
    assert result.stopped_at is None
    assert min(i for i, loss in enumerate(result.losses) if loss < 1e-4) <= 30
    assert result.losses[-1] < 1e-6


def test_the_memory_example_an_lstm_learns_and_a_basic_rnn_does_not():
    doc = example("memory")
    lstm = run(doc).losses[-1]
    rnn = run(doc.with_cell("rnn")).losses[-1]
    assert lstm < 1e-3
    assert rnn > 0.05 and rnn > 100 * lstm


def test_the_sine_example_learns_what_one_unit_can():
    losses = run(example("sine")).losses
    assert losses[-1] < losses[0] / 4
