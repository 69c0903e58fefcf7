"""Issue 17, related articles: a list opened with one click or Enter, its
reasons as short chips (shared people, orgs, places first; at most three
content words; no stop-words)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.ui.models.related import CHIPS_ROLE, ID_ROLE, STOP_WORDS, reason_chips


def test_reason_chips_order_and_stop_words() -> None:
    reasons = ("term: less", "place: Berlin", "term: some", "org: NATO", "person: Jens Stoltenberg", "term: budget",
               "term: alliance", "term: said", "term: ministers", "term: summit", "norp: German")
    assert reason_chips(reasons) == [("person", "Jens Stoltenberg"), ("org", "NATO"), ("place", "Berlin"),
                                     ("norp", "German"), ("term", "budget"), ("term", "alliance")]
    words = reason_chips(("term: less", "term: budget", "term: alliance", "term: ministers", "term: summit"))
    assert words == [("term", "budget"), ("term", "alliance"), ("term", "ministers")]
    assert {"less", "some", "said"} <= STOP_WORDS


def _related_ready(qtbot, window) -> None:
    model = window.related_panel.model
    qtbot.waitUntil(lambda: model.rowCount() > 2, timeout=10000)


def test_related_rows_show_chips_and_single_click_opens(qtbot, window) -> None:
    window.docks["related"].show()
    window.docks["related"].raise_()
    _related_ready(qtbot, window)
    panel = window.related_panel
    view = panel.view
    qtbot.waitUntil(view.isVisible, timeout=3000)
    chips = panel.model.index(0, 0).data(CHIPS_ROLE)
    kinds = [k for k, _t in chips]
    order = {"person": 0, "org": 1, "place": 2, "term": 9}
    ranks = [order.get(k, 3) for k in kinds]
    assert ranks == sorted(ranks) and {"person", "org"} <= set(kinds)  # shared entities first, in that order
    assert sum(1 for k in kinds if k == "term") <= 3
    assert all(t.casefold() not in STOP_WORDS for _k, t in chips)
    assert panel.model.index(0, 0).data() == panel.model.hit(0).title  # the title alone, not a text block
    # one click opens
    target = panel.model.index(1, 0)
    aid = target.data(ID_ROLE)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(target).center())
    qtbot.waitUntil(lambda: window.current_id == aid, timeout=3000)
    # Enter opens the current row
    _related_ready(qtbot, window)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    row = view.currentIndex()
    other = row.data(ID_ROLE)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_id == other, timeout=3000)


def test_related_delegate_draws_chips_inside_the_row(qtbot, window) -> None:
    window.docks["related"].show()
    window.docks["related"].raise_()
    _related_ready(qtbot, window)
    view = window.related_panel.view
    qtbot.waitUntil(view.isVisible, timeout=3000)
    delegate = view.itemDelegate()
    index = window.related_panel.model.index(0, 0)
    from PySide6.QtWidgets import QStyleOptionViewItem
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    rects = delegate.chip_rects(option, index)
    assert rects, "no chip fits the row"
    for rect, _kind, _text in rects:
        assert option.rect.contains(rect)
