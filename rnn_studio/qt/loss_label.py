"""The status bar's ``lossLabel``: the loss of the steps computed so far (reveal, don't spoil).

At step 0 nothing is computed, so there is no loss to show ("loss —"); at step t it is the
mean of e² over the targets of steps 1..t; once the last step is shown, in the backward
pass, or with View ▸ Show the whole trace on, it is the whole sequence's loss, the
number the core computes (``Trace.loss``). The step it counts is the state plot's: the
plot takes step t's point when ŷ_t appears in the animation, so the loss never runs
ahead of what the learner has seen.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from ..core import Trace
from ..explain import fmt
from .session import Session


def loss_so_far(trace: Trace, t: int) -> tuple[float | None, int]:
    """(the mean of e² over the targets of steps 1..t, how many targets that is).

    At t = T the loss is ``trace.loss`` itself, so it agrees with the core to the digit;
    (None, 0) when those steps have no target.
    """
    t = max(0, min(int(t), trace.T))
    if t == trace.T:
        return trace.loss, trace.target_count
    errors = trace.errors[:t]
    seen = ~np.isnan(trace.targets[:t])
    count = int(seen.sum())
    if count == 0:
        return None, 0
    return float(np.sum(np.where(seen, errors, 0.0) ** 2) / count), count


class LossStatus(QObject):
    """Keeps ``label`` on the loss of the steps ``plot`` shows as computed."""

    def __init__(self, session: Session, plot, label: QLabel) -> None:
        super().__init__(label)
        self._session = session
        self._plot = plot
        self._label = label
        plot.stepShown.connect(self.refresh)
        session.revealAllChanged.connect(self.refresh)
        session.cursorChanged.connect(self.refresh)
        session.documentChanged.connect(self.refresh)
        self.refresh()

    def shown_step(self) -> int:
        """How many steps the loss counts: the plot's, or all of them."""
        session, T = self._session, self._session.trace.T
        if session.reveal_all or session.cursor.backward:
            return T
        return max(0, min(self._plot.shown_step(), T))

    def refresh(self, *_args) -> None:
        trace = self._session.trace
        t = self.shown_step()
        label = self._label
        if trace.loss is None:
            text, tip = "loss —", "No loss: the table has no targets"
        elif t == 0:
            text, tip = "loss —", "No step computed yet: the loss comes with the first step"
        else:
            loss, count = loss_so_far(trace, t)
            plural = "s" if count != 1 else ""
            if loss is None:
                text = "loss —"
                tip = f"No target in steps 1..{t} yet: the loss comes with the first target"
            elif t == trace.T:
                text = f"loss {loss_text(loss)}"
                tip = f"Mean squared error over {count} target{plural}: {loss!r}"
            else:
                text = f"loss {loss_text(loss)} so far"
                tip = (
                    f"Mean squared error over the {count} target{plural} of steps 1..{t} "
                    f"(of {trace.T}): {loss!r}. The whole sequence's loss shows once the "
                    "last step is computed (or with View ▸ Show the whole trace)"
                )
        if label.text() != text:
            label.setText(text)
        label.setToolTip(tip)


def loss_text(loss: float) -> str:
    """4 decimals, as the arithmetic writes; a trained loss below 0.0001 in 3 significant
    digits ("2.16e-07"), not "0.0000"."""
    return fmt(loss, 4) if loss == 0 or abs(loss) >= 1e-4 else f"{loss:.3g}"
