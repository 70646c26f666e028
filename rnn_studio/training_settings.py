"""A document's ``training`` block (spec/file-format.md): the settings Train uses."""

from __future__ import annotations

from dataclasses import dataclass

from .core.train import TrainConfig


@dataclass(frozen=True)
class TrainingSettings:
    """A document's ``training`` block (spec/file-format.md); ``to_config`` gives the core's
    TrainConfig. ``seed`` None trains the document's own weights, an integer draws fresh
    ones first."""

    optimizer: str = "sgd"
    learning_rate: float = 0.1
    epochs: int = 100
    seed: int | None = None
    momentum: float = 0.9
    #: max total gradient norm; None (or 0) = no clipping
    clip: float | None = None

    def to_config(self) -> TrainConfig:
        """The settings as the core's TrainConfig (ValueError naming a setting that is out
        of range)."""
        return TrainConfig(
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            momentum=self.momentum,
            clip=self.clip,
            seed=self.seed,
        )
