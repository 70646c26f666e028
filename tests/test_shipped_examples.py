"""The example files in resources/ are what rnn_studio.examples builds, and they load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnn_studio.examples import EXAMPLES, example
from rnn_studio.io import read_path

EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "resources" / "examples"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_shipped_file_equals_the_built_example(name: str) -> None:
    shipped = read_path(EXAMPLE_DIR / f"{name}.rnn.json")
    assert shipped.equals(example(name))


def test_lecture_csv_holds_the_lecture_data() -> None:
    doc = read_path(EXAMPLE_DIR / "lecture.csv")
    lecture = example("lecture")
    assert doc.input_names == lecture.input_names
    np.testing.assert_array_equal(doc.inputs, lecture.inputs)
    np.testing.assert_array_equal(doc.targets, lecture.targets)


def test_memory_example_needs_the_lstm() -> None:
    """The LSTM holds the stored value; the same data through a basic RNN does not."""
    doc = example("memory")
    lstm_loss = doc.trace().loss
    assert lstm_loss is not None and lstm_loss < 0.01
    rnn_loss = doc.with_cell("rnn").trace().loss
    assert rnn_loss is not None and rnn_loss > 10 * lstm_loss
