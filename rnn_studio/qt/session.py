"""The live document: the one place every edit passes through.

A ``Session`` holds the current Document (an immutable value), its Trace (recomputed
exactly once per change), the step shown and a QUndoStack. Widgets never change the
document themselves: they call ``session.apply(new_document, text)`` or
``session.edit(fn, text)``, which pushes an undo command; undo and redo swap whole
documents, so every edit is undoable for free.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import Trace
from ..document import Document
from ..errors import DocumentError

UNDO_LIMIT = 250


class DocumentCommand(QUndoCommand):
    """One edit: the documents before and after.

    Consecutive edits with the same merge key (one spin box turned many times) are merged
    by the Session itself, not by Qt's ``mergeWith``: a command Qt merges away is deleted
    in C++ while its Python wrapper (holding two documents) would live on.
    """

    def __init__(
        self, session: Session, before: Document, after: Document, text: str, merge_key: str
    ) -> None:
        super().__init__(text)
        self._session = session
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:  # noqa: A003 - Qt's name; overridden so PySide finds it (no merging)
        return -1

    def redo(self) -> None:
        self._session._set_document(self.after)

    def undo(self) -> None:
        self._session._set_document(self.before)


class Session(QObject):
    """The current document, its trace, the step shown and the undo history."""

    #: emitted once per change, after the one recompute; True when spec or T changed
    documentChanged = Signal(bool)
    #: the number of computed steps shown, 0..T
    stepChanged = Signal(int)
    #: a message for the person at the keyboard (a refused edit, an overflow)
    messageRaised = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("session")
        self._document = document
        #: the document as opened (New, Open, an example): what "Reset" can go back to
        self.origin = document
        self._trace = document.trace()
        self._step = _initial_step(document)
        #: how many times the trace was computed (tests count recomputes with it)
        self.recompute_count = 1
        #: whether the last step change asked for an animation (``set_step(animate=True)``)
        self.step_animated = False
        self.undo_stack = QUndoStack(self)
        # Enough history for a lesson; each step keeps two documents (T × d numbers each).
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._top: DocumentCommand | None = None

    # -- reading -------------------------------------------------------------------------
    @property
    def document(self) -> Document:
        return self._document

    @property
    def trace(self) -> Trace:
        return self._trace

    @property
    def step(self) -> int:
        return self._step

    # -- changing ------------------------------------------------------------------------
    def apply(self, document: Document, text: str, merge_key: str | None = None) -> bool:
        """Make ``document`` current as one undoable edit. False when nothing changed."""
        current = self._document
        if document is current or (document.equals(current) and document.view == current.view):
            return False
        stack = self.undo_stack
        top = self._top
        if (
            merge_key is not None
            and top is not None
            and top.merge_key == merge_key
            and stack.count() > 0
            and stack.index() == stack.count()
            and stack.command(stack.count() - 1) is top
            and stack.cleanIndex() != stack.index()
        ):
            top.after = document  # the same control again: one undo step for all of it
            self._set_document(document)
            return True
        command = DocumentCommand(self, current, document, text, merge_key or "")
        self._top = command
        stack.push(command)
        return True

    def edit(
        self, fn: Callable[[Document], Document], text: str, merge_key: str | None = None
    ) -> bool:
        """Apply ``fn(document)``; a DocumentError becomes a message and changes nothing.

        Returns False only when the edit was refused (an unchanged result is fine).
        """
        try:
            new = fn(self._document)
        except DocumentError as err:
            self.messageRaised.emit(str(err))
            return False
        self.apply(new, text, merge_key)
        return True

    def preview(self, document: Document) -> None:
        """Show ``document`` at once without an undo step (a training run as it learns).

        The caller ends a preview with ``preview(before)`` and then ``apply(after, text)``,
        so the whole run is one undo step from the document before it.
        """
        if document is not self._document:
            self._set_document(document)

    def reset(self, document: Document) -> None:
        """Start over on ``document`` (New, Open): clears the undo history, marks it clean."""
        self.undo_stack.clear()
        self._top = None
        self.origin = document
        self._set_document(document, step=_initial_step(document))
        self.undo_stack.setClean()

    def set_step(self, t: int, animate: bool = False) -> None:
        """Show steps 1..t. Never recomputes: the trace already holds every step."""
        t = max(0, min(int(t), self._trace.T))
        if t == self._step:
            return
        self.step_animated = animate
        self._step = t
        self.stepChanged.emit(t)

    # -- internal --------------------------------------------------------------------------
    def _set_document(self, document: Document, step: int | None = None) -> None:
        old = self._document
        structural = not old.same_shape(document)
        self._document = document
        # The old trace lets the core keep the steps this edit cannot have changed.
        self._trace = document.trace(previous=self._trace)
        self.recompute_count += 1
        old_step = self._step
        if step is None:
            # Stay at the end when the end moves (rows added); clamp when T shrinks.
            step = document.T if old_step == old.T else old_step
        self._step = max(0, min(step, document.T))
        self.step_animated = False
        self.documentChanged.emit(structural)
        if self._step != old_step:
            self.stepChanged.emit(self._step)
        if not self._trace.finite:
            self.messageRaised.emit(overflow_message(self._trace))


def _initial_step(document: Document) -> int:
    """The step a newly opened document shows: the file's ``view.step``, else 0.

    Step 0 shows only s₀, so the learner's first "Next" computes s₁ before her eyes.
    """
    step = document.view.get("step") if isinstance(document.view, dict) else None
    if isinstance(step, int) and not isinstance(step, bool) and 0 <= step <= document.T:
        return step
    return 0


def overflow_message(trace: Trace) -> str:
    t = trace.first_nonfinite_step
    where = f"at step {t}" if t is not None else "in a gate"
    return (
        f"the forward pass overflowed {where}: a value is no longer a finite number "
        f"(∞ or NaN); make the weights or inputs smaller"
    )
