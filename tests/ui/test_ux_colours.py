"""Issue 17, colours: notes are full backgrounds, entities coloured underlines
(never mistaken for each other), with WCAG contrast in both themes; the
dateline gets no entity marks; people, orgs and places shown by default."""

from __future__ import annotations

import pytest
from annotation_helpers import format_at
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette

from reader.ui.theme import ANNOTATION_STYLES, ANNOTATION_TEXT, ENTITY_STYLES, annotation_colour, entity_underline


def _luminance(colour: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio (1..21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_known_values() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_marks_pass_contrast_checks(qtbot, window, theme) -> None:
    window.set_theme(theme)
    dark = theme == "dark"
    page = window.reader.view.palette().color(QPalette.ColorRole.Base)
    text = window.reader.view.palette().color(QPalette.ColorRole.Text)
    assert contrast(page, text) >= 7
    for label in ENTITY_STYLES:  # an underline is a graphical mark: 3:1 against the page (WCAG 1.4.11)
        assert contrast(entity_underline(label, dark), page) >= 3, label
    for colour in ANNOTATION_STYLES:  # text on a note's background: 4.5:1 (WCAG 1.4.3)
        bg = annotation_colour(colour, dark)
        assert contrast(QColor(ANNOTATION_TEXT[1 if dark else 0]), bg) >= 4.5, colour
        assert contrast(bg, page) >= 1.3, colour  # the highlight is visible as a block


def test_entities_underlined_notes_filled(qtbot, window) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    person = text.index("Jens Stoltenberg")
    fmt = format_at(view, person + 1)
    assert fmt is not None and fmt.fontUnderline()
    assert fmt.background().style() == Qt.BrushStyle.NoBrush  # no fill: fills are notes
    assert fmt.underlineColor() == entity_underline("PERSON", window.theme.dark)


def test_dateline_has_no_entity_marks(qtbot, window) -> None:
    article = window.reader.article
    meta = next(line for line in article.lines() if line.role.value == "meta")
    assert "Jane Doe" in meta.text
    # an entity recognised in the dateline (the author) is not drawn there
    from reader.store import EntitySpan
    start = meta.start + meta.text.index("Jane Doe")
    spans = [*window.library.entities(article.id), EntitySpan(start, start + 8, "PERSON", "Jane Doe", "Jane Doe")]
    window.reader.set_entities(sorted(spans, key=lambda s: s.start))
    assert format_at(window.reader.view, start + 1) is None
    body = article.plain_text.index("Jens Stoltenberg")
    assert format_at(window.reader.view, body + 1) is not None


def test_default_shows_people_orgs_places_rest_one_click_away(qtbot, window) -> None:
    panel = window.entity_panel
    shown = {label for label, box in panel.toggles.items() if box.isChecked()}
    assert shown == {"PERSON", "ORG", "PLACE", "GPE", "LOC"} & set(panel.toggles)
    assert {"PERSON", "ORG", "PLACE", "MONEY", "DATE"} <= set(panel.toggles)
    view = window.reader.view
    money = window.reader.article.plain_text.index("€5 billion")
    assert format_at(view, money + 1) is None
    box = panel.toggles["MONEY"]
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: format_at(view, money + 1) is not None, timeout=3000)
