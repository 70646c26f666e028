"""Full-batch training: the losses it records, the generator, stopping, divergence, seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnn_studio.core import ModelSpec, backprop, run
from rnn_studio.core.initial import initial_params
from rnn_studio.core.optim import OPTIMIZERS, grad_norm
from rnn_studio.core.train import (
    LECTURE_SETTINGS,
    Progress,
    TrainConfig,
    TrainResult,
    train,
    train_all,
)
from rnn_studio.examples import lecture

LECTURE = lecture()
SPEC = LECTURE.spec


def train_lecture(config: TrainConfig, params=None) -> TrainResult:
    return train_all(
        SPEC,
        LECTURE.params if params is None else params,
        LECTURE.inputs,
        LECTURE.targets,
        LECTURE.initial_state,
        config=config,
    )


def loss_of(params, spec=SPEC, inputs=LECTURE.inputs, targets=LECTURE.targets) -> float | None:
    return run(spec, params, inputs, targets, LECTURE.initial_state).loss


def test_the_lecture_trains_below_1e_4_with_the_lecture_settings() -> None:
    result = train_lecture(LECTURE_SETTINGS)
    assert result.stopped_at is None and result.message == ""
    assert len(result.losses) == LECTURE_SETTINGS.epochs + 1
    assert result.losses[0] == pytest.approx(0.0983, abs=5e-5)  # (0.2299² + 0.3791²) / 2
    assert result.losses[-1] < 1e-4
    assert result.losses[-1] == loss_of(result.params)
    assert min(i for i, loss in enumerate(result.losses) if loss < 1e-4) <= 30


def test_default_settings_are_plain_sgd_and_the_loss_goes_down() -> None:
    config = TrainConfig()
    assert (config.optimizer, config.learning_rate, config.epochs) == ("sgd", 0.1, 100)
    assert (config.momentum, config.clip, config.seed) == (0.9, None, None)
    losses = train_lecture(config).losses
    assert len(losses) == 101
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_n_plus_one_losses_each_the_loss_before_its_epochs_update(optimizer: str) -> None:
    config = TrainConfig(optimizer=optimizer, learning_rate=0.05, epochs=7)
    run_ = train(SPEC, LECTURE.params, LECTURE.inputs, LECTURE.targets, config=config)
    seen: list[Progress] = list(iter_progress(run_))
    result = seen.pop()  # iter_progress appends the result last
    assert [p.epoch for p in seen] == list(range(1, 8))
    assert all(p.epochs == 7 for p in seen)
    assert len(result.losses) == 8
    assert result.losses[0] == loss_of(LECTURE.params)
    before = dict(LECTURE.params)
    for p in seen:
        assert p.loss == result.losses[p.epoch - 1] == loss_of(before)
        expected_norm = grad_norm(
            {
                n: g
                for n, g in backprop(
                    run(SPEC, before, LECTURE.inputs, LECTURE.targets)
                ).totals.items()
                if n in before
            }
        )
        assert p.grad_norm == pytest.approx(expected_norm, rel=1e-12)
        assert result.losses[p.epoch] == loss_of(p.params)  # params are after the update
        before = p.params
    assert all(np.array_equal(result.params[n], before[n]) for n in before)


def iter_progress(run_):
    """Every Progress, then the TrainResult."""
    while True:
        try:
            yield next(run_)
        except StopIteration as done:
            yield done.value
            return


def test_the_run_can_be_stopped_midway_and_keeps_consistent_params() -> None:
    config = TrainConfig(optimizer="adam", learning_rate=0.1, epochs=50)
    run_ = train(SPEC, LECTURE.params, LECTURE.inputs, LECTURE.targets, config=config)
    progress = [next(run_) for _ in range(5)]
    kept = {n: a.copy() for n, a in progress[0].params.items()}
    run_.close()
    with pytest.raises(StopIteration):
        next(run_)
    last = progress[-1]
    assert last.epoch == 5
    # the same five epochs as a run of five: the params after epoch 5 are the same
    five = train_lecture(TrainConfig(optimizer="adam", learning_rate=0.1, epochs=5))
    for name, value in five.params.items():
        np.testing.assert_array_equal(last.params[name], value)
    assert five.losses[-1] == loss_of(last.params)
    # what was handed out is never changed later, and cannot be changed by the consumer
    for name, value in kept.items():
        np.testing.assert_array_equal(progress[0].params[name], value)
    with pytest.raises(ValueError):
        last.params["W"][0, 0] = 1.0


def test_pausing_is_not_pulling_the_next_epoch() -> None:
    config = TrainConfig(epochs=3)
    run_ = train(SPEC, LECTURE.params, LECTURE.inputs, LECTURE.targets, config=config)
    first = next(run_)
    second = next(run_)  # resumed where it stopped
    assert (first.epoch, second.epoch) == (1, 2)


def test_the_documents_params_are_not_changed() -> None:
    before = {n: a.copy() for n, a in LECTURE.params.items()}
    train_lecture(TrainConfig(optimizer="momentum", epochs=5))
    for name, value in before.items():
        np.testing.assert_array_equal(LECTURE.params[name], value)


def test_clipping_limits_each_step() -> None:
    lr, clip = 0.5, 1e-3
    result = train_lecture(TrainConfig(learning_rate=lr, epochs=1, clip=clip))
    moved = math.sqrt(
        sum(float(np.sum((result.params[n] - LECTURE.params[n]) ** 2)) for n in LECTURE.params)
    )
    assert moved == pytest.approx(lr * clip, rel=1e-5)
    unclipped = train_lecture(TrainConfig(learning_rate=lr, epochs=1, clip=0.0))
    plain = train_lecture(TrainConfig(learning_rate=lr, epochs=1))
    for name in LECTURE.params:
        np.testing.assert_array_equal(unclipped.params[name], plain.params[name])


# -- a run that stops --------------------------------------------------------------------
IDENTITY = ModelSpec("rnn", 2, 1, 1, "identity")


def test_a_diverging_run_stops_with_the_last_finite_params() -> None:
    config = TrainConfig(optimizer="sgd", learning_rate=20.0, epochs=200)
    run_ = train(IDENTITY, LECTURE.params, LECTURE.inputs, LECTURE.targets, config=config)
    *progress, result = iter_progress(run_)
    e = result.stopped_at
    assert e is not None and 1 < e <= 200
    assert len(result.losses) == e and result.losses[-1] is None
    assert all(math.isfinite(loss) for loss in result.losses[:-1])
    assert len(progress) == e - 1  # no Progress for the epoch that stopped
    # the kept params are the ones whose loss was epoch e − 1's
    kept = loss_of(result.params, IDENTITY)
    assert kept == result.losses[-2]
    for name, value in progress[-2].params.items():
        np.testing.assert_array_equal(result.params[name], value)
    assert f"at epoch {e}" in result.message
    assert f"kept epoch {e - 1}'s weights" in result.message
    assert "loss stopped being finite" in result.message


def test_a_loss_that_is_not_finite_at_the_start_trains_nothing() -> None:
    huge = {"W": np.array([[1e300, 1e300, 1e300]]), "b": np.array([1e300])}
    result = train_all(IDENTITY, huge, LECTURE.inputs, LECTURE.targets)
    assert result.stopped_at == 1
    assert result.losses == [None]
    np.testing.assert_array_equal(result.params["W"], huge["W"])
    assert "epoch 1" in result.message and "nothing trained" in result.message


def test_a_final_loss_that_is_not_finite_stops_after_the_last_epoch() -> None:
    result = train_all(
        IDENTITY,
        LECTURE.params,
        LECTURE.inputs,
        LECTURE.targets,
        config=TrainConfig(learning_rate=1e200, epochs=1),
    )
    assert result.stopped_at == 2
    assert len(result.losses) == 2 and result.losses[1] is None
    assert result.losses[0] == loss_of(LECTURE.params, IDENTITY)
    np.testing.assert_array_equal(result.params["W"], LECTURE.params["W"])
    assert "epoch 2" in result.message and "kept epoch 1's weights" in result.message


def test_a_gradient_that_is_not_finite_stops_the_run_keeping_those_weights() -> None:
    spec = ModelSpec("rnn", 1, 1, 1, "tanh", "linear")
    params = {
        "W": np.array([[1e-10, 0.0]]),
        "b": np.array([0.0]),
        "V": np.array([[1e150]]),
        "c": np.array([0.0]),
    }
    inputs, targets = np.array([[1e10]]), np.array([[0.0]])
    loss = run(spec, params, inputs, targets).loss
    assert math.isfinite(loss)  # ≈ 5.8e299; ∂L/∂W overflows
    result = train_all(spec, params, inputs, targets, config=TrainConfig(epochs=10))
    assert result.stopped_at == 1
    assert result.losses == [loss]
    np.testing.assert_array_equal(result.params["V"], params["V"])
    assert result.message.startswith("the gradient stopped being finite at epoch 1")
    assert "kept epoch 1's weights" in result.message


# -- what cannot be trained ---------------------------------------------------------------
def test_no_targets_is_a_clear_error_at_once() -> None:
    blank = np.full_like(LECTURE.targets, np.nan)
    with pytest.raises(ValueError, match="no target"):
        train(SPEC, LECTURE.params, LECTURE.inputs, blank)  # not only at the first epoch


def test_params_that_do_not_fit_the_model_are_refused() -> None:
    with pytest.raises(ValueError, match="'b' is missing"):
        train(SPEC, {"W": LECTURE.params["W"]}, LECTURE.inputs, LECTURE.targets)
    with pytest.raises(ValueError, match="shape"):
        train(SPEC, {"W": np.zeros((1, 2)), "b": np.zeros(1)}, LECTURE.inputs, LECTURE.targets)


@pytest.mark.parametrize(
    ("settings", "word"),
    [
        ({"optimizer": "rmsprop"}, "optimizer"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"learning_rate": math.nan}, "learning_rate"),
        ({"learning_rate": 10**400}, "learning_rate"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 2.0}, "epochs"),
        ({"momentum": 1.0}, "momentum"),
        ({"clip": -1.0}, "clip"),
        ({"seed": -1}, "seed"),
        ({"seed": True}, "seed"),
    ],
)
def test_bad_settings_name_the_setting(settings: dict, word: str) -> None:
    with pytest.raises(ValueError, match=word):
        TrainConfig(**settings)


# -- seeds ----------------------------------------------------------------------------------
def test_a_seed_starts_from_fresh_weights() -> None:
    config = TrainConfig(epochs=2, seed=3)
    result = train_lecture(config)
    fresh = initial_params(SPEC, 3)
    assert result.losses[0] == loss_of(fresh) != loss_of(LECTURE.params)
    same = train_all(
        SPEC,
        fresh,
        LECTURE.inputs,
        LECTURE.targets,
        LECTURE.initial_state,
        config=TrainConfig(epochs=2),
    )
    assert same.losses == result.losses
    for name, value in same.params.items():
        np.testing.assert_array_equal(result.params[name], value)


def test_the_initial_state_is_used_and_not_trained() -> None:
    s0 = np.array([0.5])
    result = train_all(
        SPEC, LECTURE.params, LECTURE.inputs, LECTURE.targets, s0, config=TrainConfig(epochs=3)
    )
    assert set(result.params) == {"W", "b"}
    assert result.losses[0] == run(SPEC, LECTURE.params, LECTURE.inputs, LECTURE.targets, s0).loss
    assert result.losses[-1] == run(SPEC, result.params, LECTURE.inputs, LECTURE.targets, s0).loss
