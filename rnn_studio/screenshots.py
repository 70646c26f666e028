"""Render the real window offscreen into ``resources/screenshots/`` (for the README).

    python -m rnn_studio.screenshots [--out DIR] [--size 1400x900]

Each picture is the window as a user sees it: the lecture's example at step 0, step 1
in mid-animation and step 2, then the LSTM and GRU examples in mid-step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "resources" / "screenshots"


def _shots() -> list[tuple[str, str, int, bool, bool]]:
    """(file name, example, step, mid-animation, dark palette)."""
    return [
        ("lecture-step0.png", "lecture", 0, False, False),
        ("lecture-step1-animating.png", "lecture", 1, True, False),
        ("lecture-step2.png", "lecture", 2, False, False),
        ("lstm-step1-animating.png", "lstm-by-hand", 1, True, False),
        ("gru-step2-animating.png", "gru-by-hand", 2, True, False),
        ("lecture-step2-dark.png", "lecture", 2, False, True),
    ]


def render(
    out: Path = OUT,
    size: tuple[int, int] = (1400, 900),
    log: Callable[[str], None] = print,
    dark: bool = False,
) -> list[Path]:
    """Write the screenshots; returns their paths. Needs no display (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    # Settings in a throwaway folder: the user's remembered layout must not leak in.
    settings_dir = tempfile.mkdtemp(prefix="rnn-studio-shots-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("RNN Studio Screenshots")
    QCoreApplication.setApplicationName("rnn-studio-screenshots")

    from .examples import example
    from .qt.style import dark_palette
    from .qt.window import MainWindow

    if dark:
        app.setPalette(dark_palette())
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    window = MainWindow()
    window.resize(*size)
    window.show()
    QTest.qWait(100)
    light = app.palette()
    for name, example_name, step, animating, dark_shot in _shots():
        if dark_shot and not dark:
            app.setPalette(dark_palette())
            QTest.qWait(50)
        window._start_over(example(example_name), None, f"example {example_name}")
        window.resize(*size)
        window.player.speed_slider.setValue(1)  # slowest: a clear mid-animation frame
        QTest.qWait(50)
        window.diagram.reset_zoom()  # the readable size a file opens at
        if animating:
            window.session.set_step(step - 1)
            QTest.qWait(30)
            window.session.set_step(step, animate=True)
            QTest.qWait(int(window.player.duration * 0.55))
        else:
            window.session.set_step(step)
            QTest.qWait(60)
        if dark and not name.endswith("-dark.png"):
            name = name.replace(".png", "-dark.png")
        path = out / name
        window.grab().save(str(path))
        window.diagram.stop_animation()
        written.append(path)
        log(f"wrote {path}")
    app.setPalette(light)
    window.stop_timers()
    window.session.undo_stack.setClean()
    window.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rnn_studio.screenshots", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNG files")
    parser.add_argument("--size", default="1400x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    args = parser.parse_args(argv)
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 1400x900, not {args.size!r}")
    render(args.out, (width, height), dark=args.dark)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
