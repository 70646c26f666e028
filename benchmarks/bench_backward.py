"""The backward pass in the window, offscreen, at T = 2,000 for every cell.

    python benchmarks/bench_backward.py

Prints, per cell (d = 2, h = 4, one target, linear readout): the time from checking
actionBackward until the gradients are computed and every view has repainted
(target: under 50 ms), one backward step without animation until the views have
repainted what changed (the event loop's work, as bench_window measures), and the draw time
of an animation frame of a backward step (budget: one frame at 60 fps).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from rnn_studio.document import Document  # noqa: E402

ENTER_MS = 50.0
FRAME_MS = 1000.0 / 60.0


def make_document(cell: str, T: int = 2000, h: int = 4, d: int = 2) -> Document:
    rng = np.random.default_rng(0)
    return Document.create(
        input_names=tuple(f"x{i + 1}" for i in range(d)),
        target_names=("y",),
        inputs=rng.uniform(-1, 1, (T, d)).round(3),
        targets=np.sin(np.arange(T) * 0.3)[:, None].round(3),
        cell=cell,
        activation="tanh",
        hidden_size=h,
        readout="linear",
        seed=0,
    )


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000.0


def main() -> int:
    app = QApplication.instance() or QApplication([])
    from rnn_studio.app import MainWindow

    ok = True
    for cell in ("rnn", "lstm", "gru"):
        window = MainWindow(make_document(cell))
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        backward = window.findChild(QAction, "actionBackward")
        nxt = window.findChild(QAction, "actionNext")
        window.findChild(QAction, "actionLast").trigger()
        app.processEvents()
        window.player.speed_slider.setValue(11)  # steps without animation
        enter, step = [], []
        for _ in range(7):
            # a fresh document each time: the gradients are not computed yet
            window.session.edit(lambda doc: doc.with_cell_value(0, 0, float(np.random.rand())), "e")
            app.processEvents()

            def go(action: QAction = backward) -> None:
                action.setChecked(True)
                app.processEvents()  # every view paints what changed

            enter.append(_ms(go))
            for _ in range(5):
                step.append(_ms(lambda a=nxt: (a.trigger(), app.processEvents())))
            backward.setChecked(False)
            app.processEvents()
        # an animation frame of a backward step
        window.player.speed_slider.setValue(5)
        backward.setChecked(True)
        app.processEvents()
        nxt.trigger()
        frames = []
        view = window.diagram
        view.stop_animation()
        item = view.item()
        item.back_anim = item.T - window.session.cursor.passed + 1
        for p in np.linspace(0.05, 0.95, 30):
            item.back_progress = float(p)
            view._on_progress(float(p))  # noqa: SLF001 - a frame as the animation makes it
            frames.append(_ms(view.viewport().repaint))
        item.back_anim = -1
        e, s, f = statistics.median(enter), statistics.median(step), statistics.median(frames)
        ok &= e <= ENTER_MS and f <= FRAME_MS
        print(
            f"{cell:4}  T = 2000, h = 4:  entering the backward pass {e:6.1f} ms "
            f"(target ≤ {ENTER_MS:.0f})   one backward step {s:5.1f} ms   "
            f"animation frame {f:5.1f} ms (budget {FRAME_MS:.1f})"
        )
        window.close()
    print("ok" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
