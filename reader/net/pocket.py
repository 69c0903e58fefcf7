"""Pocket exports: links only, so each is fetched as in "Add by link".

Two formats, recognised by content (not by name):

* the CSV export (2024-2025): a header ``title,url,time_added,tags,status``;
  ``time_added`` is Unix seconds, ``tags`` are separated by ``|``, ``status``
  is ``unread`` or ``archive`` (read);
* the older ``ril_export.html``: ``<h1>Unread</h1>`` and ``<h1>Read Archive</h1>``
  sections of ``<a href=... time_added=... tags="a,b">title</a>`` links.

Every link keeps its tags, its time added and its read state.  A row that
is not usable (no URL, not a web address) is reported with its line and the
rest goes on.  The store's importer calls :func:`import_hook` for every file
(a ``FileHook`` that ``reader.jobs.imports`` passes it).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MAX_EXPORT_BYTES = 50 * 1024 * 1024
_CSV_HEADER = re.compile(r"^\ufeff?\s*\"?title\"?\s*,.*\burl\b.*\btime_added\b", re.IGNORECASE)


@dataclass(frozen=True)
class PocketLink:
    """One saved link of a Pocket export."""

    url: str
    title: str = ""
    time_added: datetime | None = None
    tags: tuple[str, ...] = ()
    read: bool = False


def detect(head: bytes) -> str | None:
    """``"csv"``, ``"html"`` (ril_export.html) or ``None`` from a file's first bytes."""
    text = head[:8192].decode("utf-8", errors="replace")
    first = text.lstrip().split("\n", 1)[0]
    if _CSV_HEADER.match(first):
        return "csv"
    low = text.lower()
    if "<title>pocket export</title>" in low or ("time_added=" in low and "<a " in low and "<h1>" in low):
        return "html"
    return None


def _time(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value.isdigit():
        return None
    seconds = int(value)
    if seconds > 100_000_000_000:  # milliseconds
        seconds //= 1000
    try:
        when = datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None
    return when if 1990 <= when.year <= 2100 else None


def _tags(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in re.split(r"[|,]", value or "") if t.strip()))


def _usable(url: str) -> str | None:
    """Why ``url`` cannot be fetched, or ``None``."""
    if not url:
        return "no URL"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"not a web address ({url[:80]})"
    return None


def read_csv(text: str, *, name: str) -> tuple[list[PocketLink], list[str]]:
    """The links of a Pocket CSV export and one message per unusable row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = {f.strip().lower() for f in reader.fieldnames or ()}
    if "url" not in fields:
        return [], [f"{name}: not a Pocket export (no url column)"]
    links: list[PocketLink] = []
    problems: list[str] = []
    try:
        for row in reader:
            data = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else "" for k, v in row.items()}
            url = data.get("url", "")
            problem = _usable(url)
            if problem:
                problems.append(f"{name} line {reader.line_num}: {problem}")
                continue
            links.append(PocketLink(url, data.get("title", ""), _time(data.get("time_added", "")),
                                    _tags(data.get("tags", "")), data.get("status", "").lower() in ("archive", "1")))
    except csv.Error as exc:
        problems.append(f"{name} line {reader.line_num}: not valid CSV ({exc}); the rows after it were not read")
    return links, problems


class _RilParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.section = ""
        self._in_h1 = False
        self._link: dict[str, str] | None = None
        self._text: list[str] = []
        self.found: list[tuple[dict[str, str], str, str, int]] = []  # attrs, title, section, line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self._in_h1 = True
            self.section = ""
        elif tag == "a":
            self._link = {k.lower(): v or "" for k, v in attrs}
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False
        elif tag == "a" and self._link is not None:
            self.found.append((self._link, " ".join("".join(self._text).split()), self.section, self.getpos()[0]))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.section += data
        elif self._link is not None:
            self._text.append(data)


def read_ril_html(text: str, *, name: str) -> tuple[list[PocketLink], list[str]]:
    """The links of an old Pocket ``ril_export.html``."""
    parser = _RilParser()
    parser.feed(text)
    parser.close()
    links: list[PocketLink] = []
    problems: list[str] = []
    for attrs, title, section, line in parser.found:
        url = attrs.get("href", "").strip()
        problem = _usable(url)
        if problem:
            problems.append(f"{name} line {line}: {problem}")
            continue
        links.append(PocketLink(url, title, _time(attrs.get("time_added", "")), _tags(attrs.get("tags", "")),
                                "archive" in section.lower() or section.strip().lower() == "read"))
    return links, problems


def read_export(path: Path) -> tuple[list[PocketLink], list[str]] | None:
    """The links and problems of a Pocket export at ``path``; ``None`` when it is not one."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_EXPORT_BYTES + 1)
    kind = detect(data)
    if kind is None:
        return None
    if len(data) > MAX_EXPORT_BYTES:
        return [], [f"{path}: the Pocket export is too big (over {MAX_EXPORT_BYTES // (1024 * 1024)} MB)"]
    text = data.decode("utf-8", errors="replace")
    return read_csv(text, name=str(path)) if kind == "csv" else read_ril_html(text, name=str(path))


def import_hook(library: Any, path: Path, head: bytes, progress: Callable[[int, int, str], None] | None,
                cancel: Callable[[], bool] | None) -> Any:
    """The importer's hook: a Pocket export's links fetched and stored (an
    ``ImportReport``), or ``None`` when ``path`` is not a Pocket export."""
    if detect(head) is None:
        return None
    from reader.net.links import LinkRequest, add_links
    from reader.store.importer import ImportReport

    report = ImportReport()
    try:
        found = read_export(path)
    except OSError as exc:
        report.errors.append(f"{path}: cannot read ({exc.strerror or exc})")
        return report
    if found is None:
        return None
    links, problems = found
    report.errors.extend(problems)
    requests = [LinkRequest(x.url, tags=x.tags, time_added=x.time_added, read=x.read, title=x.title or None)
                for x in links]
    added = add_links(library, requests, progress=progress, cancel=cancel)
    for result in added.results:
        if not result.ok:
            report.errors.append(str(result.error))
        elif result.outcome == "added":
            report.added.append(str(result.article_id))
        elif result.outcome == "updated":
            report.updated.append(str(result.article_id))
        else:
            report.unchanged.append(str(result.article_id))
    report.cancelled = report.cancelled or added.cancelled
    return report
