"""The window's own actions: the theme, full screen, the docks, quit, help."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMessageBox

from reader.ui.actions import Std, make_action
from reader.ui.dialogs.shortcuts import ShortcutsDialog, show_shortcuts
from reader.ui.theme import ThemeState, apply_theme

THEMES = (("system", "Follow &system"), ("light", "&Light"), ("dark", "&Dark"))


class WindowShell(QObject):
    """Theme (applied to the whole application), full screen, docks, help."""

    #: the theme changed: whether it is dark
    theme_changed = Signal(bool)

    def __init__(self, window: QMainWindow, settings: QSettings, docks: dict[str, QDockWidget]) -> None:
        super().__init__(window)
        self.window, self.settings, self.docks = window, settings, docks
        self.theme = ThemeState("system", False)
        self.shortcuts_dialog: ShortcutsDialog | None = None
        a: dict[str, QAction] = {
            "quit": make_action(self, "&Quit", window.close, [Std.Quit, "Ctrl+Q"]),
            "fullscreen": make_action(self, "&Full screen", self.toggle_fullscreen, [Std.FullScreen, "F11"]),
            "shortcuts": make_action(self, "&Keyboard shortcuts", self.show_shortcuts, ["Ctrl+/"]),
            "about": make_action(self, "&About Reader", self.show_about),
            "dock_notes_focus": make_action(self, "Show &notes panel", lambda: self.show_dock("notes"),
                                            ["Ctrl+Shift+N"]),
        }
        a["quit"].setMenuRole(QAction.MenuRole.QuitRole)
        group = QActionGroup(self)
        for name, label in THEMES:
            act = make_action(self, label, lambda _c=False, n=name: self.set_theme(n))
            act.setCheckable(True)
            group.addAction(act)
            a[f"theme_{name}"] = act
        for name, dock in docks.items():
            a[f"dock_{name}"] = dock.toggleViewAction()
        self.actions = a

    def about_text(self) -> str:
        """Help > About: what Reader is, and the entity recogniser's version."""
        backend = str(self.settings.value("entities/backend", "auto"))
        try:
            from reader.core.entities import backend_tag

            version = backend_tag(backend)
        except Exception as exc:  # noqa: BLE001 - shown as text: a missing model must not break About
            version = f"{backend} (not available: {exc})"
        return ("Reader — read, search and annotate news articles.\n\n"
                f"Entity recogniser: {version}")

    def show_about(self) -> None:
        QMessageBox.about(self.window, "About Reader", self.about_text())

    def set_theme(self, name: str) -> None:
        """Apply a theme ("system", "light", "dark") and remember it."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.theme = apply_theme(app, name)
        self.settings.setValue("ui/theme", name)
        action = self.actions.get(f"theme_{name}")
        if action is not None:
            action.setChecked(True)
        self.theme_changed.emit(self.theme.dark)

    def toggle_fullscreen(self) -> None:
        w = self.window
        w.showNormal() if w.isFullScreen() else w.showFullScreen()

    def show_dock(self, name: str) -> None:
        dock = self.docks[name]
        dock.show()
        dock.raise_()
        dock.widget().setFocus()

    def show_shortcuts(self) -> ShortcutsDialog:
        self.shortcuts_dialog = show_shortcuts(self.window)
        return self.shortcuts_dialog
