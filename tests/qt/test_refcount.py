"""Guard against PySide6 6.12.0's lost reference to None ("Fatal Python error: none_dealloc").

That release drops a reference to None on every call of a method returning nothing
(setValue, setText, setPos); a few thousand calls later the process aborts. 6.11.3 is
clean. The count of None must not drift by more than a few hundred over thousands of
such calls on the window's own widgets.

The second test goes through the whole window: every spin box change is a real edit
(recompute, undo command, redraw of the diagram, plot and arithmetic).
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QDoubleSpinBox, QSlider

from rnn_studio.app import MainWindow


def test_none_refcount_does_not_drift_over_thousands_of_calls(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    spins = [window.findChild(QDoubleSpinBox, f"param:W:0:{j}") for j in range(3)]
    label = window.loss_label
    for i in range(100):  # warm up caches first
        spins[0].setValue(i / 1000)
        label.setText(str(i))
    gc.collect()  # garbage of earlier tests, collected mid-loop, would free Nones too
    before = sys.getrefcount(None)
    for i in range(1700):
        spin = spins[i % 3]
        with QSignalBlocker(spin):
            spin.setValue(((i % 100) - 50) / 100)
        label.setText(f"loss {i}")
        window.length_label.setText(f"T = {i}")
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 300, f"None's refcount drifted by {drift} over 5100 calls"
    window.close()


def test_none_refcount_does_not_drift_through_real_edits_and_steps(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    spin = window.findChild(QDoubleSpinBox, "param:W:0:0")
    slider = window.findChild(QSlider, "stepSlider")
    for i in range(50):
        spin.setValue(i / 100)
        slider.setValue(i % 3)
    gc.collect()  # garbage of earlier tests, collected mid-loop, would free Nones too
    before = sys.getrefcount(None)
    for i in range(1500):
        spin.setValue(((i % 100) - 50) / 100)
        slider.setValue(i % 3)
        window.length_label.setText(f"T = {i}")
    drift = sys.getrefcount(None) - before
    assert abs(drift) < 300, f"None's refcount drifted by {drift} over 4500 calls"
    window.close()
