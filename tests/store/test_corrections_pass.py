"""Corrections and canonical entities through the real entities pass (rules recogniser)."""

from __future__ import annotations

from pathlib import Path

from store_articles import paragraph_article

from reader.jobs.entities import compute_for_library
from reader.store import Library


def test_the_entities_pass_computes_canonical_entities_and_keeps_corrections(tmp_path: Path,
                                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "lib.db"
    a = paragraph_article("https://example.org/p1", "Talks", ("Prime Minister Tony Blair met Gordon Brown in London.",
                                                              "Blair said the talks went well."))
    b = paragraph_article("https://example.org/p2", "Visit", ("Gordon Brown flew to London on Monday.",))
    with Library.open(path) as lib:
        lib.upsert(a)
    assert compute_for_library(path, backend="rules", processes=1) == 1
    with Library.open(path) as lib:
        tony = lib.find_entity("Blair")
        assert tony is not None and tony.name == "Tony Blair" and tony.mentions == 2
        lib.retype_entity("London", "ORG")
        lib.rename_entity("Gordon Brown", "James Gordon Brown")
        lib.upsert(b)  # a later import
    # a recogniser upgrade: every article is recognised again
    import reader.core.entities as entities_pkg

    real = entities_pkg.backend_tag
    monkeypatch.setattr(entities_pkg, "backend_tag", lambda backend="auto": real(backend) + "-next")
    assert compute_for_library(path, backend="rules", processes=1) == 2
    with Library.open(path) as lib:
        assert {e.text: e.label for e in lib.entities(b.id)}["London"] == "ORG"
        brown = lib.find_entity("Gordon Brown")
        assert brown is not None and brown.name == "James Gordon Brown" and brown.articles == 2
        assert lib.entity_backend(a.id)[0].endswith("-next")  # type: ignore[index]
