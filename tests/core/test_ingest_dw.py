"""DW scrape variants, each from a hand-written snippet."""

from __future__ import annotations

from datetime import datetime

import pytest

from reader.core.article import Article, BlockKind
from reader.core.ingest import detect, parse_text


def dw(text: str) -> Article:
    return parse_text(text, fmt="dw")


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind.value, b.text) for b in article.blocks]


BODY = "\n\nThe first paragraph of the story tells what happened.\n\nA second paragraph adds detail."


@pytest.mark.parametrize(
    "header",
    [
        "1. Skip to content\n  2. Skip to main menu\n  3. Skip to more DW sites\n",
        "Skip to content\n",
        "",
    ],
    ids=["three-skip-lines", "one-skip-line", "headline-first"],
)
def test_header_variants(header: str) -> None:
    article = dw(header + "Flood waters rise in Bavaria\n\nJune 3, 2024" + BODY)
    assert article.title == "Flood waters rise in Bavaria"
    assert article.published == datetime(2024, 6, 3)
    assert article.lede == "The first paragraph of the story tells what happened."
    assert kinds(article) == [("paragraph", "A second paragraph adds detail.")]


def test_crawler_prefix_date_loses_to_page_date() -> None:
    article = dw(" date 2024-07-11\nSkip to content\nFlood waters rise in Bavaria\n\nJune 3, 2024" + BODY)
    assert article.title == "Flood waters rise in Bavaria"
    assert article.published == datetime(2024, 6, 3)
    assert article.date_is_crawl is False


def test_crawler_prefix_date_used_when_page_has_none() -> None:
    article = dw(" date 2024-07-11\nSkip to content\nFlood waters rise in Bavaria" + BODY)
    assert article.published == datetime(2024, 7, 11)
    assert article.date_is_crawl is True
    assert article.lede == "The first paragraph of the story tells what happened."


def test_relative_date_is_unknown_never_invented() -> None:
    article = dw("Skip to content\nFlood waters rise in Bavaria\n\n1 hour ago" + BODY)
    assert article.published is None and article.updated is None
    assert article.lede == "The first paragraph of the story tells what happened."
    with_crawl = dw("date 2024-07-11\nFlood waters rise in Bavaria\n\n2 hours ago" + BODY)
    assert with_crawl.published == datetime(2024, 7, 11) and with_crawl.date_is_crawl


def test_no_date_at_all() -> None:
    article = dw("Skip to content\nFlood waters rise in Bavaria" + BODY)
    assert article.published is None
    assert article.date_is_crawl is False


def test_published_and_updated_glued() -> None:
    article = dw("Skip to content\nA headline\n\nPublished April 4, 2024last updated April 5, 2024" + BODY)
    assert (article.published, article.updated) == (datetime(2024, 4, 4), datetime(2024, 4, 5))


def test_date_glued_to_text_and_author_glued_before() -> None:
    article = dw(
        "Skip to content\nPoliticsKenya\n\nKenya protests: What we know so far\n\n"
        "Ines Pohl in WashingtonJuly 18, 2024It was a tense day in Nairobi as protesters gathered.\n\n"
        "Police fired tear gas.\n\ndh/kb (AP, Reuters)"
    )
    assert article.title == "Kenya protests: What we know so far"
    assert (article.section, article.kicker) == ("Politics", "Kenya")
    assert article.authors == ("Ines Pohl",)
    assert article.published == datetime(2024, 7, 18)
    assert article.lede == "It was a tense day in Nairobi as protesters gathered."
    assert article.signature == "dh/kb (AP, Reuters)"
    assert kinds(article) == [("paragraph", "Police fired tear gas.")]


def test_author_with_location_repeated_from_photo_alt_text() -> None:
    article = dw("Skip to content\nScholz meets Biden\n\nInes Pohl\nInes Pohl in Washington\nJuly 11, 2024" + BODY)
    assert article.title == "Scholz meets Biden"
    assert article.authors == ("Ines Pohl",)


