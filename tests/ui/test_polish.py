"""What a person sees at a glance: the list's columns, counts said once, result
rows that fit their text, the empty library's status, finding the Notes panel,
a Highlight button that says what it does, quotes not doubled."""

from __future__ import annotations

from annotation_helpers import annotate, drag_select, press, rows
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QStyleOptionViewItem, QTabBar
from ui_fixtures import make_article

from reader.ui.models.annotations import quoted
from reader.ui.models.article_list import COL_DATE, COL_NOTES, COL_SOURCE, COL_STAR, COL_TITLE
from reader.ui.panels.annotation_panel import EMPTY_HINT
from reader.ui.views.result_delegate import ELLIPSIS

LONG_TITLE = "NATO stresses unity as foreign ministers wrap up summit"


def test_title_column_takes_the_room(qtbot, window) -> None:
    header = window.list_pane.table.horizontalHeader()
    assert header.sectionResizeMode(COL_TITLE) == QHeaderView.ResizeMode.Stretch
    # (never ResizeToContents: on a hidden table Qt would size it over every row)
    assert header.sectionResizeMode(COL_SOURCE) == QHeaderView.ResizeMode.Interactive
    for col in (COL_STAR, COL_NOTES, COL_DATE):
        assert header.sectionResizeMode(col) == QHeaderView.ResizeMode.Fixed
    model = window.list_pane.model
    metrics = window.list_pane.table.fontMetrics()
    widest_date = max(metrics.horizontalAdvance(model.index(r, COL_DATE).data() or "") for r in range(model.rowCount()))
    assert header.sectionSize(COL_DATE) >= widest_date  # dates are never cut
    sources = {model.index(r, COL_SOURCE).data() or "" for r in range(model.rowCount())}
    assert header.sectionSize(COL_SOURCE) >= max(metrics.horizontalAdvance(s) for s in sources)
    others = sum(header.sectionSize(c) for c in (COL_STAR, COL_SOURCE, COL_DATE, COL_NOTES))
    assert header.sectionSize(COL_TITLE) > others  # the title gets most of the row
    table = window.list_pane.table
    assert header.sectionSize(COL_TITLE) >= 0.5 * table.viewport().width()
    # a long title gets cut, but its tooltip has it all
    window.library.upsert(make_article(40, title=LONG_TITLE))
    window.lists.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 13, timeout=3000)
    row = next(r for r in range(13) if model.index(r, COL_TITLE).data() == LONG_TITLE)
    assert model.index(row, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole) == LONG_TITLE


def _visible_texts(window) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]


def test_article_count_said_once(qtbot, window) -> None:
    assert window.status_size.text() == "Library: 12 articles"
    texts = _visible_texts(window)
    assert len(texts) == len(set(texts)), texts
    assert not window.list_pane.count_label.isVisible()  # nothing filtered: the status bar says it
    qtbot.keyClicks(window.list_pane.quick_filter, "number 3 ")
    qtbot.waitUntil(lambda: window.list_pane.model.rowCount() == 1, timeout=3000)
    assert window.list_pane.count_label.isVisible()
    assert window.list_pane.count_label.text() == "1 of 12 articles"
    assert window.status_size.text() == "Library: 12 articles"


def _laid_out(window) -> bool:
    """All result rows laid out (the list lays out a batch per pass of the event loop)."""
    view = window.list_pane.results
    model = window.list_pane.results_model
    return all(view.visualRect(model.index(r, 0)).height() > 0 for r in range(model.rowCount()))


def _check_rows_fit(window) -> int:
    """Each result row holds its whole (shortened) text; returns how many were shortened."""
    view = window.list_pane.results
    delegate = view.itemDelegate()
    model = window.list_pane.results_model
    shortened = 0
    for r in range(model.rowCount()):
        index = model.index(r, 0)
        rect = view.visualRect(index)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = rect
        doc = delegate.document(option, index, rect.width())
        assert doc.size().height() <= rect.height(), (r, doc.size().height(), rect.height())
        snippet = doc.lastBlock()
        assert snippet.layout().lineCount() <= delegate.SNIPPET_LINES
        # title and meta are whole: no line of them is dropped
        assert doc.firstBlock().text() == index.data()
        if snippet.text().endswith(ELLIPSIS):
            shortened += 1
    return shortened


def test_result_rows_fit_title_meta_and_whole_snippet_lines(qtbot, window) -> None:
    window.search_bar.set_query("nato")
    model = window.list_pane.results_model
    qtbot.waitUntil(lambda: model.query == "nato" and model.rowCount() == 12 and _laid_out(window), timeout=3000)
    # the real snippets of these articles are longer than three lines: all are shortened, none cut
    assert _check_rows_fit(window) == 12
    window.resize(900, 700)  # a narrower list: rows are laid out again
    qtbot.waitUntil(lambda: window.list_pane.results.viewport().width() < 400 and _laid_out(window), timeout=3000)
    assert _check_rows_fit(window) == 12
    # each row was laid out once per width, not again for every size hint and paint
    delegate = window.list_pane.results.itemDelegate()
    before = delegate.layouts
    window.list_pane.results.doItemsLayout()
    window.list_pane.results.viewport().repaint()  # (laid out and painted now, not later)
    assert delegate.layouts == before


