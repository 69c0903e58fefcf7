"""The two bundled DW seeds parse to the reviewed structure and reference Markdown."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from reader.core.article import BlockKind, article_id
from reader.core.ingest import load_file, parse_text

REFERENCE = Path(__file__).parent / "reference"
SEED_000 = "000_4ea3051a0e3ca27d"
SEED_004 = "004_a8836ae8919bc697"


@pytest.fixture
def seed(seeds_dir: Path):
    def load(name: str):
        return load_file(seeds_dir / f"{name}.txt")

    return load


def test_seed_000_live_blog(seed) -> None:
    article = seed(SEED_000)
    assert article.title == "NATO stresses unity as foreign ministers wrap up summit"
    assert article.format == "dw" and article.source == "DW"
    assert article.published == datetime(2024, 4, 4)
    assert article.updated == datetime(2024, 4, 5)
    assert not article.date_is_crawl
    assert article.lede is not None and article.lede.startswith("The US and Europe still need each other")
    entries = [b for b in article.blocks if b.kind is BlockKind.ENTRY_HEADING]
    # The page has 14 "Skip next section" markers: "What you need to know" (no date,
    # a HEADING) and 13 dated live-blog entries.
    assert len(entries) == 13
    assert all(b.time == "April 4, 2024" for b in entries)
    assert entries[0].text == "US is stronger with NATO, Stoltenberg tells DW"
    assert entries[-1].text == "What happened on Wednesday in NATO talks in Brussels"
    headings = [b.text for b in article.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["What you need to know"]
    captions = [b for b in article.blocks if b.kind is BlockKind.CAPTION and b.credit]
    assert captions[0].text.startswith("Ukraine's top diplomat Dmytro Kuleba (l)")
    assert captions[0].credit == "Geert Vanden Wijngaert/AP Photo/picture alliance"
    assert [c.credit for c in captions] == [
        "Geert Vanden Wijngaert/AP Photo/picture alliance",
        "DW",
        "Johanna Geron/AP Photo/picture alliance",
        "Kenzo Tribouillard/AFP",
    ]
    # video titles closing an entry: captions without credit, not headings
    media = [b.text for b in article.blocks if b.kind is BlockKind.CAPTION and not b.credit]
    assert "'Hard way' ahead for €100 billion NATO Ukraine fund plan" in media
    assert article.signature == "kb/rt (Reuters, dpa)"
    assert article.short_url is None
    texts = [b.text for b in article.blocks]
    assert not any("NATO Secretary General Jens Stoltenberg with Ukraine's Foreign Minister" in t for t in texts)
    assert "kb/rt (Reuters, dpa)" not in texts


def test_seed_004_article(seed) -> None:
    article = seed(SEED_004)
    assert article.title == "NATO: Ukraine has 'moved closer' to alliance"
    assert article.published == datetime(2023, 6, 16)
    assert article.updated is None
    assert (article.section, article.kicker) == ("Conflicts", "Ukraine")
    assert article.short_url == "https://p.dw.com/p/4SgeI"
    assert article.signature == "mf/sms (Reuters, dpa)"
    assert article.lede is not None and article.lede.startswith("NATO General Secretary Jens Stoltenberg has outlined")
    assert article.identity == "dw:4SgeI"
    assert article.id == article_id("dw:4SgeI")
    kinds = [(b.kind, b.text) for b in article.blocks]
    assert (BlockKind.HEADING, "No agreement on new defense plan") in kinds
    assert (BlockKind.HEADING, "US: 'Russians have shown the same five vehicles 1,000 times'") in kinds
    assert article.blocks[0].kind is BlockKind.CAPTION
    assert article.blocks[0].credit == "Alina Yarysh/REUTERS"
    assert not any(b.text.startswith("https://") for b in article.blocks)


def test_seed_identity_argument_is_used_without_page_id(seed, seeds_dir: Path) -> None:
    article = load_file(seeds_dir / f"{SEED_000}.txt", identity="seed:x")
    assert article.identity == "seed:x"
    plain = load_file(seeds_dir / f"{SEED_000}.txt")
    assert plain.identity == f"file:{(seeds_dir / f'{SEED_000}.txt').resolve()}"
    assert plain.source_path == str(seeds_dir / f"{SEED_000}.txt")


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_matches_reviewed_reference(seed, name: str) -> None:
    expected = (REFERENCE / f"{name}.md").read_text(encoding="utf-8")
    assert seed(name).to_markdown() == expected


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_blocks_are_clean(seed, name: str) -> None:
    article = seed(name)
    for block in article.blocks:
        assert "Skip " not in block.text
        assert "Image:" not in block.text
        assert "p.dw.com" not in block.text
        assert block.text == block.text.strip() and "\n" not in block.text
    for a, b in zip(article.blocks, article.blocks[1:], strict=False):
        assert a.text.casefold() != b.text.casefold(), f"doubled block {a.text!r}"
    titles = [b.text for b in article.blocks if b.kind in (BlockKind.HEADING, BlockKind.ENTRY_HEADING)]
    assert len(titles) == len(set(titles))
    assert article.title not in titles
    plain = article.plain_text
    assert "\n\n" not in plain
    assert "\u00a0" not in plain
    assert not re.search(r"Skip (?:to|next section)", plain)


@pytest.mark.parametrize("name", [SEED_000, SEED_004])
def test_seed_markdown_round_trip(seed, name: str) -> None:
    article = seed(name)
    again = parse_text(article.to_markdown(), fmt="markdown")
    assert again.title == article.title
    assert again.blocks == article.blocks
    assert again.lede == article.lede
    for key in ("published", "updated", "section", "kicker", "signature", "short_url", "source", "authors"):
        assert getattr(again, key) == getattr(article, key), key
