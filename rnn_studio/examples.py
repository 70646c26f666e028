"""The examples shipped with RNN Studio, built in code so they are always exact."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .document import Document


def lecture() -> Document:
    """The lecture's worked example: two timesteps, W = (0.7, 0.3, 0.4), b = 0.4, tanh."""
    return Document.create(
        input_names=("x1", "x2"),
        target_names=("y",),
        inputs=[[0.1, 0.4], [0.7, 0.9]],
        targets=[[0.3], [0.5]],
        cell="rnn",
        activation="tanh",
        hidden_size=1,
        readout="identity",
        params={"W": [[0.7, 0.3, 0.4]], "b": [0.4]},
        initial_state=[0.0],
    )


def sine() -> Document:
    """Predict the next value of a sine wave from the current one (20 steps)."""
    t = np.arange(21)
    wave = np.round(np.sin(t * 0.5), 4)
    return Document.create(
        input_names=("x",),
        target_names=("y",),
        inputs=wave[:-1, None],
        targets=wave[1:, None],
        cell="rnn",
        activation="tanh",
        hidden_size=1,
        readout="identity",
        params={"W": [[0.9, 0.2]], "b": [0.0]},
    )


EXAMPLES: dict[str, tuple[str, Callable[[], Document]]] = {
    "lecture": ("The lecture's basic RNN: 2 steps, 2 inputs, tanh", lecture),
    "sine": ("Next value of a sine wave: 20 steps, 1 input", sine),
}


def example(name: str) -> Document:
    try:
        return EXAMPLES[name][1]()
    except KeyError:
        raise KeyError(f"no example named {name!r}; try: {', '.join(EXAMPLES)}") from None
