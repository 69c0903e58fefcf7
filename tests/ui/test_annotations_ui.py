"""Highlights and notes driven the way a person uses them: select text with the
mouse or the keyboard, press H or N, see it coloured, edit, delete, undo."""

from __future__ import annotations

from annotation_helpers import drag_select, format_at, keyboard_select, press
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from ui_fixtures import held_write_lock, search_ids

from reader.ui.models.annotations import ORPHAN_MARK
from reader.ui.theme import annotation_colour


def test_mouse_selection_and_h_highlights_in_the_current_colour(qtbot, window, built_index) -> None:
    assert search_ids(built_index, window.library, "has:notes") == set()
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("Jens Stoltenberg met")
    end = start + len("Jens Stoltenberg met officials")
    drag_select(qtbot, view, start, end)
    assert view.selected_span() == (start, end)
    press(qtbot, window, Qt.Key.Key_H)
    [ann] = window.library.annotations(window.current_id)
    assert (ann.start, ann.end, ann.exact, ann.colour, ann.note) == (start, end, "Jens Stoltenberg met officials",
                                                                   "yellow", "")
    # what the person sees: the passage drawn in the highlight colour, the text around it not
    for offset in (start, end - 1):
        fmt = format_at(view, offset)
        assert fmt is not None and fmt.background().color() == annotation_colour("yellow", False)
        assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline  # no note: no mark
    assert format_at(view, end + 1) is None or format_at(view, end + 1).background().color() != annotation_colour(
        "yellow", False)
    assert [(s, e) for s, e, _f, _t in view.layer_spans("annotations")] == [(start, end)]
    assert not view.textCursor().hasSelection()
    assert "Highlighted" in window.statusBar().currentMessage()
    # the panel lists it, the list counts it, the index gets the quote
    assert window.annotation_panel.model.rowCount() == 1
    assert "Jens Stoltenberg met officials" in window.annotation_panel.proxy.index(0, 0).data()
    aid = window.current_id
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "has:notes") == {aid}, timeout=5000)
    assert search_ids(built_index, window.library, 'notes:"stoltenberg met officials"') == {aid}


def test_h_without_a_selection_explains(qtbot, window) -> None:
    press(qtbot, window, Qt.Key.Key_H)
    assert window.library.annotations(window.current_id) == []
    assert "Select some text" in window.statusBar().currentMessage()


def test_keyboard_selection_and_n_adds_a_note(qtbot, window, built_index) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("The alliance spent")
    keyboard_select(qtbot, view, start, len("The alliance spent"))
    assert view.selected_span() == (start, start + len("The alliance spent"))
    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.notes.note_dialog
    assert dialog is not None and dialog.isVisible()
    assert "The alliance spent" in dialog.quote.text()
    qtbot.keyClicks(dialog.note, "Check the 2% figure")
    dialog.tags.setFocus()
    qtbot.keyClicks(dialog.tags, "budget, #nato")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
    [ann] = window.library.annotations(window.current_id)
    assert ann.note == "Check the 2% figure" and ann.tags == ("budget", "nato") and ann.exact == "The alliance spent"
    fmt = format_at(view, start + 3)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline  # a note looks different
    tips = [p.tooltip for p in view.pieces_at(start + 3)]
    assert any("Note: Check the 2% figure" in t for t in tips)
    aid = window.current_id
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "notes:figure") == {aid}, timeout=5000)


def test_surrounding_spaces_and_line_breaks_are_left_out(qtbot, window) -> None:
    text = window.reader.article.plain_text
    start = text.index("First point") - 1  # from the line break before, over the one after
    keyboard_select(qtbot, window.reader.view, start, len("First point") + 2)
    assert window.reader.view.selected_span() == (start, start + len("First point") + 2)
    press(qtbot, window, Qt.Key.Key_H)
    [ann] = window.library.annotations(window.current_id)
    assert ann.exact == "First point"


