"""A document's training settings: the file's ``training`` block and its TrainConfig."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rnn_studio import io as rio
from rnn_studio.core.train import TrainConfig, train_all
from rnn_studio.document import TrainingSettings
from rnn_studio.errors import DocumentError
from rnn_studio.examples import lecture


def write_project(path: Path, training) -> Path:
    obj = rio.document_to_dict(lecture())
    obj["training"] = training
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def test_defaults_match_the_cores_defaults() -> None:
    assert TrainingSettings().to_config() == TrainConfig()
    assert TrainingSettings().seed is None


def test_to_config_carries_every_setting() -> None:
    settings = TrainingSettings("momentum", 0.02, 40, 9, momentum=0.5, clip=2.0)
    assert settings.to_config() == TrainConfig(
        optimizer="momentum", learning_rate=0.02, epochs=40, momentum=0.5, clip=2.0, seed=9
    )


def test_the_lecture_trains_from_its_settings() -> None:
    doc = lecture()
    config = TrainingSettings("adam", 0.1, 60).to_config()
    result = train_all(doc.spec, doc.params, doc.inputs, doc.targets, config=config)
    assert result.losses[-1] < 1e-4


@pytest.mark.parametrize(
    "settings",
    [
        TrainingSettings(),
        TrainingSettings("adam", 0.003, 250, 7),
        TrainingSettings("momentum", 0.5, 3, None, momentum=0.0, clip=1.5),
        TrainingSettings("sgd", 1.0, 1, 0, momentum=0.99, clip=0.0),
    ],
)
def test_training_settings_round_trip(tmp_path: Path, settings: TrainingSettings) -> None:
    path = tmp_path / "t.rnn.json"
    rio.write_project(lecture().with_training(settings), path)
    block = json.loads(path.read_text(encoding="utf-8"))["training"]
    assert set(block) == {"optimizer", "learning_rate", "epochs", "momentum", "clip", "seed"}
    assert rio.read_project(path).training == settings


def test_an_old_block_without_the_new_keys_reads_with_defaults(tmp_path: Path) -> None:
    old = {"optimizer": "sgd", "learning_rate": 0.1, "epochs": 100, "seed": 0}
    training = rio.read_project(write_project(tmp_path / "old.rnn.json", old)).training
    assert training == TrainingSettings("sgd", 0.1, 100, 0, momentum=0.9, clip=None)


def test_null_clip_and_seed_read_as_none(tmp_path: Path) -> None:
    block = {"clip": None, "seed": None, "momentum": 0}
    training = rio.read_project(write_project(tmp_path / "n.rnn.json", block)).training
    assert (training.clip, training.seed, training.momentum) == (None, None, 0.0)


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ({"momentum": 1}, ["'training.momentum'", "[0, 1)", "integer 1"]),
        ({"momentum": -0.5}, ["'training.momentum'"]),
        ({"momentum": "0.9"}, ["'training.momentum'", "string"]),
        ({"clip": -1}, ["'training.clip'", "≥ 0 or null"]),
        ({"clip": True}, ["'training.clip'", "true"]),
        ({"seed": -1}, ["'training.seed'", "≥ 0 or null"]),
        ({"seed": 1.5}, ["'training.seed'"]),
        ({"learning_rate": 10**400}, ["'training.learning_rate'", "finite"]),
        ({"learning_rate": -0.1}, ["'training.learning_rate'", "> 0"]),
        ({"epochs": 0}, ["'training.epochs'", "≥ 1"]),
        ({"nesterov": True}, ["'training'", "'nesterov'", "momentum, clip, seed"]),
    ],
)
def test_bad_training_values_name_the_key(tmp_path: Path, block: dict, words: list[str]) -> None:
    path = write_project(tmp_path / "bad.rnn.json", block)
    with pytest.raises(DocumentError) as err:
        rio.read_project(path)
    text = str(err.value)
    assert "\n" not in text
    for word in words:
        assert word in text, text
