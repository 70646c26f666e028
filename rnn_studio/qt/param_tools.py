"""The Model panel's weight tools: the seed, Randomize and Reset weights (with its menu).

A mixin of ParamPanel (qt/param_panel.py); what the tools draw and restore is in
rnn_studio.weights. The seed box shows the seed that gives the weights shown, or
"no seed" when none does (the lecture's values, a weight typed, a size changed).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QPoint, QSignalBlocker
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QVBoxLayout

from .. import weights
from ..document import Document
from .icons import set_icon
from .number_spin import PanelButton, UndoAwareSpinBox

NO_SEED = -1  # the seed box's value when no seed gives the weights shown
SEED_TIP = (
    "The seed that drew the weights shown: the same seed gives the same weights.\n"
    "“no seed” when none does (the lecture's values, a weight typed, a size changed).\n"
    "Type a seed and Randomize draws with it."
)
RESETS = (  # (objectName, menu text)
    ("resetLecture", "The lecture's values  (W = 0.7, 0.3, 0.4; b = 0.4; s₀ = 0)"),
    ("resetOpened", "The values it was opened with"),
    ("resetSeeded", "A new model's start  (seed 0, s₀ = 0)"),
)


class WeightToolsMixin:
    """ParamPanel's seed, Randomize and Reset; needs ``_session`` and ``_name``."""

    def _build_tools(self, outer: QVBoxLayout) -> None:
        """Seed, Randomize and Reset weights (with its menu of what to reset to)."""
        self.seed_spin = UndoAwareSpinBox()
        self.seed_spin.setRange(NO_SEED, weights.SEED_MAX)
        self.seed_spin.setPrefix("seed ")
        self.seed_spin.setSpecialValueText("no seed")
        self._name(self.seed_spin, "seedSpin", "Seed", SEED_TIP)
        self.randomize_button = PanelButton("Randomize")
        set_icon(self.randomize_button, "randomize")
        self._name(
            self.randomize_button,
            "randomizeButton",
            "Randomize weights",
            "Draw new weights: every weight and bias uniformly from ±1/√h.\n"
            "Each click draws with the next seed (after you type a seed, the first click "
            "uses it),\nso every click changes the weights and the seed shown gives them.",
        )
        self.reset_button = PanelButton("Reset weights ▾")
        set_icon(self.reset_button, "reset")
        self._name(
            self.reset_button,
            "resetButton",
            "Reset weights",
            "Put the weights and the initial state back: choose the lecture's values, "
            "the values\nthe model was opened with, or a new model's seeded start.",
        )
        self.reset_menu = QMenu(self.reset_button)
        self.reset_menu.setObjectName("resetMenu")
        self._reset_actions: dict[str, QAction] = {}
        for name, text in RESETS:
            action = QAction(text, self.reset_menu)
            action.setObjectName(name)
            action.triggered.connect(partial(self.reset_to, name))
            self.reset_menu.addAction(action)
            self._reset_actions[name] = action
        self.reset_menu.aboutToShow.connect(lambda: self._update_reset_menu())
        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(self.seed_spin)
        tools.addWidget(self.randomize_button)
        tools.addWidget(self.reset_button)
        outer.addLayout(tools)
        self.randomize_button.clicked.connect(self.randomize)
        self._seed_typed = False  # a seed typed since the last draw: Randomize uses it
        self.seed_spin.valueChanged.connect(self._on_seed_set)
        self.reset_button.clicked.connect(self.show_reset_menu)

    def _sync_seed(self, doc: Document) -> None:
        """Show the seed that gives the weights shown ("no seed" when none does).

        A seed the user typed stays until Randomize uses it.
        """
        if self._seed_typed:
            return
        seed = weights.seed_of(doc)
        with QSignalBlocker(self.seed_spin):
            self.seed_spin.setValue(NO_SEED if seed is None else seed)

    def _update_reset_menu(self, doc: Document | None = None) -> None:
        """Offer what fits this model: the lecture's values only for the lecture's shape,
        the opened values only while the shape is the opened one."""
        doc = self._session.document if doc is None else doc
        fits = {
            "resetLecture": weights.lecture_shaped(doc),
            "resetOpened": self._session.origin.spec == doc.spec,
            "resetSeeded": True,
        }
        for name, action in self._reset_actions.items():
            action.setVisible(fits[name])

    def randomize(self) -> None:
        """Draw new weights with the seed typed, else with the next seed.

        So every click changes the weights, and the seed shown is the one that drew the
        weights shown (type it again to get them back).
        """
        typed = self.seed_spin.value()
        doc = self._session.document
        seed = typed if self._seed_typed and typed >= 0 else weights.next_seed(doc)
        self._seed_typed = False
        self._session.edit(lambda d: weights.randomized(d, seed), f"Randomize (seed {seed})")
        self._sync_seed(self._session.document)

    def _on_seed_set(self, seed: int) -> None:
        self._seed_typed = seed >= 0

    def show_reset_menu(self) -> None:
        """The Reset weights button's menu, below it (not modal: the event loop runs on)."""
        self._update_reset_menu()
        self.reset_menu.popup(self.reset_button.mapToGlobal(QPoint(0, self.reset_button.height())))

    def reset_to(self, name: str) -> None:
        """Reset the weights to one of the menu's choices (``resetLecture`` …)."""
        origin = self._session.origin
        choices = {
            "resetLecture": (weights.lecture_values, "Reset weights to the lecture's values"),
            "resetOpened": (
                lambda d: weights.opened_values(d, origin),
                "Reset weights to the opened values",
            ),
            "resetSeeded": (weights.seeded_values, "Reset weights to a new model's start"),
        }
        make, text = choices[name]

        def reset(d: Document) -> Document:
            new = make(d)
            return d if new is None else new

        self._seed_typed = False
        self._session.edit(reset, text)
