"""Line-level recognisers for DW page scrapes (see :mod:`reader.core.ingest.dw`).

Each function looks at one stripped line and says what it is: a menu/noise line,
a date line, an author line, a glued section line, an image caption with its
credit, a live-blog marker, an agency signature...  They are pure and small so
that the parser reads as a sequence of decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reader.core.ingest.common import MONTHS, make_date, month_date, month_date_pattern

# ---- noise -------------------------------------------------------------------
_NOISE = re.compile(
    r"^(?:\d+\.\s*)?Skip to (?:content|main content|main menu|navigation|more DW sites)$"
    r"|^(?:\d+\.\s*)?(?:Zum Inhalt springen|Zur Hauptnavigation springen|Zu weiteren Angeboten der DW springen)$"
    r"|^To view this video please enable JavaScript\b.*$"
    r"|^(?:Watch|Play) video(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    r"|^(?:Listen to|Play) audio(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
    r"|^This browser does not support the (?:video|audio) element\.?$"
    r"|^Read more\s*:.*$"
    r"|^This (?:article|live blog|blog) was (?:last )?updated\b.*$"
    r"|^Visit the new DW website$"
    r"|^Take a look at the beta version of dw\.com\b.*$"
    r"|^We're not done yet!.*$"
    r"|^Your opinion can help us make it better\.?$"
    r"|^Advertisement$",
    re.IGNORECASE,
)
#: Header-only noise: cookie banners and buttons of the old layout.
_HEADER_NOISE = re.compile(
    r"\bcookies?\b|\bdata protection\b|\bprivacy policy\b|^(?:OK|Got it|Accept(?: all)?|Agree)$",
    re.IGNORECASE,
)
_MENU_ITEM = re.compile(r"^\d{1,2}\.\s*\S.{0,40}$")
#: The beta-site banner of the 2014-2022 layout.
BANNER = re.compile(r"^(?:Visit the new DW website|Take a look at the beta version of dw\.com\b.*)$", re.I)
WATCH = re.compile(r"^(?:Watch|Play) video\b", re.IGNORECASE)
#: A video/audio duration shown between headline and date (``02:50``, ``26:06 min``).
DURATION = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*min(?:s|utes)?\.?)?$")


def is_noise(line: str) -> bool:
    """Menu links, video/audio widget text, "Read more:" links, update notes, banners."""
    return bool(_NOISE.match(line))


def is_header_noise(line: str) -> bool:
    """Cookie banner lines and their buttons (only trusted before the headline)."""
    return bool(_HEADER_NOISE.search(line)) and len(line) < 400


def is_menu_item(line: str) -> bool:
    """A numbered menu entry such as ``1. Inhalt`` (short)."""
    return bool(_MENU_ITEM.match(line)) and len(line.split()) <= 6


# ---- crawler prefix, old title line, links -----------------------------------------
CRAWL_DATE = re.compile(r"^date\s*[:=]?\s*(?P<value>\d{4}-\d{2}(?:-\d{2})?)(?:[T ][\d:.]+\S*)?\s*(?P<rest>.*)$", re.I)
CRAWL_URL = re.compile(r"^(?:url|source|link)\s*[:=]?\s*(?P<value>https?://\S+)\s*(?P<rest>.*)$", re.I)
OLD_TITLE = re.compile(r"^(?P<title>.+?)\s*\|(?P<mid>.*)\|\s*DW\s*\|\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")
#: The short old title of programme pages: ``Headline | DW News | 19.06.2017`` or ``Headline | 29.03.2016``.
OLD_TITLE_SHORT = re.compile(
    r"^(?P<title>.+?)\s*\|\s*(?:(?P<mid>DW\b[^|]{0,60}?)\s*\|\s*)?(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$"
)
NEW_TITLE = re.compile(r"^(?P<title>.+?)\s+[–-]\s+DW\s+[–-]\s+(?P<m>\d{2})/(?P<d>\d{2})/(?P<y>\d{4})$")
SHORT_URL = re.compile(r"^(?:Permalink:?\s*)?(?P<url>https?://p\.dw\.com/p/(?P<id>[\w-]+))/?$", re.I)
CANONICAL_URL = re.compile(r"^https?://(?:www\.)?dw\.com/\S+/(?:a|live|av)-\d+/?$", re.I)
BARE_URL = re.compile(r"^(?:Permalink:?\s*)?https?://\S+$", re.I)

# ---- dates --------------------------------------------------------------------
_TAIL_TIME = re.compile(r"^,?\s*(?:at\s*)?\d{1,2}:\d{2}(?:\s*(?:[AP]M|UTC|GMT|CET|CEST))?")
_ABS_DATE_LINE = re.compile(
    rf"^(?P<pre>.*?)(?:Published\s*(?:on\s*)?)?{month_date_pattern()}"
    rf"(?:\s*[|,·]?\s*(?:[Ll]ast updated|[Uu]pdated)\s*(?:on\s*)?{month_date_pattern('u')})?(?P<post>.*)$"
)
_REL_DATE_LINE = re.compile(
    r"^(?P<pre>.*?)(?:Published\s*)?(?:\d+|an?|one)\s(?:second|minute|hour|day|week)s?\sago(?P<post>.*)$", re.I
)
_NUM_DATE_LINE = re.compile(r"^(?P<pre>.*?)(?P<m>\d{2})/(?P<d>\d{2})/(?P<y>\d{4})(?P<post>.*)$")
_DMY_DATE_LINE = re.compile(r"^(?P<pre>.*?)(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?P<post>.*)$")
#: German month names (lower case) -> month number, for German DW pages.
DE_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jänner"),
            ("februar",),
            ("märz", "maerz"),
            ("april",),
            ("mai",),
            ("juni",),
            ("juli",),
            ("august",),
            ("september",),
            ("oktober",),
            ("november",),
            ("dezember",),
        ),
        start=1,
    )
    for name in names
}
_DE_DATE_LINE = re.compile(
    rf"^(?P<pre>.*?)(?:Veröffentlicht\s*)?(?<!\d)(?P<d>\d{{1,2}})\.\s?(?P<mon>(?i:{'|'.join(DE_MONTHS)}))\s(?P<y>\d{{4}})"
    r"(?P<post>.*)$"
)
TIME_LINE = re.compile(r"^\d{1,2}:\d{2}(?:\s*(?:UTC|GMT|CET|CEST))?$")
OLD_FOOTER_DATE = re.compile(r"^Date:?\s*(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")


@dataclass(frozen=True)
class DateLine:
    """A header date line: dates (``None`` when relative), and text glued before/after."""

    published: datetime | None
    updated: datetime | None
    pre: str
    post: str
    relative: bool = False


def match_date_line(line: str) -> DateLine | None:
    """Recognise ``June 16, 2023``, ``Published April 4, 2024last updated April 5, 2024``,
    ``07/11/2024``, ``1 hour ago``, with an author glued before or text glued after."""
    for pattern in (_ABS_DATE_LINE, _NUM_DATE_LINE, _DMY_DATE_LINE, _DE_DATE_LINE, _REL_DATE_LINE):
        m = pattern.match(line)
        if not m:
            continue
        pre = m.group("pre").strip(" |·,-–—")
        post = _TAIL_TIME.sub("", m.group("post")).strip()
        if pre and not (pre == "Published" or byline(pre)):
            continue
        if post and not (post[0].isupper() or post[0] in "\"'“‘„«" or post[0].isdigit()):
            continue
        if pattern is _REL_DATE_LINE:
            return DateLine(None, None, pre, post, relative=True)
        if pattern is _DE_DATE_LINE:
            published = make_date(m.group("y"), DE_MONTHS[m.group("mon").lower()], m.group("d"))
            if published is None:
                continue
            return DateLine(published, None, pre, post)
        if pattern is _NUM_DATE_LINE or pattern is _DMY_DATE_LINE:
            published = make_date(m.group("y"), m.group("m"), m.group("d"))
            if published is None:
                continue
            return DateLine(published, None, pre, post)
        published = month_date(m)
        if published is None:
            continue
        updated = month_date(m, "u") if m.group("umonth") else None
        if updated == published:
            updated = None
        return DateLine(published, updated, pre, post)
    return None


def entry_time(line: str) -> str | None:
    """The display time of a live-blog entry line (``April 4, 2024``, ``21:25``), else ``None``."""
    if TIME_LINE.match(line):
        return line
    m = re.fullmatch(month_date_pattern(), line)
    if m and m.group("month").lower() in MONTHS:
        return line
    if re.fullmatch(r"\d{2}/\d{2}/\d{4}|(?:\d+|an?|one) (?:second|minute|hour|day|week)s? ago", line, re.I):
        return line
    return None


# ---- people, sections, headings ------------------------------------------------------
_PARTICLES = frozenset("von van de der den da di du al el bin ibn la le dos das del ter zu y".split())
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*$")
_LOCATION = re.compile(r"\s+in\s+[A-ZÀ-Þ][\w'’.-]*(?:,?\s+[A-ZÀ-Þ][\w'’.-]*){0,3}$")
_BY = re.compile(r"^(?:By|From|Authors?:?)\s+", re.I)
#: Words of programme labels and brands that look like names ("DW News", "Conflict Zone").
_NOT_NAME_WORDS = frozenset("DW News Live Video Audio Podcast Zone Show Update Updates Africa Europe Asia".split())


def is_name(text: str) -> bool:
    """Two to five capitalised words (particles like ``von`` allowed): a person's name."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or any(token in _NOT_NAME_WORDS for token in tokens):
        return False
    for i, token in enumerate(tokens):
        if token in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        if not _NAME_TOKEN.match(token) or (len(token) > 3 and token.isupper()):
            return False
    return True


