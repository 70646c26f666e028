"""Run RNN Studio from a source checkout: ``python main.py [FILE]`` (same as ``rnn-studio``)."""

from rnn_studio.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
