"""Where the diagram is in time: the forward step and, in the backward pass, how far the
error signal has come back, with the step being animated in either direction.

Forward, ``step`` steps are computed and ``anim_step`` (if ≥ 0) is being computed, at
``progress`` (0..1) of its phases. Backward (``backward`` is set), the forward pass is
complete, the signal has passed steps T..T−passed+1 and ``back_anim`` (if ≥ 0) is the
step it is passing now, at ``back_progress``: right to left, the direction reversed.
"""

from __future__ import annotations

from typing import Any

#: backward phases of a step (fractions of its animation): ∂L/∂ŷ_t appears, runs down to
#: s_t, ∂L/∂s_t appears, then (LSTM) ∂L/∂c_t and the gate deltas, and last the signal
#: travels left along the state line to s_{t-1}
BACK_APPEAR = {"yhat": 0.05, "s": 0.32, "c": 0.42, "gate": 0.52, "s0": 0.97, "c0": 0.97}
BACK_DOWN = (0.08, 0.3)  # the dot from ŷ_t down to s_t
BACK_ALONG = (0.62, 1.0)  # the signal from s_t back to s_{t-1}


class TimelineMixin:
    """The item's position in time (see the module's docstring)."""

    T: int = 0
    step: int = 0
    anim_step: int = -1
    progress: float = 1.0
    #: the backward pass (core Backward) while the player is in the backward phase
    backward: Any = None
    passed: int = 0
    back_anim: int = -1
    back_progress: float = 1.0

    def shown(self, t: int) -> float:
        """How far step t is computed on screen: 1 done, 0 not yet, between while animating."""
        if t == self.anim_step:
            return self.progress
        return 1.0 if t <= self.step else 0.0

    def back_shown(self, t: int) -> float:
        """How far the error signal has passed step t (1 done, 0 not yet). Column 0 (s₀)
        is reached as step 1's signal arrives there."""
        if self.backward is None:
            return 0.0
        if t == 0:
            if self.back_anim == 1:
                return self.back_progress
            return 1.0 if self.passed >= self.T else 0.0
        if t == self.back_anim:
            return self.back_progress
        return 1.0 if t > self.T - self.passed else 0.0

    def current_column(self) -> int | None:
        """The column highlighted: the step computed last (or being computed)."""
        if self.backward is not None:
            if self.back_anim >= 0:
                return self.back_anim
            return self.T - self.passed + 1 if self.passed > 0 else None
        return self.anim_step if self.anim_step >= 0 else self.step
