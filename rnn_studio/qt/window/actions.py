"""The window's actions (File, Edit, View, Help) and its two toolbars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton

from ..actions import make_action
from ..diagram import DiagramView
from ..diagram.compact_switch import CompactSwitch
from ..icons import set_icon
from ..presentation import present
from ..style import apply_theme, is_dark


class ActionsMixin:
    """Builds ``self.action_*`` and ``self.toolbars`` (part of MainWindow)."""

    def _act(self, name: str, text: str, tip: str, slot, shortcut=None, icon_name=None):
        return make_action(self, name, text, tip, slot, shortcut, icon_name)

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.action_new = self._act(
            "actionNew",
            "&New lecture example",
            "Start over on the lecture's example",
            self.new_lecture,
            K.New,
            "new",
        )
        self.action_open = self._act(
            "actionOpen", "&Open…", "Open a project or a CSV file", self.open_dialog, K.Open, "open"
        )
        self.action_save = self._act(
            "actionSave", "&Save", "Save the project", self.save, K.Save, "save"
        )
        self.action_save_as = self._act(
            "actionSaveAs",
            "Save &As…",
            "Save the project under a new name",
            self.save_as,
            "Ctrl+Shift+S",
        )
        self.action_import = self._act(
            "actionImportCsv",
            "&Import CSV…",
            "Read a table from a CSV file (the last column is the target)",
            self.import_csv,
            None,
            "import",
        )
        self.action_export = self._act(
            "actionExportCsv",
            "The data &table as CSV…",
            "Write the table to a CSV file (it opens again with Import CSV)",
            self.export_csv,
            None,
            "export",
        )
        self.action_quit = self._act(
            "actionQuit", "&Quit", "Close RNN Studio", self.close, "Ctrl+Q"
        )
        stack = self.session.undo_stack
        self.action_undo = stack.createUndoAction(self, "&Undo")
        self.action_undo.setObjectName("actionUndo")
        self.action_undo.setShortcut(QKeySequence(K.Undo))
        set_icon(self.action_undo, "undo")
        self.action_undo.setToolTip("Undo the last change (Ctrl+Z)")
        self.action_redo = stack.createRedoAction(self, "&Redo")
        self.action_redo.setObjectName("actionRedo")
        self.action_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        set_icon(self.action_redo, "redo")
        self.action_redo.setToolTip("Redo (Ctrl+Shift+Z or Ctrl+Y)")
        self.action_fit = self._act(
            "actionFit",
            "Zoom to &fit",
            f"{DiagramView.FIT_TIP} (Ctrl+0)",
            self.diagram.fit_all,
            "Ctrl+0",
            "fit",
        )
        self.action_zoom_in = self._act(
            "actionZoomIn",
            "Zoom &in",
            "Zoom the diagram in (Ctrl++)",
            self.diagram.zoom_in,
            [QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Ctrl+="],
        )
        self.action_zoom_out = self._act(
            "actionZoomOut",
            "Zoom &out",
            "Zoom the diagram out (Ctrl+-)",
            self.diagram.zoom_out,
            [QKeySequence.StandardKey.ZoomOut, "Ctrl+-"],
        )
        self.action_reset_zoom = self._act(
            "actionResetZoom",
            "&Readable size",
            "The zoom the diagram opens at: every step if that is readable, else values at "
            "a readable size around the current step (Ctrl+1)",
            self.diagram.reset_zoom,
            "Ctrl+1",
        )
        # View ▸ Compact vectors (checkable; its twin is the diagram's corner button)
        self.action_compact = CompactSwitch.of(self.diagram).action
        self.addAction(self.action_compact)
        self.action_reset_layout = self._act(
            "actionResetLayout",
            "&Reset layout",
            "Put every region back where it started",
            self.reset_layout,
        )
        self.action_dark = self._act(
            "actionDarkTheme",
            "&Dark theme",
            "Switch between a dark and the light palette",
            lambda: None,
        )
        self.action_dark.setCheckable(True)
        self.action_dark.setChecked(is_dark())
        self.action_dark.toggled.connect(apply_theme)
        self.action_presentation = self._act(
            "actionPresentation",
            "&Presentation",
            "Bigger fonts in every region, for a projector",
            lambda: None,
            "Ctrl+Shift+P",
        )
        self.action_presentation.setCheckable(True)
        self.action_presentation.toggled.connect(lambda on: present(self, on))
        self.action_about = self._act(
            "actionAbout", "&About RNN Studio", "About RNN Studio", self.about
        )
        self.action_math = self._act(
            "actionMath",
            "The &math",
            "The equations RNN Studio computes (docs/math.md)",
            self.open_math,
            K.HelpContents,
        )
        for action in (self.action_undo, self.action_redo, *self.player.actions_in_order):
            self.addAction(action)

    def _make_toolbars(self) -> None:
        main = QToolBar("File and edit", self)
        main.setObjectName("mainToolBar")
        main.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in (
            self.action_open,
            self.action_save,
            None,
            self.action_undo,
            self.action_redo,
            None,
            self.action_fit,
        ):
            if action is None:
                main.addSeparator()
            else:
                main.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, main)

        player = QToolBar("Player", self)
        player.setObjectName("playerToolBar")
        player.setAccessibleName("Player")
        for action in self.player.actions_in_order:
            player.addAction(action)
        player.addWidget(self.player)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, player)
        self.toolbars = (main, player)
        for toolbar in self.toolbars:
            extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
            if extension is not None:
                extension.setToolTip("More of this toolbar (the window is too narrow to show it)")
        for action in self.player.actions_in_order:
            button = player.widgetForAction(action)
            if button is not None:
                button.setObjectName(f"button{action.objectName()[6:]}")
                button.setAccessibleName(action.text().split("\t")[0])