def parse_authors(line: str) -> list[str] | None:
    """``Ines Pohl in Washington`` -> ``["Ines Pohl"]``; ``A B | C D`` -> two names; else ``None``."""
    line = _BY.sub("", line.strip())
    if not line or len(line) > 160:
        return None
    names: list[str] = []
    for part in re.split(r"\s*\|\s*", line):
        part = _LOCATION.sub("", part.strip())
        for name in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", part):
            if not is_name(name):
                return None
            names.append(name)
    return names or None


_AGENCY = r"(?:AFP|AP|dpa|DPA|Reuters|KNA|epd|EFE|SID|AFX|DW|dapd|ddp|rtr|afp|ap)"
_STAFF_BYLINE = re.compile(
    rf"^(?:DW(?:-WORLD(?:\.DE)?)?|Deutsche Welle)\s+(?:staff|Staff|editors?)"
    rf"(?:\s*[/,]\s*{_AGENCY}(?:\s*[/,]\s*{_AGENCY})*)?(?:\s*\([a-z]{{1,5}}(?:/[a-z]{{1,5}})*\))?$"
)


def byline(text: str) -> list[str] | None:
    """Authors of a byline: personal names, a staff byline kept whole (``DW staff / AFP (win)``),
    or the name in an opinion portrait line (``KommentarFoto: DW/B. Riegert Bernd Riegert``)."""
    text = text.strip(" |·,-–—")
    names = parse_authors(text)
    if names:
        return names
    if _STAFF_BYLINE.match(text):
        return [" ".join(text.split())]
    name = opinion_photo_name(text)
    return [name] if name else None


