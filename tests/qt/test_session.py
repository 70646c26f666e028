"""The session: one recompute per change, undo/redo of whole documents, messages not exceptions."""

from __future__ import annotations

import numpy as np

from rnn_studio.examples import lecture
from rnn_studio.qt.session import Session


def _session(qtbot) -> Session:
    session = Session(lecture())
    return session


def test_an_edit_recomputes_once_and_emits_once(qtbot):
    session = _session(qtbot)
    seen: list[bool] = []
    session.documentChanged.connect(seen.append)
    before = session.recompute_count
    assert session.edit(lambda d: d.with_cell_value(0, 0, 0.2), "edit")
    assert session.recompute_count == before + 1
    assert seen == [False]
    assert session.trace.states[1, 0] == np.tanh(0.7 * 0.2 + 0.3 * 0.4 + 0.4)


def test_an_unchanged_edit_is_no_edit(qtbot):
    session = _session(qtbot)
    before = session.recompute_count
    assert session.edit(lambda d: d.with_cell_value(0, 0, 0.1), "same value")
    assert not session.apply(lecture(), "an equal document")
    assert session.recompute_count == before
    assert session.undo_stack.count() == 0


def test_a_refused_edit_is_a_message_and_changes_nothing(qtbot):
    session = _session(qtbot)
    doc = session.document
    with qtbot.waitSignal(session.messageRaised) as blocker:
        assert not session.edit(lambda d: d.with_cell_value(1, 1, "abc"), "bad")
    assert "row 2" in blocker.args[0] and "x2" in blocker.args[0]
    assert "not a number" in blocker.args[0]
    assert session.document is doc


def test_undo_and_redo_restore_whole_documents(qtbot):
    session = _session(qtbot)
    original = session.document
    session.edit(lambda d: d.with_param("W", (0, 0), 0.5), "weight")
    changed = session.document
    session.undo_stack.undo()
    assert session.document is original
    assert session.trace.states[1, 0] == original.trace().states[1, 0]
    session.undo_stack.redo()
    assert session.document is changed


def test_step_is_clamped_when_rows_go_and_follows_the_end(qtbot):
    session = _session(qtbot)
    assert session.step == 0  # opens on s0 alone: "Next" computes s1
    session.set_step(2)
    session.edit(lambda d: d.with_rows_inserted(2, 3), "rows")
    assert session.step == 5
    session.set_step(4)
    steps: list[int] = []
    session.stepChanged.connect(steps.append)
    session.edit(lambda d: d.with_rows_removed([0, 1, 2]), "rows")
    assert session.step == 2 and steps == [2]
    session.set_step(99)
    assert session.step == 2
    session.set_step(-3)
    assert session.step == 0


def test_stepping_never_recomputes(qtbot):
    session = _session(qtbot)
    before = session.recompute_count
    for t in (0, 1, 2, 1, 0):
        session.set_step(t)
    assert session.recompute_count == before


def test_an_overflow_is_a_message_naming_the_step(qtbot):
    session = _session(qtbot)
    session.edit(lambda d: d.with_activation("identity"), "linear")
    session.edit(lambda d: d.with_rows_inserted(2, 200), "rows")
    with qtbot.waitSignal(session.messageRaised) as blocker:
        session.edit(lambda d: d.with_param("W", (0, 2), 100.0), "huge")
    assert "overflowed at step" in blocker.args[0]
    assert not session.trace.finite


def test_spin_box_edits_of_one_weight_merge_into_one_undo_step(qtbot):
    session = _session(qtbot)
    for v in (0.1, 0.2, 0.3):
        session.edit(lambda d, v=v: d.with_param("W", (0, 0), v), "W", merge_key="W:0:0")
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert session.document.params["W"][0, 0] == 0.7


def test_merged_and_dropped_commands_do_not_pile_up(qtbot):
    import gc

    from rnn_studio.qt.session import UNDO_LIMIT, DocumentCommand

    session = _session(qtbot)
    for i in range(300):  # one spin box turned 300 times: one command
        session.edit(
            lambda d, i=i: d.with_param("W", (0, 0), i / 1000 + 0.001), "W", merge_key="param:W:0:0"
        )
    for i in range(UNDO_LIMIT + 50):  # table edits beyond the undo limit
        session.edit(lambda d, i=i: d.with_cell_value(0, 0, i / 1000 + 0.5), "cell")
    gc.collect()
    alive = sum(type(o) is DocumentCommand and o._session is session for o in gc.get_objects())
    assert session.undo_stack.count() == UNDO_LIMIT
    assert alive <= UNDO_LIMIT + 1
    session.undo_stack.undo()
    assert session.document.inputs[0, 0] == (UNDO_LIMIT + 48) / 1000 + 0.5


