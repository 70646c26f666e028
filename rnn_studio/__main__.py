"""``python -m rnn_studio`` runs the command line (and the window, with no subcommand)."""

from rnn_studio.cli import main

raise SystemExit(main())
