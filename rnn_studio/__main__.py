"""``python -m rnn_studio``: the same as ``rnn-studio``.

Guarded: the window's worker processes start by "spawn", which imports the main module
again in each of them (rnn_studio.workers); unguarded, every worker would open a window.
"""

from rnn_studio.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
