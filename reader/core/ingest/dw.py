"""DW page scrapes -> Article.

A scrape is the text of a dw.com page, one paragraph per line (usually with
blank lines between; AMP scrapes use single newlines, some new-layout video
pages arrive glued onto one line).  The parser works in two steps:

1. **Header** (this module): split glued one-line pages (:mod:`.dw_glue`), drop
   the crawler prefix (``date 2024-07-11``), the "Skip to ..." menu (English or
   German), the old layout's HTML title line (``Headline | Section | DW |
   21.06.2022``), cookie banner, numbered menu, beta banner and an image that
   comes before the headline.  Find the date line in the next few lines; the lines
   before it are section/kicker or programme labels ("DW News"), the headline, a
   video duration, opinion portrait alt texts and byline lines; the first
   paragraph after it is the lede.  A page whose first line is running text, or
   that holds only a banner/cookie notice and teasers, has no headline: it is
   untitled (title ``""``), never a teaser or banner.
2. **Body** (:mod:`.dw_body`): every remaining line becomes a block.

Every decision is recorded in ``Article.parse_notes`` ("title: ...", "date: ...",
"author: ...").

Dates: the page's own date wins over the crawler prefix; a relative date ("1
hour ago") is unknown; with no page date the crawler date is used with
``date_is_crawl=True``; no date is ever invented.  Authors: bylines (also glued
before the date, ``DW staff (jen)``), the name in an opinion portrait line, or --
on old opinion pages without a byline -- the commentator the lede names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from reader.core.article import Article, clean_text
from reader.core.ingest import dw_glue as G
from reader.core.ingest import dw_lines as L
from reader.core.ingest.common import build_article, make_date, parse_date
from reader.core.ingest.dw_body import BodyMixin
from reader.core.ingest.errors import IngestError

_PRIME = re.compile(r"(?<=\w)[′`´](?=\w)|′")
_HEADER_WINDOW = 10  # how far after the header noise the date line may be


@dataclass
class _Line:
    text: str
    blank_before: bool


@dataclass
class _State:
    title: str = ""
    section: str | None = None
    kicker: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    page_date_seen: bool = False
    crawl_date: datetime | None = None
    url: str | None = None
    short_url: str | None = None
    page_id: str | None = None
    lede: str | None = None
    signature: str | None = None
    opinion: bool = False  # an opinion/commentary page (its lede may name the author)
    notes: list[str] = field(default_factory=list)


def _prepare(text: str) -> tuple[list[_Line], int]:
    """Clean lines; split glued one-line video pages.  Returns the lines and how many were split."""
    out: list[_Line] = []
    blank = True
    unglued = 0
    for raw in text.split("\n"):
        line = clean_text(_PRIME.sub("'", raw.replace("\u200b", "")))
        if not line:
            blank = True
            continue
        parts = G.unglue_line(line)
        if parts:
            unglued += 1
            out.extend(_Line(part, True) for part in parts)
        else:
            out.append(_Line(line, blank))
        blank = False
    return out, unglued


class _DWParser(BodyMixin):
    def __init__(self, text: str, path: str | None) -> None:
        self.lines, unglued = _prepare(text)
        self.n = len(self.lines)
        self.path = path or "<text>"
        self.s = _State()
        if unglued:
            self.note("layout: one-line video page split at its doubled date (MM/DD/YYYY + long date)")
        self.old_layout = False
        separated = sum(1 for line in self.lines if line.blank_before)
        self.single_newlines = self.n > 4 and separated < 0.2 * self.n

    def text(self, i: int) -> str:
        return self.lines[i].text

    def note(self, text: str) -> None:
        """Record a parsing decision (``Article.parse_notes``)."""
        if text not in self.s.notes:
            self.s.notes.append(text)

    # ---- header ------------------------------------------------------------------
    def parse_header(self) -> int:
        """Fill title/section/authors/dates/lede; return the index where the body starts."""
        i = self._crawler_prefix()
        hint_title, hint_section = self._title_line(i)
        if hint_title is not None:
            i += 1
        first = i
        i = self._skip_header_noise(i, hint_section, hint_title)
        limit = min(self.n, i + _HEADER_WINDOW)
        date_at = None
        seen_content = hint_title is not None
        for j in range(i, limit):
            line = self.text(j)
            if (
                L.SKIP_NEXT.match(line)
                or L.split_credit(line)
                or (j > i and L.paragraph_like(line) and len(line) > 200)
            ):
                break
            if L.is_noise(line) or L.DURATION.match(line):
                continue
            if seen_content and L.match_date_line(line):
                date_at = j
                break
            seen_content = True
        if date_at is not None:
            body = self._header_with_date(i, date_at, hint_title)
        else:
            body = self._header_without_date(i, hint_title)
        if hint_section and not self.s.section:
            self.s.section = hint_section
        if not self.s.title and hint_title:
            self.s.title = hint_title
            self.note("title: the page's HTML title line")
        if not self.s.title and self._banner_before(first, i):
            self.note("title: none - the scrape holds only a banner/cookie notice and teasers for other items")
        elif not self.s.title:
            self.note("title: none - the page has no headline line, only running text or teasers (untitled)")
        if hint_section and re.search(r"\b(?:Opinion|Kommentar|Meinung)\b", hint_section):
            self.s.opinion = True
        body = self._take_lede(body)
        self._opinion_author()
        return body

    def _crawler_prefix(self) -> int:
        i = 0
        while i < self.n:
            line = self.text(i)
            m = L.CRAWL_DATE.match(line) or L.CRAWL_URL.match(line)
            if not m:
                break
            if m.re is L.CRAWL_DATE:
                self.s.crawl_date = parse_date(m.group("value"))
                if self.s.crawl_date is None:
                    self.note(f"date: crawler prefix {m.group('value')!r} has no day; not used as a date")
            else:
                self.s.url = m.group("value")
            rest = m.group("rest").strip()
            if rest:
                self.lines[i] = _Line(rest, True)
                break
            i += 1
        return i

    def _title_line(self, i: int) -> tuple[str | None, str | None]:
        if i >= self.n:
            return None, None
        line = self.text(i)
        m = L.OLD_TITLE.match(line)
        if m:
            self.old_layout = True
            parts = [p.strip() for p in m.group("mid").split("|") if p.strip()]
            self._page_date(make_date(m.group("y"), m.group("m"), m.group("d")))
            self.note("date: the HTML title line (| DW | dd.mm.yyyy)")
            return m.group("title").strip(), (parts[0] if parts else None)
        m = L.OLD_TITLE_SHORT.match(line)
        if m:
            self.old_layout = True
            self._page_date(make_date(m.group("y"), m.group("m"), m.group("d")))
            mid = (m.group("mid") or "").strip() or None
            self.note(f"date: the HTML title line ({mid + ' | ' if mid else ''}dd.mm.yyyy)")
            return m.group("title").strip(), mid
        m = L.NEW_TITLE.match(line)
        if m:
            self._page_date(make_date(m.group("y"), m.group("m"), m.group("d")))
            self.note("date: the HTML title line (- DW - mm/dd/yyyy)")
            return m.group("title").strip(), None
        return None, None

    def _skip_header_noise(self, i: int, hint_section: str | None, hint_title: str | None = None) -> int:
        while i < self.n:
            line = self.text(i)
            menu_run = L.is_menu_item(line) and (
                (i + 1 < self.n and L.is_menu_item(self.text(i + 1))) or (i > 0 and L.is_menu_item(self.text(i - 1)))
            )
            if L.is_noise(line) or L.is_header_noise(line) or menu_run:
                i += 1
            elif hint_section and L.same_text(line, hint_section):
                i += 1
            elif self._link_line(line):
                i += 1
            elif not (hint_title and L.same_text(line, hint_title)) and (skip := self._lead_figure(i)):
                self.note("title: an image's alt text and credit before the headline skipped")
                i += skip
            else:
                break
        return i

    def _banner_before(self, first: int, content: int) -> bool:
        """A beta banner or cookie notice among the header lines skipped before the content."""
        return any(L.is_header_noise(self.text(j)) or L.BANNER.match(self.text(j)) for j in range(first, content))

    def _lead_figure(self, i: int) -> int:
        """Lines of an image (alt text + ``Image:`` credit) at ``i`` before any headline; 0 if none."""
        here = L.split_credit(self.text(i))
        if here is not None:
            return 1 if here[0] else 0
        if i + 1 < self.n:
            nxt = L.split_credit(self.text(i + 1))
            if nxt is not None and not nxt[0]:
                return 2
            if nxt is not None and self._may_be_alt(i):
                return 2
        return 0

    def _link_line(self, line: str) -> bool:
        """Consume a short link / canonical URL / other bare URL line."""
        m = L.SHORT_URL.match(line)
        if m:
            if not self.s.short_url:
                self.s.short_url, self.s.page_id = m.group("url"), m.group("id")
            return True
        if L.BARE_URL.match(line):
            url = line.split()[-1]
            if not self.s.url and L.CANONICAL_URL.match(url):
                self.s.url = url
            return True
        return False

    def _page_date(self, published: datetime | None, updated: datetime | None = None) -> None:
        if self.s.page_date_seen and self.s.published:
            return
        self.s.page_date_seen = True
        self.s.published, self.s.updated = published, updated

    def _header_with_date(self, start: int, date_at: int, hint_title: str | None) -> int:
        dl = L.match_date_line(self.text(date_at))
        assert dl is not None
        pre = [self.text(j) for j in range(start, date_at) if not L.is_noise(self.text(j))]
        after_duration: list[str] = []
        durations = [k for k, line in enumerate(pre) if L.DURATION.match(line)]
        if durations:
            # video layout: headline, duration (+ player notice), then author or section label, then date
            self.note(f"title: video duration line {pre[durations[-1]]!r} (and player notice) is not the headline")
            after_duration = pre[durations[-1] + 1 :]
            pre = [line for line in pre[: durations[-1]] if not L.DURATION.match(line)]
        pre = self._drop_portraits(pre)
        if hint_title:
            idx = next((k for k, line in enumerate(pre) if L.same_text(line, hint_title)), None)
            if idx is None:
                labels, headline, author_lines = [], hint_title, pre
            else:
                labels, headline, author_lines = pre[:idx], pre[idx], pre[idx + 1 :]
        else:
            k = len(pre)
            while k > 1 and L.byline(pre[k - 1]) and not (k == 2 and L.split_glued_section(pre[0])):
                k -= 1
            labels, headline, author_lines = pre[: k - 1], (pre[k - 1] if pre else ""), pre[k:]
        for line in after_duration:
            (author_lines if L.byline(line) else labels).append(line)
        self._labels(labels)
        if labels:
            self.note("title: label line(s) above or beside the headline kept as section/kicker: " + " | ".join(labels))
        if headline and self._plausible_title(headline):
            self.s.title = headline
            self.note("title: the line before the date/byline block")
        if dl.pre:
            author_lines = [*author_lines, dl.pre]
            self.note("author: byline glued before the date split off")
        for line in author_lines:
            self._add_authors(L.byline(line) or [])
        if self.s.authors:
            self.note("author: byline line(s) between headline and date")
        if not dl.relative:
            self.s.page_date_seen = False  # the article's own dateline beats a title-tag date
            self._page_date(dl.published, dl.updated)
            self.note(f"date: the dateline {self.text(date_at)[:60]!r}")
        else:
            self.note("date: the page's date is relative ('... ago'), so unknown")
        body = date_at + 1
        if dl.post:
            self.lines.insert(body, _Line(dl.post, True))
            self.n += 1
            self.note("date: text glued after the date split off as the first paragraph")
        while (
            body < self.n
            and (names := L.parse_authors(_strip_by(self.text(body))))
            and self.text(body).startswith("By ")
        ):
            self._add_authors(names)
            body += 1
        return body

    def _drop_portraits(self, pre: list[str]) -> list[str]:
        """Remove opinion portrait alt texts; their name is the author when no byline follows."""
        kept: list[str] = []
        names: list[str] = []
        for line in pre:
            name = L.opinion_photo_name(line)
            if name is None:
                kept.append(line)
                continue
            self.s.opinion = True
            names.append(name)
            self.note(f"author: opinion portrait alt text {line[:50]!r} is not the headline")
        for name in names:
            if not any(L.byline(line) and L.same_person(name, " ".join(L.byline(line) or [])) for line in kept):
                kept.append(name)  # the portrait is the only place the author is named
        return kept

    def _plausible_title(self, line: str) -> bool:
        """A headline, not running text (a teaser sentence, a description).

        Headlines may end in a quoted sentence (``Zelenskyy: 'We will win.'``), so a
        final full stop only disqualifies a line that is long or holds several sentences.
        """
        if len(line) > 250 or line[:1].islower() or line.rstrip("\"'”’»)").endswith((",", ";", ":")):
            return False
        if L.ends_sentence(line) and (len(line) > 100 or len(line.split()) > 14 or re.search(r"[.!?] +[A-Z]", line)):
            return False
        return not (L.split_credit(line) or L.is_noise(line) or L.DURATION.match(line))

    def _header_without_date(self, start: int, hint_title: str | None) -> int:
        if start >= self.n:
            return start
        if hint_title:
            for j in range(start, min(self.n, start + 15)):
                if L.same_text(self.text(j), hint_title):
                    self._labels([self.text(k) for k in range(start, j)])
                    self.s.title = self.text(j)
                    self.note("title: the headline line matching the HTML title line")
                    return self._authors_after(j + 1)
            return start
        j = start
        labels: list[str] = []
        while j + 1 < self.n and len(labels) < 2:
            line, nxt = self.text(j), self._next_content(j + 1)
            if nxt is None:
                break
            short_label = L.is_label(line) and len(line.split()) <= 3 and ":" not in line
            if not (L.split_glued_section(line) or (short_label and L.headline_like(self.text(nxt)))):
                break
            labels.append(line)
            j = nxt
        self._labels(labels)
        if labels:
            self.note("title: programme/section label line(s) above the headline skipped: " + " | ".join(labels))
        if not self._plausible_title(self.text(j)):
            return j  # no headline: the first line is running text (a teaser or description)
        self.s.title = self.text(j)
        self.note("title: the first line after the menu/Skip block")
        return self._authors_after(j + 1)

    def _next_content(self, i: int) -> int | None:
        while i < self.n and (L.is_noise(self.text(i)) or L.DURATION.match(self.text(i))):
            i += 1
        return i if i < self.n else None

    def _authors_after(self, i: int) -> int:
        taken = 0
        while i < self.n - 1 and (L.is_noise(self.text(i)) or L.DURATION.match(self.text(i))):
            i += 1
        while i < self.n - 1 and taken < 2 and (names := L.byline(self.text(i))):
            self._add_authors(names)
            self.note("author: name line(s) right after the headline")
            i += 1
            taken += 1
        return i

    def _opinion_author(self) -> None:
        """Old opinion pages name their author only in the lede (``..., says DW's Volker Wagener.``)."""
        title = self.s.title
        if re.match(r"^(?:Opinion|Kommentar|Meinung|Commentary)\s*[:\-–]", title):
            self.s.opinion = True
        if self.s.authors or not self.s.opinion or not self.s.lede:
            return
        name = G.lede_author(self.s.lede)
        if name:
            self._add_authors([name])
            self.note("author: opinion page without a byline; the commentator named in the lede")

    def _labels(self, labels: list[str]) -> None:
        for line in labels:
            glued = L.split_glued_section(line)
            if glued:
                self.s.section, self.s.kicker = glued
            elif L.is_label(line) and not L.is_noise(line):
                if self.s.section is None and len(labels) > 1 and line == labels[0]:
                    self.s.section = line
                else:
                    self.s.kicker = line

    def _add_authors(self, names: list[str]) -> None:
        for name in names:
            if not any(L.same_text(name, known) for known in self.s.authors):
                self.s.authors.append(name)

    def _take_lede(self, i: int) -> int:
        while i < self.n:
            line = self.text(i)
            if L.is_noise(line) or self._link_line(line):
                i += 1
                continue
            if L.split_credit(line) or self._caption_at(i) is not None or L.SKIP_NEXT.match(line):
                return i
            if L.paragraph_like(line) and not L.SIGNATURE.match(line):
                self.s.lede = line
                return i + 1
            return i
        return i

    # ---- result ------------------------------------------------------------------
    def dates(self) -> tuple[datetime | None, datetime | None, bool]:
        if self.s.published is not None:
            return self.s.published, self.s.updated, False
        if self.s.crawl_date is not None:
            self.note(f"date: the crawler prefix {self.s.crawl_date:%Y-%m-%d} (the page shows no date of its own)")
            return self.s.crawl_date, None, True
        self.note("date: none found (no dateline, title-line date or crawler prefix)")
        return None, None, False


def _strip_by(line: str) -> str:
    return line[3:] if line.startswith("By ") else line


def parse_dw(text: str, *, path: str | None = None, identity: str | None = None) -> Article:
    """Parse a DW page scrape (decoded, normalised text) into an :class:`Article`."""
    parser = _DWParser(text, path)
    if not parser.lines:
        raise IngestError(path or "<text>", "no text")
    body_start = parser.parse_header()
    blocks = parser.parse_body(body_start)
    s = parser.s
    published, updated, is_crawl = parser.dates()
    title = _PRIME.sub("'", s.title).replace("′", "'")
    if not clean_text(title) and not blocks and not s.lede:
        raise IngestError(path or "<text>", "no article text (only menu, banner or cookie lines)")
    if not s.authors:
        parser.note("author: none named on the page")
    return build_article(
        text=text,
        fmt="dw",
        title=title,
        path=path,
        identity=identity,
        url=s.url,
        page_id=s.page_id,
        blocks=blocks,
        source="DW",
        published=published,
        updated=updated,
        date_is_crawl=is_crawl,
        authors=tuple(s.authors),
        section=s.section,
        kicker=s.kicker,
        lede=s.lede,
        signature=s.signature,
        short_url=s.short_url,
        parse_notes=tuple(s.notes),
    )
