"""``trainingPanel``: the optimizer's settings, the run's controls, progress and loss curve.

The settings are the document's ``training`` block: each control's edit goes through the
session as an undoable edit (turning one spin box many times is one undo step), so they
are saved with the project; the panel shows whatever the document holds.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...document import Document, TrainingSettings
from ...explain_update import NAMES, settings_of
from ..session import Session
from .loss_plot import LossPlot

OPTIMIZER_TIPS = {
    "sgd": "Plain gradient descent: every weight moves by −lr·∂L/∂w",
    "momentum": "SGD with momentum (torch's rule): the step remembers the steps before",
    "adam": "Adam: each weight's step is scaled by its own running gradient size",
}


class ShortSpin(QDoubleSpinBox):
    """Shows 0.1, not 0.100000 (the decimals are there for typing 0.000125)."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt override
        return f"{value:.{self.decimals()}g}" if value else "0"


def _double(name: str, tip: str, low: float, high: float, decimals: int) -> QDoubleSpinBox:
    spin = ShortSpin()
    spin.setObjectName(name)
    spin.setToolTip(tip)
    spin.setAccessibleName(tip.split(":")[0])
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setKeyboardTracking(False)  # one edit per finished number, not per key
    return spin


class TrainingPanel(QWidget):
    """The Training region; the TrainingController runs what it sets."""

    def __init__(self, session: Session, actions: list[QAction], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self.setAccessibleName("Training")
        self.session = session
        self._showing = False

        self.optimizer_combo = QComboBox()
        self.optimizer_combo.setObjectName("optimizerCombo")
        self.optimizer_combo.setAccessibleName("Optimizer")
        self.optimizer_combo.setToolTip("How the weights move from the gradient")
        for i, (key, text) in enumerate(NAMES.items()):
            self.optimizer_combo.addItem(text, key)
            self.optimizer_combo.setItemData(i, OPTIMIZER_TIPS[key], 3)  # Qt.ToolTipRole
        self.learning_rate_spin = _double(
            "learningRateSpin", "Learning rate: the size of each step", 1e-6, 10.0, 6
        )
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setObjectName("epochsSpin")
        self.epochs_spin.setAccessibleName("Epochs")
        self.epochs_spin.setToolTip("Epochs: how many updates Train makes (one per epoch)")
        self.epochs_spin.setRange(1, 1_000_000)
        self.epochs_spin.setKeyboardTracking(False)
        self.momentum_spin = _double(
            "momentumSpin", "Momentum β: how much of the last step carries on", 0.0, 0.999, 3
        )
        self.clip_spin = _double(
            "clipSpin", "Clip: the largest gradient norm allowed (0 = no clipping)", 0.0, 1e6, 4
        )
        self.clip_spin.setSpecialValueText("off")

        # two columns of settings: the panel is often a short tab under the diagram
        form = QGridLayout()
        self.momentum_label = QLabel("Momentum")
        for row, col, text, widget in (
            (0, 0, "Optimizer", self.optimizer_combo),
            (0, 2, "Learning rate", self.learning_rate_spin),
            (1, 0, "Epochs", self.epochs_spin),
            (1, 2, "Clip gradient", self.clip_spin),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addWidget(label, row, col)
            form.addWidget(widget, row, col + 1)
        form.addWidget(self.momentum_label, 2, 0)
        form.addWidget(self.momentum_spin, 2, 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)

        buttons = QHBoxLayout()
        self.buttons: list[QToolButton] = []
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setObjectName(action.objectName() + "Button")
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setAccessibleName("Training progress")
        self.progress.setToolTip("Epochs done in this run")
        self.progress.setFormat("epoch %v of %m")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setObjectName("trainingStatus")
        self.status.setWordWrap(True)
        self.loss_plot = LossPlot()
        self.loss_plot.setMinimumHeight(120)
        self.update_text = QPlainTextEdit()
        self.update_text.setObjectName("trainingArithmetic")
        self.update_text.setAccessibleName("One step's arithmetic")
        self.update_text.setToolTip("One step written out: each weight's update")
        self.update_text.setReadOnly(True)
        self.update_text.setPlaceholderText("One step shows each weight's update here")
        self.update_text.setMaximumHeight(110)
        # shown by One step, hidden by a run: the loss curve needs the room while it trains
        self.update_text.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.status, 2)
        layout.addLayout(progress)
        layout.addWidget(self.update_text)  # above the curve: One step's answer in sight
        layout.addWidget(self.loss_plot, 1)

        self.optimizer_combo.currentIndexChanged.connect(
            lambda _i: self._set(optimizer=self.optimizer_combo.currentData())
        )
        self.learning_rate_spin.valueChanged.connect(lambda v: self._set(learning_rate=v))
        self.epochs_spin.valueChanged.connect(lambda v: self._set(epochs=v))
        self.momentum_spin.valueChanged.connect(lambda v: self._set(momentum=v))
        self.clip_spin.valueChanged.connect(lambda v: self._set(clip=v or None))
        session.documentChanged.connect(lambda _s: self.show_settings(session.document))
        self.show_settings(session.document)

    @property
    def settings_controls(self) -> tuple[QWidget, ...]:
        return (
            self.optimizer_combo,
            self.learning_rate_spin,
            self.epochs_spin,
            self.momentum_spin,
            self.clip_spin,
        )

    def show_settings(self, document: Document) -> None:
        """Show the document's training block (no edits come back from this)."""
        s = settings_of(document)
        self._showing = True
        try:
            self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(s.optimizer))
            self.learning_rate_spin.setValue(s.learning_rate)
            self.epochs_spin.setValue(s.epochs)
            self.momentum_spin.setValue(s.momentum)
            self.clip_spin.setValue(s.clip or 0.0)
        finally:
            self._showing = False
        momentum = s.optimizer == "momentum"
        self.momentum_spin.setVisible(momentum)
        self.momentum_label.setVisible(momentum)

    def _set(self, **change) -> None:
        if self._showing:
            return
        key = next(iter(change))
        old = settings_of(self.session.document)
        new: TrainingSettings = replace(old, **change)
        if new == old and self.session.document.training is not None:
            return
        self.session.edit(
            lambda d: d.with_training(new), f"Training: {key.replace('_', ' ')}", f"training.{key}"
        )
