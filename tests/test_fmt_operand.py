"""A number the learner typed shows as typed in the arithmetic; computed ones keep 4 decimals."""

from __future__ import annotations

from rnn_studio.examples import lecture
from rnn_studio.explain import explain_step, fmt_operand


def test_a_typed_weight_shows_as_typed_and_the_sum_shows_computed_values_rounded() -> None:
    doc = lecture().with_param("W", (0, 0), 0.123456)
    lines = explain_step(doc.trace(), 1)
    assert "0.123456·0.1" in lines[0]
    assert "0.1235" not in lines[0]
    assert "tanh(0.5323)" in lines[0]  # 0.5323456 is computed: 4 decimals


def test_a_computed_state_as_an_operand_keeps_four_decimals() -> None:
    lines = explain_step(lecture().trace(), 2)
    assert "0.4·0.5299" in lines[0]  # s₁ = 0.529891… is computed


def test_fmt_operand_keeps_short_numbers_and_rounds_long_ones() -> None:
    assert fmt_operand(0.123456) == "0.123456"
    assert fmt_operand(99999.0) == "99999"
    assert fmt_operand(-0.0) == "0"
    assert fmt_operand(0.5488135039273248) == "0.5488"
    assert fmt_operand(1e-7) == "1e-07"
    assert fmt_operand(float("inf")) == "∞"
