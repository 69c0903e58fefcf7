"""The DW parser on real page scrapes (issue 15).

``dw_real/`` holds stored copies of real dw.com scrapes (2003-2024; articles,
opinion pieces, live blogs, video/audio pages, AMP pages, topic pages), exactly
as stored, and ``labels.tsv`` what a person read off each page.  The scorer must
reach 97% of fields with no crash, and each failure class of the issue has a test
made from one or more real pages of the corpus.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reader.core.article import Article, BlockKind
from reader.core.ingest import load_file
from reader.core.ingest.dw_score import FIELDS, compare, load_labels, score

CORPUS = Path(__file__).parent / "dw_real"


def page(prefix: str) -> Article:
    """Parse the corpus page whose file name starts with ``prefix`` (``"048"``) as a DW scrape."""
    matches = sorted(CORPUS.glob(f"{prefix}_*.txt"))
    assert len(matches) == 1, matches
    from reader.core.ingest import parse_text
    from reader.core.ingest.decode import decode_bytes

    path = matches[0]
    return parse_text(decode_bytes(path.read_bytes(), str(path)), fmt="dw", path=str(path))


# ---- the corpus and the scorer ---------------------------------------------------------
def test_corpus_is_real_and_labelled() -> None:
    labels = load_labels(CORPUS)
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert len(labels) >= 75
    assert sorted(label.file for label in labels) == files  # every page labelled, every label a page
    assert all(any(mark in label.url for mark in ("dw.com", "dw.de", "/dw/")) for label in labels)
    kinds = {label.kind for label in labels}
    assert {"article", "opinion", "live blog", "video"} <= kinds
    years = {label.published[:4] for label in labels if label.published}
    assert min(years) <= "2005" and max(years) >= "2024"
    assert sum(1 for label in labels if not label.title) >= 4  # pages with no headline at all


def test_scorer_reaches_the_bar_with_no_crash() -> None:
    result = score(CORPUS)
    report = "\n".join(result.report_lines())
    assert result.crashes == 0, report
    assert result.overall >= 0.97, report
    for name in FIELDS:
        assert result.field_accuracy(name) >= 0.95, report


def test_scorer_counts_a_wrong_field_as_a_miss() -> None:
    label = next(label for label in load_labels(CORPUS) if label.file.startswith("017_"))
    article = page("017")
    assert compare(label, article).misses == []
    wrong = article.with_changes(title="Something else", authors=(), published=datetime(2006, 4, 1))
    assert compare(label, wrong).misses == ["title", "published", "authors"]


def test_every_page_explains_its_title_date_and_author() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        notes = page(path.name[:3]).parse_notes
        for topic in ("title:", "date:", "author:"):
            assert any(note.startswith(topic) for note in notes), (path.name, notes)


# ---- one test per failure class, each from real pages ---------------------------------
def test_programme_label_is_not_the_headline() -> None:
    old = page("001")  # old av page: HTML title line, menu, "DW News" label, headline
    assert old.title == "Merkel's coalition takes another beating"
    assert old.published == datetime(2019, 6, 2)
    bare = page("047")  # "DW News" is the very first line
    assert bare.title == "DW's Brent Goff speaks to the AfD's Frank-Christian Hansel"
    again = page("064")  # headline, "DW News", headline again: the label is no author either
    assert again.title == "Juan Guaido: 'Time is running out for Maduro'"
    assert again.authors == ()
    short = page("072")  # "Headline | DW News | 19.06.2017"
    assert (short.title, short.published) == ("France launches terror investigation", datetime(2017, 6, 19))
    assert any("label" in note for note in bare.parse_notes)
    dated = page("079")  # "Headline | 29.03.2016", then the "DW News" label
    assert (dated.title, dated.published) == ("Terrorists' neighborhood in the spotlight", datetime(2016, 3, 29))


def test_duration_line_is_not_the_headline() -> None:
    video = page("048")  # headline, "05:01", "This browser does not support ...", date
    assert video.title == "Germany: The far right on the rise"
    assert video.published == datetime(2019, 8, 22)
    assert any("05:01" in note for note in video.parse_notes)
    german = page("073")  # the same on a German AMP page, with a German date
    assert (german.title, german.published) == ("Das Duell Merkel gegen Steinbrück", datetime(2013, 9, 22))
    amp = page("076")  # headline, duration, section label, date
    assert amp.title == "German elections: Could they impact the African continent?"
    assert amp.published == datetime(2021, 10, 28)


def test_page_without_headline_is_untitled_never_a_banner_or_teaser() -> None:
    banner = page("014")  # crawler prefix + beta banner + cookie text + teasers of other items
    assert banner.title == ""
    assert banner.published == datetime(2022, 4, 15) and banner.date_is_crawl
    assert "Take a look at the beta version" not in banner.plain_text
    assert any("teasers" in note for note in banner.parse_notes)
    listing = page("030")  # banner + cookie + teaser sentences, no date at all
    assert listing.title == "" and listing.published is None
    description = page("012")  # description sentences only
    assert description.title == ""
    assert description.lede is not None and description.lede.startswith("Kenyan police are on a risky mission")
    topic = page("027")  # topic page: its heading missing, a description then teasers
    assert topic.title == "" and topic.published == datetime(2022, 10, 11)
    assert topic.lede is not None and topic.lede.startswith("Born on September 11, 1965")  # nothing lost


def test_alt_text_before_the_headline_is_skipped() -> None:
    topic = page("026")  # alt text, then its "Image:" credit line, then the heading
    assert topic.title == "EU summit"
    assert not topic.title.startswith("From left")
    portrait = page("043")  # opinion portrait alt text between headline and author
    assert portrait.title == "Turbulent times ahead"
    assert portrait.authors == ("Michael Knigge",)


def test_crawler_date_used_only_when_the_page_has_none() -> None:
    relative = page("013")  # the page says "1 hour ago": unknown, so the crawler date
    assert relative.published == datetime(2023, 2, 16) and relative.date_is_crawl
    gallery = page("046")  # no date on the page at all
    assert gallery.published == datetime(2024, 7, 19) and gallery.date_is_crawl
    own = page("018")  # crawler says 2022-06-20, the page's title line 21.06.2022: the page wins
    assert own.published == datetime(2022, 6, 21) and not own.date_is_crawl
    assert any("crawler prefix 2024-07-19" in note for note in gallery.parse_notes)


def test_amp_page_headline_first_and_date_second() -> None:
    amp = page("076")  # no Skip lines, single newlines
    assert amp.title == "German elections: Could they impact the African continent?"
    assert amp.published == datetime(2021, 10, 28)
    assert amp.lede is not None and amp.lede.startswith("It's youthful and brimming with potential")
    glued = page("035")  # AMP: glued section/kicker first, headline second, no date
    assert glued.title == "Merz to the rescue — can he fix Europe's broken backbone?"
    assert (glued.section, glued.kicker) == ("Politics", "Germany")
    assert glued.published is None


def test_date_glued_to_the_first_paragraph_is_split() -> None:
    video = page("020")  # whole page on one line: labels, headline, author, dates, lede
    assert video.title == "Heat wave looms over southern Europe and Balkans"
    assert video.authors == ("Nita Blake-Persen",)
    assert video.published == datetime(2024, 7, 17)
    assert (video.section, video.kicker) == ("Climate", "Europe")
    assert video.lede is not None and video.lede.startswith("In southern and eastern Europe")
    assert video.short_url == "https://p.dw.com/p/4iROe"
    kenya = page("045")  # the same without the player notice: author glued to the headline
    assert kenya.title == "Fresh anti-government protests in Kenyan capital"
    assert kenya.authors == ("Craig Crowther",)
    assert kenya.published == datetime(2024, 7, 2)
    german = page("082")  # German one-liner: "...Viktoria Kleber18.12.201518. Dezember 2015Die EU..."
    assert (german.title, german.authors) == ("Lesbos - Warten auf die Boote", ("Viktoria Kleber",))
    assert german.published == datetime(2015, 12, 18)
    assert german.short_url == "https://p.dw.com/p/1HPv9" and "Anzeige" not in german.plain_text


def test_author_glued_before_the_date_is_split() -> None:
    staff = page("002")  # "DW staff (jen)January 12, 2005"
    assert staff.authors == ("DW staff (jen)",)
    assert staff.published == datetime(2005, 1, 12)
    assert staff.lede is not None and staff.lede.startswith("Since the terror attacks")
    person = page("017")  # "Arunava ChaudhuriMarch 31, 2006"
    assert (person.authors, person.published) == (("Arunava Chaudhuri",), datetime(2006, 3, 31))
    german = page("025")  # "Michael Bär10. Mai 2010"
    assert (german.authors, german.published) == (("Michael Bär",), datetime(2010, 5, 10))


def test_opinion_author_is_the_name_alone() -> None:
    scholz = page("004")  # "Kommentarfoto Kay-Alexander Scholz Hauptstadtstudio" + byline
    assert scholz.authors == ("Kay-Alexander Scholz",)
    assert scholz.title == "Germany, you can do this!"
    engel = page("006")  # "Engel Dagmar Kommentarbild App" (surname first) + "Dagmar Engel"
    assert engel.authors == ("Dagmar Engel",)
    old = page("005")  # old layout: the commentator is named only in the lede
    assert old.authors == ("Volker Wagener",)
    assert any("lede" in note for note in old.parse_notes)


def test_corpus_pages_keep_their_body() -> None:
    live = page("024")
    assert live.title == "Coronavirus latest: Germany's infection rate climbs"
    assert live.published == datetime(2020, 6, 14)
    assert any(block.kind is BlockKind.PARAGRAPH for block in live.blocks)
    for prefix in ("020", "045", "054"):
        text = page(prefix).plain_text
        assert "To view this video" not in text and "Advertisement" not in text


@pytest.mark.parametrize("prefix", ["014", "030"])
def test_untitled_page_imports_from_file(prefix: str) -> None:
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    article = load_file(path)
    assert article.format == "dw" and article.title == ""
    assert article.plain_text  # the teasers are kept as text, nothing is lost


# ---- untitled pages in the library, the search and the CLI ------------------------------
def test_parse_notes_survive_the_store_and_reach_reader_show_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import json
    import shutil

    from reader.cli import main

    for prefix in ("048", "014"):
        source = next(CORPUS.glob(f"{prefix}_*.txt"))
        shutil.copy(source, tmp_path / source.name)
    assert main(["import", str(tmp_path), "--no-entities", "--no-index"]) == 0
    capsys.readouterr()
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    video = next(row for row in rows if row["title"] == "Germany: The far right on the rise")
    assert main(["show", str(video["id"]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("05:01" in note for note in data["parse_notes"])
    assert any(note.startswith("date: the dateline") for note in data["parse_notes"])
    untitled = next(row for row in rows if row["title"] == "")
    assert main(["show", str(untitled["id"]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "" and data["date_is_crawl"] is True
    assert any("teasers" in note for note in data["parse_notes"])


def test_untitled_page_is_listed_and_found_as_untitled(tmp_path: Path) -> None:
    from reader.core.article import untitled_label
    from reader.search import SearchIndex
    from reader.store.library import Library

    article = page("014")
    other = page("048")
    lib = Library.open(tmp_path / "lib.sqlite3")
    try:
        lib.upsert(article)
        lib.upsert(other)
        assert lib.article(article.id).parse_notes == article.parse_notes
        assert untitled_label(article.source, article.published) == "Untitled — DW, April 15, 2022"
        ix = SearchIndex(tmp_path / "index")
        ix.refresh(tmp_path / "lib.sqlite3")
        hits = ix.search("untitled", lib).hits
        assert [hit.id for hit in hits] == [article.id]
        assert hits[0].title == "Untitled — DW, April 15, 2022"
        assert [h.id for h in ix.search("rise", lib).hits] == [other.id]  # titled pages as before
    finally:
        lib.close()


def test_real_pages_are_recognised_as_dw_and_bbc_texts_are_not(bbc_dir: Path) -> None:
    from reader.core.ingest import detect
    from reader.core.ingest.decode import decode_bytes

    pages = sorted(CORPUS.glob("*.txt"))
    missed = [p.name for p in pages if detect(p.read_text(encoding="utf-8"), p) != "dw"]
    # the rest have no DW marker at all (a bare description or paragraph) and import as plain text
    assert len(missed) <= len(pages) // 10, missed
    bbc = sorted(bbc_dir.glob("*/*.txt"))[::10]
    assert bbc
    wrong = [p.name for p in bbc if detect(decode_bytes(p.read_bytes(), str(p)), p) == "dw"]
    assert wrong == []


@pytest.mark.parametrize("prefix", ["014", "012"])
def test_untitled_page_survives_markdown_export_and_reimport(prefix: str) -> None:
    from reader.core.ingest import parse_text

    article = page(prefix)
    md = article.to_markdown()
    assert "untitled: true" in md and "\n# " not in md
    again = parse_text(md, fmt="markdown")
    assert again.title == ""
    assert again.plain_text == article.plain_text
    assert again.to_markdown() == md
