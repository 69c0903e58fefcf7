"""Library: annotations, bookmarks and tags, and what happens to notes when articles change."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from store_articles import paragraph_article

from reader.core.article import Article
from reader.store import COLOURS, Library

PARAS = (
    "The city council approved the new tram line on Monday after a long debate.",
    "Construction is due to start in spring and will take three years to complete.",
    "Residents along the route worry about noise, but shop owners expect more customers.",
    "The mayor called the decision a turning point for public transport in the region.",
)


def make_article(identity: str = "https://example.org/tram", title: str = "Council backs tram line",
                 paras: tuple[str, ...] = PARAS) -> Article:
    """An article built from fixed text (its id depends only on ``identity``)."""
    return paragraph_article(identity, title, paras, url=identity, published=datetime(2024, 4, 4, 9, 30))


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "library.db")
    yield library  # type: ignore[misc]
    library.close()


@pytest.fixture
def art(lib: Library) -> Article:
    article = make_article()
    lib.upsert(article)
    return article


# ---- annotations CRUD ----------------------------------------------------
def test_annotate_stores_selector_and_note(lib: Library, art: Article) -> None:
    text = art.plain_text
    quote = "approved the new tram line"
    start = text.index(quote)
    ann = lib.annotate(art.id, start, start + len(quote), note="finally", colour="green", tags=["transport", " ", "transport"])
    assert (ann.start, ann.end, ann.exact) == (start, start + len(quote), quote)
    assert text[ann.start - len(ann.prefix) : ann.start] == ann.prefix and len(ann.prefix) == 32
    assert ann.suffix == text[ann.end : ann.end + 32]
    assert ann.tags == ("transport",)  # blanks and duplicates dropped
    assert ann.article_title == art.title and not ann.orphan
    assert lib.annotation(ann.id) == ann
    assert lib.annotations(art.id) == [ann]
    assert lib.rows([art.id])[art.id].note_count == 1


def test_annotate_quote_and_order_by_position(lib: Library, art: Article) -> None:
    later = lib.annotate_quote(art.id, "turning point")
    earlier = lib.annotate_quote(art.id, "three years")
    assert [a.id for a in lib.annotations(art.id)] == [earlier.id, later.id]


def test_annotate_rejects_bad_input(lib: Library, art: Article) -> None:
    with pytest.raises(ValueError, match="unknown colour"):
        lib.annotate_quote(art.id, "tram", colour="mauve")
    with pytest.raises(ValueError, match="does not occur"):
        lib.annotate_quote(art.id, "underground railway")
    with pytest.raises(ValueError):
        lib.annotate(art.id, 10, 10)
    with pytest.raises(KeyError):
        lib.annotate("no-such-article", 0, 3)
    assert lib.annotations() == []


def test_update_annotation(lib: Library, art: Article, monkeypatch: pytest.MonkeyPatch) -> None:
    ann = lib.annotate_quote(art.id, "shop owners", note="who?")
    monkeypatch.setattr("reader.store.models.now_iso", lambda: "2030-01-01T00:00:00+00:00")
    changed = lib.update_annotation(ann.id, note="retailers", colour="blue", tags=["economy"])
    assert (changed.note, changed.colour, changed.tags) == ("retailers", "blue", ("economy",))
    assert changed.updated == "2030-01-01T00:00:00+00:00" and changed.created == ann.created
    kept = lib.update_annotation(ann.id, colour="pink")  # None keeps the rest
    assert (kept.note, kept.colour, kept.tags) == ("retailers", "pink", ("economy",))
    with pytest.raises(ValueError):
        lib.update_annotation(ann.id, colour="mauve")
    with pytest.raises(KeyError):
        lib.update_annotation("nope", note="x")


def test_delete_and_restore_annotation(lib: Library, art: Article) -> None:
    ann = lib.annotate_quote(art.id, "noise", note="how loud?")
    rev = lib.index_versions()[art.id]
    gone = lib.delete_annotation(ann.id)
    assert gone == ann and lib.annotation(ann.id) is None
    assert lib.index_versions()[art.id] != rev  # the search index will see the change
    assert lib.delete_annotation(ann.id) is None
    lib.restore_annotation(gone)
    assert lib.annotation(ann.id) == ann


def test_every_colour_has_a_meaning() -> None:
    assert set(COLOURS) >= {"yellow", "green", "blue", "pink", "purple"}
    assert all(COLOURS.values())


# ---- bookmarks and tags ----------------------------------------------------
def test_bookmarks(lib: Library, art: Article) -> None:
    assert not lib.is_bookmarked(art.id)
    assert lib.set_bookmark(art.id, True, folder="later")
    assert lib.is_bookmarked(art.id) and lib.bookmarked_ids() == [art.id]
    assert lib.rows([art.id])[art.id].bookmarked
    assert lib.set_bookmark(art.id, True)  # twice is fine
    assert lib.bookmarked_ids() == [art.id]
    assert lib.set_bookmark(art.id, False)
    assert not lib.is_bookmarked(art.id) and lib.bookmarked_ids() == []
    assert lib.set_bookmark("missing", True) is False


def test_tags(lib: Library, art: Article) -> None:
    lib.add_tag(art.id, "Transport")
    lib.add_tag(art.id, "local")
    lib.add_tag(art.id, "transport")  # tag names ignore case
    lib.add_tag(art.id, "  ")
    assert lib.tags_of(art.id) == ["local", "Transport"]
    assert lib.ids_with_tag("TRANSPORT") == [art.id]
    assert lib.article(art.id).tags == ("local", "Transport")  # type: ignore[union-attr]
    lib.remove_tag(art.id, "transport")
    assert lib.tags_of(art.id) == ["local"]
    assert [name for name, _ in lib.all_tags()] == ["local", "Transport"]  # the tag itself stays


def test_bookmark_and_tags_go_with_a_deleted_article_but_notes_stay(lib: Library, art: Article) -> None:
    lib.set_bookmark(art.id)
    lib.add_tag(art.id, "transport")
    ann = lib.annotate_quote(art.id, "turning point", note="big claim")
    lib.delete(art.id)
    assert lib.article(art.id) is None and lib.bookmarked_ids() == [] and lib.ids_with_tag("transport") == []
    kept = lib.annotation(ann.id)
    assert kept is not None and kept.orphan and kept.note == "big claim"
    assert kept.article_title == art.title


# ---- re-import of an edited article ---------------------------------------
def test_reimport_of_edited_article_reanchors_and_orphans(lib: Library, art: Article) -> None:
    moved = lib.annotate_quote(art.id, "shop owners expect more customers", note="moved")
    typo = lib.annotate_quote(art.id, "turning point for public transport", note="typo fixed")
    doomed = lib.annotate_quote(art.id, "Construction is due to start in spring", note="deleted later")
    untouched = lib.annotate_quote(art.id, "approved the new tram line", note="same")
    edited_paras = (
        PARAS[0],
        "Residents along the route worry about noise and dust, but shop owners expect more customers.",
        PARAS[3].replace("turning point", "turning-point"),
        "A new paragraph at the end.",
    )
    edited = make_article(paras=edited_paras)
    assert edited.identity == art.identity and edited.content_hash != art.content_hash
    outcome, stored = lib.upsert(edited)
    assert (outcome.value, stored) == ("updated", art.id)
    text = edited.plain_text
    by_id = {a.id: a for a in lib.annotations(art.id)}
    assert set(by_id) == {moved.id, typo.id, doomed.id, untouched.id}  # nothing dropped
    for ann in (moved, untouched):
        now = by_id[ann.id]
        assert not now.orphan and text[now.start : now.end] == ann.exact
    assert text[by_id[typo.id].start : by_id[typo.id].end] == "turning-point for public transport"
    assert by_id[doomed.id].orphan and by_id[doomed.id].note == "deleted later"
    assert lib.rows([art.id])[art.id].note_count == 3  # orphans are not counted as placed
    assert lib.annotations(art.id)[-1].id == doomed.id  # orphans listed last
    # the same content again: nothing changes
    assert lib.upsert(edited)[0].value == "unchanged"


def test_orphan_comes_back_when_its_passage_returns(lib: Library, art: Article) -> None:
    ann = lib.annotate_quote(art.id, "Construction is due to start in spring")
    lib.upsert(make_article(paras=PARAS[:1] + PARAS[2:]))
    assert lib.annotation(ann.id).orphan  # type: ignore[union-attr]
    lib.upsert(art)
    back = lib.annotation(ann.id)
    assert back is not None and not back.orphan and art.plain_text[back.start : back.end] == ann.exact


def test_deleted_article_imported_again_gets_its_notes_back(lib: Library, art: Article) -> None:
    ann = lib.annotate_quote(art.id, "three years", note="slow")
    lib.delete(art.id)
    assert lib.annotation(ann.id).orphan  # type: ignore[union-attr]
    outcome, _ = lib.upsert(replace(art, title="Council backs tram line (updated)"))
    assert outcome.value == "added"
    back = lib.annotation(ann.id)
    assert back is not None and not back.orphan and back.article_title == "Council backs tram line (updated)"


def test_title_change_reaches_orphans_too(lib: Library, art: Article) -> None:
    ann = lib.annotate_quote(art.id, "Construction is due to start in spring")
    lib.upsert(make_article(title="Tram line approved", paras=PARAS[:1] + PARAS[2:]))
    assert lib.annotation(ann.id).article_title == "Tram line approved"  # type: ignore[union-attr]


def test_restore_annotations_places_on_current_text(lib: Library, art: Article) -> None:
    ann = lib.annotate_quote(art.id, "three years")
    lib.delete_annotation(ann.id)
    shifted = make_article(paras=("An added first paragraph.",) + PARAS)
    lib.upsert(shifted)
    (stored,) = lib.restore_annotations([ann])
    assert not stored.orphan and stored.start > ann.start
    assert shifted.plain_text[stored.start : stored.end] == "three years"
    (lost,) = lib.restore_annotations([replace(ann, id="x", article_id="gone", exact="nothing like it")])
    assert lost.orphan and lib.annotation("x") == lost


def test_two_connections_see_each_others_notes(lib: Library, art: Article) -> None:
    other = lib.reopen()
    try:
        ann = other.annotate_quote(art.id, "tram line")
        assert lib.annotation(ann.id) == ann
    finally:
        other.close()
