"""Gradients beside the weights: in the backward pass, under every ``param:`` spin box of
the Model panel, a label ``grad:NAME:I:J`` / ``grad:NAME:I`` with the gradient that the
error signal has accumulated over the steps it passed (4 decimals, as ``trace``; blue
positive, orange negative). At the end (k = T) they are ``trace --grad``'s totals; the
initial state's gradient appears when the signal reaches s₀.

The Model panel is not changed for this: the labels find the spin boxes by objectName
and each spin box is put in a small column with its label, in the same place of the
same layout, whenever the panel has built a new grid. In the forward pass the labels are
hidden and the panel looks as it always did.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QBoxLayout,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..explain import fmt
from .diagram.colors import NEGATIVE, POSITIVE, ZERO
from .session import Session

PRECISION = 4
NOT_YET = "—"


class GradLabel(QLabel):
    """A QLabel whose size does not follow its text: a new number each step repaints the
    label only, instead of laying out the whole Model panel again (~1 ms a label)."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        metrics = self.fontMetrics()
        self._hint = QSize(metrics.horizontalAdvance("-0.00000"), metrics.height())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        if text != self._text:
            self._text = text
            self.update()

    def text(self) -> str:
        return self._text

    def setFont(self, font) -> None:  # noqa: N802 - Qt's name
        super().setFont(font)
        metrics = QFontMetrics(font)
        self._hint = QSize(metrics.horizontalAdvance("-0.00000"), metrics.height())
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, self._hint.height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        metrics = painter.fontMetrics()
        text = metrics.elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


def _key(object_name: str) -> tuple[str, tuple[int, ...]] | None:
    """("W", (0, 2)) for "param:W:0:2"."""
    parts = object_name.split(":")
    if len(parts) < 3 or parts[0] != "param":
        return None
    try:
        return parts[1], tuple(int(p) for p in parts[2:])
    except ValueError:
        return None


class GradLabels(QObject):
    """Keeps a gradient label under every parameter spin box of ``panel``."""

    def __init__(self, panel: QWidget, session: Session) -> None:
        super().__init__(panel)
        self.setObjectName("gradLabels")
        self._panel = panel
        self._session = session
        self._labels: dict[tuple[str, tuple[int, ...]], QLabel] = {}
        self._grid: QWidget | None = None
        self._shown: tuple | None = None
        session.cursorChanged.connect(lambda _c: self.refresh())
        session.documentChanged.connect(lambda _s: self.refresh())

    # -- placing the labels ----------------------------------------------------------------
    def _grid_widget(self) -> QWidget:
        scroll = self._panel.findChild(QScrollArea, "paramScroll")
        widget = scroll.widget() if scroll is not None else None
        return widget if widget is not None else self._panel

    def _attach(self) -> None:
        """Give every spin box of a newly built grid its label (once per grid)."""
        grid = self._grid_widget()
        if grid is self._grid and all(_alive(label) for label in self._labels.values()):
            return
        self._grid = grid
        self._labels = {}
        for spin in grid.findChildren(QAbstractSpinBox):
            key = _key(spin.objectName())
            if key is not None:
                self._labels[key] = self._wrap(spin, key)

    def _wrap(self, spin: QAbstractSpinBox, key: tuple[str, tuple[int, ...]]) -> QLabel:
        name, index = key
        label = GradLabel()
        label.setObjectName("grad:" + name + "".join(f":{i}" for i in index))
        label.setAccessibleName(f"gradient of {name}[{', '.join(str(i) for i in index)}]")
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        label.setFont(font)
        label.setVisible(False)
        parent = spin.parentWidget()
        layout = parent.layout() if parent is not None else None
        column = QWidget(parent)
        column.setObjectName(f"gradColumn:{spin.objectName()}")
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(0)
        if isinstance(layout, QGridLayout) and layout.indexOf(spin) >= 0:
            row, col, rows, cols = layout.getItemPosition(layout.indexOf(spin))
            layout.removeWidget(spin)
            layout.addWidget(column, row, col, rows, cols)
        elif isinstance(layout, QBoxLayout) and layout.indexOf(spin) >= 0:
            at = layout.indexOf(spin)
            layout.removeWidget(spin)
            layout.insertWidget(at, column)
        else:  # a layout this does not know: leave the spin box alone, label beside it
            column.deleteLater()
            label.setParent(parent)
            return label
        inner.addWidget(spin)
        inner.addWidget(label)
        column.show()
        return label

    # -- the numbers -------------------------------------------------------------------------
    def refresh(self) -> None:
        session = self._session
        cursor = session.cursor
        if not cursor.backward:
            if self._shown is not None:
                for label in self._labels.values():
                    label.setVisible(False)
                self._shown = None
            return
        self._attach()
        backward = session.backward
        T = session.trace.T
        key = (id(backward), cursor.passed, id(self._grid))
        if key == self._shown:
            return
        self._shown = key
        sums = backward.running_sum(T - cursor.passed + 1)
        reached = cursor.passed >= T
        for (name, index), label in self._labels.items():
            if name in sums:
                value: float | None = float(np.asarray(sums[name])[index])
            elif name in backward.totals and reached:
                value = float(np.asarray(backward.totals[name])[index])
            else:
                value = None
            self._show(label, value, name)

    def _show(self, label: QLabel, value: float | None, name: str) -> None:
        if value is None:
            text, color = NOT_YET, ZERO
            tip = f"∂L/∂{name}: known when the error signal reaches step 0"
        else:
            text = fmt(value, PRECISION)
            color = POSITIVE if value > 0 else NEGATIVE if value < 0 else ZERO
            tip = f"∂L/∂{name} accumulated over the steps the error signal passed: {value!r}"
        label.setText(text)
        label.setToolTip(tip)
        if label.property("gradColor") != color.name():  # a palette, not a style sheet:
            label.setProperty("gradColor", color.name())  # re-polishing costs ~0.1 ms each
            palette = label.palette()
            palette.setColor(QPalette.ColorRole.WindowText, color)
            label.setPalette(palette)
        if not label.isVisibleTo(label.parentWidget()):
            label.setVisible(True)

    def label(self, name: str, *index: int) -> QLabel | None:
        """The label of entry ``index`` of ``name`` (None before the backward pass)."""
        return self._labels.get((name, tuple(index)))


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # deleted with an old grid
        return False
    return True
