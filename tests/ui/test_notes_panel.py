"""The notes dock: filters by colour, tag and text, sorting, the library-wide
view, and clicking a row to jump to the passage."""

from __future__ import annotations

from annotation_helpers import annotate, rows
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from reader.store.library import Annotation
from reader.ui.models.annotations import AnnotationFilterModel, AnnotationListModel


def _show_panel(window):
    window.docks["notes"].show()
    window.docks["notes"].raise_()
    return window.annotation_panel


def test_filters_and_sort(qtbot, window) -> None:
    annotate(qtbot, window, "Closing paragraph", colour="pink", note="ends oddly", tags="style")
    annotate(qtbot, window, "Jens Stoltenberg", colour="blue", tags="people, nato")
    annotate(qtbot, window, "First point", colour="yellow")
    panel = _show_panel(window)
    assert rows(panel) == ["“Jens Stoltenberg”\n#people #nato", "“First point”",
                           "“Closing paragraph”\n✎ ends oddly\n#style"]
    assert panel.status.text() == "3 highlights, 1 with a note."
    # colour
    panel.colour_filter.setCurrentIndex(panel.colour_filter.findData("blue"))
    assert rows(panel) == ["“Jens Stoltenberg”\n#people #nato"]
    assert panel.status.text().startswith("Showing 1 of 3 highlights")
    panel.colour_filter.setCurrentIndex(0)
    # tag: the combo offers the tags in use
    assert [panel.tag_filter.itemText(i) for i in range(panel.tag_filter.count())] == [
        "Any tag", "#nato", "#people", "#style"]
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("style"))
    assert rows(panel) == ["“Closing paragraph”\n✎ ends oddly\n#style"]
    panel.tag_filter.setCurrentIndex(0)
    # text: in quotes and notes
    qtbot.keyClicks(panel.text_filter, "ODDLY")
    assert rows(panel) == ["“Closing paragraph”\n✎ ends oddly\n#style"]
    panel.text_filter.clear()
    qtbot.keyClicks(panel.text_filter, "point")
    assert rows(panel) == ["“First point”"]
    panel.text_filter.clear()
    # newest first (the three were made within a second: order by creation stamp, then id)
    window.library.conn.execute("UPDATE annotations SET created='2030-01-01T00:00:00+00:00' WHERE exact='First point'")
    window.notes.refresh_panel()
    panel.sort.setCurrentIndex(panel.sort.findData("date"))
    assert rows(panel)[0] == "“First point”"
    panel.sort.setCurrentIndex(panel.sort.findData("position"))
    assert rows(panel)[0] == "“Jens Stoltenberg”\n#people #nato"


def test_library_wide_view_and_jump_to_another_article(qtbot, window) -> None:
    first = window.current_id
    annotate(qtbot, window, "Jens Stoltenberg", note="in this one")
    window.list_pane.table.setFocus()
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_J)
    second = window.current_id
    assert second != first
    annotate(qtbot, window, "First point", colour="green")
    panel = _show_panel(window)
    assert rows(panel) == ["“First point”"]
    panel.scope.setCurrentIndex(panel.scope.findData("library"))
    titles = {aid: window.library.article(aid).title for aid in (first, second)}
    assert sorted(rows(panel)) == sorted([f"{titles[first]}\n“Jens Stoltenberg”\n✎ in this one",
                                          f"{titles[second]}\n“First point”"])
    row = next(r for r in range(panel.proxy.rowCount()) if "in this one" in panel.proxy.index(r, 0).data())
    rect = panel.view.visualRect(panel.proxy.index(row, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_id == first  # the article was opened
    assert "flash" in window.reader.view.layer_names()
    assert panel.scope_key() == "library" and panel.proxy.rowCount() == 2


def test_click_scrolls_the_reader_to_the_passage_and_flashes_it(qtbot, window) -> None:
    view = window.reader.view
    annotate(qtbot, window, "Closing paragraph")
    window.resize(1000, 420)
    view.zoom_by(8)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=2000)
    view.verticalScrollBar().setValue(0)
    panel = _show_panel(window)
    [ann] = window.library.annotations(window.current_id)
    rect = panel.view.visualRect(panel.proxy.index(0, 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.verticalScrollBar().value() > 0
    cursor = QTextCursor(view.document())
    cursor.setPosition(ann.start)
    passage = view.cursorRect(cursor)
    assert 0 <= passage.top() and passage.bottom() <= view.viewport().height()  # on screen
    [flash] = view.layer_spans("flash")
    assert flash[:2] == (ann.start, ann.end)
    qtbot.waitUntil(lambda: "flash" not in view.layer_names(), timeout=3000)  # briefly


def test_models_pass_the_model_tester(qtmodeltester, filled_library) -> None:
    aid = filled_library.ids()[0]
    anns = [filled_library.annotate_quote(aid, "NATO", colour="blue", tags=["x"]),
            filled_library.annotate_quote(aid, "First point", note="n")]
    orphan = Annotation(id="o1", article_id="gone", start=0, end=3, exact="old", orphan=True, article_title="Gone")
    model = AnnotationListModel()
    qtmodeltester.check(model)
    model.set_annotations([*anns, orphan], with_article=True)
    qtmodeltester.check(model)
    proxy = AnnotationFilterModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_colour("blue")
    assert proxy.rowCount() == 1
    proxy.set_colour("")
    proxy.set_sort("date")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 3
