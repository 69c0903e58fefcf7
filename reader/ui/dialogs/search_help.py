"""The search syntax help: the Markdown help text (``reader/search/HELP.md``)
rendered as HTML (Python-Markdown, tables included) in a scrollable window
sized to the screen, shown by the search field's ``?`` and Help > Search syntax."""

from __future__ import annotations

import markdown
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

#: table cells get some room; code looks like code in both themes
HELP_CSS = """
table { border-collapse: collapse; margin: 6px 0; }
th, td { padding: 3px 8px; border: 1px solid palette(mid); vertical-align: top; }
th { text-align: left; }
code { font-family: monospace; }
h1 { font-size: 140%; } h2 { font-size: 120%; }
"""


def render_help(text: str) -> str:
    """The help Markdown as an HTML fragment (tables and fenced code supported)."""
    body = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    return f"<style>{HELP_CSS}</style>{body}"


class SearchHelpWindow(QDialog):
    """A non-modal window with the rendered search help; Esc or Close hides it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchHelp")
        self.setWindowTitle("Search syntax")
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("searchHelpText")
        self.browser.setOpenLinks(False)  # nothing remote: links in the help are not followed
        self.browser.setHtml(render_help(text))
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_F1), self, self.close)
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """About 760x640, never larger than 90% of the screen the parent is on."""
        parent = self.parentWidget()
        screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width, height = 760, 640
        if avail is not None:
            width = min(width, int(avail.width() * 0.9))
            height = min(height, int(avail.height() * 0.9))
        self.resize(width, height)

    def plain_text(self) -> str:
        """What the reader sees (for tests and copying)."""
        return self.browser.toPlainText()
