"""Render the real window offscreen into ``resources/screenshots/`` (for the README).

    python -m rnn_studio.screenshots [--out DIR] [--size 1400x900]

Each picture is the window as a user sees it: the lecture's example at step 0, step 1
in mid-animation and step 2, then the LSTM and GRU examples in mid-step, the memory
example training (its loss curve mid-run) and an LSTM with 8 units in compact vectors.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
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
    for name, shoot in (("memory-training.png", _training), ("compact-lstm-h8.png", _compact)):
        window._start_over(example("lstm-by-hand"), None, "an example")
        window.resize(*size)
        shoot(window)
        path = out / name
        window.grab().save(str(path))
        written.append(path)
        log(f"wrote {path}")
    window.training.shutdown()
    window.stop_timers()
    window.session.undo_stack.setClean()
    window.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    return written


def _training(window) -> None:
    """The memory example half-way through a run, the loss curve falling."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from .document import TrainingSettings
    from .examples import memory

    window._start_over(memory().with_training(TrainingSettings("adam", 0.05, 600)), None, "")
    window.session.set_step(window.session.document.T)  # every step's state, as it learns
    window.training_dock.raise_()
    # room for the loss curve (a student drags the dock's edge the same way)
    window.resizeDocks([window.training_dock], [430], Qt.Orientation.Vertical)
    window.resizeDocks([window.training_dock], [560], Qt.Orientation.Horizontal)
    QTest.qWait(1500)  # the worker process starts (a person takes longer to press Train)
    window.training.action_train.trigger()
    deadline = time.monotonic() + 30
    while window.training.panel.progress.value() < 300 and time.monotonic() < deadline:
        QTest.qWait(20)
    window.training.action_train.trigger()  # pause: the picture shows the run going on
    QTest.qWait(300)


def _compact(window) -> None:
    """An LSTM with 8 hidden units: one node per vector, the weights as heat maps."""
    from PySide6.QtTest import QTest

    from .core.initial import initial_params

    doc = window.session.document.with_hidden_size(8)
    doc = doc.with_params(initial_params(doc.spec, 1))
    window._start_over(doc, None, "an LSTM with 8 units")
    window.session.set_step(doc.T)
    QTest.qWait(80)


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
