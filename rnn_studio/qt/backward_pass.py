"""The backward pass in the window: follows the session's cursor into the views.

When the cursor is in the backward phase, the diagram, the arithmetic and the plot show
the forward pass complete and the backward pass as far as the error signal has come;
the session computes the gradients the first time this asks for them (entering the
backward pass), then keeps them until the next edit. Leaving it returns every view to
the forward step where it was.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu

from .analysis import Cursor
from .plots.gradient import GradientPlot
from .reveal import Reveal, show_whole_trace_action
from .session import Session


class _View(Protocol):
    def set_step(self, t: int, animate: bool = False) -> None: ...


class BackwardPass(QObject):
    """Connects ``session.cursorChanged`` to the views' backward API."""

    def __init__(self, session: Session, diagram, arithmetic, plot: _View | None = None) -> None:
        super().__init__(session)
        self.setObjectName("backwardPass")
        self._session = session
        self._diagram = diagram
        self._arithmetic = arithmetic
        self._plot = plot
        self._showing = False
        #: the reveal of each step's lines (set by ``install``)
        self.reveal: Reveal | None = None
        session.cursorChanged.connect(self._on_cursor)
        session.documentChanged.connect(self._on_document)

    def _on_cursor(self, cursor: Cursor) -> None:
        self._show(cursor, animate=self._session.step_animated)

    def _on_document(self, _structural: bool) -> None:
        if self._session.cursor.backward:  # the gradients of the edited document
            self._showing = False  # (T may have changed: the plot's step too)
            self._show(self._session.cursor, animate=False)

    def _show(self, cursor: Cursor, animate: bool) -> None:
        session = self._session
        if not cursor.backward:
            if self._showing:
                self._showing = False
                if self.reveal is not None:
                    self.reveal.backward_started(animate=False)  # every line, forward
                self._diagram.show_backward(None)
                self._arithmetic.show_backward(None)
                if self._plot is not None:
                    self._plot.set_step(session.step)
            return
        backward = session.backward
        was_showing, self._showing = self._showing, True
        self._diagram.show_backward(backward, cursor.passed, animate=animate)
        if self.reveal is not None:
            self.reveal.backward_started(animate)
        self._arithmetic.show_backward(backward, cursor.passed)
        if self._plot is not None and not was_showing:
            self._plot.set_step(session.trace.T)  # the forward pass is complete


def menu(window, title: str) -> QMenu | None:
    """The window's menu called ``title`` ("&Play")."""
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text() == title:
            return action.menu()
    return None


def install(window) -> BackwardPass:
    """The backward pass for a MainWindow: its diagram, arithmetic and plot follow the
    cursor, the Model panel (``window.params``) gets its gradient labels, and the Play
    menu "Check gradients" (``actionGradCheck``)."""
    from .grad_check import open_grad_check
    from .grad_labels import GradLabels

    session = window.session
    window.arithmetic.follow(session)
    window.diagram.follow(session)
    backward_pass = BackwardPass(session, window.diagram, window.arithmetic, window.plot)
    backward_pass.grad_labels = GradLabels(window.params, session)
    backward_pass.reveal = Reveal(session, window.diagram, window.arithmetic, window.plot)

    check = QAction("Check &gradients…", window)
    check.setObjectName("actionGradCheck")
    tip = (
        "Compare every gradient of backward propagation with a central difference "
        "(L(θ+ε) − L(θ−ε)) / 2ε"
    )
    check.setToolTip(tip)
    check.setStatusTip(tip)
    check.triggered.connect(lambda: open_grad_check(session.document, window))
    play = menu(window, "&Play")
    if play is not None:
        play.addSeparator()
        play.addAction(check)
    window.addAction(check)
    backward_pass.action_grad_check = check

    # the gradient plot: a dock tabbed with the state plot (the state plot stays in front)
    plot = GradientPlot(session)
    tip = "The error signal's size at each step of the backward pass (log scale)"
    area = Qt.DockWidgetArea.BottomDockWidgetArea
    make_dock = getattr(window, "_dock", None)  # the window's docks: same buttons and tips
    if make_dock is not None:
        dock = make_dock("gradientDock", "Gradients", plot, area, tip)
    else:
        dock = QDockWidget("Gradients", window)
        dock.setObjectName("gradientDock")
        dock.setToolTip(tip)
        dock.setWidget(plot)
        window.addDockWidget(area, dock)
    plot_dock = getattr(window, "plot_dock", None)
    if plot_dock is not None:
        window.tabifyDockWidget(plot_dock, dock)
        plot_dock.raise_()
        plot.set_on_screen(False)  # behind the state plot's tab
    dock.visibilityChanged.connect(plot.set_on_screen)
    view = menu(window, "&View")
    if view is not None:  # after the other docks' entries
        entries = view.actions()
        n = len(getattr(window, "docks", ()))
        view.insertAction(entries[n] if n < len(entries) else None, dock.toggleViewAction())
    backward_pass.gradient_plot, backward_pass.gradient_dock = plot, dock
    whole = show_whole_trace_action(session, window)
    if view is not None:
        view.addSeparator()
        view.addAction(whole)
    backward_pass.action_whole_trace = whole
    return backward_pass
