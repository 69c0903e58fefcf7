"""Pocket exports (CSV and the older ril_export.html) through ``reader import``:
recognised by content, every link fetched, tags, time added and read state kept,
broken rows reported by line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader import cli, paths
from reader.net.pocket import detect, read_csv, read_ril_html
from reader.store import Library
from tests.net.httpserver import LocalServer, Reply, page

DATA = Path(__file__).parent / "data"
STORIES = {
    "/p/pension": "Pension age to rise, ministers say",
    "/p/cafe": "Café culture: the third place revisited",
    "/p/ramen": "Zoë's ten best ramen spots in Tokyo",
    "/p/untagged": "Untagged but read",
}


def serve(server: LocalServer) -> None:
    for path, title in STORIES.items():
        text = [f"{title}: the opening paragraph of the saved article, with enough words to keep.",
                "A second paragraph with the details that made it worth saving for later reading.",
                "A third paragraph ends the story."]
        server.route(path, Reply(body=page(title, text, canonical=server.url(path))))
    # the tracking link is the same story (same canonical URL)
    server.route("/p/pension-amp", Reply(body=page(STORIES["/p/pension"], [
        f"{STORIES['/p/pension']}: the opening paragraph of the saved article, with enough words to keep.",
        "A second paragraph with the details that made it worth saving for later reading.",
        "A third paragraph ends the story."], canonical=server.url("/p/pension"))))
    server.route("/p/gone", Reply(410, b"gone"))


def export(server: LocalServer, tmp_path: Path, name: str, out_name: str) -> Path:
    target = tmp_path / out_name
    target.write_text((DATA / name).read_text(encoding="utf-8").replace("{base}", server.url("")), encoding="utf-8")
    return target


def library_rows() -> dict[str, dict[str, object]]:
    lib = Library.open(paths.database_path())
    try:
        out = {}
        for r in lib.all_rows():
            art = lib.article(r.id)
            assert art is not None
            out[r.title] = {"tags": set(art.tags), "read": r.is_read, "added": art.extra.get("time_added"),
                            "url": art.url}
        return out
    finally:
        lib.close()


def test_the_csv_export_is_recognised_and_its_links_fetched(server: LocalServer, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    serve(server)
    # an odd name: it is recognised by its content
    path = export(server, tmp_path, "pocket_export.csv.tmpl", "part_000000.csv")
    code = cli.main(["import", str(path), "--no-entities", "--no-index"])
    out, err = capsys.readouterr()
    assert code == 1  # three rows failed (issue 17: 0 only when everything was imported); the rest is in
    assert out.strip() == "imported: 4 added, 0 updated, 1 unchanged, 3 failed"
    assert err.splitlines() == [
        f"error: {path} line 7: no URL",
        f"error: {path} line 8: not a web address (javascript:alert(1))",
        f"error: {server.url('/p/gone')}: HTTP 410 Gone",
    ]
    rows = library_rows()
    assert set(rows) == set(STORIES.values())
    pension = rows["Pension age to rise, ministers say"]
    assert pension["tags"] == {"politics", "europe"} and pension["read"] is False
    assert pension["added"] == datetime.fromtimestamp(1700000000, UTC).replace(tzinfo=None).isoformat()
    cafe = rows["Café culture: the third place revisited"]
    assert cafe["tags"] == {"culture"} and cafe["read"] is True
    assert rows["Zoë's ten best ramen spots in Tokyo"]["tags"] == {"food", "travel", "japan"}
    assert rows["Untagged but read"]["read"] is True and rows["Untagged but read"]["tags"] == set()
    # a second import of the same export adds nothing
    assert cli.main(["import", str(path), "--no-entities", "--no-index"]) == 1  # the same 3 rows fail again
    assert capsys.readouterr().out.strip() == "imported: 0 added, 0 updated, 5 unchanged, 3 failed"


def test_the_old_html_export(server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serve(server)
    path = export(server, tmp_path, "ril_export.html.tmpl", "ril_export.html")
    code = cli.main(["import", str(path), "--no-entities", "--no-index"])
    out, err = capsys.readouterr()
    assert code == 1 and out.strip() == "imported: 3 added, 0 updated, 0 unchanged, 2 failed"
    assert f"{path} line 13: not a web address (mailto:someone@example.org)" in err
    rows = library_rows()
    assert rows["Café culture: the third place revisited"]["tags"] == {"culture", "long read"}
    assert rows["Café culture: the third place revisited"]["read"] is True
    assert rows["Pension age to rise, ministers say"]["read"] is False
    code = cli.main(["list", "--json"])
    listed = json.loads(capsys.readouterr().out)
    assert {r["url"] for r in listed} == {server.url(p) for p in ("/p/pension", "/p/ramen", "/p/cafe")}


def test_detection_is_by_content() -> None:
    assert detect(b"title,url,time_added,tags,status\nx,https://a.example,1,,unread\n") == "csv"
    assert detect(b'\xef\xbb\xbf"title","url","time_added","tags","status"\n') == "csv"
    assert detect((DATA / "ril_export.html.tmpl").read_bytes()) == "html"
    assert detect(b"name,address\nx,y\n") is None
    assert detect(b"<html><head><title>A news page</title></head><body><h1>News</h1></body></html>") is None


def test_readers_directly() -> None:
    links, problems = read_csv('title,url,time_added,tags,status\n"a, b",https://x.example/1,abc,t1|t2,archive\n'
                               "c,https://x.example/2,1700000000000,,unread\n", name="f.csv")
    assert problems == []
    assert links[0].title == "a, b" and links[0].time_added is None and links[0].tags == ("t1", "t2") and links[0].read
    assert links[1].time_added == datetime.fromtimestamp(1700000000, UTC).replace(tzinfo=None)  # milliseconds understood
    links, problems = read_ril_html('<h1>Unread</h1><ul><li><a href="https://x.example/" time_added="x">T</a></li>'
                                    '<li><a>no href</a></li></ul>', name="r.html")
    assert [x.url for x in links] == ["https://x.example/"] and problems == ["r.html line 1: no URL"]


def test_a_pocket_export_in_a_folder_is_left_to_the_format_parsers(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # folders are walked for supported suffixes only (.csv is none): nothing is fetched
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "note.txt").write_text("A note\n\nBody.\n", encoding="utf-8")
    (folder / "pocket.csv").write_text("title,url,time_added,tags,status\nx,http://127.0.0.1:9/x,1,,unread\n",
                                       encoding="utf-8")
    assert cli.main(["import", str(folder), "--no-entities", "--no-index"]) == 0
    assert capsys.readouterr().out.splitlines() == ["imported: 1 added, 0 updated, 0 unchanged, 1 skipped",
                                                    f"{folder / 'pocket.csv'}: skipped (.csv: not a supported format)"]
