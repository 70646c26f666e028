"""One training update written out, weight by weight (the lecture's step 2 done by hand).

For plain SGD every line is the rule itself, ``W₁₁ ← 0.7 − 0.1·0.0793 = 0.6921``; for
momentum and Adam, whose step is not ``lr·gradient``, each line shows the optimizer's
actual step beside the gradient it came from. Shared by the window (One step) and
anything that prints text (the CLI could print the same lines). No Qt here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .core.backward import loss_and_gradients
from .core.optim import clip_scaled, grad_norm
from .core.train import TrainConfig, train
from .document import Document, TrainingSettings
from .explain import fmt, sub

NAMES = {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}


@dataclass(frozen=True)
class UpdateStep:
    """One epoch of training: the weights before and after, the gradient used."""

    config: TrainConfig
    loss: float | None  # the loss before the update
    before: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]  # after clipping, as the optimizer saw them
    after: dict[str, np.ndarray]
    grad_norm: float  # before clipping


def settings_of(document: Document) -> TrainingSettings:
    """The document's training block, or the defaults when it has none."""
    return document.training if document.training is not None else TrainingSettings()


def update_step(document: Document) -> UpdateStep:
    """One epoch of ``train`` with the document's settings (a fresh optimizer each time).

    ``after`` is exactly what ``train_all`` gives for one epoch. ValueError when the
    document cannot be trained (no target) or a setting is out of range.
    """
    config = settings_of(document).to_config()
    one = TrainConfig(
        config.optimizer, config.learning_rate, 1, config.momentum, config.clip, config.seed
    )
    c0 = document.initial_cell if document.cell == "lstm" else None
    run = train(
        document.spec,
        document.params,
        document.inputs,
        document.targets,
        document.initial_state,
        c0,
        one,
    )
    try:
        progress = next(run)
    except StopIteration as stopped:  # the very first loss or gradient was not finite
        raise ValueError(stopped.value.message) from None
    run.close()
    before = document.params if config.seed is None else _start_params(document, config)
    loss, grads = loss_and_gradients(
        document.spec, before, document.inputs, document.targets, document.initial_state, c0
    )
    norm = grad_norm(grads)
    if config.clip:
        grads = clip_scaled(grads, config.clip, norm)
    return UpdateStep(one, loss, dict(before), grads, dict(progress.params), norm)


def _start_params(document: Document, config: TrainConfig) -> dict[str, np.ndarray]:
    from .core.initial import initial_params

    return initial_params(document.spec, config.seed)


def entry_name(name: str, index: tuple[int, ...]) -> str:
    """``W`` row 0 column 1 → ``W₁₂`` (1-based, as the lecture writes them)."""
    if len(index) == 2 and max(index) >= 9:
        return f"{name}[{index[0] + 1},{index[1] + 1}]"
    return name + "".join(sub(i + 1) for i in index)


def explain_update(step: UpdateStep, precision: int = 4) -> list[str]:
    """The update of every parameter entry, one line each, after a heading line."""
    c = step.config
    loss = "—" if step.loss is None else fmt(step.loss, precision)
    head = f"One step of {NAMES[c.optimizer]} (lr {c.learning_rate:g}), loss {loss}"
    if c.clip and step.grad_norm > c.clip:
        head += f"; gradient clipped from norm {fmt(step.grad_norm, precision)} to {c.clip:g}"
    lines = [head]
    lines += update_lines(step.before, step.grads, step.after, c, precision)
    return lines


def update_lines(
    before: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    after: Mapping[str, np.ndarray],
    config: TrainConfig,
    precision: int = 4,
) -> list[str]:
    lr = fmt(config.learning_rate, precision)
    lines: list[str] = []
    for name, old in before.items():
        if name not in grads:
            continue
        for index in np.ndindex(old.shape):
            w, g, new = float(old[index]), float(grads[name][index]), float(after[name][index])
            label = entry_name(name, index)
            if config.optimizer == "sgd":
                lines.append(
                    f"{label} ← {fmt(w, precision)} − {lr}·{_factor(g, precision)}"
                    f" = {fmt(new, precision)}"
                )
            else:
                delta = w - new
                sign = "−" if delta >= 0 else "+"
                lines.append(
                    f"{label} ← {fmt(w, precision)} {sign} {fmt(abs(delta), precision)}"
                    f" = {fmt(new, precision)}   ({NAMES[config.optimizer]}'s step;"
                    f" ∂L/∂{label} = {fmt(g, precision)})"
                )
    return lines


def _factor(value: float, precision: int) -> str:
    text = fmt(value, precision)
    return f"({text})" if value < 0 else text
