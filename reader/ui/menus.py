"""The menu bar: arranges the actions the components made (by name).

Nothing is created or connected here: each component makes its own actions
(see :mod:`reader.ui.actions`) and the window collects them."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

#: (menu title, action names; None: a separator)
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("&File", ("import_files", "import_folder", "add_link", None, "feed_subscribe", "feed_refresh", "feed_remove",
               "import_opml", "export_opml", None, "export_article", "print_article", "export_notes", "import_notes",
               None, "reindex", "entities", None, "quit")),
    ("&Edit", ("undo", "redo", None, "paste_link", None, "find", "find_next", "find_prev", "search")),
    ("&Article", ("next", "prev", "open_original", None, "bookmark", "bookmark_selected", "tag",
                  "mark_read", "mark_unread", "feed_mark_all_read", "edit_metadata", "delete", None,
                  "next_mention", "prev_mention")),
    ("&Notes", ("highlight", "highlight_note", "colour_menu", None, "dock_notes_focus")),
    ("&View", ("zoom_in", "zoom_out", "zoom_reset", None, "theme_menu", None, "dock_*", None, "fullscreen")),
    ("&Help", ("shortcuts", "query_help", "about")),
)


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> None:
    """Put ``actions`` into the menus of ``bar`` as :data:`MENUS` says."""
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name == "theme_menu":
                themes = menu.addMenu("&Theme")
                for key in [k for k in actions if k.startswith("theme_")]:
                    themes.addAction(actions[key])
            elif name.endswith("*"):
                for key, action in actions.items():
                    if key.startswith(name[:-1]) and key != "dock_notes_focus":
                        menu.addAction(action)
            else:
                menu.addAction(actions[name])
