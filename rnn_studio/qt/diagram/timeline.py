"""Where the diagram is in time: the forward step and, in the backward pass, how far the
error signal has come back, with the step being animated in either direction.

Forward, ``step`` steps are computed and ``anim_step`` (if ≥ 0) is being computed, at
``progress`` (0..1) of its phases. Backward (``backward`` is set), the forward pass is
complete, the signal has passed steps T..T−passed+1 and ``back_anim`` (if ≥ 0) is the
step it is passing now, at ``back_progress``: right to left, the direction reversed.
"""

from __future__ import annotations

from typing import Any

#: a step's phases per cell, as fractions of its animation: inputs flow in (t_in), the
#: gates fill (t_gate), the cell state (t_c) and the state (t_s) appear, the output forms
#: (t_out); the error appears at T_ERR
TIMINGS = {
    "lstm": ((0.0, 0.34), (0.34, 0.52), 0.64, 0.74, (0.76, 0.86)),
    "gru": ((0.0, 0.34), (0.34, 0.5), 0.62, 0.72, (0.74, 0.86)),
    "rnn": ((0.0, 0.4), (0.4, 0.55), 0.55, 0.58, (0.66, 0.84)),
}
T_ERR = 0.93


def phase_times(cell: str) -> dict[str, float]:
    """When each kind of value of a step appears (its node, and its line of arithmetic):
    "gate:G", "c", "s", "yhat", "err"."""
    _t_in, t_gate, t_c, t_s, t_out = TIMINGS[cell]
    times = {"c": t_c, "s": t_s, "yhat": t_out[1], "err": T_ERR}
    for g in ("i", "f", "g", "o", "r", "z"):
        times[f"gate:{g}"] = t_gate[1]  # a gate's line once its bar is full
    times["gate:n"] = t_c - 0.02
    return times


#: backward phases of a step (fractions of its animation): ∂L/∂ŷ_t appears, runs down to
#: s_t, ∂L/∂s_t appears, then (LSTM) ∂L/∂c_t and the gate deltas, and last the signal
#: travels left along the state line to s_{t-1}
BACK_APPEAR = {"yhat": 0.05, "s": 0.32, "c": 0.42, "gate": 0.52, "s0": 0.97, "c0": 0.97}
BACK_DOWN = (0.08, 0.3)  # the dot from ŷ_t down to s_t
BACK_ALONG = (0.62, 1.0)  # the signal from s_t back to s_{t-1}
BACK_WEIGHTS = 0.6  # the step's parts of the weights' gradients


def back_line_phase(line: str) -> float:
    """When a line of ``explain_backward_step`` appears while its step animates."""
    head, _, _ = line.partition(" += ") if " += " in line else line.partition(" = ")
    if head.startswith("∂L/∂ŷ"):
        return BACK_APPEAR["yhat"]
    if " += " in line:
        return BACK_WEIGHTS
    if head.startswith(("∂L/∂s₀", "∂L/∂c₀")):
        return BACK_APPEAR["s0"]
    if head.startswith("∂L/∂s"):
        return BACK_APPEAR["s"]
    if head.startswith("∂L/∂c"):
        return BACK_APPEAR["c"]
    return BACK_APPEAR["gate"]  # ∂L/∂z_t, the gates' δ


def forward_line_phase(line: str, times: dict[str, float]) -> float:
    """When a line of ``explain_step`` appears while its step animates."""
    head = line.split(" = ")[0]
    if head.startswith("error"):
        return times["err"]
    letter = head[0]
    if letter == "ŷ":
        return times["yhat"]
    if letter in ("s", "c"):
        return times[letter]
    return times.get(f"gate:{letter}", times["s"])


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