# ---- opinion portraits -------------------------------------------------------------
_KOMMENTAR = re.compile(r"kommentar", re.IGNORECASE)
_CREDIT_LEAD = re.compile(r"^(?:Foto|Bild|Photo|Image)\s*:$", re.IGNORECASE)
_LABEL_WORDS = frozenset(
    "app hauptstadtstudio studio kommentar kommentarbild kommentarfoto bild foto photo porträt portrait dw"
    " provisorisch kolumne".split()
)


def opinion_photo_name(line: str) -> str | None:
    """The person named by an opinion portrait's alt text, or ``None`` if ``line`` is not one.

    ``Kommentarfoto Kay-Alexander Scholz Hauptstadtstudio`` -> ``Kay-Alexander Scholz``;
    ``Engel Dagmar Kommentarbild App`` -> ``Engel Dagmar`` (alt texts may put the
    surname first; the byline line after it, when there is one, is preferred);
    ``KommentarFoto: DW/B. Riegert Bernd Riegert Hauptstadtstudio`` -> ``Bernd Riegert``.
    """
    if not _KOMMENTAR.search(line) or len(line) > 160:
        return None
    text = re.sub(r"(?i)kommentar(?=[A-Z])", "Kommentar ", line)  # "KommentarFoto:" -> "Kommentar Foto:"
    tokens = text.split()
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _CREDIT_LEAD.match(token) or re.match(r"(?i)^(?:foto|bild|photo|image):\S", token):
            i = _skip_credit(tokens, i + 1 if token.endswith(":") else i)
            continue
        bare = token.strip("*()[],;").lower()
        if bare in _LABEL_WORDS or _KOMMENTAR.search(token) or token.startswith("*"):
            i += 1
            continue
        kept.append(token)
        i += 1
    if len(kept) >= 3 and kept[-2] in _PARTICLES and is_name(" ".join(kept[-3:])):
        return " ".join(kept[-3:])  # Alexandra von Nahmen
    if len(kept) >= 2 and is_name(" ".join(kept[-2:])):
        return " ".join(kept[-2:])
    return None


