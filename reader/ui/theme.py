"""Light and dark themes: Fusion style + QPalette, and the entity colours.

``system`` follows the desktop's colour scheme (``QStyleHints.colorScheme``).
Entity types get a background tint chosen to keep text readable in both
themes; colour is never the only cue (legend, tooltip, per-type toggles).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from reader import paths
from reader.core.render import DARK_COLOURS, LIGHT_COLOURS
from reader.store.library import COLOURS

THEMES = ("system", "light", "dark")

# label -> (light background, dark background, human name)
ENTITY_STYLES: dict[str, tuple[str, str, str]] = {
    "PERSON": ("#ffe2a8", "#6b4a00", "Person"),
    "ORG": ("#cde4ff", "#123f6e", "Organisation"),
    "PLACE": ("#c9f0d0", "#15532a", "Place"),
    "GPE": ("#c9f0d0", "#15532a", "Place"),
    "LOC": ("#c9f0d0", "#15532a", "Place"),
    "FACILITY": ("#d9f2ee", "#1d5049", "Facility"),
    "NORP": ("#f3d6f5", "#5e2463", "Group (NORP)"),
    "EVENT": ("#ffd4cc", "#6e2619", "Event"),
    "DATE": ("#e6e1f7", "#3d3466", "Date"),
    "TIME": ("#e6e1f7", "#3d3466", "Time"),
    "MONEY": ("#dff2c2", "#3c5514", "Money"),
    "PERCENT": ("#f6e9c5", "#5a4715", "Percent"),
    "QUANTITY": ("#ececec", "#4a4a4a", "Quantity"),
    "PRODUCT": ("#fde0ef", "#62203f", "Product"),
    "LAW": ("#e0ecef", "#2e4850", "Law"),
    "WORK": ("#f0e6da", "#54412c", "Work of art"),
    "LANGUAGE": ("#e3ecd9", "#3b4a2c", "Language"),
}
_FALLBACK = ("#eeeeee", "#444444", "")

SEARCH_HIT = ("#ffd84d", "#9c7a00")  # strong yellow: above the entity tints
FIND_HIT = ("#ff9f43", "#b35c00")
CURRENT_HIT_OUTLINE = ("#d35400", "#ffb86b")


@dataclass(frozen=True)
class ThemeState:
    """The theme in effect."""

    name: str  # what the user chose: system | light | dark
    dark: bool


def entity_colour(label: str, dark: bool) -> QColor:
    light_bg, dark_bg, _ = ENTITY_STYLES.get(label, _FALLBACK)
    return QColor(dark_bg if dark else light_bg)


def entity_name(label: str) -> str:
    return ENTITY_STYLES.get(label, _FALLBACK)[2] or label.title()


def system_is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    style = QApplication.style() if isinstance(app, QApplication) else None
    palette = style.standardPalette() if style is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def light_palette() -> QPalette:
    roles = {
        QPalette.ColorRole.Window: "#f3f3f3",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.ToolTipBase: "#fffbe6",
        QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#6e7781",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#eaeaea",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.BrightText: "#d1242f",
        QPalette.ColorRole.Highlight: "#2f6fde",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0b5cad",
        QPalette.ColorRole.LinkVisited: "#6f42c1",
        QPalette.ColorRole.Mid: "#c8c8c8",
    }
    return _palette(roles, "#8c959f")


def _palette(roles: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    """A palette of ``roles``, with greyed text for disabled widgets."""
    p = QPalette()
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return p


def dark_palette() -> QPalette:
    roles = {
        QPalette.ColorRole.Window: "#2b2d30",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#26282b",
        QPalette.ColorRole.ToolTipBase: "#3c3f41",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8b929a",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#3a3d41",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb4",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7ab7ff",
        QPalette.ColorRole.LinkVisited: "#c6a0ff",
        QPalette.ColorRole.Mid: "#4a4d52",
    }
    return _palette(roles, "#6b7078")


def reader_colours(dark: bool) -> dict[str, str]:
    """Colours for the reader pane's stylesheet (``reader.core.render.stylesheet``)."""
    return dict(DARK_COLOURS if dark else LIGHT_COLOURS)


def _app_stylesheet() -> str:
    path = paths.resource_path("style", "app.qss")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def apply_theme(app: QApplication, name: str) -> ThemeState:
    """Apply ``name`` (system | light | dark) to ``app``; returns what is in effect."""
    if name not in THEMES:
        name = "system"
    app.setStyle("Fusion")
    dark = system_is_dark() if name == "system" else name == "dark"
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(_app_stylesheet())
    state = ThemeState(name, dark)
    app.setProperty("reader_dark", dark)
    return state


def entity_underline(label: str, dark: bool) -> QColor:
    """An entity's mark in the reader: an underline in the type's colour, deep on
    the light page and bright on the dark one (the other theme's tint), so that
    note highlights - full backgrounds - never look like entities."""
    light_bg, dark_bg, _ = ENTITY_STYLES.get(label, _FALLBACK)
    return QColor(light_bg if dark else dark_bg)


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app.property("reader_dark")) if app is not None else False


# annotation colour -> (light background, dark background, light note mark, dark note mark);
# the names and meanings are the store's (reader.store.library.COLOURS)
ANNOTATION_STYLES: dict[str, tuple[str, str, str, str]] = {
    # marker-pen colours, deeper than the entity tints so a highlight stands out over
    # (and from) entities; in the dark theme bright with dark text, unlike the dark entity tints
    "yellow": ("#ffe14d", "#d4b106", "#8a6d00", "#4a3c00"),
    "green": ("#8fdc86", "#5cb85c", "#1f6b2a", "#0d3d16"),
    "blue": ("#8fbfff", "#5b9bea", "#1f4fa0", "#0c2a5c"),
    "pink": ("#ff9cc0", "#e06c9f", "#a8174f", "#560d2e"),
    "purple": ("#c9a2f2", "#a57fe0", "#5f2aa0", "#34125f"),
}
ANNOTATION_TEXT = ("#1f2328", "#111111")  # text on a highlight (light, dark theme)
FLASH = ("#ff8c1a", "#ffb86b")  # a jumped-to passage, briefly


def annotation_colour(colour: str, dark: bool) -> QColor:
    """The highlight background of an annotation colour in the given theme."""
    light_bg, dark_bg, _, _ = ANNOTATION_STYLES.get(colour, ANNOTATION_STYLES["yellow"])
    return QColor(dark_bg if dark else light_bg)


def annotation_mark(colour: str, dark: bool) -> QColor:
    """The underline colour that marks a highlight carrying a note."""
    _, _, light_mark, dark_mark = ANNOTATION_STYLES.get(colour, ANNOTATION_STYLES["yellow"])
    return QColor(dark_mark if dark else light_mark)


def annotation_label(colour: str) -> str:
    """``Yellow — important``: a colour with its meaning, as menus and the panel show it."""
    meaning = COLOURS.get(colour, "")
    return f"{colour.title()} — {meaning}" if meaning else colour.title()
