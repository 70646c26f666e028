"""The Player: first, previous, play/pause, next, last, the step slider and the speed.

Stepping only moves the session's cursor (the trace already holds every step). "Next"
and "Play" ask for an animated step; one QTimer, parented to this widget, drives playing
and is stopped at the end, on pause and when the widget closes.

The direction is signed: with ``actionBackward`` checked the player steps the backward
pass, and the slider's value k counts the steps the error signal has passed from the
end (0..T): "Next" carries it from step T−k to step T−k−1. Every control works the
same in both directions; unchecking returns to the forward step where it was.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from .icons import set_icon
from .session import Session
from .style import use_contrast_style

SLOWEST_MS = 1500
FASTEST_MS = 100
#: the slider's top notch: no animation, a step every FAST_TICK_MS (T = 200 in ~6 s)
NO_ANIMATION = 11
FAST_TICK_MS = 30
SPEEDS = (1, NO_ANIMATION)
DEFAULT_SPEED = 5
#: a short rest after each animated step while playing, so the values can be read
REST_MS = 150

FORWARD_TIP = (
    "The number of computed steps shown: 0 shows only s₀, T shows every step.\n"
    "Drag to scrub through the sequence (←/→ step, Home/End)."
)
BACK_TIP = (
    "Backward pass: the number of steps the error signal has passed, from the end.\n"
    "0: it starts at step T; T: it has reached s₀ and the gradients are complete."
)


def duration_for(speed: int) -> int:
    """Animation time of one step: ~1500 ms at speed 1 down to ~100 ms at speed 10;
    0 (no animation) at the top notch."""
    lo, hi = SPEEDS[0], NO_ANIMATION - 1
    speed = max(lo, min(NO_ANIMATION, int(speed)))
    if speed == NO_ANIMATION:
        return 0
    frac = (speed - lo) / (hi - lo)
    return round(SLOWEST_MS * (FASTEST_MS / SLOWEST_MS) ** frac)


def interval_for(speed: int) -> int:
    """Time from one played step to the next: the animation and a rest to read it."""
    ms = duration_for(speed)
    return FAST_TICK_MS if ms == 0 else ms + REST_MS


def steps_per_second(speed: int) -> float:
    return 1000.0 / interval_for(speed)


def speed_tip(speed: int) -> str:
    if duration_for(speed) == 0:
        now = f"no animation, {steps_per_second(speed):.0f} steps/s"
    else:
        now = f"{duration_for(speed)} ms per step, {steps_per_second(speed):.2g} steps/s"
    return (
        f"Speed of playing. Left: each step animated over {SLOWEST_MS} ms "
        f"({steps_per_second(SPEEDS[0]):.2g} steps/s).\n"
        f"Right end: no animation, a step every {FAST_TICK_MS} ms "
        f"({steps_per_second(NO_ANIMATION):.0f} steps/s), for long sequences.\n"
        f"Now: {now}."
    )


class Player(QWidget):
    """The stepping controls. Its actions are meant for a toolbar; the sliders live here."""

    #: the animation time of one step in ms (for the diagram)
    durationChanged = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("player")
        self.setAccessibleName("Player")
        self._session = session

        self.action_first = self._action(
            "actionFirst",
            "First step\tHome",
            "first",
            "Go to step 0: only the initial state s₀ (Home)",
        )
        self.action_prev = self._action(
            "actionPrev", "Previous step\t←", "prev", "Go back one step (←)"
        )
        self.action_play = self._action(
            "actionPlay",
            "Play\tSpace",
            "play",
            "Play: animate one step after another at the chosen speed, stopping at the last "
            "(Space)",
        )
        self.action_play.setCheckable(True)
        self.action_next = self._action(
            "actionNext", "Next step\t→", "next", "Compute the next step, animated (→)"
        )
        self.action_last = self._action(
            "actionLast",
            "Last step\tEnd",
            "last",
            "Go to the last step T: every step computed (End)",
        )
        self.action_backward = self._action(
            "actionBackward",
            "Backward pass",
            "backward",
            "Step the backward pass: carry the error signal from the last step back to the "
            "first, with the gradients (Ctrl+B)",
        )
        self.action_backward.setCheckable(True)
        self.action_backward.setShortcut(QKeySequence("Ctrl+B"))
        self.action_backward.toggled.connect(self._on_backward_toggled)
        self.action_first.triggered.connect(self.first)
        self.action_prev.triggered.connect(self.prev)
        self.action_next.triggered.connect(self.next)
        self.action_last.triggered.connect(self.last)
        self.action_play.toggled.connect(self._on_play_toggled)

        self.step_slider = QSlider(Qt.Orientation.Horizontal)
        self.step_slider.setObjectName("stepSlider")
        self.step_slider.setAccessibleName("Timestep")
        self.step_slider.setToolTip(FORWARD_TIP)
        self.step_slider.setPageStep(1)
        self.step_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.step_slider.setMinimumWidth(120)
        self.step_label = QLabel()
        self.step_label.setObjectName("stepLabel")
        self.step_label.setAccessibleName("Current step")
        self.step_label.setToolTip("The step shown and the number of steps T")
        # a fixed width: a new text then repaints the label without a relayout of the bar
        self.step_label.setFixedWidth(self.fontMetrics().horizontalAdvance("step 00000 of 00000"))

        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setObjectName("speedSlider")
        self.speed_slider.setAccessibleName("Speed")
        self.speed_slider.setRange(*SPEEDS)
        self.speed_slider.setValue(DEFAULT_SPEED)
        self.speed_slider.setPageStep(1)
        self.speed_slider.setFixedWidth(110)
        self.speed_slider.setToolTip(speed_tip(DEFAULT_SPEED))
        use_contrast_style(self.step_slider, self.speed_slider)
        speed_label = QLabel("speed")
        speed_label.setBuddy(self.speed_slider)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(8)
        layout.addWidget(self.step_slider, 1)
        layout.addWidget(self.step_label)
        layout.addSpacing(12)
        layout.addWidget(speed_label)
        layout.addWidget(self.speed_slider)

        self._timer = QTimer(self)
        self._timer.setObjectName("playTimer")
        self._timer.timeout.connect(self._tick)

        self.step_slider.valueChanged.connect(self._on_slider)
        self.speed_slider.valueChanged.connect(self._on_speed)
        session.stepChanged.connect(self._sync)
        session.cursorChanged.connect(self._sync)
        session.documentChanged.connect(lambda _s: self._sync())
        self._on_speed(self.speed_slider.value())
        self._sync()

    def _action(self, name: str, text: str, icon_name: str, tip: str) -> QAction:
        action = QAction(text, self)
        set_icon(action, icon_name)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        return action

    @property
    def actions_in_order(self) -> list[QAction]:
        return [
            self.action_first,
            self.action_prev,
            self.action_play,
            self.action_next,
            self.action_last,
            self.action_backward,
        ]

    @property
    def duration(self) -> int:
        return duration_for(self.speed_slider.value())

    @property
    def animated(self) -> bool:
        """False at the top speed notch: steps are shown at once, not animated."""
        return self.duration > 0

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # -- stepping ------------------------------------------------------------------------------
    @property
    def backward(self) -> bool:
        """Whether the player steps the backward pass."""
        return self._session.cursor.backward

    def position(self) -> int:
        """The slider's value: computed steps forward, steps the signal passed backward."""
        return self._session.cursor.position()

    def _go(self, k: int, animate: bool = False) -> None:
        if self.backward:
            self._session.set_passed(k, animate=animate)
        else:
            self._session.set_step(k, animate=animate)

    def first(self) -> None:
        self.pause()
        self._go(0)

    def prev(self) -> None:
        self.pause()
        self._go(self.position() - 1)

    def next(self) -> None:
        """One step on, animated (it is what the learner came for) unless the speed is set
        to "no animation"; backward, the error signal passes one more step."""
        if self.position() < self._session.trace.T:
            self._go(self.position() + 1, animate=self.animated)

    def last(self) -> None:
        self.pause()
        self._go(self._session.trace.T)

    def set_backward(self, on: bool) -> None:
        self.action_backward.setChecked(on)

    def _on_backward_toggled(self, on: bool) -> None:
        self.pause()
        self._session.set_phase("backward" if on else "forward")

    def play(self) -> None:
        self.action_play.setChecked(True)

    def pause(self) -> None:
        self.action_play.setChecked(False)

    def toggle_play(self) -> None:
        self.action_play.toggle()

    def _on_play_toggled(self, on: bool) -> None:
        if on:
            if self.position() >= self._session.trace.T:
                self._go(0)
            self._timer.start(interval_for(self.speed_slider.value()))
            self._tick()
        else:
            self._timer.stop()
        set_icon(self.action_play, "pause" if on else "play")
        # the text after a tab is shown as the key in menus (no shortcut is registered:
        # the keys are handled by the window, so the table and spin boxes keep theirs)
        self.action_play.setText("Pause\tSpace" if on else "Play\tSpace")

    def _tick(self) -> None:
        self.next()
        if self.position() >= self._session.trace.T:
            self.pause()

    def handle_key(self, key: int) -> bool:
        """The player's keys: Space, ←, →, Home, End. True when the key was used."""
        K = Qt.Key
        if key == K.Key_Space:
            self.toggle_play()
        elif key == K.Key_Right:
            self.next()
        elif key == K.Key_Left:
            self.prev()
        elif key == K.Key_Home:
            self.first()
        elif key == K.Key_End:
            self.last()
        else:
            return False
        return True

    # -- following the session ---------------------------------------------------------------
    def _on_slider(self, value: int) -> None:
        self._go(value)

    def _on_speed(self, speed: int) -> None:
        ms = duration_for(speed)
        if self._timer.isActive():
            self._timer.setInterval(interval_for(speed))
        self.speed_slider.setToolTip(speed_tip(speed))
        self.durationChanged.emit(ms)

    def _sync(self, *_args) -> None:
        T = self._session.trace.T
        t = self.position()
        backward = self.backward
        if self.action_backward.isChecked() != backward:
            with QSignalBlocker(self.action_backward):
                self.action_backward.setChecked(backward)
        # Not blocked, so others see the slider move; the echo back into the session is a
        # no-op (``set_step`` returns early on the step it already shows).
        if self.step_slider.maximum() != T:
            self.step_slider.setRange(0, T)
            self.step_slider.setTickInterval(max(1, T // 20))
        self.step_slider.setValue(t)
        self.step_label.setText(f"back {t} of {T}" if backward else f"step {t} of {T}")
        self.step_slider.setToolTip(BACK_TIP if backward else FORWARD_TIP)
        self.action_first.setEnabled(t > 0)
        self.action_prev.setEnabled(t > 0)
        self.action_next.setEnabled(t < T)
        self.action_last.setEnabled(t < T)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.pause()
        super().closeEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.pause()
        super().hideEvent(event)