def _skip_credit(tokens: list[str], i: int) -> int:
    """Index after a photo credit starting at ``tokens[i]`` (``DW/B. Riegert``, ``picture-alliance/dpa``)."""
    if i < len(tokens) and tokens[i].lower().startswith(("foto:", "bild:", "photo:", "image:")):
        tokens = [*tokens[:i], tokens[i].split(":", 1)[1], *tokens[i + 1 :]]
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token.endswith(".") and len(token.rsplit("/", 1)[-1]) <= 3 and i < len(tokens):
            i += 1  # an initial: its surname belongs to the credit
            break
        if "/" in token or token[:1].islower():
            if i < len(tokens) and (tokens[i][:1].islower() or "/" in tokens[i]):
                continue
            break
        break
    return i


def same_person(a: str, b: str) -> bool:
    """``Engel Dagmar`` and ``Dagmar Engel`` name the same person (same words, any order)."""

    def key(text: str) -> list[str]:
        return sorted(text.casefold().replace("ß", "ss").split())

    return key(a) == key(b)


_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def split_glued_section(line: str) -> tuple[str, str] | None:
    """``ConflictsUkraine`` -> ``("Conflicts", "Ukraine")`` (split at the first lower->Upper join)."""
    if len(line) > 60 or len(line.split()) > 6 or not line[:1].isupper() or ends_sentence(line):
        return None
    m = _GLUE.search(line)
    if not m or m.start() < 3:
        return None
    left, right = line[: m.start()].strip(), line[m.start() :].strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z &,'-]*", left) or not right:
        return None
    return left, right


def is_label(line: str) -> bool:
    """A short label line (section, kicker): at most six words, no sentence ending."""
    return 0 < len(line) <= 50 and len(line.split()) <= 6 and not ends_sentence(line) and not line[0].islower()


_SENTENCE_END = re.compile(r"(?:[.,;:…]|[.!?,][\"”’'»)]+)$")


def ends_sentence(line: str) -> bool:
    """Ends like running text (``.`` ``,`` ``;`` ``:`` or a closed quotation)."""
    return bool(_SENTENCE_END.search(line[-12:]))


def headline_like(line: str) -> bool:
    """A short standalone line that reads like a headline (no sentence ending, not a quote)."""
    if not line or len(line) > 140 or len(line.split()) > 18:
        return False
    if line[0] in '"“„«-–—•*(' or not (line[0].isupper() or line[0].isdigit() or line[0] in "'‘"):
        return False
    return not ends_sentence(line)


def paragraph_like(line: str) -> bool:
    """Running text: a sentence ending, or long."""
    return ends_sentence(line) or line.endswith(("?", "!")) or len(line) > 140


# ---- captions, signature, live blog ---------------------------------------------------
_IMAGE = re.compile(r"^(?P<cap>.*?)\s?Image:\s*(?P<credit>\S.{0,150})$")
_OLD_CREDIT = re.compile(
    r"^(?P<cap>.*?)\s*\((?P<credit>(?:picture[- ]alliance|Getty Images|imago|dpa|AP|AFP|Reuters|DW|Photo)\b[^()]{0,80})\)$",
    re.IGNORECASE,
)
SIGNATURE = re.compile(r"^[a-z]{1,4}(?:/[a-z]{1,4})+\.?(?:\s*\([^()]{1,60}\))?\.?$")
SKIP_NEXT = re.compile(r"^Skip next section\s*(?P<heading>.*)$")


def split_credit(line: str) -> tuple[str, str] | None:
    """``captionImage: X/AGENCY`` -> ``(caption, credit)``; caption may be ``""``.

    Also the old ``caption (picture-alliance/dpa)`` form.  ``None`` if no credit.
    """
    if SIGNATURE.match(line):
        return None
    m = _IMAGE.match(line)
    if m and not m.group("credit").endswith((".", '"', "”")) and len(m.group("cap")) <= 500:
        return m.group("cap").strip(), m.group("credit").strip()
    m = _OLD_CREDIT.match(line)
    if m and len(line) <= 400 and ("/" in m.group("credit") or m.group("cap")[-1:] not in '."”'):
        return m.group("cap").strip(), m.group("credit").strip()
    return None


def same_text(a: str, b: str) -> bool:
    """Equal up to case, whitespace and quote style."""
    return normalise_key(a) == normalise_key(b)


def normalise_key(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())
