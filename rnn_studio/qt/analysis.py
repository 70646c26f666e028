"""What the session knows about its document, and where the learner is: no Qt in here.

- ``Analysis``: one document's trace and, only when something asks for it, its backward
  pass, each computed once.
- ``Cursor``: the phase (forward or backward) and how far it has come.
- ``Change``: what one edit changed, computed once by the session, so that the views read
  it instead of each comparing traces on their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np

from ..core import Backward, Trace, backprop
from ..document import Document

Phase = Literal["forward", "backward"]


class Analysis:
    """One document's numbers: the trace now, the gradients when first asked for."""

    def __init__(self, document: Document, previous: Analysis | None = None) -> None:
        self.document = document
        # The old trace lets the core keep the steps this edit cannot have changed.
        self.trace: Trace = document.trace(previous=previous.trace if previous else None)
        self.backward_computed = False

    @cached_property
    def backward(self) -> Backward:
        """The backward pass through the whole sequence (core.backward.Backward)."""
        self.backward_computed = True
        return backprop(self.trace)


@dataclass(frozen=True)
class Cursor:
    """Where the learner is. Forward: ``step`` steps computed (0..T). Backward: the forward
    pass is complete and the error signal has passed ``passed`` steps from the end (0..T);
    ``step`` keeps the forward position to return to."""

    phase: Phase = "forward"
    step: int = 0
    passed: int = 0

    @property
    def backward(self) -> bool:
        return self.phase == "backward"

    def forward_shown(self, T: int) -> int:
        """How many forward steps are computed on screen."""
        return T if self.backward else self.step

    def backward_step(self, T: int) -> int | None:
        """The step whose backward lines were computed last (T − passed + 1), or None."""
        if not self.backward or self.passed <= 0:
            return None
        return T - self.passed + 1

    def position(self) -> int:
        """The player's slider value in this phase."""
        return self.passed if self.backward else self.step


@dataclass(frozen=True, eq=False)
class Change:
    """One edit: the traces before and after, and which steps it can have changed."""

    old: Trace | None
    new: Trace
    #: the shape (spec, T) changed: graphics items are rebuilt
    structural: bool
    #: (first, last) as ``changed_steps``; None when nothing the views show changed
    steps: tuple[int, int] | None

    @property
    def first(self) -> int | None:
        """The first step whose values can differ (0: all), None when none does."""
        return None if self.steps is None else self.steps[0]

    @classmethod
    def between(cls, old: Trace | None, new: Trace, structural: bool) -> Change:
        return cls(old, new, structural, changed_steps(old, new))


def first_changed_step(old: Trace | None, new: Trace) -> int | None:
    """The first step whose shown values can differ between two traces of one shape.

    0 when everything may differ (weights, initial state, shape), t ≥ 1 when steps
    1..t-1 are untouched (an edit of table row t-1 changes step t and, through the state,
    every later one), None when nothing differs. A few array comparisons: microseconds.
    """
    changed = changed_steps(old, new)
    return None if changed is None else changed[0]


def changed_steps(old: Trace | None, new: Trace) -> tuple[int, int] | None:
    """``(first, last)``: the first step whose values can differ (see ``first_changed_step``)
    and the last step whose table row (inputs or targets) differs; ``(0, T)`` when
    everything may differ, None when nothing does.

    Steps after ``last`` differ only in what has been computed (states, outputs), which
    the diagram does not show for steps not yet reached.
    """
    if old is None or old.spec != new.spec or old.T != new.T:
        return 0, new.T
    if old is new:
        return None
    if any(not np.array_equal(old.params[n], new.params[n]) for n in new.params):
        return 0, new.T
    if not np.array_equal(old.states[0], new.states[0]):
        return 0, new.T
    if old.cells is not None and not np.array_equal(old.cells[0], new.cells[0]):
        return 0, new.T
    rows = ~(old.inputs == new.inputs).all(axis=1)
    rows |= ~((old.targets == new.targets) | (np.isnan(old.targets) & np.isnan(new.targets))).all(
        axis=1
    )
    changed = np.flatnonzero(rows)
    return (int(changed[0]) + 1, int(changed[-1]) + 1) if changed.size else None
