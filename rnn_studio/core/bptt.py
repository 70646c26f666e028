"""Old module name: backward propagation through time lives in backward.py now."""

from .backward import Backward, Gradients, backprop  # noqa: F401
