"""RNN Studio: watch a recurrent neural network compute."""

__version__ = "0.1.0"
