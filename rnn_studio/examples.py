"""The examples shipped with RNN Studio, built in code so they are always exact."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .document import Document, TrainingSettings

#: Each example's stored training settings (the ``training`` block of its file): what
#: Train does with it. Checked in tests/test_shipped_examples.py.
#: The lecture: Adam, lr 0.1, takes the loss below 1e-4 in 29 epochs (core.train's
#: LECTURE_SETTINGS); plain SGD at 0.1 needs 188.
LECTURE_TRAINING = TrainingSettings(optimizer="adam", learning_rate=0.1, epochs=100)
#: The sine: one hidden unit sees only the current value, so it learns the best guess it
#: can (the loss falls from 0.16 to about 0.035), not the wave itself.
SINE_TRAINING = TrainingSettings(optimizer="adam", learning_rate=0.05, epochs=300)
#: The memory example trains fresh weights (seed 0): an LSTM learns to hold the value
#: (loss 0.30 → 2e-4); the same settings on a basic RNN stall near 0.067.
MEMORY_TRAINING = TrainingSettings(optimizer="adam", learning_rate=0.1, epochs=400, seed=0)


def lecture(training: bool = False) -> Document:
    """The lecture's worked example: two timesteps, W = (0.7, 0.3, 0.4), b = 0.4, tanh.

    Bare by default (tests and the CLI's defaults use it so); ``training=True`` adds its
    training settings, as the shipped file, File ▸ New and the first window have them.
    """
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
        training=LECTURE_TRAINING if training else None,
    )


def lecture_example() -> Document:
    """The lecture's example as shipped: ``lecture(training=True)``."""
    return lecture(training=True)


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
        training=SINE_TRAINING,
    )


def _lecture_data() -> dict:
    return {
        "input_names": ("x1", "x2"),
        "target_names": ("y",),
        "inputs": [[0.1, 0.4], [0.7, 0.9]],
        "targets": [[0.3], [0.5]],
        "hidden_size": 1,
    }


def lstm_by_hand() -> Document:
    """The lecture's data through an LSTM with round weights, short enough to check by hand.

    Step 1's forget gate reads f₁ = σ(0.2·0.1 + 0.5·0.4 + 0.3·0 + 0.15) = σ(0.37) = 0.5915.
    """
    return Document.create(
        **_lecture_data(),
        cell="lstm",
        params={
            "W_i": [[0.5, 0.4, 0.1]],
            "b_i": [0.1],
            "W_f": [[0.2, 0.5, 0.3]],
            "b_f": [0.15],
            "W_g": [[0.3, 0.6, 0.2]],
            "b_g": [0.0],
            "W_o": [[0.4, 0.2, 0.3]],
            "b_o": [0.2],
        },
    )


def gru_by_hand() -> Document:
    """The lecture's data through a GRU with round weights, short enough to check by hand."""
    return Document.create(
        **_lecture_data(),
        cell="gru",
        params={
            "W_r": [[0.3, 0.2, 0.1]],
            "b_r": [0.0],
            "W_z": [[0.4, 0.1, 0.2]],
            "b_z": [0.1],
            "W_n": [[0.6, 0.5, 0.3]],
            "b_n": [0.1],
            "b_nh": [0.0],
        },
    )


#: Inputs of the memory example: a value to remember and a "store" flag; the noise in
#: between is fixed (not random) so the example reads the same everywhere.
_MEMORY_X = (0.6, 0.7, 0.5, -0.5, -0.4, 0.7, -0.9, 0.6, -0.4, -0.1, 0.3, -0.8, 0.2, -0.1, 0.0, 0.1)
_MEMORY_STORE_AT = (0, 8)


def memory() -> Document:
    """The target is the last value stored many steps back: the LSTM's gates hold it.

    Input ``store`` is 1 at steps 1 and 9, where ``x`` carries the value to remember; the
    other steps' ``x`` is noise. The hand-set LSTM opens its input gate and closes its
    forget gate only when ``store`` is 1, so its cell state keeps the value while the
    noise flows past. A basic RNN has no gate: it cannot take x at one step and ignore it
    at the next, whatever its weights (switch the cell to Basic RNN and watch it fail).
    Its training settings start from fresh weights (seed 0): Train, and an LSTM learns
    the trick by itself; switch to Basic RNN and Train, and it cannot.
    """
    x = np.array(_MEMORY_X)
    store = np.zeros_like(x)
    store[list(_MEMORY_STORE_AT)] = 1.0
    remembered = np.empty_like(x)
    for t in range(len(x)):
        if store[t]:
            value = x[t]
        remembered[t] = value
    return Document.create(
        input_names=("x", "store"),
        target_names=("y",),
        inputs=np.column_stack((x, store)),
        targets=remembered[:, None],
        cell="lstm",
        hidden_size=1,
        params={
            "W_i": [[0.0, 10.0, 0.0]],  # input gate: open only when store = 1
            "b_i": [-5.0],
            "W_f": [[0.0, -12.0, 0.0]],  # forget gate: ~1 (keep), closes when store = 1
            "b_f": [6.0],
            "W_g": [[1.3, 0.0, 0.0]],  # candidate: the value x
            "b_g": [0.0],
            "W_o": [[0.0, 0.0, 0.0]],  # output gate: always open
            "b_o": [6.0],
        },
        training=MEMORY_TRAINING,
    )


VANISHING_T = 50


def vanishing() -> Document:
    """Vanishing and exploding gradients, to watch on the gradient plot.

    A basic RNN with the identity activation (s_t = u·x_t + w·s_{t-1}, so the error
    signal is multiplied by exactly w at every step back) over 50 steps, asked only at
    the end for the first input. With the recurrent weight w = 0.5 the signal reaching
    step 1 is 0.5⁴⁹ ≈ 2e-15 of what left step 50: it has vanished; turn ``W[1, s1]`` up
    to 1.5 and it grows 1.5⁴⁹ ≈ 4e8 times: it explodes. At w = 1 it passes unchanged.
    """
    t = np.arange(1, VANISHING_T + 1)
    x = np.round(0.6 * np.sin(1.3 * t), 2)
    y = np.full(VANISHING_T, np.nan)
    y[-1] = x[0]  # the first input, asked for at the last step
    return Document.create(
        input_names=("x",),
        target_names=("y",),
        inputs=x[:, None],
        targets=y[:, None],
        cell="rnn",
        activation="identity",
        hidden_size=1,
        readout="identity",
        params={"W": [[1.0, 0.5]], "b": [0.0]},
    )


EXAMPLES: dict[str, tuple[str, Callable[[], Document]]] = {
    "lecture": ("The lecture's basic RNN: 2 steps, 2 inputs, tanh", lecture_example),
    "sine": ("Next value of a sine wave: 20 steps, 1 input", sine),
    "lstm-by-hand": ("The lecture's data through an LSTM with round weights", lstm_by_hand),
    "gru-by-hand": ("The lecture's data through a GRU with round weights", gru_by_hand),
    "memory": ("Remember a value 8 steps back: the LSTM's gates hold it", memory),
    "vanishing": (
        "Vanishing and exploding: 50 steps, turn the recurrent weight from 0.5 to 1.5",
        vanishing,
    ),
}


def example(name: str) -> Document:
    try:
        return EXAMPLES[name][1]()
    except KeyError:
        raise KeyError(f"no example named {name!r}; try: {', '.join(EXAMPLES)}") from None
