"""Docks, status bar, window size, dock proportions, theme and the saved settings."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QDockWidget, QLabel, QWidget

from ..icons import refresh_icons, set_icon
from ..style import is_dark


def headless() -> bool:
    """No person can answer a question box on these platforms (tests, screenshots)."""
    return QGuiApplication.platformName() in ("offscreen", "minimal")


class LayoutMixin:
    """Where everything sits, and what the window remembers (part of MainWindow)."""

    def _default_size(self) -> QSize:
        """1400 × 900, or 92 % of a smaller screen (a headless screen is not measured)."""
        size = QSize(1400, 900)
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or headless():
            return size
        available = screen.availableGeometry()
        return QSize(
            min(size.width(), int(available.width() * 0.92)),
            min(size.height(), int(available.height() * 0.92)),
        )

    # -- building ----------------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget: QWidget, area, tip: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(title)
        dock.setToolTip(tip)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        for button_name, what, icon_name in (
            (
                "qt_dockwidget_floatbutton",
                f"Float {title} in its own window, or dock it back",
                "dock-float",
            ),
            (
                "qt_dockwidget_closebutton",
                f"Hide {title} (View ▸ {title} shows it again)",
                "dock-close",
            ),
        ):
            button = dock.findChild(QAbstractButton, button_name)
            if button is not None:
                button.setToolTip(what)
                button.setAccessibleName(what)
                set_icon(button, icon_name)  # tinted with the palette: legible when dark
        return dock

    def _make_docks(self) -> None:
        A = Qt.DockWidgetArea
        self.setCorner(Qt.Corner.BottomLeftCorner, A.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.TopLeftCorner, A.LeftDockWidgetArea)
        self.data_dock = self._dock(
            "dataDock",
            "Data",
            self.table,
            A.LeftDockWidgetArea,
            "The time series: one row per timestep, inputs then targets",
        )
        self.model_dock = self._dock(
            "modelDock",
            "Model",
            self.params,
            A.LeftDockWidgetArea,
            "The cell, its sizes and every weight",
        )
        self.arithmetic_dock = self._dock(
            "arithmeticDock",
            "Arithmetic",
            self.arithmetic,
            A.BottomDockWidgetArea,
            "The current step written out with its numbers",
        )
        self.plot_dock = self._dock(
            "plotDock",
            "Plot",
            self.plot,
            A.BottomDockWidgetArea,
            "States or outputs against the targets over t",
        )
        self.splitDockWidget(self.data_dock, self.model_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.arithmetic_dock, self.plot_dock, Qt.Orientation.Horizontal)
        self.resizeDocks([self.data_dock, self.model_dock], [220, 560], Qt.Orientation.Vertical)
        self.resizeDocks([self.data_dock], [450], Qt.Orientation.Horizontal)
        self.resizeDocks([self.arithmetic_dock], [300], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self.arithmetic_dock, self.plot_dock], [600, 400], Qt.Orientation.Horizontal
        )
        self.docks = (self.data_dock, self.model_dock, self.arithmetic_dock, self.plot_dock)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.loss_label = self._status_label(
            "lossLabel", "Loss", "Mean squared error over every target"
        )
        self.length_label = self._status_label(
            "lengthLabel", "Timesteps", "T, the number of timesteps (table rows)"
        )
        self.count_label = self._status_label(
            "paramCountLabel", "Parameter count", "How many weights and biases the model has"
        )
        for label in (self.loss_label, self.length_label, self.count_label):
            bar.addPermanentWidget(label)

    def _status_label(self, name: str, accessible: str, tip: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setToolTip(tip)
        label.setContentsMargins(8, 0, 8, 0)
        return label

    def _settings(self) -> QSettings:
        return QSettings()

    def _restore_settings(self) -> None:
        s = self._settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = s.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
            self._proportions_pending = False  # the user's own layout wins
        if str(s.value("view/dark", "false")).lower() == "true" and not is_dark():
            self.action_dark.setChecked(True)
        speed = s.value("player/speed")
        if speed is not None:
            with contextlib.suppress(TypeError, ValueError):
                self.player.speed_slider.setValue(int(speed))

    def save_settings(self) -> None:
        s = self._settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("player/speed", self.player.speed_slider.value())
        s.setValue("view/dark", self.action_dark.isChecked())
        s.sync()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.docks:
            dock.show()
        self._apply_default_proportions()

    def _apply_default_proportions(self) -> None:
        """Give the arithmetic room for a lecture line (a ~66-character line unwrapped)."""
        width = self.width()
        if width < 1100:  # a small window keeps Qt's own split
            return
        self.resizeDocks([self.data_dock], [min(400, width * 2 // 7)], Qt.Orientation.Horizontal)
        rest = width - self.data_dock.width()
        self.resizeDocks(
            [self.arithmetic_dock, self.plot_dock],
            [rest * 64 // 100, rest * 36 // 100],
            Qt.Orientation.Horizontal,
        )

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._proportions_pending:
            self._proportions_pending = False
            # after this event: the docks get their first sizes from the layout first
            QTimer.singleShot(0, self, self._apply_default_proportions)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            refresh_icons(self)
        super().changeEvent(event)
