"""Old home of the main window, kept so older imports work: see ``rnn_studio.qt.window``."""

from .window.dialogs import MathDialog, TargetDialog
from .window.files import csv_header
from .window.main_window import MainWindow, single_shot_quit

__all__ = ["MainWindow", "MathDialog", "TargetDialog", "csv_header", "single_shot_quit"]
