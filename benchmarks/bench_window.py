"""Edit → redraw latency and frame time of the window, offscreen.

    python -m benchmarks.bench_window            # or: python benchmarks/bench_window.py

For T = 200 and T = 2,000 (basic RNN, d = 2, h = 4, linear readout to one target) it
prints the median and p90 time from one table edit (``session.apply`` of a
``with_cell_value``) until the trace, the diagram, the plot and the arithmetic are all
updated and repainted (the event loop's work, in which every view with something new
to show paints it); the core alone (document edit + forward trace) as a baseline; the
cost of one step of the player; and the frame time while a step animates.

    python -m benchmarks.bench_window --force-repaint

also repaints, in full, every view the event loop did not paint (one whose content the
edit left as it was): an upper bound, and how this benchmark measured until the views
learnt to skip repaints that change no pixel.

Through the real window (``rnn_studio.app.MainWindow``) when it exists, else through a
Session wired to the three views exactly as the window wires them.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget  # noqa: E402

from rnn_studio.document import Document  # noqa: E402

TARGET_EDIT_MS = {200: 8.0, 2000: 16.0}
FRAME_BUDGET_MS = 1000.0 / 60.0


def make_document(T: int, h: int = 4, d: int = 2, seed: int = 0) -> Document:
    rng = np.random.default_rng(seed)
    inputs = rng.uniform(-1, 1, (T, d)).round(3)
    targets = np.sin(np.arange(T) * 0.3)[:, None].round(3)
    return Document.create(
        input_names=tuple(f"x{i + 1}" for i in range(d)),
        target_names=("y",),
        inputs=inputs,
        targets=targets,
        cell="rnn",
        activation="tanh",
        hidden_size=h,
        readout="linear",
        seed=seed,
    )


def stats(samples_s: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples_s)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return statistics.median(ms), p90


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class Harness:
    """The session and the three views, either inside the real MainWindow or wired here."""

    def __init__(self, doc: Document, force_repaint: bool = False) -> None:
        from rnn_studio.qt.arithmetic import ArithmeticView
        from rnn_studio.qt.diagram import DiagramView
        from rnn_studio.qt.plot import StatePlot

        self.window = None
        self.force_repaint = force_repaint
        try:
            from rnn_studio.app import MainWindow  # the real window, once it exists
        except ImportError:
            MainWindow = None  # noqa: N806
        if MainWindow is not None:
            self.window = MainWindow()
            self.window.resize(1280, 800)
            self.window.show()
            self.session = self._find_session(self.window)
            self.session.reset(doc)
            self.diagram = self.window.findChild(DiagramView, "diagramView")
            self.plot = self.window.findChild(StatePlot, "statePlot")
            self.arithmetic = self.window.findChild(ArithmeticView, "arithmeticView")
            self.mode = "through rnn_studio.app.MainWindow"
        else:
            from rnn_studio.qt.session import Session

            self.session = Session(doc)
            self.diagram, self.plot, self.arithmetic = DiagramView(), StatePlot(), ArithmeticView()
            self.window = QWidget()
            outer = QVBoxLayout(self.window)
            outer.addWidget(self.diagram, 3)
            row = QHBoxLayout()
            row.addWidget(self.arithmetic, 1)
            row.addWidget(self.plot, 1)
            outer.addLayout(row, 2)
            self.window.resize(1280, 800)
            self.window.show()
            self.session.documentChanged.connect(self._show)
            self.session.stepChanged.connect(self._step)
            self._show(True)
            self.mode = "session + the three views (no MainWindow yet)"
        self._counters = [PaintCounter(view.viewport()) for view in self.views()]
        QApplication.processEvents()

    @staticmethod
    def _find_session(window):
        from rnn_studio.qt.session import Session

        session = getattr(window, "session", None)
        if isinstance(session, Session):
            return session
        found = window.findChild(Session)
        if found is None:
            raise RuntimeError("MainWindow has no Session to edit through")
        return found

    def views(self):
        return (self.diagram, self.plot, self.arithmetic)

    def _show(self, _structural: bool) -> None:
        doc, trace = self.session.document, self.session.trace
        for view in self.views():
            view.show_document(doc, trace)
            view.set_step(self.session.step)

    def _step(self, t: int) -> None:
        for view in self.views():
            view.set_step(t, animate=self.session.step_animated and view is self.diagram)

    def repaint(self) -> None:
        """Everything the next frame needs: the event loop's pending work, each view drawn.

        A view the event loop did not paint had nothing new to show (the offscreen
        platform paints every pending update); it is repainted in full only with
        ``force_repaint``, or if it was never painted at all (a window not exposed).
        """
        before = [counter.count for counter in self._counters]
        QApplication.processEvents()
        for view, counter, n in zip(self.views(), self._counters, before, strict=True):
            if counter.count == n and (self.force_repaint or counter.count == 0):
                view.viewport().repaint()


def bench_core(doc: Document, n: int) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        edited = doc.with_cell_value(i % doc.T, 0, 0.001 * (i + 1))
        edited.trace()
        times.append(time.perf_counter() - start)
    return times


class Edits:
    """Values no cell of the table held before: every timed edit changes the document.

    (A warm-up that edits the same rows with the same values as the first timed edits
    makes those no-ops, which cost nothing and flatter the median.)
    """

    def __init__(self) -> None:
        self.n = 0

    def next_value(self, swing: bool = False) -> float:
        self.n += 1
        if swing:  # between -0.9 and 0.9: every later step shown changes visibly
            return (0.9 if self.n % 2 else -0.9) + 1e-5 * self.n
        return 1e-4 * self.n  # a small change


EDITS = Edits()


def _apply(h: Harness, doc: Document, text: str) -> None:
    if not h.session.apply(doc, text):
        raise RuntimeError(f"a benchmark edit ({text}) changed nothing: it would not be timed")


def bench_edit(h: Harness, n: int, row: int | None = None, first_row: int = 0) -> list[float]:
    """Edits of rows spread over the table from ``first_row`` (small changes), or always of
    ``row``, there swinging between -0.9 and 0.9 so that every later step shown changes."""
    times = []
    T = h.session.document.T
    for i in range(n):
        start = time.perf_counter()
        doc = h.session.document
        r = (first_row + i * 7) % T if row is None else row
        value = EDITS.next_value(swing=row is not None)
        _apply(h, doc.with_cell_value(r, 0, value), "bench edit")
        h.repaint()
        times.append(time.perf_counter() - start)
    return times


def bench_weight(h: Harness, n: int) -> list[float]:
    """Edits of one weight (W[0, 0], as the Model panel's wheel or arrows make them),
    swinging between -0.9 and 0.9: every step, every edge and the loss change."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        doc = h.session.document
        value = EDITS.next_value(swing=True)
        _apply(h, doc.with_param("W", (0, 0), value), "bench weight")
        h.repaint()
        times.append(time.perf_counter() - start)
    return times


def bench_breakdown(h: Harness, n: int) -> dict[str, float]:
    """Where an edit's time goes: the session's update, drawing each view, the rest.

    Each view's drawing is timed as a full repaint of its new content on its own; "the
    rest" is what remains of the end-to-end time (other widgets, layout, the backing
    store), here with every view drawn (``force_repaint``), as an upper bound.
    """
    names = (
        "session update (trace + views' data)",
        "drawing the diagram",
        "drawing the plot",
        "drawing the arithmetic",
        "the rest (other widgets, layout)",
    )
    parts: dict[str, list[float]] = {name: [] for name in names}
    T = h.session.document.T
    force, h.force_repaint = h.force_repaint, True
    try:
        for i in range(n):
            start = time.perf_counter()
            doc = h.session.document
            _apply(h, doc.with_cell_value((i * 11) % T, 0, EDITS.next_value()), "bench edit")
            update = time.perf_counter() - start
            h.repaint()
            total = time.perf_counter() - start
            draws = []
            for view in h.views():
                t0 = time.perf_counter()
                view.viewport().repaint()
                draws.append(time.perf_counter() - t0)
            values = [update, *draws, max(0.0, total - update - sum(draws))]
            for name, value in zip(names, values, strict=True):
                parts[name].append(value)
    finally:
        h.force_repaint = force
    return {name: stats(values)[0] for name, values in parts.items()}


def bench_steps(h: Harness, n: int) -> list[float]:
    times = []
    T = h.session.document.T
    for i in range(n):
        start = time.perf_counter()
        h.session.set_step(1 + (T // 2 + i) % T)
        h.repaint()
        times.append(time.perf_counter() - start)
    return times


def bench_panel(h: Harness, n: int) -> list[float] | None:
    """Building the Model panel of a 16-unit LSTM (1,265 spin boxes): hidden size 1 → 16,
    until it is drawn. None without the real window (no panel)."""
    from PySide6.QtWidgets import QComboBox, QSpinBox

    if h.window is None or getattr(h.window, "params", None) is None:
        return None
    cell = h.window.findChild(QComboBox, "cellCombo")
    hidden = h.window.findChild(QSpinBox, "hiddenSizeSpin")
    before = h.session.document
    cell.setCurrentIndex(cell.findData("lstm"))
    hidden.setValue(1)
    QApplication.processEvents()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        hidden.setValue(16)
        QApplication.processEvents()
        times.append(time.perf_counter() - start)
        hidden.setValue(1)
        QApplication.processEvents()
    h.session.reset(before)
    QApplication.processEvents()
    return times


def bench_animation(h: Harness, steps: int, duration_ms: int = 400):
    """Play ``steps`` animated steps; returns per-frame work and the frame intervals."""
    view = h.diagram
    view.set_animation_duration(duration_ms)
    work: list[float] = []
    intervals: list[float] = []
    last = [None]
    clock = QElapsedTimer()
    clock.start()

    def on_frame(_value) -> None:
        start = time.perf_counter()
        view.viewport().repaint()  # draw this frame now, and time it
        work.append(time.perf_counter() - start)
        now = clock.nsecsElapsed() / 1e9
        if last[0] is not None:
            intervals.append(now - last[0])
        last[0] = now

    anim = view._anim  # noqa: SLF001 - the benchmark looks inside on purpose
    anim.valueChanged.connect(on_frame)
    try:
        T = h.session.document.T
        start_step = max(0, T // 2 - steps)
        h.session.set_step(start_step)
        h.repaint()
        for _ in range(steps):
            last[0] = None
            target = h.session.step + 1
            h.session.set_step(target, animate=True)
            if not view.is_animating():  # the window may drive the animation itself
                view.set_step(target, animate=True)
            deadline = time.perf_counter() + duration_ms / 1000 * 4 + 1
            while view.is_animating() and time.perf_counter() < deadline:
                QApplication.processEvents()
                time.sleep(0.0005)
            QApplication.processEvents()
    finally:
        anim.valueChanged.disconnect(on_frame)
        view.stop_animation()
    return work, intervals


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    force = "--force-repaint" in args
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("rnn-studio-bench")
    print(f"Python {sys.version.split()[0]}, Qt platform: {app.platformName()}")
    if force:
        print("--force-repaint: views the event loop did not paint are repainted in full")
    ok = True
    for T, n in ((200, 100), (2000, 60)):
        doc = make_document(T)
        h = Harness(doc, force_repaint=force)
        print(f"\nT = {T}, basic RNN, d = 2, h = 4, k = 1 (linear readout) — {h.mode}")
        h.session.set_step(T // 2)
        h.repaint()
        # warm up (fonts, caches) on other rows and values than the timed edits
        bench_edit(h, 5, first_row=3)
        core = stats(bench_core(doc, n))
        edit = stats(bench_edit(h, n))
        # a row just before the columns on screen: every computed step shown changes (an
        # edit's effect fades below the digits shown within a dozen steps or so)
        worst = stats(bench_edit(h, n, row=max(0, T // 2 - 8)))
        weight = stats(bench_weight(h, n))
        step = stats(bench_steps(h, n))
        target = TARGET_EDIT_MS[T]
        verdict = "ok" if edit[0] <= target else "SLOWER THAN TARGET"
        ok &= edit[0] <= target
        print(f"  core alone (edit + trace)     median {core[0]:6.2f} ms   p90 {core[1]:6.2f} ms")
        print(
            f"  edit → all views redrawn      median {edit[0]:6.2f} ms   p90 {edit[1]:6.2f} ms"
            f"   (target ≤ {target:g} ms: {verdict}; {edit[0] / max(core[0], 1e-9):.1f}× the core)"
        )
        print(
            f"  edit of row {T // 2 - 7:<4d} (worst)   median {worst[0]:6.2f} ms"
            f"   p90 {worst[1]:6.2f} ms   (every step on screen changes)"
        )
        print(
            f"  edit of the weight W[0, 0]     median {weight[0]:6.2f} ms"
            f"   p90 {weight[1]:6.2f} ms   (every step and edge changes)"
        )
        print(f"  one player step, redrawn      median {step[0]:6.2f} ms   p90 {step[1]:6.2f} ms")
        print("  where an edit's time goes (medians):")
        for name, ms in bench_breakdown(h, n // 2).items():
            print(f"    {name:38s} {ms:6.2f} ms")
        panel = bench_panel(h, 3) if T == 200 else None
        if panel:
            p = stats(panel)
            print(f"  16-unit LSTM Model panel built median {p[0]:6.0f} ms   ({len(panel)} builds)")
        work, intervals = bench_animation(h, steps=3)
        if work:
            w = stats(work)
            fps_ok = w[1] <= FRAME_BUDGET_MS
            ok &= fps_ok
            print(
                f"  animation: draw per frame     median {w[0]:6.2f} ms   p90 {w[1]:6.2f} ms"
                f"   ({len(work)} frames; budget {FRAME_BUDGET_MS:.1f} ms: "
                f"{'ok' if fps_ok else 'OVER'})"
            )
        if intervals:
            iv = stats(intervals)
            print(
                f"  animation: frame interval     median {iv[0]:6.2f} ms   p90 {iv[1]:6.2f} ms"
                f"   (≈ {1000 / iv[0]:.0f} fps)"
            )
        h.window.close()
        h.window.deleteLater()
        QApplication.processEvents()
    print("\nall targets met" if ok else "\nsome targets missed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