def test_a_merge_never_crosses_a_save(qtbot):
    session = _session(qtbot)
    session.edit(lambda d: d.with_param("W", (0, 0), 0.1), "W", merge_key="k")
    session.undo_stack.setClean()
    session.edit(lambda d: d.with_param("W", (0, 0), 0.2), "W", merge_key="k")
    assert not session.undo_stack.isClean()
    session.undo_stack.undo()
    assert session.undo_stack.isClean() and session.document.params["W"][0, 0] == 0.1


# -- the spine: one Analysis, one Cursor, one Change ------------------------------------


def test_the_backward_pass_is_computed_only_when_asked_and_once(qtbot):
    session = _session(qtbot)
    session.edit(lambda d: d.with_cell_value(0, 0, 0.2), "edit")
    assert session.backward_count == 0  # nothing asked for it yet
    first = session.backward
    assert session.backward is first and session.backward_count == 1
    assert first.trace is session.trace
    session.edit(lambda d: d.with_param("W", (0, 0), 0.5), "weight")
    assert session.backward_count == 1  # still lazy after an edit
    assert session.backward.trace is session.trace and session.backward_count == 2


def test_the_cursor_has_a_phase_and_returns_where_it_was(qtbot):
    session = _session(qtbot)
    cursors: list = []
    session.cursorChanged.connect(cursors.append)
    session.set_step(1)
    assert session.cursor.phase == "forward" and session.cursor.position() == 1
    session.set_phase("backward")
    assert session.cursor.backward and session.cursor.passed == 0
    assert session.cursor.forward_shown(session.trace.T) == 2  # the forward pass is complete
    session.set_passed(1)
    assert session.cursor.backward_step(session.trace.T) == 2  # step T's lines: k = 1
    session.set_passed(7)
    assert session.cursor.passed == 2 and session.cursor.backward_step(2) == 1
    session.set_step(0)  # the forward step can move underneath; the cursor stays backward
    session.set_phase("forward")
    assert session.cursor.phase == "forward" and session.step == 0
    assert [c.phase for c in cursors] == ["forward", "backward", "backward", "backward", "forward"]


def test_one_change_per_edit_says_which_steps_it_touched(qtbot):
    session = _session(qtbot)
    session.edit(lambda d: d.with_cell_value(1, 0, 0.3), "row 2")
    change = session.change
    assert change.new is session.trace and change.steps == (2, 2) and not change.structural
    assert session.change_for(change.old, change.new) is change
    session.edit(lambda d: d.with_param("W", (0, 0), 0.5), "weight")
    assert session.change.first == 0
    session.edit(lambda d: d.with_hidden_size(2), "h")
    assert session.change.structural and session.change.steps == (0, 2)


def test_opening_a_document_goes_back_to_the_forward_pass(qtbot):
    session = _session(qtbot)
    session.set_phase("backward")
    session.set_passed(2)
    session.reset(lecture())
    assert session.cursor == session.cursor.__class__("forward", 0, 0)


def test_a_preview_ends_in_one_undo_step_from_where_it_began_and_one_recompute(qtbot):
    session = _session(qtbot)
    start = session.document
    for w in (0.5, 0.6, 0.65):  # a training run's previews: no undo steps
        session.preview(start.with_param("W", (0, 0), w))
    assert session.undo_stack.count() == 0
    count = session.recompute_count
    final = start.with_param("W", (0, 0), 0.66)
    assert session.apply(final, "Train 3 epochs", before=start)
    assert session.recompute_count == count + 1  # straight to the result, not via the start
    assert session.undo_stack.count() == 1 and session.document is final
    session.undo_stack.undo()
    assert session.document is start
    session.undo_stack.redo()
    assert session.document is final


def test_a_preview_that_ends_where_it_began_goes_back_with_no_undo_step(qtbot):
    session = _session(qtbot)
    start = session.document
    session.preview(start.with_param("W", (0, 0), 0.5))
    assert not session.apply(start.with_param("W", (0, 0), 0.7), "Train", before=start)
    assert session.document is start and session.undo_stack.count() == 0


def test_a_session_with_undo_steps_dropped_and_collected_does_not_crash(qtbot):
    """The undo commands refer to their session weakly: as a reference cycle, Python's
    collector freed it while C++ deleted the stack's commands (a segfault later on)."""
    import gc
    import weakref

    for _ in range(3):
        session = Session(lecture())
        session.edit(lambda d: d.with_cell_value(1, 0, 0.3), "row 2")
        session.edit(lambda d: d.with_hidden_size(2), "h")
        session.undo_stack.undo()
        gone = weakref.ref(session)
        del session
        assert gone() is None  # freed at once: no cycle left to the collector
        gc.collect()
