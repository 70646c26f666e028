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
    alive = sum(isinstance(o, DocumentCommand) and o._session is session for o in gc.get_objects())
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
