"""``reader feeds ...`` end to end against a server on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import cli
from tests.feeds.feedfix import Item, serve_feed, serve_story
from tests.net.httpserver import LocalServer, Reply


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def feed_with(server: LocalServer, n: int, path: str = "/feed.xml", kind: str = "rss") -> str:
    items = [Item(f"{path}-{k}", serve_story(server, f"{path}/s{k}", f"Item {k} of {path}"), f"Item {k} of {path}",
                  categories=["Local"]) for k in range(n)]
    return serve_feed(server, path, items, kind=kind)


def test_add_list_refresh_remove(server: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = feed_with(server, 2)
    code, out, err = run(capsys, "feeds", "add", url, "--name", "Local paper", "--no-entities", "--no-index")
    assert code == 0, err
    assert out.splitlines()[0] == f"subscribed: feed 1 Local paper ({url})"
    assert "feed 1 Local paper: 2 new" in out
    code, out, _ = run(capsys, "feeds", "list", "--json")
    (feed,) = json.loads(out)
    assert {k: feed[k] for k in ("id", "title", "url", "unread", "last_error")} == \
        {"id": 1, "title": "Local paper", "url": url, "unread": 2, "last_error": None}
    assert feed["last_success"]
    code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert {r["feed"] for r in rows} == {"Local paper"} and all(r["url"] and r["read"] is False for r in rows)
    # nothing new: the 304 answer; and not due without --force
    code, out, _ = run(capsys, "feeds", "refresh", "--no-entities", "--no-index")
    assert "not due before" in out and code == 0
    code, out, _ = run(capsys, "feeds", "refresh", "1", "--json", "--no-entities", "--no-index")
    data = json.loads(out)
    assert data["feeds"][0]["status"] == "not_modified" and data["feeds"][0]["new"] == 0
    code, out, _ = run(capsys, "feeds", "set", "1", "--full-text", "off")
    assert out.strip() == "feed 1 Local paper: full text off"
    code, out, _ = run(capsys, "feeds", "mark-read", "1")
    assert out.strip() == "marked 2 articles read"
    code, out, _ = run(capsys, "feeds", "remove", "1")
    assert out.strip() == "removed feed 1 Local paper (its 2 articles stay in the library)"
    code, out, _ = run(capsys, "feeds", "list")
    assert "no feeds" in out
    code, out, _ = run(capsys, "list", "--json")
    assert len(json.loads(out)) == 2


def test_errors_are_one_line_and_exit_non_zero(server: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/down.xml", Reply(503, b"down"))
    code, _, err = run(capsys, "feeds", "add", server.url("/nowhere"))
    assert code == 1 and err == f"reader: {server.url('/nowhere')}: HTTP 404 Not Found\n"
    code, _, err = run(capsys, "feeds", "remove", "42")
    assert code == 1 and err == "reader: no feed with id '42' (see `reader feeds list`)\n"
    good = feed_with(server, 1, "/ok.xml")
    assert run(capsys, "feeds", "add", good, "--no-entities", "--no-index")[0] == 0
    code, _, err = run(capsys, "feeds", "add", good)
    assert code == 1 and "already subscribed (feed 1" in err
    from reader import paths
    from reader.store import Library

    lib = Library.open(paths.database_path())
    lib.feeds.add(server.url("/down.xml"))
    lib.close()
    code, out, err = run(capsys, "feeds", "refresh", "--force", "--no-entities", "--no-index")
    assert code == 1
    assert f"error: feed 2: {server.url('/down.xml')}: HTTP 503 Service Unavailable" in err
    code, out, _ = run(capsys, "feeds", "list", "--json")
    down = [f for f in json.loads(out) if f["id"] == 2][0]
    assert down["last_error"].endswith("HTTP 503 Service Unavailable") and down["last_success"] is None


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Feedly export</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Le Monde – à la une" title="Le Monde – à la une" xmlUrl="{a}" htmlUrl="https://lemonde.example/"/>
    <outline type="rss" text="Atom one" xmlUrl="{b}"/>
  </outline>
  <outline type="rss" text="Broken one" xmlUrl="javascript:alert(1)"/>
  <outline type="rss" text="No address"/>
  <outline type="rss" text="Duplicate" xmlUrl="{a}"/>
</body></opml>"""


def test_opml_import_then_export(server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = feed_with(server, 1, "/a.xml")
    b = feed_with(server, 1, "/b.atom", kind="atom")
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML.format(a=a, b=b), encoding="utf-8")
    code, out, err = run(capsys, "feeds", "import-opml", str(opml))
    assert code == 0
    assert out.startswith("opml: 2 feeds added, 0 already subscribed, 2 failed")
    assert err.splitlines() == [f"error: {opml}: outline 'Broken one': not a web address (javascript:alert(1))",
                                f"error: {opml}: outline 'No address': no xmlUrl"]
    code, out, _ = run(capsys, "feeds", "import-opml", str(opml))
    assert "0 feeds added, 2 already subscribed" in out
    code, out, _ = run(capsys, "feeds", "refresh", "--no-entities", "--no-index")
    assert code == 0 and "2 new items" in out
    target = tmp_path / "out.opml"
    assert run(capsys, "feeds", "export-opml", "-o", str(target))[0] == 0
    from reader.feeds.opml import read_opml

    feeds, problems = read_opml(target.read_bytes(), name="out")
    assert problems == []
    assert {(f.url, f.folder) for f in feeds} == {(a, "News"), (b, "News")}
    # the name from the OPML file stays; the site address is the feed's own after a refresh
    assert any(f.title == "Le Monde – à la une" and f.site_url == "https://news.example/" for f in feeds)


@pytest.mark.parametrize("content, words", [
    ("<opml><body>", "not valid XML"),
    ("<rss version='2.0'/>", "not an OPML file"),
    ('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>', "refused"),
])
def test_bad_opml_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "feeds", "import-opml", str(bad))
    assert code == 1 and err.startswith(f"reader: {bad}: ") and words in err and err.count("\n") == 1
