"""Runs training for the window: One step, Train / Pause, Stop (spec/ui.md, Training).

A run is the core's ``train`` generator in a BackgroundTask (a worker process, polled
about 30 times a second): each poll previews the newest weights through the session (no undo
step), so the diagram, the arithmetic and the plots follow as it learns; when the run
ends, finished or stopped, the session goes back to the document before it and applies
the run's weights as ONE undo step, "Train 200 epochs (adam, lr 0.01)".

Editing the document during a run (a weight, the table, Undo) stops the run at once:
the edit wins and the run's result is dropped. Closing the window stops the run and
keeps what it learned (one undo step) before the window asks about unsaved changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import numpy as np
from PySide6.QtCore import QObject, Signal

from ... import workers
from ...core.train import Progress, TrainResult, train
from ...document import Document
from ...explain import fmt
from ...explain_update import NAMES, explain_update, settings_of, update_step
from ..actions import make_action
from ..session import Session
from ..tasks import POLL_MS, BackgroundTask
from .panel import TrainingPanel
from .stagger import Staggered

Params = Mapping[str, np.ndarray]

#: Previews come at most this often (the task's poll is ~30 a second) ...
PREVIEW_MIN_S = 0.033
#: ... and leave the GUI thread this many times their own cost free: redrawing every
#: view for one preview takes from a few ms (the lecture) to ~50 ms (a long LSTM), and
#: at 30 a second the window would do nothing else (a 10 ms timer fired 9 times in 1 s).
PREVIEW_SHARE = 4.0


def run_text(epochs: int, optimizer: str, learning_rate: float) -> str:
    """The undo step's name: "Train 200 epochs (adam, lr 0.01)"."""
    noun = "epoch" if epochs == 1 else "epochs"
    return f"Train {epochs} {noun} ({optimizer}, lr {learning_rate:g})"


