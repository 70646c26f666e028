"""Training in the window: the panel, the controller that runs the core's ``train`` off the
GUI thread, and the loss plot (spec/ui.md, Training)."""

from .controller import TrainingController
from .panel import TrainingPanel

__all__ = ["TrainingController", "TrainingPanel"]
