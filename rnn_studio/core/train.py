"""Full-batch training with torch.optim's rules (spec/model.md, Training).

A document is one sequence, so every epoch is one forward pass, backward propagation
through the whole sequence and one update of every parameter (s_0 and c_0 stay fixed).
``train`` is a generator: it yields a Progress after every epoch, so a window can show
the run, pause it by not asking for the next epoch and stop it by closing the generator;
its return value (``StopIteration.value``, or ``train_all``) is the TrainResult.

The default settings (TrainConfig) are torch's plain SGD with lr 0.1 for 100 epochs, the
CLI's documented fallback. For the lecture's example, Adam with lr 0.1 is the quick
choice: LECTURE_SETTINGS takes it below a loss of 1e-4 (see its comment).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from dataclasses import dataclass

import numpy as np

from .bptt import backprop
from .initial import initial_params
from .optim import OPTIMIZERS, clip_scaled, grad_norm, make_optimizer
from .trace import ModelSpec, run


def _is_number(value) -> bool:
    """A finite real number (not a bool, not an integer too big for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class TrainConfig:
    """How to train: the optimizer and its settings. Checked when made (ValueError)."""

    optimizer: str = "sgd"
    learning_rate: float = 0.1
    epochs: int = 100
    #: β of the "momentum" optimizer (ignored by the others)
    momentum: float = 0.9
    #: max total gradient norm; None or 0 = no clipping
    clip: float | None = None
    #: when not None, training starts from fresh weights drawn with this seed
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(
                f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}"
            )
        if not _is_number(self.learning_rate) or not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be a number > 0, got {self.learning_rate!r}")
        if not _is_int(self.epochs) or self.epochs < 1:
            raise ValueError(f"epochs must be an integer ≥ 1, got {self.epochs!r}")
        if not _is_number(self.momentum) or not 0 <= self.momentum < 1:
            raise ValueError(f"momentum must be a number in [0, 1), got {self.momentum!r}")
        if self.clip is not None and (not _is_number(self.clip) or self.clip < 0):
            raise ValueError(f"clip must be a number ≥ 0 or None, got {self.clip!r}")
        if self.seed is not None and (not _is_int(self.seed) or self.seed < 0):
            raise ValueError(f"seed must be an integer ≥ 0 or None, got {self.seed!r}")


#: The lecture's example trains below a loss of 1e-4 in 28 epochs with these settings
#: (checked by tests/core/test_train.py).
LECTURE_SETTINGS = TrainConfig(optimizer="adam", learning_rate=0.1, epochs=100)


@dataclass(frozen=True)
class Progress:
    """One finished epoch. ``params`` are read-only arrays that are never changed later."""

    epoch: int  # 1..epochs: the epoch just done
    epochs: int
    loss: float | None  # the loss before this epoch's update
    params: dict[str, np.ndarray]  # after this epoch's update
    grad_norm: float  # ‖∂L/∂θ‖ over every parameter, before clipping


@dataclass(frozen=True)
class TrainResult:
    #: N + 1 for a full run; ends with the stopping epoch's loss (None if not finite) when stopped
    losses: list[float | None]
    params: dict[str, np.ndarray]
    #: the epoch at which a non-finite loss or gradient stopped the run (N + 1 when only the
    #: trained parameters' final loss is not finite), else None
    stopped_at: int | None
    message: str  # "" or why and where the run stopped


TrainRun = Generator[Progress, None, TrainResult]


