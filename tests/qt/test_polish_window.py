"""The review's polish findings, driven as a user drives the window (keys, clicks, menus)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QSpinBox

from rnn_studio.app import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(window, qtbot):
    """The shared window, made active: these tests type keys into it."""
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def _click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    QApplication.processEvents()


# -- 1. Ctrl+Z in a spin box undoes the document ---------------------------------------------
def test_ctrl_z_in_a_weight_box_undoes_the_document(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:W:0:1")
    _click(qtbot, spin)
    assert spin.hasFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.3)
    assert float(spin.text()) == pytest.approx(0.3)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(spin, Qt.Key.Key_Y, CTRL)
    assert window.session.document.params["W"][0, 1] == pytest.approx(0.4)


def test_a_typed_value_is_committed_before_ctrl_z_takes_it_back(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "param:b:0")
    _click(qtbot, spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "0.9")  # typed, not yet entered
    assert window.session.document.params["b"][0] == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.params["b"][0] == pytest.approx(0.4)
    assert float(spin.text()) == pytest.approx(0.4)
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL | SHIFT)  # the typed value comes back
    assert window.session.document.params["b"][0] == pytest.approx(0.9)
    assert float(spin.text()) == pytest.approx(0.9)


def test_ctrl_z_in_the_hidden_size_box_undoes_the_document(qtbot, window):
    spin = window.findChild(QSpinBox, "hiddenSizeSpin")
    _click(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert window.session.document.hidden_size == 2
    qtbot.keyClick(spin, Qt.Key.Key_Z, CTRL)
    assert window.session.document.hidden_size == 1
    assert spin.value() == 1
    qtbot.keyClick(spin, Qt.Key.Key_Y, CTRL)
    assert window.session.document.hidden_size == 2


# -- 2. the player keys after a click in the arithmetic --------------------------------------
def test_player_keys_work_after_clicking_the_arithmetic(qtbot, window):
    view = window.arithmetic
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert view.hasFocus()
    T = window.session.trace.T
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert window.session.step == T
    assert window.player.step_slider.value() == T
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert window.session.step == T - 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert window.session.step == 0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.session.step == 1
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Space)  # plays step 1 at once, then waits
    assert window.player.playing
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not window.player.playing


def test_the_table_keeps_its_keys_and_says_where_the_player_keys_work(qtbot, window):
    table = window.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == 1
    assert window.session.step == 0  # the table's own key, not the player's
    assert "player keys" in table.toolTip() and "outside" in table.toolTip()
    window.show_message("a warning")  # hovering the table keeps it
    qtbot.mouseMove(table.viewport(), QPoint(30, 30))
    qtbot.mouseMove(table.viewport(), QPoint(40, 35))
    assert "a warning" in window.statusBar().currentMessage()


# -- 3. Randomize draws new weights on every click ------------------------------------------
def test_each_randomize_click_draws_new_weights_and_shows_the_seed(qtbot, window):
    import numpy as np
    from PySide6.QtWidgets import QPushButton

    from rnn_studio.document import initial_params

    button = window.findChild(QPushButton, "randomizeButton")
    seed_spin = window.findChild(QSpinBox, "seedSpin")
    lecture_w = np.array(window.session.document.params["W"])
    assert seed_spin.text() == "no seed"  # the lecture's values come from no seed
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # seed 0 first
    first = np.array(window.session.document.params["W"])
    start = seed_spin.value()
    assert start == 0
    assert not np.array_equal(first, lecture_w)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # then the next seed, each click
    second = np.array(window.session.document.params["W"])
    assert seed_spin.value() == start + 1
    assert not np.array_equal(first, second)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seed_spin.value() == start + 2
    assert not np.array_equal(window.session.document.params["W"], second)
    spec = window.session.document.spec
    expected = initial_params(spec, seed_spin.value())["W"]
    shown = window.session.document.params["W"]
    np.testing.assert_array_equal(shown, expected)  # seed shown = weights shown
    assert "each click" in button.toolTip().lower()


# -- 4. a stale warning goes at the next valid edit -----------------------------------------
def _type_in(qtbot, table, row: int, col: int, text: str) -> None:
    table.setCurrentIndex(table.model().index(row, col))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def test_a_warning_goes_away_at_the_next_valid_edit(qtbot, window):
    bar = window.statusBar()
    _type_in(qtbot, window.table, 0, 0, "1e400")
    assert "1e400" in bar.currentMessage()
    _type_in(qtbot, window.table, 1, 0, "1,5")  # a new value
    assert bar.currentMessage() == ""
    assert window.session.document.inputs[1, 0] == 1.5
    _type_in(qtbot, window.table, 0, 0, "abc")
    assert "'abc'" in bar.currentMessage()
    _type_in(qtbot, window.table, 1, 0, "1,5")  # valid, but the value it already has
    assert bar.currentMessage() == ""
    # no status bar timeout runs (the edit's autosave delay is the only timer)
    running = [t for t in window.findChildren(QTimer) if t.isActive()]
    assert [t.objectName() for t in running] == ["autosaveTimer"]


# -- 5. file names: Export CSV adds .csv; Save after Import CSV suggests a name -------------
def test_export_csv_adds_the_extension(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "exp"), ""))
    window.action_export.trigger()
    assert (tmp_path / "exp.csv").is_file()
    assert not (tmp_path / "exp").exists()
    assert (tmp_path / "exp.csv").read_text().splitlines()[0].split(",")[:2] == ["x1", "x2"]


def test_save_after_import_csv_suggests_a_project_beside_the_csv(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "data"
    folder.mkdir()
    csv_path = folder / "waves.csv"
    csv_path.write_text("a,b,y\n1,2,0.5\n3,4,0.25\n", encoding="utf-8")
    assert window.open_path(csv_path)
    asked = {}

    def fake_save(_parent, _title, start, _filter):
        asked["start"] = start
        return (start, "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    window.action_save.trigger()
    assert asked["start"] == str(folder.resolve() / "waves.rnn.json")
    assert (folder / "waves.rnn.json").is_file()
    assert window.path == folder.resolve() / "waves.rnn.json"


# -- 6. Help ▸ The math shows the page in the app -------------------------------------------
def test_f1_shows_the_math_page_in_a_non_modal_window(qtbot, window):
    from PySide6.QtWidgets import QDialog, QTextBrowser

    qtbot.keyClick(window.diagram, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "mathDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.isModal()
    text = dialog.findChild(QTextBrowser, "mathBrowser").toPlainText()
    assert "The basic RNN" in text
    assert "## " not in text  # rendered as Markdown, not shown raw
    window.player.last()  # the window stays usable beside it
    assert window.session.step == window.session.trace.T
    dialog.close()


def test_without_the_math_page_a_message_says_so(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import rnn_studio.qt.window.dialogs as mw

    monkeypatch.setattr(mw, "MATH_DOC", tmp_path / "missing" / "math.md")
    window.findChild(QAction, "actionMath").trigger()
    box = window.findChild(QMessageBox, "mathMissingBox")
    assert box is not None and box.isVisible()
    assert "not installed" in box.text()
    box.close()


# -- 7. pasting a block copied with its header row ------------------------------------------
def _paste_at(qtbot, window, text: str, row: int = 0, col: int = 0) -> None:
    QGuiApplication.clipboard().setText(text)
    table = window.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, col))
    qtbot.keyClick(table, Qt.Key.Key_V, CTRL)


def test_a_pasted_header_row_is_skipped_and_said(qtbot, window):
    before = window.session.document
    _paste_at(qtbot, window, "a\tb\ty\n1\t2\t0.5\n3\t4\t0.25\n5\t6\t\n")
    doc = window.session.document
    assert doc.T == 3
    assert doc.inputs.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert doc.targets[:2, 0].tolist() == [0.5, 0.25]
    message = window.statusBar().currentMessage()
    assert "first row (a, b, y)" in message and "header" in message
    window.action_undo.trigger()  # one edit
    assert window.session.document.equals(before)


def test_a_bad_cell_below_the_first_row_is_still_refused(qtbot, window):
    before = window.session.document
    _paste_at(qtbot, window, "a\tb\n1\t2\nx\t4\n")
    assert window.session.document is before
    assert "'x' is not a number" in window.statusBar().currentMessage()
    _paste_at(qtbot, window, "1\tb\n1\t2\n")  # a first row with a number is no header
    assert window.session.document is before
    assert "'b' is not a number" in window.statusBar().currentMessage()


# -- 8. the cell menu names the column(s) it removes ----------------------------------------
def _select_cells(qtbot, table, cells: list[tuple[int, int]]) -> None:
    """Click the first cell, Ctrl+click the others (as a user selects)."""
    for n, (row, col) in enumerate(cells):
        rect = table.visualRect(table.model().index(row, col))
        modifier = CTRL if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_the_cell_menu_names_and_removes_the_selected_columns(qtbot, window):
    table = window.table
    table.action_add_input.trigger()  # x1, x2, x3, y
    assert window.session.document.column_names == ("x1", "x2", "x3", "y")
    _select_cells(qtbot, table, [(0, 1)])
    assert table.action_remove_column.text() == "Remove column x2"
    assert table.action_remove_column in table.actions()  # the cell's context menu
    _select_cells(qtbot, table, [(0, 0), (1, 2)])
    assert table.action_remove_column.text() == "Remove columns x1, x3"
    table.action_remove_column.trigger()
    assert window.session.document.column_names == ("x2", "y")
    _select_cells(qtbot, table, [(0, 0)])
    assert table.action_remove_column.text() == "Remove column x2"
    before = window.session.document
    table.action_remove_column.trigger()  # the last input: refused, with the message
    assert window.session.document is before
    assert "at least one input" in window.statusBar().currentMessage()


# -- 9. a fast speed without animation -------------------------------------------------------
def test_the_top_speed_plays_200_steps_without_animation(qtbot):
    from PySide6.QtWidgets import QSlider

    from rnn_studio.examples import sine

    doc = sine()
    doc = doc.with_rows_inserted(doc.T, 200 - doc.T)
    w = MainWindow(doc)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    speed = w.findChild(QSlider, "speedSlider")
    speed.setFocus()
    qtbot.keyClick(speed, Qt.Key.Key_End)  # the slider's right end
    assert speed.value() == speed.maximum()
    tip = speed.toolTip()
    assert "steps/s" in tip and "no animation" in tip and "0.61 steps/s" in tip
    animated = []
    w.session.stepChanged.connect(lambda _t: animated.append(w.diagram.is_animating()))
    recomputes = w.session.recompute_count
    w.findChild(QAction, "actionPlay").trigger()
    # 30 ms a step: ~6 s when idle (the timeout only bounds a loaded machine's run)
    qtbot.waitUntil(lambda: w.session.step == 200, timeout=120_000)
    assert not w.player.playing
    assert len(animated) == 200 and not any(animated)
    assert w.session.recompute_count == recomputes  # playing never recomputes the trace
    w.close()


# -- 10. dark theme contrast -------------------------------------------------------------------
def _lightness_range(widget, rect=None) -> tuple[int, int]:
    """The darkest and lightest pixel of a grab (lightness 0..255)."""
    image = (widget.grab(rect) if rect is not None else widget.grab()).toImage()
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(image.height())
        for x in range(image.width())
    ]
    return min(values), max(values)


def test_dark_theme_check_boxes_slider_and_dock_buttons_stand_out(qtbot, window):
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton

    from rnn_studio.qt.style import apply_theme, is_dark
    from rnn_studio.qt.window.dialogs import TargetDialog

    window.action_dark.setChecked(True)
    try:
        assert is_dark()
        dialog = TargetDialog(["a", "b", "y"], window)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        view = dialog.list
        row = view.visualItemRect(view.item(0))  # "a": unticked
        box = QRect(row.left(), row.top(), row.height() + 4, row.height())
        darkest, lightest = _lightness_range(view.viewport(), box)
        assert lightest - darkest > 60, "an unticked box must show on the dark list"
        dialog.close()

        slider = window.player.step_slider
        darkest, lightest = _lightness_range(slider)
        assert lightest - darkest > 80, "the step slider's groove and handle must show"

        for name in ("qt_dockwidget_closebutton", "qt_dockwidget_floatbutton"):
            button = window.data_dock.findChild(QAbstractButton, name)
            darkest, lightest = _lightness_range(button)
            assert lightest > 170 and lightest - darkest > 100, name
    finally:
        window.action_dark.setChecked(False)
        apply_theme(False)
    assert not is_dark()


# -- 11. keyboard shortcuts: zoom, insert and delete timesteps -----------------------------
def test_ctrl_plus_and_minus_zoom_the_diagram(qtbot, window):
    diagram = window.diagram
    diagram.setFocus()
    before = diagram.transform().m11()
    qtbot.keyClick(diagram, Qt.Key.Key_Plus, CTRL)
    zoomed_in = diagram.transform().m11()
    assert zoomed_in > before * 1.1
    qtbot.keyClick(diagram, Qt.Key.Key_Equal, CTRL)  # Ctrl+= (the + key unshifted)
    assert diagram.transform().m11() > zoomed_in * 1.1
    qtbot.keyClick(diagram, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(diagram, Qt.Key.Key_Minus, CTRL)
    assert diagram.transform().m11() == pytest.approx(before, rel=0.05)
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    for name in ("actionZoomIn", "actionZoomOut", "actionFit"):
        action = window.findChild(QAction, name)
        assert action in view_menu.actions() and not action.shortcut().isEmpty()


def test_insert_and_ctrl_delete_add_and_remove_timesteps_in_the_table(qtbot, window):
    table = window.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    assert window.session.document.T == 2
    qtbot.keyClick(table, Qt.Key.Key_Insert)  # a row below the first
    doc = window.session.document
    assert doc.T == 3 and doc.inputs[1].tolist() == [0.0, 0.0]
    qtbot.keyClick(table, Qt.Key.Key_I, CTRL)
    assert window.session.document.T == 4
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Delete, CTRL)
    assert window.session.document.T == 3
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    for action in (table.action_insert_below, table.action_delete_rows):
        assert action in edit_menu.actions() and not action.shortcut().isEmpty()
    assert "Ctrl+I" in table.action_insert_below.toolTip()


def test_insert_while_editing_a_cell_keeps_what_was_typed(qtbot, window):
    table = window.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "2.5")
    qtbot.keyClick(editor, Qt.Key.Key_Insert)
    doc = window.session.document
    assert doc.T == 3
    assert doc.inputs[0, 0] == 2.5 and doc.inputs[1].tolist() == [0.0, 0.0]
