"""``rnn-studio train FILE``: train headless with the window's code (spec/model.md, Training).

Options left out fall back to the file's ``training`` settings, then to TrainConfig's
defaults (sgd, lr 0.1, 100 epochs). Progress goes to stderr, the losses to stdout, the
trained project to ``-o OUT`` (atomically).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

import numpy as np

from ..core.train import TrainConfig, TrainResult, train
from ..document import Document
from ..errors import DocumentError
from ..io import dump_json, write_project
from .common import EXIT_OK, PROG, UsageError, emit, finite, load, target_columns
from .progress import ProgressReport, loss_text

SUMMARY_ROWS = 10  # the loss table shows every tenth epoch


def config_for(ns: argparse.Namespace, doc: Document) -> TrainConfig:
    """The options given, over the file's training settings, over TrainConfig's defaults."""
    base = doc.training.to_config() if doc.training is not None else TrainConfig()
    changes: dict[str, Any] = {}
    if ns.optimizer is not None:
        changes["optimizer"] = ns.optimizer
    if ns.lr is not None:
        if not finite("--lr", ns.lr) > 0:
            raise UsageError(f"--lr must be > 0, found {ns.lr:g}")
        changes["learning_rate"] = ns.lr
    if ns.epochs is not None:
        if ns.epochs < 1:
            raise UsageError(f"--epochs must be at least 1, found {ns.epochs}")
        changes["epochs"] = ns.epochs
    if ns.momentum is not None:
        if not 0 <= finite("--momentum", ns.momentum) < 1:
            raise UsageError(f"--momentum must be in [0, 1), found {ns.momentum:g}")
        changes["momentum"] = ns.momentum
    if ns.clip is not None:
        if finite("--clip", ns.clip) < 0:
            raise UsageError(f"--clip must be ≥ 0 (0 = no clipping), found {ns.clip:g}")
        changes["clip"] = ns.clip or None
    if ns.seed is not None:
        if ns.seed < 0:
            raise UsageError(f"--seed must be ≥ 0, found {ns.seed}")
        changes["seed"] = ns.seed
    return replace(base, **changes)


def run(ns: argparse.Namespace) -> int:
    targets = target_columns(ns)
    doc = load(ns.file, targets)
    config = config_for(ns, doc)  # options are checked before any work
    if not np.isfinite(doc.targets).any():
        raise DocumentError("no step has a target, so there is no loss to train on", source=ns.file)
    result = _train(doc, config)
    if result.stopped_at is not None:
        print(f"{PROG} train: {result.message}", file=sys.stderr)
    if ns.output:
        write_project(doc.with_params(result.params), ns.output)
        print(f"wrote {ns.output}", file=sys.stderr)
    if ns.format == "json":
        emit(dump_json(train_json(config, result)))
    else:
        emit("\n".join(summary_lines(config, result)))
    return EXIT_OK


def _train(doc: Document, config: TrainConfig) -> TrainResult:
    """Run the core's generator to its end, reporting each epoch on stderr."""
    initial_cell = doc.initial_cell if doc.cell == "lstm" else None
    epochs = train(
        doc.spec, doc.params, doc.inputs, doc.targets, doc.initial_state, initial_cell, config
    )
    report = ProgressReport(config.epochs)
    try:
        while True:
            progress = next(epochs)
            report.epoch(progress.epoch, progress.loss)
    except StopIteration as done:
        return done.value
    finally:
        report.close()


def _number(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def train_json(config: TrainConfig, result: TrainResult) -> dict[str, Any]:
    """The object of spec/cli.md: the settings, N + 1 losses, stopped_at and the params."""
    return {
        "optimizer": config.optimizer,
        "learning_rate": config.learning_rate,
        "epochs": config.epochs,
        "momentum": config.momentum,
        "clip": config.clip,
        "seed": config.seed,
        "losses": [_number(v) for v in result.losses],
        "stopped_at": result.stopped_at,
        "params": {
            name: np.asarray(a, dtype=np.float64).tolist() for name, a in result.params.items()
        },
    }


def summary_lines(config: TrainConfig, result: TrainResult) -> list[str]:
    """The settings, the loss before and after, and the loss every tenth of the run."""
    how = f"{config.optimizer}, learning rate {config.learning_rate:g}"
    if config.optimizer == "momentum":
        how += f", momentum {config.momentum:g}"
    if config.clip:
        how += f", gradients clipped to norm {config.clip:g}"
    if config.seed is not None:
        how += f", fresh weights (seed {config.seed})"
    losses = result.losses
    N = config.epochs
    done = "trained" if result.stopped_at is None else "stopped"
    lines = [
        f"{done} {N} epoch{'s' if N != 1 else ''} ({how})",
        f"loss {loss_text(losses[0])} → {loss_text(losses[-1])}",
        "",
        "epoch  loss (before the epoch's update, as torch records it)",
    ]
    measured = min(len(losses), N)  # epochs whose loss was measured
    shown = sorted({1, *(max(1, round(i * measured / SUMMARY_ROWS)) for i in range(1, 11))})
    width = max(5, len(str(N)))
    lines += [f"{e:>{width}}  {loss_text(losses[e - 1])}" for e in shown]
    if len(losses) == N + 1:
        lines.append(f"{'after':>{width}}  {loss_text(losses[N])}  (the trained weights)")
    if result.stopped_at is not None:
        lines += ["", result.message]
    return lines
