"""The menu bar: File, Edit, View, Play and Help, from the window's actions."""

from __future__ import annotations

from ...examples import EXAMPLES


class MenusMixin:
    """Builds the menu bar from the actions (part of MainWindow)."""

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new)
        file_menu.addAction(self.action_open)
        self.examples_menu = file_menu.addMenu("Open e&xample")
        self.examples_menu.setObjectName("examplesMenu")
        for name, (description, _make) in EXAMPLES.items():
            action = self.examples_menu.addAction(description)
            action.setObjectName(f"example:{name}")
            action.triggered.connect(lambda _c=False, n=name: self.open_example(n))
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_save)
        file_menu.addAction(self.action_save_as)
        file_menu.addSeparator()
        file_menu.addAction(self.action_import)
        self.export_menu = file_menu.addMenu("&Export")
        self.export_menu.setObjectName("exportMenu")
        self.export_menu.addAction(self.action_export)
        self.export_menu.addSeparator()
        self._make_export_menu(self.export_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)

        edit = bar.addMenu("&Edit")
        edit.addAction(self.action_undo)
        edit.addAction(self.action_redo)
        edit.addSeparator()
        t = self.table
        for action in (
            t.action_copy,
            t.action_paste,
            t.action_blank,
            None,
            t.action_insert_above,
            t.action_insert_below,
            t.action_delete_rows,
            None,
            t.action_add_input,
            t.action_add_target,
            t.action_rename_column,
            t.action_remove_column,
        ):
            if action is None:
                edit.addSeparator()
            else:
                edit.addAction(action)

        view = bar.addMenu("&View")
        for dock in self.docks:
            view.addAction(dock.toggleViewAction())
        for toolbar in self.toolbars:
            view.addAction(toolbar.toggleViewAction())
        view.addSeparator()
        view.addAction(self.action_zoom_in)
        view.addAction(self.action_zoom_out)
        view.addAction(self.action_reset_zoom)
        view.addAction(self.action_fit)
        view.addAction(self.action_compact)
        view.addAction(self.action_reset_layout)
        view.addAction(self.action_dark)
        view.addAction(self.action_presentation)

        play = bar.addMenu("&Play")
        for action in self.player.actions_in_order:
            play.addAction(action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_math)
        help_menu.addAction(self.action_about)
