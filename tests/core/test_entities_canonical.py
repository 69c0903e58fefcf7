"""Canonical entities across the library (reader.core.entities.canonical)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reader.core.entities import get_recogniser
from reader.core.entities.canonical import Mention, canonicalise, clean_name, mentions_from_spans

BBC = Path(__file__).resolve().parents[3] / "shared" / "data" / "bbc"


def M(article: str, label: str, text: str, norm: str | None = None, count: int = 1) -> Mention:
    return Mention(article, label, text, norm or text, count)


def only(canon, name: str, label: str | None = None):
    found = canon.resolve(name, label)
    assert found, name
    return found[0]


def test_clean_name() -> None:
    assert clean_name("George W. Bush") == "George W Bush"
    assert clean_name("Mr  Blair") == "Blair"
    assert clean_name("- Blair") == "Blair"
    assert clean_name("Mr") == "Mr"


def test_same_first_name_and_surname_is_one_person() -> None:
    canon = canonicalise(
        [
            M("a1", "PERSON", "George W Bush"),
            M("a2", "PERSON", "George W. Bush"),
            M("a3", "PERSON", "George Bush"),
            M("a4", "PERSON", "Laura Bush"),
        ]
    )
    bush = only(canon, "George Bush")
    assert bush.name == "George W Bush" and bush.articles == {"a1", "a2", "a3"}
    assert "George Bush" in bush.aliases
    assert only(canon, "Laura Bush").articles == {"a4"}
    assert canon.entity_id("a2", "PERSON", "George W. Bush") == bush.id


def test_a_bare_surname_joins_the_only_person_with_it() -> None:
    canon = canonicalise([M("a1", "PERSON", "Gordon Brown"), M("a2", "PERSON", "Brown", count=3)])
    brown = only(canon, "Brown")
    assert brown.name == "Gordon Brown" and brown.articles == {"a1", "a2"} and brown.mentions == 4
    assert "Brown" in brown.aliases


def test_the_document_memory_link_is_kept() -> None:
    # the recogniser's norm already says which person "Blair" is in this article
    canon = canonicalise([M("a1", "PERSON", "Blair", "Mark Blair"), M("a2", "PERSON", "Tony Blair")])
    assert canon.entity_id("a1", "PERSON", "Mark Blair") == only(canon, "Mark Blair").id
    assert only(canon, "Tony Blair").articles == {"a2"}


def _blair_library() -> list[Mention]:
    out = []
    for i in range(6):  # Tony Blair in politics
        out += [M(f"p{i}", "PERSON", "Tony Blair"), M(f"p{i}", "ORG", "Labour"), M(f"p{i}", "PERSON", "Gordon Brown")]
    for i in range(2):  # Mark Blair in rugby
        out += [M(f"r{i}", "PERSON", "Mark Blair"), M(f"r{i}", "ORG", "Borders"), M(f"r{i}", "PERSON", "Andy Ward")]
    for i in range(20):  # filler, so that Labour and Borders are rare words of the library
        out += [M(f"f{i}", "PLACE", "London")]
    return out


def test_a_shared_surname_is_decided_by_the_article_context() -> None:
    lib = _blair_library()
    lib += [M("x1", "PERSON", "Blair"), M("x1", "ORG", "Labour"), M("x1", "PERSON", "Gordon Brown")]
    lib += [M("x2", "PERSON", "Blair"), M("x2", "ORG", "Borders")]
    canon = canonicalise(lib)
    assert canon.entity_id("x1", "PERSON", "Blair") == only(canon, "Tony Blair").id
    assert canon.entity_id("x2", "PERSON", "Blair") == only(canon, "Mark Blair").id


def test_a_shared_surname_without_context_stays_unlinked() -> None:
    lib = _blair_library() + [M("x3", "PERSON", "Blair"), M("x3", "PLACE", "London")]
    canon = canonicalise(lib)
    eid = canon.entity_id("x3", "PERSON", "Blair")
    entity = canon.entity(eid)
    assert entity is not None and entity.ambiguous and entity.name == "Blair"
    assert set(entity.candidates) == {only(canon, "Tony Blair").id, only(canon, "Mark Blair").id}
    assert "x3" not in only(canon, "Tony Blair").articles
    # a full name in the same article decides
    canon = canonicalise(lib + [M("x3", "PERSON", "Mark Blair")])
    assert canon.entity_id("x3", "PERSON", "Blair") == only(canon, "Mark Blair").id


def test_alias_table_and_party_forms() -> None:
    canon = canonicalise(
        [
            M("a1", "NORP", "Lib Dems"),
            M("a2", "NORP", "Lib Dem"),
            M("a3", "NORP", "Liberal Democrats"),
            M("a4", "ORG", "the Liberal Democrats", "Liberal Democrats"),
            M("a5", "ORG", "UN"),
            M("a6", "ORG", "the United Nations", "United Nations"),
            M("a7", "NORP", "Germans"),
        ]
    )
    libdems = only(canon, "Lib Dems")
    assert libdems.name == "Liberal Democrats" and libdems.label == "ORG"
    assert libdems.articles == {"a1", "a2", "a3", "a4"}
    un = only(canon, "UN")
    assert un.name == "United Nations" and un.articles == {"a5", "a6"}
    assert only(canon, "Germans").label == "NORP"


def test_acronyms_need_their_expansion_in_some_article() -> None:
    canon = canonicalise(
        [
            M("a1", "ORG", "Crown Prosecution Service"),
            M("a1", "ORG", "CPS"),
            M("a2", "ORG", "CPS", count=2),
            M("a3", "ORG", "Barkley Beattie Christophers"),
            M("a4", "ORG", "BBC"),
        ]
    )
    cps = only(canon, "CPS")
    assert cps.name == "Crown Prosecution Service" and cps.articles == {"a1", "a2"}
    assert only(canon, "BBC").name == "BBC"  # its initials match, but no article uses both


def test_legal_and_party_suffixes() -> None:
    canon = canonicalise(
        [M("a1", "ORG", "Microsoft Corp"), M("a2", "ORG", "Microsoft"), M("a3", "ORG", "Labour Party"),
         M("a4", "ORG", "Labour")]
    )
    assert only(canon, "Microsoft Corp").articles == {"a1", "a2"}
    assert only(canon, "Labour").articles == {"a3", "a4"}


def test_values_are_no_entities_and_article_lookup() -> None:
    canon = canonicalise([M("a1", "DATE", "Monday"), M("a1", "PERSON", "Tony Blair", count=2), M("a1", "ORG", "BBC")])
    assert not canon.resolve("Monday")
    assert canon.entity_id("a1", "DATE", "Monday") is None
    assert set(canon.for_article("a1")) == {only(canon, "Tony Blair").id, only(canon, "BBC").id}
    assert canon.entities[0].article_count == 1


def test_deterministic_whatever_the_order() -> None:
    lib = _blair_library() + [M("x1", "PERSON", "Blair"), M("x1", "ORG", "Labour")]
    first = canonicalise(lib)
    shuffled = lib[:]
    random.Random(4).shuffle(shuffled)
    second = canonicalise(shuffled)
    assert first.entities == second.entities
    assert dict(first.links) == dict(second.links)


@pytest.fixture(scope="module")
def bbc_canonical():
    """The BBC articles that name a Blair, a Brown or a Bush, recognised by the
    rules backend (fast; the combined backend's run is in benchmarks/bench_entities.py)."""
    if not BBC.is_dir():
        pytest.skip(f"no BBC corpus at {BBC}")
    from reader.core.ingest import load_file

    rec = get_recogniser("rules")
    mentions: list[Mention] = []
    for path in sorted(BBC.glob("*/*.txt")):
        raw = path.read_bytes()
        if not any(name in raw for name in (b"Blair", b"Brown", b"Bush")):
            continue
        article = load_file(path)
        mentions += mentions_from_spans(f"{path.parent.name}/{path.stem}", rec.recognise(article.plain_text))
    return canonicalise(mentions)


@pytest.mark.parametrize(
    ("short", "full"), [("Blair", "Tony Blair"), ("Brown", "Gordon Brown"), ("Bush", "George W Bush")]
)
def test_bbc_one_entity_per_politician(bbc_canonical, short: str, full: str) -> None:
    entity = only(bbc_canonical, full, "PERSON")
    assert entity.name == full
    assert short in entity.aliases
    # the bare surname resolves to the politician first, and he has far more articles than anyone else of that name
    found = bbc_canonical.resolve(short, "PERSON")
    assert found[0].id == entity.id
    assert all(e.article_count * 5 < entity.article_count for e in found[1:])
    # almost every article that says the bare surname is linked to someone
    unlinked = [e for e in found if e.ambiguous]
    assert sum(e.article_count for e in unlinked) * 10 < entity.article_count


def test_bbc_mark_blair_stays_separate(bbc_canonical) -> None:
    mark = only(bbc_canonical, "Mark Blair", "PERSON")
    tony = only(bbc_canonical, "Tony Blair", "PERSON")
    assert mark.id != tony.id
    assert mark.articles == {"sport/384"}
    assert "sport/384" not in tony.articles
