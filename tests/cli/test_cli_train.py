"""``rnn-studio train``: the same numbers as the core, the fallbacks, -o, progress, bad options."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import CELLS, cli, make_doc, one_line_usage_error, run, write_doc

from rnn_studio import io as rio
from rnn_studio.cli.progress import ProgressReport
from rnn_studio.core.train import TrainConfig, train_all
from rnn_studio.document import Document, TrainingSettings
from rnn_studio.examples import lecture


def core_result(doc: Document, config: TrainConfig):
    cell = doc.initial_cell if doc.cell == "lstm" else None
    return train_all(doc.spec, doc.params, doc.inputs, doc.targets, doc.initial_state, cell, config)


def assert_same_as_core(obj: dict, doc: Document, config: TrainConfig) -> None:
    expected = core_result(doc, config)
    assert obj["optimizer"] == config.optimizer
    assert obj["learning_rate"] == config.learning_rate
    assert obj["epochs"] == config.epochs
    assert obj["clip"] == (config.clip or None)
    assert obj["stopped_at"] == expected.stopped_at
    assert obj["losses"] == expected.losses  # the same code: equal to the last bit
    assert list(obj["params"]) == [ps.name for ps in doc.param_specs()]
    for name, value in expected.params.items():
        np.testing.assert_array_equal(np.array(obj["params"][name]), value)


RUNS = [
    ([], TrainConfig()),
    (["--optimizer", "momentum", "--lr", "0.05", "--momentum", "0.5", "--epochs", "40"],
     TrainConfig("momentum", 0.05, 40, momentum=0.5)),
    (["--optimizer", "adam", "--lr", "0.01", "--epochs", "30", "--clip", "0.1"],
     TrainConfig("adam", 0.01, 30, clip=0.1)),
    (["--optimizer", "sgd", "--epochs", "12", "--seed", "7"], TrainConfig(epochs=12, seed=7)),
]  # fmt: skip


@pytest.mark.parametrize(("cell", "activation"), CELLS)
@pytest.mark.parametrize(("options", "config"), RUNS, ids=["defaults", "momentum", "adam", "seed"])
def test_json_equals_the_core(tmp_path: Path, capsys, cell, activation, options, config) -> None:
    doc = make_doc(cell, activation, readout="linear" if cell != "gru" else "identity")
    path = write_doc(tmp_path, doc)
    code, out, err = run(capsys, "train", path, "--format", "json", *options)
    assert code == 0, err
    obj = json.loads(out)
    assert len(obj["losses"]) == config.epochs + 1
    assert_same_as_core(obj, doc, config)


def test_the_lecture_trains_and_writes_a_project_that_reloads(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture(), "L.rnn.json")
    out_path = tmp_path / "trained.rnn.json"
    code, out, err = run(
        capsys, "train", path, "--optimizer", "adam", "--epochs", "60", "-o", out_path
    )
    assert code == 0, err
    assert f"wrote {out_path}" in err
    trained = rio.read_project(out_path)
    expected = core_result(lecture(), TrainConfig("adam", 0.1, 60))
    for name, value in expected.params.items():
        np.testing.assert_array_equal(trained.params[name], value)
    assert trained.trace().loss == pytest.approx(expected.losses[-1], abs=0, rel=1e-15)
    assert trained.trace().loss < 1e-4
    # everything else is the file's own
    assert trained.equals(lecture().with_params(dict(expected.params)))
    assert rio.read_project(path).equals(lecture())  # FILE itself is untouched
    # the text summary names the settings and the first and last loss
    first, last = out.splitlines()[:2]
    assert first == "trained 60 epochs (adam, learning rate 0.1)"
    assert last == f"loss {expected.losses[0]:.6g} → {expected.losses[-1]:.6g}"
    assert f"after  {expected.losses[-1]:.6g}  (the trained weights)" in out


def test_options_fall_back_to_the_files_settings(tmp_path: Path, capsys) -> None:
    settings = TrainingSettings(optimizer="momentum", learning_rate=0.02, epochs=9, momentum=0.3)
    doc = lecture().with_training(settings)
    path = write_doc(tmp_path, doc)
    code, out, _ = run(capsys, "train", path, "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert (obj["optimizer"], obj["learning_rate"], obj["epochs"], obj["momentum"]) == (
        "momentum",
        0.02,
        9,
        0.3,
    )
    assert_same_as_core(obj, doc, settings.to_config())
    # an option given wins; the rest still come from the file
    code, out, _ = run(capsys, "train", path, "--format", "json", "--epochs", "4")
    obj = json.loads(out)
    assert (obj["optimizer"], obj["learning_rate"], obj["epochs"]) == ("momentum", 0.02, 4)
    assert_same_as_core(obj, doc, TrainConfig("momentum", 0.02, 4, momentum=0.3))


def test_without_settings_sgd_lr_0_1_and_100_epochs(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    code, out, _ = run(capsys, "train", path, "--format", "json")
    obj = json.loads(out)
    assert (obj["optimizer"], obj["learning_rate"], obj["epochs"]) == ("sgd", 0.1, 100)
    assert obj["clip"] is None and obj["stopped_at"] is None
    assert len(obj["losses"]) == 101


def test_progress_a_line_every_ten_percent(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    code, out, err = run(capsys, "train", path, "--epochs", "100")
    expected = core_result(lecture(), TrainConfig())
    lines = err.splitlines()
    assert lines == [
        f"epoch {e}/100 ({e}%): loss {expected.losses[e - 1]:.6g}" for e in range(10, 101, 10)
    ]
    code, out, err = run(capsys, "train", path, "--epochs", "3")
    assert [line.split(" (")[0] for line in err.splitlines()] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_one_bar() -> None:
    stream = _Terminal()
    report = ProgressReport(20, stream)
    for epoch in range(1, 21):
        report.epoch(epoch, 1.0 / epoch)
    report.close()
    text = stream.getvalue()
    assert text.count("\r") == 20 and text.endswith("\n") and text.count("\n") == 1
    last = text.rstrip("\n").split("\r")[-1]
    assert last == "[" + "#" * 30 + "] epoch 20/20  loss 0.05"
    assert "[" + "#" * 15 + "." * 15 + "] epoch 10/20  loss 0.1" in text


def diverging_doc() -> Document:
    """The identity activation with a large learning rate: the loss overflows."""
    return make_doc("rnn", "identity", readout="identity", T=6, blank=False)


def test_a_diverging_run_stops_with_the_last_finite_weights(tmp_path: Path, capsys) -> None:
    doc = diverging_doc()
    path = write_doc(tmp_path, doc)
    out_path = tmp_path / "out.rnn.json"
    config = TrainConfig(learning_rate=50.0, epochs=200)
    code, out, err = run(
        capsys, "train", path, "--lr", "50", "--epochs", "200", "--format", "json", "-o", out_path
    )
    assert code == 0, err
    obj = json.loads(out)
    assert obj["stopped_at"] is not None and obj["stopped_at"] < 200
    assert len(obj["losses"]) == obj["stopped_at"]  # ending with the stopping epoch's
    assert all(math.isfinite(v) for v in obj["losses"][:-1])
    assert_same_as_core({**obj, "losses": obj["losses"]}, doc, config)
    message = core_result(doc, config).message
    assert f"rnn-studio train: {message}" in err.splitlines()
    trained = rio.read_project(out_path)  # the last finite weights: a valid file
    assert all(np.isfinite(a).all() for a in trained.params.values())
    code, out, _ = run(capsys, "train", path, "--lr", "50", "--epochs", "200")
    assert out.splitlines()[0] == "stopped 200 epochs (sgd, learning rate 50)"
    assert out.splitlines()[-1] == message


BAD_OPTIONS = [
    (["--lr", "0"], ["--lr", "> 0"]),
    (["--lr", "-0.5"], ["--lr", "> 0"]),
    (["--lr", "nan"], ["--lr", "finite"]),
    (["--lr", "inf"], ["--lr", "finite"]),
    (["--epochs", "0"], ["--epochs", "at least 1"]),
    (["--epochs", "-3"], ["--epochs", "at least 1"]),
    (["--momentum", "1"], ["--momentum", "[0, 1)"]),
    (["--momentum", "-0.1"], ["--momentum", "[0, 1)"]),
    (["--clip", "-1"], ["--clip", "≥ 0"]),
    (["--seed", "-1"], ["--seed", "≥ 0"]),
]


@pytest.mark.parametrize(("options", "fragments"), BAD_OPTIONS, ids=lambda v: " ".join(v))
def test_bad_options_exit_2_naming_the_option(tmp_path: Path, capsys, options, fragments) -> None:
    path = write_doc(tmp_path, lecture())
    out_path = tmp_path / "out.rnn.json"
    line = one_line_usage_error(*run(capsys, "train", path, *options, "-o", out_path), *fragments)
    assert line.startswith("rnn-studio train: ")
    assert not out_path.exists()


def test_argparse_rejects_what_is_not_a_number(tmp_path: Path, capsys) -> None:
    path = write_doc(tmp_path, lecture())
    for options in (["--lr", "fast"], ["--epochs", "2.5"], ["--optimizer", "rmsprop"]):
        code, out, err = run(capsys, "train", path, *options)
        assert code == 2 and out == "" and options[0] in err and "Traceback" not in err


def test_no_target_exits_3(tmp_path: Path, capsys) -> None:
    doc = make_doc("rnn", targets=np.full((5, 2), np.nan))
    path = write_doc(tmp_path, doc)
    code, out, err = run(capsys, "train", path)
    assert code == 3 and out == ""
    assert err.splitlines() == [
        f"rnn-studio: {path}: no step has a target, so there is no loss to train on"
    ]


def test_a_csv_trains_the_default_model(tmp_path: Path, capsys) -> None:
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n0.1,0.4,0.3\n0.7,0.9,0.5\n", encoding="utf-8")
    code, out, err = run(capsys, "train", path, "--epochs", "5", "--format", "json")
    assert code == 0
    assert "no model in" in err
    doc = rio.read_path(path)
    assert_same_as_core(json.loads(out), doc, TrainConfig(epochs=5))


def test_train_as_a_subprocess(tmp_path: Path) -> None:
    write_doc(tmp_path, lecture(), "L.rnn.json")
    done = cli("train", "L.rnn.json", "--epochs", "20", "-o", "T.rnn.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        done.stderr.splitlines()[:2]
        == [line for line in done.stderr.splitlines() if line.startswith("epoch ")][:2]
    )
    assert sum(line.startswith("epoch ") for line in done.stderr.splitlines()) == 10
    assert done.stdout.startswith("trained 20 epochs (sgd, learning rate 0.1)\n")
    expected = core_result(lecture(), TrainConfig(epochs=20))
    trained = rio.read_project(tmp_path / "T.rnn.json")
    np.testing.assert_array_equal(trained.params["W"], expected.params["W"])
