"""Issue 11 item 9: F1's page says only what the window does today, cites no file a user
does not have, and its math renders as subscripts (no raw s_{t-1})."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QTextBrowser

from rnn_studio.paths import docs_dir

PAGE = docs_dir() / "math.md"


def test_the_page_cites_no_file_a_user_does_not_have() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert not re.search(r"\b[\w/]+\.(py|md)\b", text)  # tools/…py, spec/model.md
    assert "spec/" not in text and "tests" not in text


def test_what_the_page_says_the_window_does_it_does(window) -> None:
    """Every feature the page names is there: keep each sentence true as features land."""
    from PySide6.QtGui import QAction

    from rnn_studio.examples import EXAMPLES

    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert "does not show the backward pass yet" not in text
    backward = window.findChild(QAction, "actionBackward")
    assert "Ctrl+B" in text and backward.shortcut().toString() == "Ctrl+B"
    assert "Check gradients" in text and window.findChild(QAction, "actionGradCheck")
    assert "Gradients tab" in text and window.findChild(object, "gradientPlot") is not None
    assert "*vanishing*" in text and "vanishing" in EXAMPLES
    assert "rnn-studio trace FILE --grad" in text


def test_f1_renders_the_math_with_subscripts(qtbot, window) -> None:
    dialog = window.open_math()
    assert dialog is not None
    qtbot.addWidget(dialog)
    browser = dialog.findChild(QTextBrowser, "mathBrowser")
    shown = browser.toPlainText()
    assert "_{" not in shown and "s_t" not in shown
    assert "zₜ = W·[xₜ, sₜ₋₁] + b" in shown
    assert "tanh(0.59) = 0.5299" in shown
    dialog.close()
