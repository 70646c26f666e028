"""rnn_studio.scaling: columns to [−1, 1] or z-scores, recorded, and back exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_studio import io as rio
from rnn_studio import scaling
from rnn_studio.document import Document
from rnn_studio.errors import DocumentError


def _temps() -> Document:
    return Document.create(
        input_names=("temp",),
        target_names=("next",),
        inputs=[[3.0], [11.0], [19.0], [7.5]],
        targets=[[11.0], [19.0], [7.5], [None]],
        hidden_size=1,
    )


def test_range_scaling_maps_the_extremes_to_minus_one_and_one_and_is_recorded(tmp_path):
    doc = scaling.scaled(_temps(), ["temp", "next"], scaling.RANGE)
    assert doc.inputs[:, 0].tolist() == [-1.0, 0.0, 1.0, -0.4375]
    assert doc.view["scaling"]["temp"] == {"method": "range", "offset": 11.0, "scale": 8.0}
    assert math.isnan(doc.targets[3, 0])  # a blank target stays blank
    path = tmp_path / "t.rnn.json"
    rio.write_project(doc, path)
    again = rio.read_path(path)
    assert scaling.scalings(again)["next"] == scaling.ColumnScale("range", 13.25, 5.75)
    np.testing.assert_allclose(
        scaling.to_original(again, "temp", again.inputs[:, 0]), [3, 11, 19, 7.5]
    )


def test_z_scores_have_mean_zero_and_unit_deviation():
    doc = scaling.scaled(_temps(), ["temp"], scaling.ZSCORE)
    z = doc.inputs[:, 0]
    assert z.mean() == pytest.approx(0, abs=1e-15) and z.std() == pytest.approx(1)


def test_back_to_original_units_gives_the_numbers_as_typed():
    doc = scaling.scaled(_temps(), ["temp", "next"], scaling.ZSCORE)
    doc = scaling.scaled(doc, ["temp"], scaling.RANGE)  # rescaled from the original
    back = scaling.unscaled(doc)
    assert back.inputs[:, 0].tolist() == [3.0, 11.0, 19.0, 7.5]
    assert back.targets[:3, 0].tolist() == [11.0, 19.0, 7.5]
    assert "scaling" not in back.view


def test_a_constant_column_is_refused_by_name():
    doc = _temps().with_block(0, 0, [[2.0], [2.0], [2.0], [2.0]])
    with pytest.raises(DocumentError, match="column 'temp'.*nothing to scale"):
        scaling.scaled(doc, ["temp"], scaling.RANGE)
