"""RNN Studio's main window, one module per job.

``main_window`` composes the window from mixins: ``layout`` (docks, status bar, geometry,
theme and settings), ``actions`` (actions and toolbars), ``menus``, ``files`` (open, save,
import, recent files), ``export`` (File ▸ Export ▸, and ``export_image`` for the CLI) and
``dialogs`` (help, about, the CSV target chooser). Keeping work safe: ``autosave`` and
``recovery`` (unsaved work after a crash), ``crash`` (errorDialog and the log, installed by
``app.main``), ``data_folder`` (where both keep their files).
"""

from .main_window import MainWindow, single_shot_quit

__all__ = ["MainWindow", "single_shot_quit"]
