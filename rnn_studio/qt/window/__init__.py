"""RNN Studio's main window, one module per job.

``main_window`` composes the window from mixins: ``layout`` (docks, status bar, geometry,
theme and settings), ``actions`` (actions and toolbars), ``menus``, ``files`` (open, save,
import, recent files) and ``dialogs`` (help, about, the CSV target chooser).
"""

from .main_window import MainWindow, single_shot_quit

__all__ = ["MainWindow", "single_shot_quit"]
