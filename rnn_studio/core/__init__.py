"""The numerical core: numpy only, no Qt, no files."""

from .backward import Backward, Gradients, backprop, loss_and_gradients
from .cells import ACTIVATIONS, CELL_KINDS, CELLS, Cell, ParamSpec, StepResult, make_cell
from .gradcheck import CheckRow, gradient_check
from .trace import READOUTS, ModelSpec, Trace, run

__all__ = [
    "ACTIVATIONS",
    "CELLS",
    "CELL_KINDS",
    "READOUTS",
    "Backward",
    "Cell",
    "CheckRow",
    "Gradients",
    "ModelSpec",
    "ParamSpec",
    "StepResult",
    "Trace",
    "backprop",
    "gradient_check",
    "loss_and_gradients",
    "make_cell",
    "run",
]