def test_two_authors_split_by_bar() -> None:
    article = dw("Skip to content\nGlaciers melt faster\n\nAnna Smith | Jean-Luc Dupont\nJune 1, 2023" + BODY)
    assert article.authors == ("Anna Smith", "Jean-Luc Dupont")


def test_kicker_line_above_headline() -> None:
    article = dw("Skip to content\nClimate\nGlaciers melt faster\n\nJune 1, 2023" + BODY)
    assert article.title == "Glaciers melt faster"
    assert article.kicker == "Climate"
    article = dw("Skip to content\nConflictsUkraine\nWar diary\nGlaciers melt faster\n\nJune 1, 2023" + BODY)
    assert (article.section, article.kicker, article.title) == ("Conflicts", "War diary", "Glaciers melt faster")


def test_numeric_date_line() -> None:
    assert dw("Skip to content\nA headline\n\n07/11/2024" + BODY).published == datetime(2024, 7, 11)


OLD_LAYOUT = """Germany′s Scholz visits Kyiv | Europe| News and current affairs from around the continent | DW | 21.06.2022
We use cookies to improve our service for you. You can find more information in our data protection declaration.
OK
 1. Inhalt
 2. Navigation
 3. Weitere Inhalte
 4. Metanavigation
 5. Suche
 6. Choose from 30 Languages
Visit the new DW website
Take a look at the beta version of dw.com. We're not done yet! Your opinion can help us make it better.
Europe
Germany′s Scholz visits Kyiv
German Chancellor Olaf Scholz has arrived in Kyiv on his first visit since the war began.
Scholz arrived by train on Thursday morning.
Scholz on the platform in Kyiv (picture-alliance/dpa)
He met President Volodymyr Zelenskyy.
Read more: Germany pledges more weapons
mm/rt (AFP, dpa)
Date 21.06.2022
Author Jane Doe
Related Subjects Olaf Scholz, Ukraine
Permalink https://p.dw.com/p/4D1Tx
Related content
Germany pledges more weapons
"""


def test_old_layout() -> None:
    assert detect(OLD_LAYOUT, "x.txt") == "dw"
    article = dw(OLD_LAYOUT)
    assert article.title == "Germany's Scholz visits Kyiv"
    assert article.section == "Europe"
    assert article.published == datetime(2022, 6, 21)
    assert article.lede == "German Chancellor Olaf Scholz has arrived in Kyiv on his first visit since the war began."
    assert article.authors == ("Jane Doe",)
    assert article.signature == "mm/rt (AFP, dpa)"
    assert article.short_url == "https://p.dw.com/p/4D1Tx"
    assert article.identity == "dw:4D1Tx"
    assert kinds(article) == [
        ("paragraph", "Scholz arrived by train on Thursday morning."),
        ("caption", "Scholz on the platform in Kyiv"),
        ("paragraph", "He met President Volodymyr Zelenskyy."),
    ]
    assert article.blocks[1].credit == "picture-alliance/dpa"
    assert "cookies" not in article.plain_text and "Inhalt" not in article.plain_text


def test_caption_variants() -> None:
    article = dw(
        "Skip to content\nA headline\n\nJune 1, 2023\n\nThe lede paragraph is here.\n\n"
        "Alt text of the first photo\nFirst caption glued to its creditImage: Jane Roe/AFP\n\n"
        "A paragraph.\n\n"
        "Alt text of the second photo\nSecond caption with a space Image: DW\n\n"
        "Another paragraph.\n\n"
        "Third caption on its own line\nImage: John Doe/picture alliance/dpa\n\n"
        "Last paragraph."
    )
    captions = [(b.text, b.credit) for b in article.blocks if b.kind is BlockKind.CAPTION]
    assert captions == [
        ("First caption glued to its credit", "Jane Roe/AFP"),
        ("Second caption with a space", "DW"),
        ("Third caption on its own line", "John Doe/picture alliance/dpa"),
    ]
    assert "Alt text" not in article.plain_text


