"""Issue 11 item 13: View ▸ Presentation (Ctrl+Shift+P) makes the fonts of every region
bigger, and turning it off puts them back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontInfo, QKeySequence
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QLabel, QTableView, QTextBrowser

from rnn_studio.qt.style import PRESENTATION_SCALE, font_scale


def _toggle(action) -> None:
    """Trigger the menu entry and let the event loop deliver the font changes."""
    action.trigger()
    QApplication.processEvents()


def _sizes(window) -> dict[str, float]:
    table = window.findChild(QTableView, "dataTable")
    model = table.model()
    cell_font = model.data(model.index(0, 0), Qt.ItemDataRole.FontRole)
    title = next(lab for lab in window.params.findChildren(QLabel) if lab.text() == "x1")
    return {
        "application (menus, docks, status bar)": QApplication.font().pointSizeF(),
        "table numbers": cell_font.pointSizeF(),
        "table row height": float(table.verticalHeader().defaultSectionSize()),
        "weight box": window.findChild(QDoubleSpinBox, "param:W:0:0").font().pointSizeF(),
        "weight header": title.font().pointSizeF(),
        "arithmetic": window.findChild(QTextBrowser, "arithmeticView").font().pointSizeF(),
        "plot axis": window.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF(),
        "diagram zoom": window.diagram.transform().m11(),
    }


def _value_px(window) -> float:
    """How high the diagram's node values are on screen (their font's em × the zoom)."""
    item = window.diagram.item()
    return QFontInfo(item.value_font).pixelSize() * window.diagram.transform().m11()


def test_presentation_mode_enlarges_every_region_and_goes_back(qtbot, window):
    action = window.findChild(QAction, "actionPresentation")
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions()
    _toggle(action)  # a first toggle gives the plot its own tick font to compare
    _toggle(action)
    before = _sizes(window)
    try:
        _toggle(action)
        assert action.isChecked() and font_scale() == PRESENTATION_SCALE
        after = _sizes(window)
        for region, size in before.items():
            if region != "diagram zoom":  # (below)
                assert after[region] > size * 1.2, region
        # the diagram grows too, but keeps its whole height in view (issue 11 item 7):
        # here the lecture, already at 125 %, grows until it fills the view
        assert after["diagram zoom"] > before["diagram zoom"]
        assert _value_px(window) >= 9 * PRESENTATION_SCALE
        assert after["weight box"] == pytest.approx(before["weight box"] * PRESENTATION_SCALE)
    finally:
        if action.isChecked():
            _toggle(action)
    assert font_scale() == 1.0
    back = _sizes(window)
    for region, size in before.items():
        if region != "diagram zoom":  # back to the readable zoom a file opens at
            assert back[region] == pytest.approx(size), region
