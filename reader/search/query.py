"""Our query language (see HELP.md): a forgiving parser into a small syntax tree.

Never raises: unbalanced quotes and parentheses, stray operators, unknown
field names and control characters are read as plain words; what cannot be
used at all (a bad date, an unknown ``is:``/``has:`` value) is dropped and
explained in :attr:`ParsedQuery.errors`.  :mod:`reader.search.compile` turns the
tree into Whoosh queries; :mod:`reader.search.highlight` uses its positive
words to mark matches in article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 24
MAX_CLAUSES = 64

#: Field names users may type -> index field.
FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "body": "body",
    "text": "body",
    "author": "author",
    "by": "author",
    "source": "source",
    "section": "section",
    "person": "person",
    "people": "person",
    "org": "org",
    "organisation": "org",
    "organization": "org",
    "place": "place",
    "location": "place",
    "norp": "norp",
    "facility": "facility",
    "fac": "facility",
    "event": "event",
    "product": "product",
    "work": "work",
    "law": "law",
    "language": "language",
    "misc": "misc",
    "tag": "tag",
    "tags": "tag",
    "note": "notes",
    "notes": "notes",
}
SPECIAL_FIELDS = ("is", "has", "date", "after", "before")
FLAGS: dict[tuple[str, str], str] = {
    ("is", "bookmarked"): "bookmarked",
    ("is", "bookmark"): "bookmarked",
    ("is", "starred"): "bookmarked",
    ("is", "undated"): "undated",
    ("has", "notes"): "notes",
    ("has", "note"): "notes",
    ("has", "annotations"): "notes",
    ("has", "highlights"): "notes",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_WORD_CHARS = re.compile(r"[^\s()\"]+")
_FUZZY_SUFFIX = re.compile(r"~(\d*)$")
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?$")


#: Words up to this many letters allow one edit in ``word~``; longer ones two.
FUZZY_ONE_EDIT_MAX = 6


def fuzzy_distance(word: str) -> int:
    """The edits ``word~`` allows: 1 for words of up to 6 letters, 2 from 7
    (``ecomony~`` needs two to find "economy")."""
    return 1 if len(word) <= FUZZY_ONE_EDIT_MAX else 2


# ---- the tree -----------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    """A word: ``mode`` is "term", "prefix" (``word*``) or "fuzzy" (``word~N``)."""

    text: str
    field: str | None = None
    mode: str = "term"
    dist: int = 0
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Flag:
    name: str  # "bookmarked" | "notes"


@dataclass(frozen=True)
class Dates:
    """Published in [start, end) (naive wall-clock datetimes; ``None``: open)."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


Node = Word | Phrase | Flag | Dates | Not | And | Or


@dataclass
class ParsedQuery:
    """The tree (``None``: nothing to search for) and any problems found."""

    text: str
    node: Node | None
    errors: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return "; ".join(dict.fromkeys(self.errors)) or None


# ---- lexer -------------------------------------------------------------------
@dataclass(frozen=True)
class _Tok:
    kind: str  # LP RP OR AND NOT NEG WORD PHRASE FIELD
    text: str = ""
    start: int = 0
    end: int = 0
    name: str = ""  # FIELD: the field name; WORD: "name:value" split when known


