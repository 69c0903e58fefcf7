"""``reader add URL...`` and the add-by-link code, against a server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from reader import cli
from reader.net.fetch import Fetcher
from reader.net.links import LinkRequest, add_links
from reader.store import Library
from tests.net.httpserver import LocalServer, Reply, page

TEXT = ["Ministers agreed on Tuesday to raise the pension age to 67 by 2030, a change debated for years.",
        "Unions said they would challenge the decision in court and called a strike for next week.",
        "The opposition leader called it the biggest reform since the 1990s."]


def story(server: LocalServer, path: str, title: str = "Pension age to rise", canonical: str | None = None) -> str:
    body = page(title, TEXT, canonical=canonical or server.url(path), author="Maria Schmidt",
                date="2026-11-30T08:00:00Z")
    return server.route(path, Reply(body=body))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_imports_each_page_and_prints_every_success(server: LocalServer,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    a = story(server, "/pension")
    b = story(server, "/strike", title="Unions call strike")
    code, out, err = run(capsys, "add", a, b, "--no-entities", "--no-index")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("added: ") and lines[0].endswith(f"Pension age to rise  ({a})")
    assert lines[1].endswith(f"Unions call strike  ({b})")
    assert lines[2] == "links: 2 added, 0 updated, 0 unchanged"
    code, out, _ = run(capsys, "list", "--json")
    rows = {r["title"]: r for r in json.loads(out)}
    assert rows["Pension age to rise"]["url"] == a and rows["Pension age to rise"]["read"] is False
    assert rows["Pension age to rise"]["feed"] is None
    code, out, _ = run(capsys, "show", rows["Pension age to rise"]["id"], "--format", "text")
    assert "Ministers agreed on Tuesday" in out and "Maria Schmidt" in out
    assert "Accept all" not in out and "All rights reserved" not in out  # boilerplate left out


def test_a_failed_url_adds_nothing_and_the_exit_status_says_so(server: LocalServer,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    good = story(server, "/good")
    missing = server.url("/missing")
    pdf = server.route("/doc.pdf", Reply(body=b"%PDF-1.7", content_type="application/pdf"))
    code, out, err = run(capsys, "add", good, missing, pdf, "https:/www.bbc.co.uk/news", "--json",
                         "--no-entities", "--no-index")
    assert code == 1
    results = json.loads(out)
    assert [r["ok"] for r in results] == [True, False, False, False]
    assert results[1]["error"] == f"{missing}: HTTP 404 Not Found"
    assert results[2]["error"] == f"{pdf}: not a web page: application/pdf"
    assert "no host name" in results[3]["error"]
    assert err.splitlines() == [f"error: {r['error']}" for r in results[1:]]
    code, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 1


def test_the_same_story_by_two_links_is_one_article(server: LocalServer, reader_home: object) -> None:
    canonical = server.url("/story")
    story(server, "/story")
    alias = story(server, "/amp/story", canonical=canonical)
    lib = Library.open(":memory:")
    with Fetcher() as f:
        report = add_links(lib, [canonical, alias], fetcher=f)
    assert [r.outcome for r in report.results] == ["added", "unchanged"]
    assert lib.count() == 1


def test_links_keep_the_tags_time_and_read_state_they_came_with(server: LocalServer) -> None:
    from datetime import datetime

    url = story(server, "/tagged")
    lib = Library.open(":memory:")
    with Fetcher() as f:
        report = add_links(lib, [LinkRequest(url, tags=("later", "politics"), read=True,
                                             time_added=datetime(2021, 3, 4, 5, 6))], fetcher=f)
    (result,) = report.results
    assert result.ok
    article = lib.article(result.article_id)  # type: ignore[arg-type]
    assert article is not None and set(article.tags) >= {"later", "politics"}
    assert article.extra["time_added"] == "2021-03-04T05:06:00"
    assert lib.rows([result.article_id])[result.article_id].is_read  # type: ignore[index]


def test_malformed_html_is_read_or_refused_with_a_reason(server: LocalServer) -> None:
    broken = server.route("/broken", Reply(body=b"<html><body><p>" + b"Unclosed <b><i>" * 2000 +
                                           " ".join(TEXT).encode() + b"<div><table><tr><td>"))
    empty = server.route("/empty", Reply(body=b"<html><head><title>Nothing</title></head><body></body></html>"))
    binary = server.route("/junk", Reply(body=bytes(range(256)) * 50))
    lib = Library.open(":memory:")
    with Fetcher() as f:
        report = add_links(lib, [broken, empty, binary], fetcher=f)
    outcomes = {r.url: r for r in report.results}
    assert outcomes[empty].error == f"{empty}: no article text found in the web page"
    for r in report.results:
        assert r.ok or (r.error and r.error.startswith(r.url + ": ") and "\n" not in r.error)
    assert lib.count() == sum(1 for r in report.results if r.ok)


def test_the_extractor_gives_the_same_articles_in_a_process_and_its_errors_too() -> None:
    from reader.core.ingest.errors import IngestError
    from reader.net.links import Extractor, parse_html

    html = page("Extracted elsewhere", TEXT, canonical="https://news.example/x").decode()
    extractor = Extractor(1, in_thread=1)
    try:
        here = extractor(html, url="https://news.example/x", source_name="a")  # the first: in this thread
        assert extractor._pool is None
        there = extractor(html, url="https://news.example/x", source_name="a")  # then in the process
        assert extractor._pool is not None
        with pytest.raises(IngestError) as info:
            extractor("<html><body></body></html>", url=None, source_name="https://empty.example/")
        assert str(info.value) == "https://empty.example/: no article text found in the web page"
    finally:
        extractor.close()
    assert here == there == parse_html(html, url="https://news.example/x", source_name="a")


def test_reader_import_fetches_web_addresses_among_its_paths(server: LocalServer, tmp_path: object,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    url = story(server, "/imported")
    note = Path(str(tmp_path)) / "note.txt"
    note.write_text("A local note\n\nWith a body.\n", encoding="utf-8")
    code, out, err = run(capsys, "import", url, str(note), "--no-entities", "--no-index")
    assert code == 0 and err == ""
    assert out.splitlines() == [f"added: {out.split()[1]}  Pension age to rise  ({url})",
                                "links: 1 added, 0 updated, 0 unchanged",
                                "imported: 1 added, 0 updated, 0 unchanged"]
    code, out, err = run(capsys, "import", "https://127.0.0.1:1/nothing-listens", "--no-entities", "--no-index")
    assert code == 1 and "connection refused" in err
