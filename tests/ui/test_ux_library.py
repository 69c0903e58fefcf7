"""Issue 17, library actions: the rows' context menu, mark unread, the Tag
dialog with completion, open original link, "Recognise entities again" when
current, the status bar's entities field, export and print."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QPushButton

from reader.ui.dialogs.tag_dialog import TagDialog
from reader.ui.models.article_list import COL_TITLE


def _row_menu(qtbot, window, row: int) -> QMenu:
    """Right-click on a library row, as a person does."""
    table = window.list_pane.table
    index = window.list_pane.model.index(row, COL_TITLE)
    pos = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, table.viewport().mapToGlobal(pos))
    QApplication.sendEvent(table.viewport(), event)
    qtbot.waitUntil(lambda: window.rows.last_menu is not None and window.rows.last_menu.isVisible(), timeout=3000)
    return window.rows.last_menu


def _click(qtbot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
    assert action.isEnabled(), text
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_context_menu_lists_the_row_actions(qtbot, window) -> None:
    aid = window.list_pane.model.id_at(2)
    _row_menu(qtbot, window, 2).close()  # opening the row; it counts as read after 2 s open
    qtbot.waitUntil(lambda: window.library.rows([aid])[aid].is_read, timeout=5000)
    menu = _row_menu(qtbot, window, 2)
    assert _texts(menu) == ["Open", "Open original link", "Bookmark selected articles", "Tag…", "Mark read",
                            "Mark unread", "Edit details…", "Export article…", "Print article…", "Delete selected articles…"]
    # the row clicked is open, so read: only "Mark unread" applies
    enabled = {a.text().replace("&", ""): a.isEnabled() for a in menu.actions() if not a.isSeparator()}
    assert enabled["Mark unread"] and not enabled["Mark read"]
    menu.close()


def test_mark_unread_then_read_from_the_menu(qtbot, window) -> None:
    _row_menu(qtbot, window, 3).close()
    aid = window.current_id
    qtbot.waitUntil(lambda: window.library.is_read(aid), timeout=5000)  # read after 2 s open
    menu = _row_menu(qtbot, window, 3)
    _click(qtbot, menu, "Mark unread")
    qtbot.waitUntil(lambda: not window.library.is_read(aid), timeout=3000)
    # the list shows it unread again (bold title)
    row = window.list_pane.model.row_of(aid)
    qtbot.waitUntil(lambda: window.list_pane.model.index(row, COL_TITLE).data(Qt.ItemDataRole.FontRole).bold(),
                    timeout=3000)
    menu = _row_menu(qtbot, window, row)
    _click(qtbot, menu, "Mark read")
    qtbot.waitUntil(lambda: window.library.is_read(aid), timeout=3000)


def test_bookmark_from_the_menu(qtbot, window) -> None:
    menu = _row_menu(qtbot, window, 1)
    aid = window.current_id
    _click(qtbot, menu, "Bookmark selected articles")
    qtbot.waitUntil(lambda: window.library.is_bookmarked(aid), timeout=3000)


def test_open_original_only_on_click(qtbot, window) -> None:
    opened: list[str] = []
    window.rows.open_url = lambda url: opened.append(url.toString()) or True
    menu = _row_menu(qtbot, window, 0)
    assert opened == []  # opening the article or its menu loads nothing
    url = window.reader.article.url
    _click(qtbot, menu, "Open original link")
    assert opened == [QUrl(url).toString()]
    qtbot.waitUntil(lambda: url in window.statusBar().currentMessage()
                    or url in window.status_task.text(), timeout=2000)


def _tag_dialog(qtbot) -> TagDialog:
    qtbot.waitUntil(lambda: any(isinstance(w, TagDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=3000)
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, TagDialog) and w.isVisible())


def test_tag_dialog_is_sized_and_completes_existing_tags(qtbot, window) -> None:
    aid = window.current_id
    window.library.add_tag(window.list_pane.model.id_at(5), "follow-up")
    window.library.add_tag(window.list_pane.model.id_at(6), "budget talks")
    window.list_pane.table.setFocus()
    qtbot.keyClick(window.list_pane.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = _tag_dialog(qtbot)
    assert dialog.width() >= 3 * dialog.fontMetrics().horizontalAdvance("Tag articles")
    assert dialog.windowTitle() == "Tag articles"
    dialog.activateWindow()  # (what the window manager does with a new dialog)
    qtbot.waitUntil(dialog.field.hasFocus, timeout=3000)
    qtbot.keyClicks(dialog.field, "foll")
    popup = dialog.completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    suggestions = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert suggestions == ["follow-up"]
    # the suggestion taken with the keys (the popup has the keyboard while it shows)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.field.text() == "follow-up"
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "follow-up" in window.library.tags_of(aid), timeout=3000)


def test_recognise_again_when_current_asks_then_redoes(qtbot, window) -> None:
    assert window.indexing.entities_current
    action = window.actions_by_name["entities"]
    action.trigger()
    qtbot.waitUntil(lambda: window.indexing.confirm_box is not None and window.indexing.confirm_box.isVisible(),
                    timeout=3000)
    box = window.indexing.confirm_box
    assert "up to date for all 12 articles" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert not window.indexing.entities_running
    action.trigger()
    box = window.indexing.confirm_box
    qtbot.waitUntil(box.isVisible, timeout=3000)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    # all 12 recognised again (not "up to date": nothing was missing)
    qtbot.waitUntil(lambda: window.status_entities.text() == "Entities: 12 articles updated", timeout=60000)


def test_status_bar_says_up_to_date_and_about_has_the_version(qtbot, window) -> None:
    window.session.open(window.list_pane.model.id_at(4))
    qtbot.waitUntil(lambda: window.status_entities.text() == "Entities: up to date", timeout=3000)
    assert "rules" in window.shell.about_text() and "Entity recogniser:" in window.shell.about_text()


def test_export_article_markdown_html_pdf(qtbot, window, tmp_path) -> None:
    title = window.reader.article.title
    md = window.rows.export_article(str(tmp_path / "a.md"))
    assert md is not None
    text = md.read_text(encoding="utf-8")
    assert text.startswith("---\n") and f"\n# {title}\n" in text
    page = window.rows.export_article(str(tmp_path / "a.html"))
    assert page is not None and "<html" in page.read_text(encoding="utf-8").lower()
    pdf = window.rows.export_article(str(tmp_path / "a.pdf"))
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    bad = window.rows.export_article(str(tmp_path / "missing-dir" / "a.md"))
    assert bad is None
    qtbot.waitUntil(lambda: "missing-dir" in window.status_task.text()
                    or "missing-dir" in window.statusBar().currentMessage(), timeout=2000)


def test_list_marks_undated_articles(qtbot, window) -> None:
    from ui_fixtures import make_article

    from reader.ui.events import What
    from reader.ui.models.article_list import COL_DATE

    undated = make_article(77, title="An article with no date").with_changes(published=None)
    window.library.upsert(undated)
    window.events.articles_changed.emit([undated.id], What.ADDED)
    model = window.list_pane.model
    qtbot.waitUntil(lambda: model.row_of(undated.id) >= 0, timeout=5000)
    row = model.row_of(undated.id)
    assert model.index(row, COL_DATE).data() == "undated"
    assert "No publication date" in model.index(row, COL_DATE).data(Qt.ItemDataRole.ToolTipRole)
    dated = model.row_of(window.list_pane.model.id_at(0)) if row != 0 else 1
    assert model.index(dated, COL_DATE).data() != "undated"
    # the text fits the column (not cut)
    table = window.list_pane.table
    assert table.columnWidth(COL_DATE) >= table.fontMetrics().horizontalAdvance("undated") + 8


def test_edit_details_dialog_corrects_and_says_a_bad_date(qtbot, window) -> None:
    from reader.ui.dialogs.metadata_dialog import MetadataDialog

    aid = window.current_id
    qtbot.keyClick(window.reader.view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(isinstance(w, MetadataDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=3000)
    dialog = window.rows.metadata_dialog
    dialog.title_field.clear()
    qtbot.keyClicks(dialog.title_field, "Corrected headline")
    dialog.date_field.clear()
    qtbot.keyClicks(dialog.date_field, "5th April")
    buttons = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Save"]
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "'5th April' is not a date" in dialog.error.text()
    dialog.date_field.clear()
    qtbot.keyClicks(dialog.date_field, "2021-03-04")
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.reader.article.title == "Corrected headline", timeout=5000)
    model = window.list_pane.model
    qtbot.waitUntil(lambda: model.row_of(aid) >= 0
                    and model.index(model.row_of(aid), COL_TITLE).data() == "Corrected headline", timeout=5000)
    assert window.library.article(aid).published.year == 2021