def test_live_blog_new_style() -> None:
    article = dw(
        "Skip to content\nUkraine updates: Strikes on Kyiv\n\nApril 4, 2024\n\nThe lede of the blog is here.\n\n"
        "Skip next section What you need to know\n\nWhat you need to know\n\nSummary point one.\n\n"
        "Skip next section Zelenskyy thanks allies\nApril 4, 2024\n\nZelenskyy thanks allies\n\nHe spoke on TV.\n\n"
        "Watch video 02:07\nThis browser does not support the video element.\nZelenskyy's speech in full\n\n"
        "Skip next section Drone attack on Odesa\nApril 4, 2024\n\nDrone attack on Odesa\n\nDrones hit the port.\n\n"
        "ab/cd (AFP, Reuters)"
    )
    assert kinds(article) == [
        ("heading", "What you need to know"),
        ("paragraph", "Summary point one."),
        ("entry_heading", "Zelenskyy thanks allies"),
        ("paragraph", "He spoke on TV."),
        ("caption", "Zelenskyy's speech in full"),
        ("entry_heading", "Drone attack on Odesa"),
        ("paragraph", "Drones hit the port."),
    ]
    assert [b.time for b in article.blocks if b.kind is BlockKind.ENTRY_HEADING] == ["April 4, 2024"] * 2
    assert article.signature == "ab/cd (AFP, Reuters)"


def test_live_blog_old_style() -> None:
    article = dw(
        "Skip to content\nUkraine updates: Kyiv hit by strikes\n\nThis article was last updated at 23:32 UTC\n\n"
        "The latest on Russia's war in Ukraine.\n\n21:25\n\nZelenskyy thanks allies\n\n"
        "Zelenskyy thanked allies for new air defense.\n\n20:10\n\nStrikes hit the capital overnight, officials said."
    )
    assert article.title == "Ukraine updates: Kyiv hit by strikes"
    assert article.lede == "The latest on Russia's war in Ukraine."
    entries = [(b.time, b.text) for b in article.blocks if b.kind is BlockKind.ENTRY_HEADING]
    assert entries == [("21:25", "Zelenskyy thanks allies"), ("20:10", "")]
    assert "last updated" not in article.plain_text


def test_noise_single_newlines_and_prime() -> None:
    article = dw(
        "Skip to content\nHeadline here\nJune 1, 2023\nThe lede is the first paragraph.\n"
        "A paragraph on its own line.\nWatch video 01:30\nThis browser does not support the video element.\n"
        "Read more: Some other story\nhttps://p.dw.com/p/4abcD\nPermalink https://p.dw.com/p/4abcD\n"
        "It′s another paragraph, said the minister.\nSubheading in the middle\nFinal paragraph here."
    )
    assert article.short_url == "https://p.dw.com/p/4abcD"
    assert kinds(article) == [
        ("paragraph", "A paragraph on its own line."),
        ("paragraph", "It's another paragraph, said the minister."),
        ("heading", "Subheading in the middle"),
        ("paragraph", "Final paragraph here."),
    ]


def test_headline_like_line_before_heading_is_media_title() -> None:
    article = dw(
        "Skip to content\nHeadline\n\nJune 1, 2023\n\nThe lede.\n\nPara one.\n\n"
        "Correspondent on the outcome\n\nA real subheading\n\nPara two."
    )
    assert kinds(article) == [
        ("paragraph", "Para one."),
        ("caption", "Correspondent on the outcome"),
        ("heading", "A real subheading"),
        ("paragraph", "Para two."),
    ]


def test_detect() -> None:
    assert detect("1. Skip to content\nX") == "dw"
    assert detect("Title\n\nBody https://p.dw.com/p/4SgeI") == "dw"
    assert detect("Title\n\nA paragraph.") == "text"
    assert detect("# Title\n\nA paragraph.") == "markdown"
    assert detect("1. Skip to content\nX", "notes.md") == "markdown"


@pytest.mark.parametrize("text", ["Skip to content\n", "Skip to content\nWatch video 02:07\n", "\n\n"])
def test_nothing_but_noise_is_an_ingest_error(text: str) -> None:
    from reader.core.ingest import IngestError

    with pytest.raises(IngestError):
        dw(text)