class TrainingController(QObject):
    """Owns the training actions, the panel and the running task."""

    #: True when a run starts, False when it has ended
    runningChanged = Signal(bool)
    #: the weights of the last run (or One step), first to last: the landscape's path
    pathChanged = Signal(object)

    def __init__(
        self, session: Session, message: Callable[[str], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingController")
        self.session = session
        self._message = message
        self.task: BackgroundTask | None = None
        self._start_doc: Document | None = None
        self._preview: Document | None = None
        self._edited = False  # the document was edited during the run
        self._losses: list[float | None] = []
        self._history: list[Params] = []
        self._last: Progress | None = None
        self._next_preview = 0.0
        self._painting: float | None = None  # when the last preview ended, until measured
        #: how long the last preview took, views redrawn included (seconds)
        self.preview_cost = 0.0
        #: the weights of the last run, first to last (the landscape draws them)
        self.path: list[Params] = []

        self.action_step = make_action(
            self,
            "actionTrainStep",
            "One step",
            "One epoch by hand: forward, backward and one update of every weight, written out",
            self.train_step,
            "Ctrl+Shift+T",
        )
        self.action_train = make_action(
            self,
            "actionTrain",
            "Train",
            "Train for the epochs set (Ctrl+T); while it runs, pause and resume",
            self.toggle,
            "Ctrl+T",
        )
        self.action_stop = make_action(
            self,
            "actionStopTraining",
            "Stop",
            "Stop training and keep the weights reached (one undo step)",
            self.stop,
            "Ctrl+Alt+T",
        )
        self.action_stop.setEnabled(False)
        self.actions = [self.action_step, self.action_train, self.action_stop]
        self.panel = TrainingPanel(session, self.actions)
        #: the heavy views a preview repaints one per frame (the window fills it in)
        self.stagger = Staggered(self)
        session.documentChanged.connect(self._on_document_changed)
        workers.warm_up()  # a process ready before Train is pressed (starting one takes ~0.5 s)

    # -- state -------------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        return self.task is not None

    @property
    def is_paused(self) -> bool:
        return self.task is not None and self.task.is_paused

    # -- One step ----------------------------------------------------------------------------
    def train_step(self) -> None:
        if self.is_running:
            return
        doc = self.session.document
        try:
            step = update_step(doc)
        except ValueError as error:
            self._say(f"cannot train: {error}")
            return
        c = step.config
        self.session.apply(
            doc.with_params(step.after), f"One step ({c.optimizer}, lr {c.learning_rate:g})"
        )
        self.panel.update_text.setPlainText("\n".join(explain_update(step)))
        self.panel.update_text.setVisible(True)
        self.panel.progress.setRange(0, 1)
        self.panel.progress.setValue(1)
        self.panel.loss_plot.start_run()
        self.panel.loss_plot.show_losses([step.loss, self.session.trace.loss])
        self.path = [step.before, step.after]
        self.pathChanged.emit(self.path)
        self.panel.status.setText(
            f"One step: loss {_loss(step.loss)} → {_loss(self.session.trace.loss)}"
        )

    # -- a run ---------------------------------------------------------------------------------
    def toggle(self) -> None:
        """Train, or pause / resume the run going on."""
        if self.task is None:
            self.start()
        elif self.task.is_paused:
            self.task.resume()
            self._show_controls()
        else:
            self.task.pause()
            self._show_controls()
            last, shown = self._last, self._preview
            if (
                last is not None
                and shown is not None
                and shown.params is not last.params
                and not self._edited
            ):
                self._show(last)  # paused: show where it is, not the last preview before it

    def start(self) -> None:
        if self.task is not None:
            return
        doc = self.session.document
        try:
            config = settings_of(doc).to_config()
            c0 = doc.initial_cell if doc.cell == "lstm" else None
            args = (doc.spec, doc.params, doc.inputs, doc.targets, doc.initial_state, c0, config)
            train(*args).close()  # its checks, here, with their message
        except ValueError as error:
            self._say(f"cannot train: {error}")
            return
        self._start_doc = self._preview = doc
        self._edited = False
        self._losses, self._history, self._last = [], [doc.params], None
        self._next_preview, self._painting = 0.0, None
        self.path = self._history
        self.task = BackgroundTask(train, *args, parent=self)
        self.task.received.connect(self._record)
        self.task.progressed.connect(self._on_progress)
        self.task.finished.connect(self._on_finished)
        self.task.failed.connect(self._on_failed)
        self._config = config
        self.panel.update_text.setVisible(False)
        self.panel.progress.setRange(0, config.epochs)
        self.panel.progress.setValue(0)
        self.panel.loss_plot.start_run()
        self.panel.status.setText(
            f"Training: {NAMES[config.optimizer]}, lr {config.learning_rate:g}"
        )
        self.task.start()
        self._show_controls()
        self.runningChanged.emit(True)

    def stop(self) -> None:
        """Stop at the next epoch; the weights reached become one undo step."""
        if self.task is not None:
            self.task.stop()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop a run and wait for it (closing the window): nothing is left running."""
        if self.task is not None:
            self.task.stop()
            self.task.wait(timeout)

    # -- following the task (GUI thread) ---------------------------------------------------
    def _record(self, progresses: list[Progress]) -> None:
        """Every epoch's loss and weights, in order (the loss plot and the path)."""
        for progress in progresses:
            self._losses.append(progress.loss)
            self._history.append(progress.params)

    def _on_progress(self, progress: Progress) -> None:
        if self._edited or self._start_doc is None:
            return
        self._last = progress
        now = time.perf_counter()
        if self._painting is not None:
            # The views repaint after the preview, in the event loop: the poll comes late
            # by about that long, so the lateness counts as part of the preview's cost.
            late = now - self._painting - POLL_MS / 1000
            self.preview_cost += max(0.0, late)
            self._next_preview = self._painting + max(
                PREVIEW_MIN_S, PREVIEW_SHARE * self.preview_cost
            )
            self._painting = None
        paused = self.task is not None and self.task.is_paused
        if paused or (now >= self._next_preview and not self.stagger.is_busy):
            self._show(progress)  # paused: the items sent before it held, shown at once
            done = time.perf_counter()
            self.preview_cost = done - now
            self._painting = done
            self._next_preview = done + max(PREVIEW_MIN_S, PREVIEW_SHARE * self.preview_cost)

    def _show(self, progress: Progress) -> None:
        """Preview ``progress``: its weights now, the rest of the window frame by frame."""
        self._preview = self._start_doc.with_params(progress.params)
        epoch = progress.epoch
        text = f"Epoch {epoch} of {progress.epochs}: loss {_loss(progress.loss)}"
        self.stagger.run(
            lambda: self.session.preview(self._preview),
            # with the preview, not at every poll (a progress bar repaints at once), so the
            # bar, the words and the views all tell the same epoch
            lambda: (self.panel.progress.setValue(epoch), self.panel.status.setText(text)),
            lambda: self.panel.loss_plot.show_losses(self._losses[:epoch]),
            lambda: self.pathChanged.emit(self._history[: epoch + 1]),
        )

    def _on_finished(self, result: TrainResult | None, stopped: bool) -> None:
        start, config = self._start_doc, self._config
        self._end_task()
        if start is None:
            return
        if self._edited:
            self.panel.status.setText("Training stopped: the document was edited during the run")
            self._say("training stopped: the document was edited during the run")
            return
        if result is not None:
            params, losses = result.params, result.losses
        else:
            params = self._last.params if self._last is not None else None
            losses = list(self._losses)
        self.path = self._kept_path(params)
        done = len(self.path) - 1
        if params is not None and done > 0:
            # one undo step from the document before the run; the views update once
            self.session.apply(
                start.with_params(params),
                run_text(done, config.optimizer, config.learning_rate),
                before=start,
            )
        else:
            self.session.preview(start)
        self.panel.loss_plot.show_losses(losses)
        self.panel.progress.setValue(min(done, config.epochs))
        loss = self.session.trace.loss
        if result is not None and result.message:
            text = f"Training stopped: {result.message}"
            self._say(text)
        elif stopped:
            text = f"Stopped after {done} epoch{'s' if done != 1 else ''}: loss {_loss(loss)}"
        else:
            text = f"Trained {done} epochs: loss {_loss(losses[0])} → {_loss(loss)}"
        self.panel.status.setText(text)
        self.pathChanged.emit(self.path)

    def _on_failed(self, message: str) -> None:
        start = self._start_doc
        self._end_task()
        if start is not None and not self._edited:
            self.session.preview(start)
        self._say(f"training failed: {message}")
        self.panel.status.setText(f"Training failed: {message}")

    def _kept_path(self, params: Params | None) -> list[Params]:
        """The weights from the start up to the ones the run keeps."""
        history = self._history
        for i in range(len(history) - 1, 0, -1):
            if _same_params(history[i], params):
                return history[: i + 1]
        return history[:1]

    def _end_task(self) -> None:
        self.stagger.release_all()
        task, self.task = self.task, None
        self._start_doc = None
        if task is not None:
            task.deleteLater()
        self._show_controls()
        self.runningChanged.emit(False)

    def _on_document_changed(self, _structural: bool) -> None:
        if self.task is not None and self.session.document is not self._preview:
            self._edited = True  # someone else changed it: the edit wins, the run stops
            self.task.stop()

    def _show_controls(self) -> None:
        running = self.task is not None
        paused = running and self.task.is_paused
        self.action_train.setText("Resume" if paused else ("Pause" if running else "Train"))
        self.action_train.setToolTip(
            "Resume the run (Ctrl+T)"
            if paused
            else "Pause the run (Ctrl+T)"
            if running
            else "Train for the epochs set (Ctrl+T); while it runs, pause and resume"
        )
        self.action_stop.setEnabled(running)
        self.action_step.setEnabled(not running)
        for widget in self.panel.settings_controls:
            widget.setEnabled(not running)

    def _say(self, text: str) -> None:
        self._message(text)


def _same_params(a: Params, b: Params | None) -> bool:
    """The same weights (the result comes from the worker as a copy of an epoch's)."""
    if a is b:
        return True
    if b is None or a.keys() != b.keys():
        return False
    return all(np.array_equal(a[name], b[name]) for name in a)


def _loss(value: float | None) -> str:
    return "—" if value is None else fmt(value, 6) if value >= 1e-4 else f"{value:.3g}"