def test_cancelled_note_creates_nothing(qtbot, window) -> None:
    text = window.reader.article.plain_text
    keyboard_select(qtbot, window.reader.view, text.index("First point"), 5)
    press(qtbot, window, Qt.Key.Key_N)
    dialog = window.notes.note_dialog
    qtbot.keyClicks(dialog.note, "never mind")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert window.library.annotations(window.current_id) == []


def test_selection_across_a_heading_and_paragraphs(qtbot, window) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("NATO said so.")
    end = text.index("The alliance spent") + len("The alliance")
    drag_select(qtbot, view, start, end)
    press(qtbot, window, Qt.Key.Key_H)
    [ann] = window.library.annotations(window.current_id)
    assert ann.exact == "NATO said so.\nWhat happened next\nThe alliance"
    assert (ann.start, ann.end) == (start, end)
    assert view.document().toPlainText() == text  # nothing mangled
    for offset in (start, text.index("happened"), end - 1):
        assert format_at(view, offset).background().color() == annotation_colour("yellow", False)


def test_colour_choice_is_remembered(qtbot, window, filled_library, settings, built_index) -> None:
    from reader.ui.app import make_main_window

    press(qtbot, window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert window.notes.colour == "green"
    assert window.actions_by_name["colour_green"].isChecked()
    text = window.reader.article.plain_text
    keyboard_select(qtbot, window.reader.view, text.index("Second point"), 6)
    window.reader.highlight_button.click()  # the toolbar button does what H does
    [ann] = window.library.annotations(window.current_id)
    assert ann.colour == "green"
    assert format_at(window.reader.view, ann.start).background().color() == annotation_colour("green", False)
    # the colour menu on the toolbar button lists all five colours with their meanings
    labels = [a.text() for a in window.reader.highlight_button.menu().actions()]
    assert labels == ["Yellow — important", "Green — agree", "Blue — question", "Pink — disagree",
                      "Purple — follow up"]
    window.close()
    again = make_main_window(filled_library, settings=settings, index=built_index, import_seeds=False)
    qtbot.addWidget(again)
    assert again.notes.colour == "green" and again.actions_by_name["colour_green"].isChecked()
    again.close()


def test_highlights_and_notes_survive_a_restart(qtbot, window, settings, built_index, reader_home) -> None:
    from reader.store import Library
    from reader.ui.app import make_main_window

    view = window.reader.view
    text = window.reader.article.plain_text
    first = text.index("Jens Stoltenberg")
    drag_select(qtbot, view, first, first + len("Jens Stoltenberg"))
    press(qtbot, window, Qt.Key.Key_H)
    second = text.index("Closing paragraph")
    keyboard_select(qtbot, view, second, len("Closing paragraph"))
    press(qtbot, window, Qt.Key.Key_N)
    qtbot.keyClicks(window.notes.note_dialog.note, "remember this")
    window.notes.note_dialog.buttons.button(window.notes.note_dialog.buttons.StandardButton.Save).click()
    opened = window.current_id
    window.close()
    window.library.close()
    lib = Library.open(reader_home / "library.sqlite3")
    try:
        again = make_main_window(lib, settings=settings, index=built_index, import_seeds=False)
        qtbot.addWidget(again)
        again.show()
        qtbot.waitUntil(lambda: again.reader.article is not None, timeout=5000)
        assert again.current_id == opened
        spans = [(s, e) for s, e, _f, _t in again.reader.view.layer_spans("annotations")]
        assert spans == [(first, first + len("Jens Stoltenberg")), (second, second + len("Closing paragraph"))]
        assert format_at(again.reader.view, second).underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
        rows = [again.annotation_panel.proxy.index(r, 0).data() for r in range(again.annotation_panel.proxy.rowCount())]
        assert rows == ["“Jens Stoltenberg”", "“Closing paragraph”\n✎ remember this"]
        again.runner.cancel_all()
        again.runner.wait(5000)
        again.close()
    finally:
        lib.close()


def test_edit_delete_and_undo_from_the_panel(qtbot, window, built_index) -> None:
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("Foreign ministers")
    drag_select(qtbot, view, start, start + len("Foreign ministers"))
    press(qtbot, window, Qt.Key.Key_H)
    panel = window.annotation_panel
    window.docks["notes"].show()
    window.docks["notes"].raise_()
    rect = panel.view.visualRect(panel.proxy.index(0, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "flash" in view.layer_names()  # the click jumped to the passage and flashes it
    qtbot.waitUntil(lambda: "flash" not in view.layer_names(), timeout=3000)
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.notes.note_dialog
    assert dialog.isVisible() and dialog.note.toPlainText() == ""
    dialog.colour.setCurrentIndex(dialog.colour.findData("blue"))
    qtbot.keyClicks(dialog.note, "who exactly?")
    qtbot.keyClicks(dialog.tags, "people")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    [ann] = window.library.annotations(window.current_id)
    assert (ann.colour, ann.note, ann.tags) == ("blue", "who exactly?", ("people",))
    assert format_at(view, start).background().color() == annotation_colour("blue", False)
    assert window.actions_by_name["undo"].text().replace("&", "") == "Undo Edit note"
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "notes:exactly") == {window.current_id},
                    timeout=5000)  # the edited note reaches the index
    # Ctrl+Z undoes the edit (written in the writer pool, then shown)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: format_at(view, start).background().color() == annotation_colour("yellow", False),
                    timeout=3000)
    [ann] = window.library.annotations(window.current_id)
    assert (ann.colour, ann.note, ann.tags) == ("yellow", "", ())
    # Delete in the list deletes (not the article), Ctrl+Z brings it back, Ctrl+Shift+Z deletes again
    panel.view.setFocus()
    panel.select_id(ann.id)
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert window.library.annotations(window.current_id) == []
    assert window.library.article(window.current_id) is not None
    assert panel.model.rowCount() == 0 and view.layer_spans("annotations") == []
    assert "Undo" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=3000)
    [back] = window.library.annotations(window.current_id)
    assert (back.id, back.start, back.end) == (ann.id, ann.start, ann.end)
    assert format_at(view, start) is not None
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=3000)
    assert window.library.annotations(window.current_id) == []
    # the first undo step removes the highlight made with H (the steps run in order)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.undo_stack.canUndo()
    qtbot.waitUntil(lambda: window.runner.wait(0) and panel.model.rowCount() == 0, timeout=5000)
    assert window.library.annotations(window.current_id) == []


