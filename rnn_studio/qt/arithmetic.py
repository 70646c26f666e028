"""The arithmetic panel: the current step written out with its numbers, as the lecture does.

The lines come from ``rnn_studio.explain.explain_step`` (the same renderer the command
line uses). The previous steps are listed above the current one, dimmed, so the whole
worked example reads like the lecture's pages; only a window of the last steps is
rendered, so a 2,000-step sequence stays as fast as a 2-step one.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from ..core import Trace
from ..document import Document
from ..explain import explain_step
from ..explain_backward import explain_backward_step
from .analysis import Change
from .arithmetic_backward import backward_paragraphs
from .arithmetic_text import _mix, _QuietScrollBar

#: at most this many steps before the current one are written out …
HISTORY = 12
#: … and about this many lines in all, so a step of a big model stays fast to render
MAX_LINES = 40
MIN_LINES = 12
#: an equation too long for the panel wraps with a hanging indent, so each one stands out
INDENT = "margin:0 0 0 30px; text-indent:-18px; white-space:pre-wrap"


class ArithmeticView(QTextBrowser):
    """Read-only rich text: "Step t" blocks, the current one emphasised and in view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arithmeticView")
        self.setAccessibleName("Arithmetic of the current step")
        self.setToolTip("The current step's computation with its numbers; earlier steps above")
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        # a scroll bar that comes and goes with the text's length would re-wrap it twice
        self.setVerticalScrollBar(_QuietScrollBar(self))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self._trace: Trace | None = None
        self._target_names: tuple[str, ...] = ()
        self._step = 0
        self._blocks: dict[tuple[int, bool], list[str]] = {}  # its paragraphs
        #: explain_step's lines per step: a step's block is written twice (current, then
        #: as the step before the current one) from the same lines
        self._lines: dict[int, list[str]] = {}
        self._rendered_key: tuple | None = None
        self._rendered_first = 0
        self._html: str | None = None  # what setHtml was last given
        self._paras: list[str] = []  # its paragraphs, one text block each, as shown now
        self._session = None  # set by follow(): the Change of an edit comes from there
        #: the backward pass shown (None: the forward pass) and how many steps it passed
        self._backward = None
        self._passed = 0
        self._back_lines: dict[int, list[str]] = {}
        #: while a step animates: which of its lines have appeared (None: all of them)
        self._reveal: Callable[[str], bool] | None = None

    def follow(self, session) -> None:
        """Read each edit's Change from ``session`` instead of comparing traces."""
        self._session = session

    # -- the agreed view API ------------------------------------------------------------
    def show_document(self, doc: Document, trace: Trace) -> None:
        old = self._trace
        names = tuple(doc.target_names)
        if self._session is not None:
            change = self._session.change_for(old, trace)
        else:
            change = Change.between(old, trace, structural=old is None)
        first = change.first if names == self._target_names else 0
        self._trace = trace
        self._target_names = names
        self._step = min(self._step, trace.T)
        if first is None:
            return
        if first == 0:
            self._blocks.clear()
            self._lines.clear()
        else:  # the steps before the edited row read the same: keep their text
            self._blocks = {k: v for k, v in self._blocks.items() if k[0] < first}
            self._lines = {k: v for k, v in self._lines.items() if k < first}
        if self._backward is not None:  # the backward pass's owner shows the new one next
            self._rendered_key = None
            return
        unchanged = (
            first > 0
            and first > self._step
            and self._rendered_key is not None
            and old is not None
            and old.first_nonfinite_step == trace.first_nonfinite_step
        )
        if unchanged:  # an edit after the shown step: what is written out stays true
            self._rendered_key = (id(trace), self._step)
            return
        self._render()

    def set_step(self, t: int, animate: bool = False) -> None:  # noqa: ARG002 - same API as the others
        if self._trace is not None:
            t = max(0, min(int(t), self._trace.T))
        if t == self._step and self._rendered_key is not None:
            return
        self._step = t
        if self._backward is None:  # (backward: the forward step to return to)
            self._render()

    def set_reveal(self, reveal: Callable[[str], bool] | None) -> None:
        """Show only the lines of the current step for which ``reveal`` is true (a step
        animating: each line appears with its phase); None shows every line."""
        self._reveal = reveal
        self._rendered_key = None
        self._render()

    def show_backward(self, backward, passed: int = 0) -> None:
        """The backward pass's lines after ``passed`` steps; None: the forward pass again."""
        if backward is None and self._backward is None:
            return
        if backward is not self._backward:
            self._back_lines = {}
        self._backward, self._passed = backward, int(passed)
        self._rendered_key = None
        self._render()

    def step(self) -> int:
        return self._step

    # -- rendering ----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        taller_or_shorter = event.oldSize().height() != event.size().height()
        if (
            self._trace is not None
            and taller_or_shorter
            and self._first_step(self._step) != self._rendered_first
        ):
            self._render()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self._trace is not None:
            self._blocks.clear()
            self._rendered_key = None
            self._render()

    def _colors(self) -> dict[str, str]:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text)
        base = pal.color(QPalette.ColorRole.Base)
        accent = pal.color(QPalette.ColorRole.Highlight)
        dark = base.lightnessF() < 0.5
        warn = QColor("#ff9b4a") if dark else QColor("#b34700")
        return {
            "text": text.name(),
            "dim": _mix(text, base, 0.45).name(),
            "head": _mix(accent, text, 0.25 if dark else 0.1).name(),
            "band": _mix(base, accent, 0.14).name(),
            "rule": _mix(base, text, 0.18).name(),
            "warn": warn.name(),
        }

    def _lines_per_step(self, s: int) -> int:
        spec = self._trace.spec  # type: ignore[union-attr]
        if s == 0:
            return spec.h * (2 if spec.cell == "lstm" else 1)
        per_unit = {"rnn": 1, "lstm": 6, "gru": 4}[spec.cell]
        return spec.h * per_unit + 2 * spec.k

    def _line_budget(self) -> int:
        """About as many lines as the panel shows (wrapped ones count double), at most
        MAX_LINES: what is rendered is what can be seen, so a big model stays fast."""
        line = max(1.0, self.fontMetrics().lineSpacing())
        visible = int(self.viewport().height() / line)
        return max(MIN_LINES, min(MAX_LINES, visible + 4))

    def _first_step(self, t: int) -> int:
        """The earliest step written out: within HISTORY steps and the line budget."""
        budget = self._line_budget()
        total = self._lines_per_step(t)
        first = t
        while first > 0 and t - first < HISTORY:
            more = self._lines_per_step(first - 1) + 1
            if total + more > budget:
                break
            total += more
            first -= 1
        return first

    def _render(self) -> None:
        trace = self._trace
        if trace is None:
            self.clear()
            self._html = None
            self._paras = []
            return
        t = self._step
        first = self._first_step(t)
        self._rendered_first = first
        colors = self._colors()
        parts = []
        if self._backward is not None:
            key = ("b", id(self._backward), self._passed)
            self._render_parts(self._backward_parts(colors), key)
            return
        if first > 0:
            parts.append(
                f"<p style='color:{colors['dim']}; margin:0 0 4px 0'>"
                f"… steps 0–{first - 1} are above: move the slider back to read them</p>"
            )
        for s in range(first, t + 1):
            parts += self._block(s, current=(s == t), colors=colors)
        bad = trace.first_nonfinite_step
        if bad is not None and bad <= max(t, 1):
            parts.append(
                f"<p style='color:{colors['warn']}; margin-top:8px'>"
                f"<b>⚠ Overflow at step {bad}:</b> "
                "a value grew beyond what a float can hold, so it shows as ∞ or NaN (not a number) "
                "from there on. Smaller weights or inputs bring the numbers back.</p>"
            )
        self._render_parts(parts, (id(trace), t))

    def _backward_parts(self, colors: dict[str, str]) -> list[str]:
        return backward_paragraphs(
            self._backward,
            self._passed,
            self._target_names or None,
            colors,
            INDENT,
            self._line_budget(),
            self._backward_lines,
            self._reveal,
        )

    def _backward_lines(self, t: int) -> list[str]:
        """Step t's backward lines, written once per backward pass shown."""
        lines = self._back_lines.get(t)
        if lines is None:
            if len(self._back_lines) > 4 * HISTORY:
                self._back_lines.clear()
            lines = self._back_lines[t] = explain_backward_step(
                self._backward, t, self._target_names or None
            )
        return lines

    def _render_parts(self, parts: list[str], key: tuple) -> None:
        html = "".join(parts)
        bar = self.verticalScrollBar()
        self._rendered_key = key
        if html == self._html:  # an edit whose effect has faded below the digits shown
            bar.setValue(bar.maximum())
            return
        self._html = html
        old, self._paras = self._paras, parts
        # One repaint of the text for the new text and its scroll position, not one for
        # each; the frame and the scroll bar are repainted only if they change (the
        # scroll bar, which setHtml sends to 0 and back, only if it ends up elsewhere).
        port = self.viewport()
        port.setUpdatesEnabled(False)
        if isinstance(bar, _QuietScrollBar):
            bar.hold()
        try:
            if not self._retext(old, parts):
                self.setHtml(html)
            bar.setValue(bar.maximum())
        finally:
            if isinstance(bar, _QuietScrollBar):
                bar.release()
            port.setUpdatesEnabled(True)

    def _retext(self, old: list[str], new: list[str]) -> bool:
        """Only the numbers changed (same paragraphs, same styles, plain text in each):
        replace the text of the paragraphs that differ, in place, instead of parsing and
        laying out the whole text again. False (nothing done) when it does not apply."""
        if len(old) != len(new) or self.document().blockCount() != len(new):
            return False
        edits = []
        for i, (before, after) in enumerate(zip(old, new, strict=True)):
            if before == after:
                continue
            start = after.find("<p")  # (after the current step's anchor, if any)
            end = after.find(">", start) + 1
            head, text = after[:end], after[end:]
            if start < 0 or not before.startswith(head) or not text.endswith("</p>"):
                return False
            text = text[: -len("</p>")]
            if "<" in text or "<" in before[end:-4]:  # only plain text is replaced
                return False
            edits.append((i, html.unescape(text)))
        doc = self.document()
        doc.setUndoRedoEnabled(False)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for i, text in edits:
            block = doc.findBlockByNumber(i)
            fmt = block.begin().fragment().charFormat()
            cursor.setPosition(block.position())
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.insertText(text, fmt)
        cursor.endEditBlock()
        return True

    def _block(self, s: int, current: bool, colors: dict[str, str]) -> list[str]:
        key = (s, current)
        partial = current and self._reveal is not None
        cached = None if partial else self._blocks.get(key)
        if cached is not None:
            return cached
        trace = self._trace
        assert trace is not None
        lines = self._lines.get(s)
        if lines is None:
            if len(self._lines) > 4 * HISTORY:  # only the steps around the current one
                self._lines.clear()
            lines = self._lines[s] = explain_step(trace, s, self._target_names or None)
        head = "Step 0 — the initial state" if s == 0 else f"Step {s}"
        if current:
            band = f"background-color:{colors['band']};"
            out = [
                f"<a name='current'></a><p style='{band} color:{colors['head']}; "
                f"font-weight:700; margin:6px 0 0 0'>&nbsp;{head}</p>"
            ]
            line_style = f"{band} color:{colors['text']}; {INDENT}"
        else:
            band = ""
            out = [
                f"<p style='color:{colors['dim']}; font-weight:600; margin:4px 0 0 0'>{head}</p>"
            ]
            line_style = f"color:{colors['dim']}; {INDENT}"
        groups = self._unit_groups(lines, s)
        if partial:  # the step animating: only the lines whose phase has come
            groups = [("", [ln for ln in lines if self._reveal(ln)])]
        for label, group in groups:
            if label:
                out.append(
                    f"<p style='{band} color:{colors['dim']}; font-style:italic; margin:0'>"
                    f"&nbsp;&nbsp;{label}</p>"
                )
            for line in group:
                out.append(f"<p style='{line_style}'>{_line(line)}</p>")
        if not partial:
            self._blocks[key] = out
        return out

    def _unit_groups(self, lines: list[str], s: int) -> list[tuple[str, list[str]]]:
        """Split a gated cell's lines per hidden unit when h > 1 (explain_step's order)."""
        trace = self._trace
        assert trace is not None
        spec = trace.spec
        if s == 0 or spec.h == 1 or spec.cell == "rnn":
            return [("", lines)]
        per_unit = 6 if spec.cell == "lstm" else 4
        groups: list[tuple[str, list[str]]] = []
        for j in range(spec.h):
            groups.append((f"unit {j + 1}", lines[j * per_unit : (j + 1) * per_unit]))
        rest = lines[spec.h * per_unit :]
        if rest:
            groups.append((f"output at step {s}" if spec.k else "", rest))
        return groups


def _line(text: str) -> str:
    """One equation as HTML; non-finite numbers get a visible note."""
    escaped = html.escape(text)
    if "NaN" in text or "∞" in text:
        escaped += " <span style='font-style:italic'>(not a finite number)</span>"
    return escaped
