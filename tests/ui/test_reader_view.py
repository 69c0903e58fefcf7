"""The reader pane: the plain-text invariant, highlight layers, no remote loads."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QTextCharFormat, QTextDocument
from ui_fixtures import make_article

from reader.core.article import Article, Block, BlockKind
from reader.ui.textmap import TextMap
from reader.ui.views.reader_view import ReaderView


def _fmt(colour: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(colour))
    return fmt


def test_plain_text_invariant(qtbot) -> None:
    view = ReaderView()
    qtbot.addWidget(view)
    for art in (make_article(0), make_article(1, emoji=True)):
        view.show_article(art)
        assert view.document().toPlainText() == art.plain_text
        assert view.document().blockCount() == len(art.lines())


def test_plain_text_invariant_awkward_text(qtbot) -> None:
    art = Article(id="x", identity="x", title="<script>alert(1)</script> & “quotes” 😀", content_hash="h",
                  lede="Tabs\tand  double  spaces\u00a0nbsp 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", url="javascript:alert(1)",
                  blocks=(Block(BlockKind.PARAGRAPH, "zero\u200bwidth soft\u00adhyphen &amp; <b>not bold</b>"),
                          Block(BlockKind.HEADING, "h4", level=4), Block(BlockKind.LIST_ITEM, "only item")))
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(art)
    assert view.document().toPlainText() == art.plain_text
    assert "<script>" in view.document().toPlainText()  # shown as text, not markup
    assert "javascript" not in view.document().toHtml().split("<body")[1].split("href")[0] or \
        'href="javascript' not in view.document().toHtml()


def test_layers_non_bmp_offsets(qtbot) -> None:
    art = make_article(1, emoji=True)
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(art)
    text = art.plain_text
    start = text.index("Closing")
    end = start + len("Closing")
    assert TextMap(text).to_qt(start) > start  # emoji before it
    view.set_layer("test", [(start, end, _fmt("#ff0000"), "tip")], 10)
    sel = view.extraSelections()
    assert len(sel) == 1
    assert sel[0].cursor.selectedText() == "Closing"


def test_layers_flatten_priority(qtbot) -> None:
    art = make_article(2)
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(art)
    text = art.plain_text
    s = text.index("Jens Stoltenberg")
    view.set_layer("entities", [(s, s + 16, _fmt("#00ff00"), "Person")], 10)
    view.set_layer("search", [(s + 5, s + 16 + 4, _fmt("#ffff00"), "hit")], 25)
    sels = view.extraSelections()
    ranges = sorted((x.cursor.selectionStart(), x.cursor.selectionEnd()) for x in sels)
    # no character covered twice
    for (_a, b), (c, _d) in zip(ranges, ranges[1:], strict=False):
        assert b <= c
    by_text = {x.cursor.selectedText(): x.format.background().color().name() for x in sels}
    assert by_text["Jens "] == "#00ff00"
    assert by_text["Stoltenberg"] == "#ffff00"  # higher priority wins the overlap
    assert by_text[" met"] == "#ffff00"
    piece = view.pieces_at(s + 6)[0]
    assert piece.layers == ("entities", "search") and "Person" in piece.tooltip
    view.clear_layer("search")
    assert [x.cursor.selectedText() for x in view.extraSelections()] == ["Jens Stoltenberg"]


def test_no_remote_loads(qtbot) -> None:
    view = ReaderView()
    qtbot.addWidget(view)
    assert view.openLinks() is False
    assert view.loadResource(int(QTextDocument.ResourceType.ImageResource), QUrl("https://evil.example/x.png")) is None
    assert view.loadResource(int(QTextDocument.ResourceType.StyleSheetResource), QUrl("http://evil.example/x.css")) \
        is None
    assert "https://evil.example/x.png" in view.blocked_urls
    # an image in HTML set directly never triggers a fetch either
    view.setHtml('<p>x<img src="https://evil.example/pixel.gif"></p>')
    view.document().adjustSize()
    view.grab()
    assert any("pixel.gif" in u for u in view.blocked_urls)


def test_links_open_only_on_click(qtbot, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("reader.ui.views.reader_view.QDesktopServices.openUrl", lambda url: opened.append(url.toString()))
    view = ReaderView()
    qtbot.addWidget(view)
    view.show_article(make_article(3))
    assert opened == []
    view.anchorClicked.emit(QUrl("https://www.dw.com/en/a-3"))
    assert opened == ["https://www.dw.com/en/a-3"]
    view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://www.dw.com/en/a-3"]


def test_zoom_and_font_remembered(qtbot, settings) -> None:
    view = ReaderView(settings=settings)
    qtbot.addWidget(view)
    size = view.reading_font().pointSize()
    view.zoom_by(2)
    assert view.reading_font().pointSize() == size + 2
    view2 = ReaderView(settings=settings)
    qtbot.addWidget(view2)
    assert view2.reading_font().pointSize() == size + 2
    view2.zoom_reset()
    assert view2.reading_font().pointSize() == 13


def test_plain_text_invariant_seeds(qtbot, seeds_dir) -> None:
    from reader.core.ingest import load_file

    view = ReaderView()
    qtbot.addWidget(view)
    for path in sorted(seeds_dir.iterdir()):
        art = load_file(path)
        view.show_article(art)
        assert view.document().toPlainText() == art.plain_text, path.name
