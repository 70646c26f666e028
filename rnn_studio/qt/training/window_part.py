"""Training and the landscape in the main window: two docks, a menu, closing safely.

The window calls ``install`` after its own docks and ``add_menu`` after its menus; both
docks sit as tabs beside the Plot (so a window opened for something else computes
nothing until they are shown).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QMainWindow, QMenu, QScrollArea, QWidget

from ..landscape import LandscapeView
from .controller import TrainingController


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: a small window need not fit the whole panel."""
    area = QScrollArea()
    area.setObjectName(widget.objectName() + "Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def install(window: QMainWindow) -> TrainingController:
    """Make the Training and Landscape docks; ``window.training`` / ``window.landscape``."""
    training = TrainingController(window.session, window.show_message, window)
    landscape = LandscapeView(window.session)
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    window.training_dock = window._dock(
        "trainingDock",
        "Training",
        scrolled(training.panel),
        area,
        "Train the weights: one step by hand, or a whole run, and the loss per epoch",
    )
    window.landscape_dock = window._dock(
        "landscapeDock",
        "Landscape",
        scrolled(landscape),
        area,
        "The loss over two weights, with the training path; click to move the weights",
    )
    window.tabifyDockWidget(window.plot_dock, window.training_dock)
    window.tabifyDockWidget(window.training_dock, window.landscape_dock)
    window.plot_dock.raise_()
    window.docks = (*window.docks, window.training_dock, window.landscape_dock)
    landscape.set_shown(False)  # until its tab is raised
    window.landscape_dock.visibilityChanged.connect(landscape.set_shown)
    training.runningChanged.connect(landscape.set_held)
    training.pathChanged.connect(landscape.set_path)
    hover = getattr(window.diagram, "hoveredWeightChanged", None)
    if hover is not None:
        hover.connect(landscape.offer)
    window.addActions(training.actions)
    window.training = training
    window.landscape = landscape
    return training


def add_menu(window: QMainWindow) -> QMenu:
    """A Training menu before Help."""
    bar = window.menuBar()
    menu = QMenu("&Training", window)
    menu.setObjectName("trainingMenu")
    for action in window.training.actions:
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(window.training_dock.toggleViewAction())
    menu.addAction(window.landscape_dock.toggleViewAction())
    actions = bar.actions()
    if actions:
        bar.insertMenu(actions[-1], menu)  # the last menu is Help
    else:
        bar.addMenu(menu)
    return menu


def shutdown(window: QMainWindow) -> None:
    """Stop a run (keeping what it learned) and any landscape computation; wait for both."""
    window.training.shutdown()
    window.landscape.shutdown()