def _lex(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            toks.append(_Tok("LP", c, i, i + 1))
            i += 1
        elif c == ")":
            toks.append(_Tok("RP", c, i, i + 1))
            i += 1
        elif c == '"':
            close = text.find('"', i + 1)
            if close < 0:  # unbalanced quote: read the rest as words
                i += 1
                continue
            toks.append(_Tok("PHRASE", text[i + 1 : close], i + 1, close))
            i = close + 1
        elif c in "-+!" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in ")-+!":
            if c != "+":
                toks.append(_Tok("NEG", c, i, i + 1))
            i += 1
        else:
            match = _WORD_CHARS.match(text, i)
            if match is None:  # a lone "-" or "+" followed by space
                i += 1
                continue
            word = match.group(0)
            start, end = match.start(), match.end()
            i = end
            if word in ("AND", "&&"):
                toks.append(_Tok("AND", word, start, end))
            elif word in ("OR", "||"):
                toks.append(_Tok("OR", word, start, end))
            elif word == "NOT":
                toks.append(_Tok("NOT", word, start, end))
            elif ":" in word and word.index(":") > 0:
                name, _, value = word.partition(":")
                key = name.lower()
                if key in FIELD_ALIASES or key in SPECIAL_FIELDS:
                    if value:
                        toks.append(_Tok("WORD", value, start + len(name) + 1, end, key))
                    elif i < n and text[i] in '"(':
                        toks.append(_Tok("FIELD", "", start, end, key))
                    else:
                        toks.append(_Tok("WORD", name, start, start + len(name)))
                else:  # unknown field: plain words
                    toks.append(_Tok("WORD", name, start, start + len(name)))
                    if value:
                        toks.append(_Tok("WORD", value, start + len(name) + 1, end))
            else:
                toks.append(_Tok("WORD", word, start, end))
    return toks


# ---- parser ------------------------------------------------------------------
class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.pos = 0
        self.errors: list[str] = []
        self.clauses = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def next(self) -> _Tok:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        nodes: list[Node] = []
        while self.peek() is not None:
            node = self.parse_or(None, 0)
            if node is not None:
                nodes.append(node)
            tok = self.peek()
            if tok is not None and tok.kind == "RP":  # stray ")"
                self.pos += 1
        return _and(nodes)

    def parse_or(self, fld: str | None, depth: int) -> Node | None:
        nodes: list[Node] = []
        first = self.parse_and(fld, depth)
        if first is not None:
            nodes.append(first)
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.pos += 1
            node = self.parse_and(fld, depth)
            if node is not None:
                nodes.append(node)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def parse_and(self, fld: str | None, depth: int) -> Node | None:
        nodes: list[Node] = []
        while (tok := self.peek()) is not None and tok.kind not in ("RP", "OR"):
            if tok.kind == "AND":
                self.pos += 1
                continue
            node = self.parse_unary(fld, depth)
            if node is not None:
                nodes.append(node)
        return _and(nodes)

    def parse_unary(self, fld: str | None, depth: int) -> Node | None:
        tok = self.peek()
        if tok is not None and tok.kind in ("NEG", "NOT"):
            self.pos += 1
            nxt = self.peek()
            if nxt is None or nxt.kind in ("RP", "OR", "AND"):
                return None
            inner = self.parse_unary(fld, depth)
            return Not(inner) if inner is not None else None
        return self.parse_primary(fld, depth)

    def parse_primary(self, fld: str | None, depth: int) -> Node | None:
        tok = self.next()
        if tok.kind == "LP":
            if depth >= MAX_DEPTH:
                return None
            node = self.parse_or(fld, depth + 1)
            nxt = self.peek()
            if nxt is not None and nxt.kind == "RP":
                self.pos += 1
            return node
        if tok.kind == "PHRASE":
            return self._clause(Phrase(tok.text, fld, tok.start, tok.end)) if tok.text.strip() else None
        if tok.kind == "FIELD":
            nxt = self.peek()
            if nxt is None:
                return None
            if nxt.kind == "PHRASE":
                self.pos += 1
                if tok.name in SPECIAL_FIELDS:
                    return self._special(tok.name, nxt.text)
                return self._clause(Phrase(nxt.text, FIELD_ALIASES[tok.name], nxt.start, nxt.end))
            if tok.name in SPECIAL_FIELDS:
                return None
            return self.parse_primary(FIELD_ALIASES[tok.name], depth)
        if tok.kind == "WORD":
            if tok.name in SPECIAL_FIELDS:
                return self._special(tok.name, tok.text)
            return self._word(tok.text, FIELD_ALIASES.get(tok.name, fld), tok.start, tok.end)
        return None  # an operator where a word should be: ignore it

    def _clause(self, node: Node) -> Node | None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            if self.clauses == MAX_CLAUSES + 1:
                self.errors.append(f"only the first {MAX_CLAUSES} words were searched")
            return None
        return node

    def _word(self, text: str, fld: str | None, start: int, end: int) -> Node | None:
        mode, dist = "term", 0
        fuzzy = _FUZZY_SUFFIX.search(text)
        if fuzzy:
            text = text[: fuzzy.start()]
            end -= len(fuzzy.group(0))
            mode = "fuzzy"
            dist = min(int(fuzzy.group(1) or 0), 2) or fuzzy_distance(text)
        elif text.endswith("*"):
            text = text.rstrip("*")
            end = start + len(text)
            mode = "prefix"
        # wildcards elsewhere, boosts and other query punctuation are not ours: drop them
        cleaned = re.sub(r"[*?^~{}\[\]]", " ", text).strip()
        if not cleaned or not re.search(r"\w", cleaned):
            return None
        if cleaned != text:  # "gov*ment" -> two plain words
            parts = [self._clause(Word(part, fld, "term", 0, start, end)) for part in cleaned.split()]
            return _and([p for p in parts if p is not None])
        return self._clause(Word(cleaned, fld, mode, dist, start, end))

    def _special(self, name: str, value: str) -> Node | None:
        value = value.strip()
        if name in ("is", "has"):
            flag = FLAGS.get((name, value.lower()))
            if flag is None:
                known = ", ".join(f"{k}:{v}" for k, v in FLAGS if k == name and v in ("bookmarked", "notes", "undated"))
                self.errors.append(f"unknown filter {name}:{value} (use {known})")
                return None
            return Flag(flag)
        try:
            if name == "date":
                if ".." in value:
                    lo, _, hi = value.partition("..")
                    start = _date_bounds(lo)[0] if lo else None
                    end = _date_bounds(hi)[1] if hi else None
                    if start is None and end is None:
                        raise ValueError
                    return Dates(start, end)
                return Dates(*_date_bounds(value))
            if name == "after":
                return Dates(_date_bounds(value)[0], None)
            return Dates(None, _date_bounds(value)[0])  # before
        except ValueError:
            self.errors.append(
                f"cannot read the date in {name}:{value} (use 2024, 2024-04, 2024-04-05 or a range like 2023..2024-06)"
            )
            return None


def _and(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _date_bounds(text: str) -> tuple[datetime, datetime]:
    """[start, end) of a year, month or day written as 2024, 2024-04 or 2024-04-05."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is None:
        return datetime(year, 1, 1), datetime(year + 1, 1, 1)
    if day is None:
        start = datetime(year, month, 1)
        return start, datetime(year + (month == 12), month % 12 + 1, 1)
    start = datetime(year, month, day)
    return start, start + timedelta(days=1)


# ---- entry point ---------------------------------------------------------------
def clean(text: str) -> str:
    """Control characters and odd separators -> spaces."""
    return _CONTROL.sub(" ", text)


def parse(text: str) -> ParsedQuery:
    """Parse a user query; never raises."""
    if len(text) > MAX_QUERY_CHARS:
        return ParsedQuery(
            text, None, [f"the query is too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})"]
        )
    cleaned = clean(text)
    parser = _Parser(_lex(cleaned))
    try:
        node = parser.parse()
    except (IndexError, RecursionError):  # defensive: the grammar should not get here
        node = None
        parser.errors.append("could not read the query")
    if node is None and not parser.errors:
        parser.errors.append("nothing to search for")
    return ParsedQuery(text, node, parser.errors)


def positives(node: Node | None) -> list[Word | Phrase]:
    """The words and phrases a match must or may contain (not those under NOT)."""
    out: list[Word | Phrase] = []

    def walk(n: Node) -> None:
        if isinstance(n, (Word, Phrase)):
            out.append(n)
        elif isinstance(n, (And, Or)):
            for child in n.nodes:
                walk(child)

    if node is not None:
        walk(node)
    return out