def train(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
    config: TrainConfig = TrainConfig(),
) -> TrainRun:
    """Train ``params`` (or fresh weights if ``config.seed`` is set) on one sequence.

    Raises ValueError at once (not at the first epoch) when there is no target to train
    on or the parameters do not fit ``spec``.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    if targets.size == 0 or bool(np.isnan(targets).all()):
        raise ValueError(
            "there is no target value to train on: a document with no target cannot be trained"
        )
    if config.seed is not None:
        params = initial_params(spec, config.seed)
    start = _checked_params(spec, params)
    s0 = None if initial_state is None else np.asarray(initial_state, dtype=np.float64)
    c0 = None
    if spec.has_cell_state and initial_cell is not None:
        c0 = np.asarray(initial_cell, dtype=np.float64)
    return _epochs(spec, start, inputs, targets, s0, c0, config)


def train_all(
    spec: ModelSpec,
    params: Mapping[str, np.ndarray],
    inputs: np.ndarray,
    targets: np.ndarray,
    initial_state: np.ndarray | None = None,
    initial_cell: np.ndarray | None = None,
    config: TrainConfig = TrainConfig(),
) -> TrainResult:
    """Run ``train`` to the end and return its TrainResult."""
    run_ = train(spec, params, inputs, targets, initial_state, initial_cell, config)
    while True:
        try:
            next(run_)
        except StopIteration as done:
            return done.value


def _epochs(spec, params, inputs, targets, s0, c0, config: TrainConfig) -> TrainRun:
    optimizer = make_optimizer(config.optimizer, config.learning_rate, config.momentum)
    clip = config.clip or None
    epochs = config.epochs
    losses: list[float | None] = []
    before: dict[str, np.ndarray] = params  # the parameters one update back
    current: dict[str, np.ndarray] = params
    for epoch in range(1, epochs + 1):
        loss, grads = _loss_and_gradients(spec, current, inputs, targets, s0, c0)
        if not _finite(loss):
            losses.append(None)
            return _stopped(losses, before, epoch, f"the loss stopped being finite ({loss})")
        losses.append(loss)
        norm = grad_norm(grads)
        if not math.isfinite(norm):
            return _stopped(losses, current, epoch, "the gradient stopped being finite")
        if clip is not None:
            grads = clip_scaled(grads, clip, norm)
        before, current = current, _frozen(optimizer.step(current, grads))
        yield Progress(epoch, epochs, loss, current, norm)
    loss, _ = _loss_and_gradients(spec, current, inputs, targets, s0, c0)
    if not _finite(loss):
        losses.append(None)
        return _stopped(losses, before, epochs + 1, f"the loss stopped being finite ({loss})")
    losses.append(loss)
    return TrainResult(losses, current, None, "")


def _stopped(losses: list[float | None], params: dict, epoch: int, why: str) -> TrainResult:
    """A run stopped at ``epoch`` that keeps ``params``, the last ones with a finite loss.

    "Epoch k's weights" are the weights epoch k's loss was measured at (before its update).
    """
    kept = len(losses) if losses[-1] is not None else len(losses) - 1
    if kept == 0:
        return TrainResult(
            losses, params, epoch, f"{why} at epoch 1, with the starting weights; nothing trained"
        )
    return TrainResult(
        losses,
        params,
        epoch,
        f"{why} at epoch {epoch}; kept epoch {kept}'s weights (loss {losses[kept - 1]:.6g})",
    )


def _loss_and_gradients(spec, params, inputs, targets, s0, c0):
    """The loss and ∂L/∂θ for every name in ``params``.

    A stand-in until core/backward.py's fused ``loss_and_gradients`` lands: the forward
    Trace and the per-step backward pass, restricted to the parameters.
    """
    trace = run(spec, params, inputs, targets, s0, c0)
    totals = backprop(trace).totals
    return trace.loss, {n: totals[n] for n in params}


def _checked_params(spec: ModelSpec, params: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The model's parameters in file order, as read-only float64 copies."""
    out = {}
    for ps in spec.param_specs():
        if ps.name not in params:
            raise ValueError(f"parameter {ps.name!r} is missing")
        a = np.array(params[ps.name], dtype=np.float64, copy=True)
        if a.shape != ps.shape:
            raise ValueError(f"parameter {ps.name!r} must have shape {ps.shape}, got {a.shape}")
        out[ps.name] = a
    return _frozen(out)


def _frozen(params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    for a in params.values():
        a.flags.writeable = False
    return params


def _finite(loss: float | None) -> bool:
    return loss is not None and math.isfinite(loss)
