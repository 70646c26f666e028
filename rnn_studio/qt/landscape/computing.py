"""The landscape's surface computed: one ``Job`` at a time in a worker process, its rows
drawn as they arrive, a computation that is out of date stopped (``LandscapeView``'s
part that talks to the worker; the view builds the widgets this reads and draws into)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from ...core.landscape import landscape_rows
from ..tasks import BackgroundTask
from .grid import Job, axis_values, surface_key


class SurfaceComputing:
    """Mixed into LandscapeView: ``compute``, ``cancel``, ``shutdown`` and the drawing of
    the rows as they come."""

    def compute(self) -> None:
        """Start computing the surface now (stopping one that is out of date)."""
        self._debounce.stop()
        x, y = self.x_entry, self.y_entry
        doc = self.session.document
        if x is None or y is None:
            return
        ranges = (self.x_min.value(), self.x_max.value(), self.y_min.value(), self.y_max.value())
        n = self.points_spin.value()
        key = surface_key(doc, x, y, ranges, n)
        if self.job is not None and self.job.key == key:
            return  # drawn already or being drawn
        self.cancel()
        if x == y:
            self.status.setText("choose two different weights")
            return
        if ranges[0] >= ranges[1] or ranges[2] >= ranges[3]:
            self.status.setText("each range needs its smallest value below its largest")
            return
        job = Job(doc, x, y, axis_values(*ranges[:2], n), axis_values(*ranges[2:], n), key)
        self.job, self.values = job, job.values
        self.x_values, self.y_values = job.x_values, job.y_values
        self.image.setImage(np.full_like(job.values, np.nan), autoLevels=False)
        x0, x1, y0, y1 = ranges
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        self.image.setRect(rect)
        # the surface fills the view; a training path that leaves it is cut at its edge
        self.plot.getPlotItem().vb.setRange(rect=rect, padding=0)
        self.plot.getPlotItem().setLabels(bottom=str(x), left=str(y))
        self.status.setText("computing…")
        self.task = BackgroundTask(landscape_rows, *job.arguments(), parent=self)
        self.task.received.connect(job.take)
        self.task.progressed.connect(lambda _row: self._draw(job))
        self.task.finished.connect(lambda _r, _s: self._done(job))
        self.task.failed.connect(self._failed)
        self.task.start()

    def cancel(self) -> None:
        """Stop the computation going on (its rows are thrown away)."""
        task, self.task = self.task, None
        if task is None:
            return
        task.received.disconnect()
        task.progressed.disconnect()
        task.finished.disconnect()
        task.failed.disconnect()
        task.finished.connect(lambda *_: self._forget(task))
        task.failed.connect(lambda *_: self._forget(task))
        self._stopping.append(task)
        task.stop()
        if self.job is not None and self.job.done < len(self.job.y_values):
            self.job = None

    def _forget(self, task: BackgroundTask) -> None:
        if task in self._stopping:
            self._stopping.remove(task)
        task.deleteLater()

    def shutdown(self, timeout: float = 10.0) -> None:
        """Stop every computation and wait for it (closing the window)."""
        self._debounce.stop()
        self.cancel()
        for task in list(self._stopping):
            task.wait(timeout)

    @property
    def is_computing(self) -> bool:
        return self.task is not None

    def _draw(self, job: Job) -> None:
        if job is not self.job:
            return
        done = job.values[: job.done]
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.log10(job.values)
        finite = shown[: job.done][np.isfinite(shown[: job.done])]
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
            if high <= low:
                high = low + 1e-9
            self.colour_bar.setLevels((low, high))
        self.image.setImage(shown, autoLevels=False)
        self.status.setText(f"{job.done} of {len(job.y_values)} rows" if done.size else "")

    def _done(self, job: Job) -> None:
        self._draw(job)
        if self.task is not None and job is self.job:
            self.task.deleteLater()
            self.task = None
        if job is self.job:
            self.status.setText(f"{len(job.y_values)} × {len(job.x_values)} points")

    def _failed(self, message: str) -> None:
        if self.task is not None:
            self.task.deleteLater()
        self.task, self.job = None, None
        self.status.setText(f"cannot compute: {message}")
