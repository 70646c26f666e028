"""One training update written out (rnn_studio.explain_update): the lecture's numbers,
and the weights equal one epoch of core.train."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_studio.core.train import TrainConfig, train_all
from rnn_studio.document import TrainingSettings
from rnn_studio.examples import lecture
from rnn_studio.explain_update import entry_name, explain_update, update_step


def one_epoch(doc, config: TrainConfig):
    return train_all(doc.spec, doc.params, doc.inputs, doc.targets, doc.initial_state, None, config)


def test_sgd_lines_are_the_rule_with_the_lectures_numbers():
    lines = explain_update(update_step(lecture()))
    assert lines == [
        "One step of SGD (lr 0.1), loss 0.0983",
        "W₁₁ ← 0.7 − 0.1·0.0793 = 0.6921",
        "W₁₂ ← 0.3 − 0.1·0.1535 = 0.2846",
        "W₁₃ ← 0.4 − 0.1·0.0456 = 0.3954",
        "b₁ ← 0.4 − 0.1·0.2762 = 0.3724",
    ]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_step_equals_one_epoch_of_train(optimizer):
    doc = lecture().with_training(TrainingSettings(optimizer, 0.05, 7, momentum=0.5))
    step = update_step(doc)
    want = one_epoch(lecture(), TrainConfig(optimizer, 0.05, 1, 0.5)).params
    for name in want:
        np.testing.assert_array_equal(step.after[name], want[name])


def test_momentum_and_adam_show_the_optimizers_own_step():
    doc = lecture().with_training(TrainingSettings("momentum", 0.1, 1))
    lines = explain_update(update_step(doc))
    # torch's momentum: the first step is lr·g, like SGD, and says whose step it is
    assert lines[1] == "W₁₁ ← 0.7 − 0.0079 = 0.6921   (momentum's step; ∂L/∂W₁₁ = 0.0793)"


def test_clipping_is_named_and_the_clipped_gradient_shown():
    doc = lecture().with_training(TrainingSettings("sgd", 0.1, 1, clip=0.1))
    step = update_step(doc)
    lines = explain_update(step)
    assert "gradient clipped from norm 0.3290 to 0.1" in lines[0]
    norm = np.sqrt(sum(float((g**2).sum()) for g in step.grads.values()))
    assert norm == pytest.approx(0.1, rel=1e-5)  # torch: max_norm / (norm + 1e-6)
    want = one_epoch(lecture(), TrainConfig("sgd", 0.1, 1, clip=0.1)).params
    np.testing.assert_array_equal(step.after["W"], want["W"])


def test_no_target_is_a_value_error():
    doc = lecture().with_block(0, 2, [[""], [""]])
    with pytest.raises(ValueError, match="no target"):
        update_step(doc)


def test_entry_names_are_one_based():
    assert entry_name("W", (0, 2)) == "W₁₃"
    assert entry_name("b", (1,)) == "b₂"
    assert entry_name("W", (0, 11)) == "W[1,12]"