def test_empty_library_entities_status(qtbot, library, settings, monkeypatch) -> None:
    from reader.ui.app import make_main_window

    win = make_main_window(library, settings=settings, import_seeds=False, search=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.list_loaded, timeout=5000)
    # the entities check starts shortly after the first list is shown
    qtbot.waitUntil(lambda: win.status_entities.text() == "Entities: nothing to do", timeout=5000)
    assert not win.indexing.entities_running
    # no stray dock tab bar shows through the empty state
    central = win.centralWidget().geometry()
    qtbot.waitUntil(lambda: not [b for b in win.findChildren(QTabBar)
                                 if b.isVisible() and b.geometry().intersects(central)], timeout=2000)
    win.runner.wait(5000)


def _on_screen(widget) -> bool:
    """Visible to a person (a dock tabbed behind another is "visible" to Qt, but off-screen)."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def test_first_highlight_brings_the_notes_panel_forward(qtbot, window) -> None:
    panel = window.annotation_panel
    assert not _on_screen(panel)  # tabbed behind Entities on a first run
    assert panel.status.text() == EMPTY_HINT
    text = window.reader.article.plain_text
    start = text.index("Jens Stoltenberg")
    drag_select(qtbot, window.reader.view, start, start + len("Jens Stoltenberg"))
    press(qtbot, window, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: _on_screen(panel), timeout=2000)
    assert rows(panel) == ["“Jens Stoltenberg”"]
    # once only: back on Entities, the next highlight leaves the tabs alone
    window.docks["entities"].raise_()
    qtbot.waitUntil(lambda: not _on_screen(panel), timeout=2000)
    annotate(qtbot, window, "Second point")
    assert len(window.library.annotations(window.current_id)) == 2
    # (the panel is raised, or not, when the highlight is written: annotate() waited for that)
    assert window.settings.value("annotations/panel_introduced") == "1"
    assert not _on_screen(panel)


def test_highlight_button_says_what_it_does(qtbot, window) -> None:
    button = window.reader.highlight_button
    assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert button.text() == "Highlight"
    assert button.accessibleName() == "Highlight selection (H)"
    assert button.toolTip().startswith("Highlight selection (H)")
    assert button.width() >= button.fontMetrics().horizontalAdvance("Highlight")  # the word is shown whole
    # at the window's smallest width the reader's toolbar still fits: nothing overlaps
    # (the button may fall back to its colour swatch; its name and tooltip stay)
    window.resize(window.minimumSizeHint().width(), 600)
    pane = window.reader
    qtbot.waitUntil(lambda: pane.width() < 700, timeout=2000)
    row = [pane.star, button, pane.note_button, pane.hit_label, pane.font_combo, pane.zoom_out, pane.zoom_in]
    for left, right in zip(row, row[1:], strict=False):
        assert left.geometry().right() < right.geometry().left(), (left, right)
    assert pane.zoom_in.geometry().right() <= pane.width()
    assert window.width() <= 800  # the text does not make the window wider than before
    # the word is shown whole, or the button is its swatch alone - never a cut word
    fits = button.width() >= button.fontMetrics().horizontalAdvance("Highlight")
    assert (button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly) == (not fits)


def test_long_hit_label_is_elided_not_overlapping(qtbot, window) -> None:
    pane = window.reader
    long_text = "Mention 1 of 21: a rather long entity name, Organisation for Security and Co-operation in Europe"
    pane.hit_label.setText(long_text)
    qtbot.waitUntil(lambda: pane.hit_label.width() > 40, timeout=2000)
    assert pane.hit_label.geometry().right() < pane.font_combo.geometry().left()
    shown = pane.hit_label.shown_text()
    assert shown.endswith("…") and long_text.startswith(shown[:-1].rstrip())
    assert len(shown) > 5  # (a lone "…" would pass the line above)
    assert pane.hit_label.toolTip() == long_text


def test_quotes_are_not_doubled(qtbot, window) -> None:
    assert quoted('"central anchor of security"') == '"central anchor of security"'
    assert quoted("“rock-solid”") == "“rock-solid”"
    assert quoted('rock-solid" support') == '“rock-solid" support”'
    assert quoted("plain words") == "“plain words”"
    art = make_article(41, body='Baerbock called NATO a "central anchor of security" in Europe.')
    window.library.upsert(art)
    window.session.open(art.id)
    annotate(qtbot, window, '"central anchor of security"')
    assert rows(window.annotation_panel) == ['"central anchor of security"']