def test_context_menu_deletes_the_highlight_under_the_pointer(qtbot, window) -> None:
    from annotation_helpers import point_at

    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("First point")
    drag_select(qtbot, view, start, start + len("First point"))
    menu = window.reader.build_context_menu(point_at(view, start + 2))
    labels = [a.text() for a in menu.actions()]
    assert "&Highlight selection" in labels and "Highlight with a &note…" in labels
    next(a for a in menu.actions() if a.text() == "&Highlight selection").trigger()
    menu = window.reader.build_context_menu(point_at(view, start + 2))
    delete = next(a for a in menu.actions() if a.text() == "&Delete highlight")
    delete.trigger()
    assert window.library.annotations(window.current_id) == []


def test_orphan_is_listed_not_dropped(qtbot, window) -> None:
    lib = window.library
    aid = window.current_id
    ann = lib.annotate_quote(aid, "Second point", note="kept anyway")
    lib.conn.execute("UPDATE annotations SET orphan=1 WHERE id=?", (ann.id,))
    window.notes.article_opened(aid)
    rows = [window.annotation_panel.proxy.index(r, 0).data() for r in range(window.annotation_panel.proxy.rowCount())]
    assert rows == [f"{ORPHAN_MARK}\n“Second point”\n✎ kept anyway"]
    assert window.reader.view.layer_spans("annotations") == []
    assert window.notes.jump(ann.id) is False
    assert "could not be placed" in window.statusBar().currentMessage()


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def test_highlights_are_readable_in_light_and_dark(qtbot, window) -> None:
    from reader.store import COLOURS

    text = window.reader.article.plain_text
    quotes = ["Jens Stoltenberg", "First point", "Second point", "Foreign ministers", "Closing paragraph"]
    for quote, colour in zip(quotes, COLOURS, strict=True):
        start = text.index(quote)
        keyboard_select(qtbot, window.reader.view, start, len(quote))
        press(qtbot, window, {"yellow": Qt.Key.Key_1, "green": Qt.Key.Key_2, "blue": Qt.Key.Key_3,
                              "pink": Qt.Key.Key_4, "purple": Qt.Key.Key_5}[colour], Qt.KeyboardModifier.AltModifier)
        press(qtbot, window, Qt.Key.Key_H)
    for theme, dark in (("dark", True), ("light", False)):
        window.actions_by_name[f"theme_{theme}"].trigger()
        for quote, colour in zip(quotes, COLOURS, strict=True):
            fmt = format_at(window.reader.view, text.index(quote))
            background, foreground = fmt.background().color(), fmt.foreground().color()
            assert background == annotation_colour(colour, dark)
            lighter, darker = sorted((_luminance(background), _luminance(foreground)), reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (theme, colour)  # WCAG AA for body text


def test_highlight_edit_and_delete_while_another_connection_writes(qtbot, window, built_index) -> None:
    """An import's transaction (or a checkpoint) holds the database: H, an edit
    and a delete return at once, the status bar says the change waits, and
    each is written - and undoable - once the lock is free."""
    view = window.reader.view
    text = window.reader.article.plain_text
    start = text.index("Foreign ministers")
    end = start + len("Foreign ministers")
    drag_select(qtbot, view, start, end)
    with held_write_lock(window.db_path) as other:
        press(qtbot, window, Qt.Key.Key_H)  # (a blocking write raised "locked" after 15 s)
        assert "Saving…" in window.statusBar().currentMessage()
        assert other.execute("SELECT count(*) FROM annotations").fetchone()[0] == 0
        assert not window.undo_stack.canUndo()  # nothing to undo until it is written
    qtbot.waitUntil(lambda: len(window.library.annotations(window.current_id)) == 1, timeout=5000)
    [ann] = window.library.annotations(window.current_id)
    assert (ann.start, ann.end, ann.colour) == (start, end, "yellow")
    qtbot.waitUntil(lambda: [(s, e) for s, e, _f, _t in view.layer_spans("annotations")] == [(start, end)],
                    timeout=3000)
    assert window.annotation_panel.model.rowCount() == 1
    assert "Highlighted" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: search_ids(built_index, window.library, "has:notes") == {window.current_id},
                    timeout=5000)
    # an edit in the note editor, then Delete in the Notes panel, while the database is held again
    panel = window.annotation_panel
    window.docks["notes"].show()
    window.docks["notes"].raise_()
    panel.select_id(ann.id)
    with held_write_lock(window.db_path) as other:
        qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
        dialog = window.notes.note_dialog
        dialog.colour.setCurrentIndex(dialog.colour.findData("blue"))
        qtbot.keyClicks(dialog.note, "later")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
        assert "Saving…" in window.statusBar().currentMessage()
        panel.view.setFocus()
        panel.select_id(ann.id)
        qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
        assert other.execute("SELECT note FROM annotations").fetchall() == [("",)]
    qtbot.waitUntil(lambda: window.library.annotations(window.current_id) == [], timeout=5000)
    qtbot.waitUntil(lambda: view.layer_spans("annotations") == [], timeout=3000)
    assert window.actions_by_name["undo"].text().replace("&", "") == "Undo Delete highlight"
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the delete, in order
    qtbot.waitUntil(lambda: len(window.library.annotations(window.current_id)) == 1, timeout=5000)
    [back] = window.library.annotations(window.current_id)
    assert (back.id, back.note, back.colour) == (ann.id, "later", "blue")
