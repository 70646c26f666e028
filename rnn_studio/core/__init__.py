"""The numerical core: numpy only, no Qt, no files."""

from .bptt import Gradients, backprop
from .cells import ACTIVATIONS, CELL_KINDS, CELLS, Cell, ParamSpec, StepResult, make_cell
from .trace import READOUTS, ModelSpec, Trace, run

__all__ = [
    "ACTIVATIONS",
    "CELLS",
    "CELL_KINDS",
    "READOUTS",
    "Cell",
    "Gradients",
    "ModelSpec",
    "ParamSpec",
    "StepResult",
    "Trace",
    "backprop",
    "make_cell",
    "run",
]
