"""Reveal, don't spoil: nothing of a step shows before its phase does.

While the diagram animates step t, the arithmetic writes each of its lines when that
line's value appears in the diagram (the gates, then c_t, s_t, ŷ_t, the error; backward
∂L/∂ŷ_t, ∂L/∂s_t, the deltas, the weights' parts), and the state plot gets step t's
point only when ŷ_t appears. Future steps are absent from the plot, not drawn faintly,
unless View ▸ Show the whole trace (``actionShowWholeTrace``) is on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from .diagram.timeline import (
    BACK_APPEAR,
    BACK_WEIGHTS,
    back_line_phase,
    forward_line_phase,
    phase_times,
)
from .session import Session


class Reveal(QObject):
    """Tells the arithmetic and the plot when to show a step (see the module)."""

    def __init__(self, session: Session, diagram, arithmetic, plot) -> None:
        super().__init__(session)
        self.setObjectName("reveal")
        self._session = session
        self._diagram = diagram
        self._arithmetic = arithmetic
        self._plot = plot
        self._progress = 1.0
        self._thresholds: tuple[float, ...] = ()
        self._forward_step: int | None = None  # the forward step animating, if any
        self._plot_step_at = 2.0  # the progress at which the plot gets it
        diagram.progressChanged.connect(self._on_progress)
        diagram.animationFinished.connect(self._on_finished)
        session.revealAllChanged.connect(lambda _on: self.refresh())
        session.documentChanged.connect(lambda _s: self.refresh())

    # -- the forward pass ----------------------------------------------------------------
    def step(self, t: int, animate: bool = False) -> None:
        """The session's forward step moved to t (the diagram has started animating it
        when ``animate``): the arithmetic and the plot follow as its phases come."""
        if animate and self._diagram.is_animating() and t >= 1:
            times = phase_times(self._session.trace.spec.cell)
            self._start(tuple(times.values()), lambda line: forward_line_phase(line, times))
            self._forward_step = t
            self._plot_step_at = times["yhat"]
            self._arithmetic.set_step(t)
            self._plot.set_step(t - 1)
        else:
            self._stop()
            self._arithmetic.set_step(t)
            self._plot.set_step(t)

    # -- the backward pass ---------------------------------------------------------------
    def backward_started(self, animate: bool) -> Callable[[str], bool] | None:
        """A backward step begins: the reveal for its lines (None: all at once)."""
        if not (animate and self._diagram.is_animating()):
            self._stop()
            return None
        thresholds = (*BACK_APPEAR.values(), BACK_WEIGHTS)
        self._forward_step = None
        self._plot_step_at = 2.0
        return self._start(thresholds, back_line_phase)

    # -- following the animation -------------------------------------------------------------
    def _start(self, thresholds, phase: Callable[[str], float]) -> Callable[[str], bool]:
        self._progress = 0.0
        self._thresholds = tuple(sorted(thresholds))

        def shown(line: str) -> bool:
            return phase(line) <= self._progress

        self._arithmetic._reveal = shown  # noqa: SLF001 - set before the step's render
        return shown

    def _stop(self) -> None:
        self._progress = 1.0
        self._forward_step = None
        self._arithmetic._reveal = None  # noqa: SLF001 - the next render shows all lines

    def _on_progress(self, value: float) -> None:
        old, self._progress = self._progress, float(value)
        if any(old < th <= value for th in self._thresholds):
            self._arithmetic.set_reveal(self._arithmetic._reveal)  # noqa: SLF001
        if self._forward_step is not None and old < self._plot_step_at <= value:
            self._plot.set_step(self._forward_step)

    def _on_finished(self) -> None:
        step = self._forward_step
        was_partial = self._arithmetic._reveal is not None  # noqa: SLF001
        self._stop()
        if was_partial:
            self._arithmetic.set_reveal(None)
        if step is not None:
            self._plot.set_step(step)

    # -- future steps ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Future steps absent from the state plot unless the whole trace is shown."""
        show = self._session.reveal_all
        faint = getattr(self._plot, "faint_curves", None)
        for curve in faint() if faint is not None else ():
            curve.setVisible(show)


def show_whole_trace_action(session: Session, parent: QObject) -> QAction:
    """View ▸ Show the whole trace: for teachers, future steps drawn (faintly) too."""
    action = QAction("Show the &whole trace", parent)
    action.setObjectName("actionShowWholeTrace")
    action.setCheckable(True)
    tip = (
        "Draw the steps not computed yet too (faintly, in the plots): for a teacher "
        "showing where the sequence goes. Off, nothing of a step shows before it is computed"
    )
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.toggled.connect(session.set_reveal_all)
    return action
