"""The user's data folder: autosaved copies and the error log live there.

``RNN_STUDIO_DATA_DIR`` overrides Qt's AppDataLocation, so tests and a portable setup can
keep everything in a folder of their choice (never the real home in the tests).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStandardPaths

DATA_DIR_ENV = "RNN_STUDIO_DATA_DIR"


def data_dir() -> Path:
    """The folder (not necessarily existing yet) for this user's RNN Studio data."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location) if location else Path.home() / ".rnn-studio"


def autosave_dir() -> Path:
    return data_dir() / "autosave"


def log_path() -> Path:
    return data_dir() / "rnn-studio.log"
