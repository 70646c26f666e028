"""Hypothesis cases for the backward-pass tests (test_backward, test_backward_fused,
test_bptt_pieces): one random model, sequence and targets per example, drawn through
reference.random_case.

Each test file keeps its own reach (how long a sequence, how many targets blank, how
large the weights) by passing it to ``cases``; what is drawn is otherwise the same.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from reference import Case, random_case

CELLS = ("rnn", "lstm", "gru")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "identity")
READOUTS = ("identity", "linear")


def examples(n: int) -> settings:
    """Hypothesis settings for ``n`` examples of these cases (no deadline: some are slow)."""
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(
    draw,
    max_T: int = 7,
    blanks: tuple[float, ...] = (0.0, 0.4),
    scales: tuple[float, float] = (0.3, 2.0),
) -> Case:
    """A random case: any cell (the activation varies for the basic RNN only), either
    readout, d ≤ 4, h ≤ 4, k ≤ 3 (h for the identity readout), 1 ≤ T ≤ ``max_T``, each
    target blank with a probability from ``blanks``, weights scaled by a factor in
    ``scales``."""
    cell = draw(st.sampled_from(CELLS))
    activation = draw(st.sampled_from(ACTIVATIONS))
    return random_case(
        draw(st.integers(0, 2**32 - 1)),
        cell,
        activation if cell == "rnn" else "tanh",
        draw(st.sampled_from(READOUTS)),
        d=draw(st.integers(1, 4)),
        h=draw(st.integers(1, 4)),
        k=draw(st.integers(1, 3)),
        T=draw(st.integers(1, max_T)),
        blank=draw(st.sampled_from(blanks)),
        scale=draw(st.floats(*scales)),
    )
