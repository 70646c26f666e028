"""The live document: the one place every edit passes through.

A ``Session`` holds the current Document (an immutable value), its ``Analysis`` (the
trace, recomputed exactly once per change, and the backward pass, computed lazily the
first time something asks for it), the ``Cursor`` (phase forward or backward and how far
it has come), the ``Change`` the last edit made (which the views read instead of
comparing traces themselves) and a QUndoStack. Widgets never change the document
themselves: they call ``session.apply(new_document, text)`` or ``session.edit(fn,
text)``, which pushes an undo command; undo and redo swap whole documents, so every edit
is undoable for free.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import Trace
from ..document import Document
from ..errors import DocumentError
from .analysis import Analysis, Change, Cursor, Phase

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
        # weakly: the session owns the stack that owns this command; a strong reference
        # back made a cycle, and Python's collector freeing it deleted the stack's commands
        # in C++ while it was freeing their wrappers (a segfault in a later test)
        self._session = weakref.ref(session)
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:  # noqa: A003 - Qt's name; overridden so PySide finds it (no merging)
        return -1

    def redo(self) -> None:
        session = self._session()
        if session is not None:
            session._set_document(self.after)

    def undo(self) -> None:
        session = self._session()
        if session is not None:
            session._set_document(self.before)


class Session(QObject):
    """The current document, its analysis, the cursor and the undo history."""

    #: emitted once per change, after the one recompute; True when spec or T changed
    documentChanged = Signal(bool)
    #: the number of computed steps shown, 0..T
    stepChanged = Signal(int)
    #: a message for the person at the keyboard (a refused edit, an overflow)
    messageRaised = Signal(str)
    #: the cursor moved (phase, forward step or backward position); also after stepChanged
    cursorChanged = Signal(object)
    #: View ▸ Show the whole trace: future steps drawn (faintly) instead of absent
    revealAllChanged = Signal(bool)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("session")
        self._document = document
        #: the document as opened (New, Open, an example): what "Reset" can go back to
        self.origin = document
        self._analysis = Analysis(document)
        self._step = _initial_step(document)
        self._phase: Phase = "forward"
        self._passed = 0
        self._reveal_all = False
        #: what the last edit changed (the first: everything, from nothing)
        self.change = Change.between(None, self._analysis.trace, structural=True)
        #: how many times the trace was computed (tests count recomputes with it)
        self.recompute_count = 1
        #: how many times a backward pass was computed
        self.backward_count = 0
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
    def analysis(self) -> Analysis:
        return self._analysis

    @property
    def trace(self) -> Trace:
        return self._analysis.trace

    @property
    def backward(self):
        """The current document's backward pass (computed on first use, then kept)."""
        analysis = self._analysis
        if not analysis.backward_computed:
            self.backward_count += 1
        return analysis.backward

    @property
    def step(self) -> int:
        """The forward step (0..T); in the backward phase, the one to return to."""
        return self._step

    @property
    def cursor(self) -> Cursor:
        return Cursor(self._phase, self._step, self._passed)

    @property
    def reveal_all(self) -> bool:
        return self._reveal_all

    def change_for(self, old: Trace | None, new: Trace) -> Change:
        """The Change from ``old`` to ``new``: the session's own when it is that one (the
        usual case, computed once per edit), else computed (a view that skipped one)."""
        change = self.change
        if change.new is new and change.old is old:
            return change
        return Change.between(old, new, structural=old is None or old.spec != new.spec)

    # -- changing ------------------------------------------------------------------------
    def apply(
        self,
        document: Document,
        text: str,
        merge_key: str | None = None,
        before: Document | None = None,
    ) -> bool:
        """Make ``document`` current as one undoable edit. False when nothing changed.

        ``before``: what Undo goes back to, when it is not the document shown (the start of
        a training run, shown as previews since): the views update once, to ``document``.
        """
        current = self._document
        base = current if before is None else before
        if document is base or (document.equals(base) and document.view == base.view):
            if base is not current:
                self._set_document(base)
            return False
        stack = self.undo_stack
        top = self._top
        if (
            merge_key is not None
            and before is None
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
        command = DocumentCommand(self, base, document, text, merge_key or "")
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

        The caller ends a preview with ``apply(after, text, before=before)``,
        so the whole run is one undo step from the document before it.
        """
        if document is not self._document:
            self._set_document(document)

    def reset(self, document: Document) -> None:
        """Start over on ``document`` (New, Open): clears the undo history, marks it clean."""
        self.undo_stack.clear()
        self._top = None
        self.origin = document
        self._phase = "forward"
        self._passed = 0
        self._set_document(document, step=_initial_step(document))
        self.undo_stack.setClean()

    def set_step(self, t: int, animate: bool = False) -> None:
        """Show steps 1..t. Never recomputes: the trace already holds every step."""
        t = max(0, min(int(t), self.trace.T))
        if t == self._step:
            return
        self.step_animated = animate
        self._step = t
        self.stepChanged.emit(t)
        if self._phase == "forward":
            self.cursorChanged.emit(self.cursor)

    def set_phase(self, phase: Phase) -> None:
        """Forward or backward. Entering the backward pass starts it at the end (k = 0);
        leaving it returns to the forward step where the learner was."""
        if phase not in ("forward", "backward"):
            raise ValueError(f"unknown phase {phase!r}")
        if phase == self._phase:
            return
        self._phase = phase
        self._passed = 0
        self.step_animated = False
        self.cursorChanged.emit(self.cursor)

    def set_passed(self, k: int, animate: bool = False) -> None:
        """Backward: the error signal has passed steps T..T−k+1 (k = 0..T)."""
        k = max(0, min(int(k), self.trace.T))
        if self._phase != "backward" or k == self._passed:
            return
        self.step_animated = animate
        self._passed = k
        self.cursorChanged.emit(self.cursor)

    def set_reveal_all(self, on: bool) -> None:
        """View ▸ Show the whole trace (for teachers): future steps visible, marked."""
        on = bool(on)
        if on != self._reveal_all:
            self._reveal_all = on
            self.revealAllChanged.emit(on)

    # -- internal --------------------------------------------------------------------------
    def _set_document(self, document: Document, step: int | None = None) -> None:
        old = self._document
        structural = not old.same_shape(document)
        self._document = document
        old_trace = self._analysis.trace
        self._analysis = Analysis(document, previous=self._analysis)
        trace = self._analysis.trace
        self.change = Change.between(old_trace, trace, structural)
        self.recompute_count += 1
        old_cursor = self.cursor
        old_step = self._step
        if step is None:
            # Stay at the end when the end moves (rows added); clamp when T shrinks.
            step = document.T if old_step == old.T else old_step
        self._step = max(0, min(step, document.T))
        self._passed = max(0, min(self._passed, document.T))
        self.step_animated = False
        self.documentChanged.emit(structural)
        if self._step != old_step:
            self.stepChanged.emit(self._step)
        if self.cursor != old_cursor:
            self.cursorChanged.emit(self.cursor)
        if not trace.finite:
            self.messageRaised.emit(overflow_message(trace))


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
