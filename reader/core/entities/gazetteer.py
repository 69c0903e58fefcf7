"""The gazetteers of the rules backend, loaded once from ``resources/gazetteers``.

The files are made by ``scripts/make_gazetteers.py`` (never at run time).  Names
are matched case-sensitively, token by token, with the same tokeniser the
rules use (:func:`tokenize`), so ``"U.S."`` in a list matches ``"U.S."`` in text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reader.paths import resource_path

FILES = ("places.tsv", "norp.txt", "orgs.txt", "misc.tsv", "first_names.txt", "acronym_stop.txt")

# Words (letters with inner dots or apostrophes: U.S, O'Brien; not a possessive 's),
# numbers, or any other single character.  Hyphens are tokens of their own, as in spaCy.
TOKEN_RE = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+|['’](?![sS]\b)[^\W\d_]+)*|\d+(?:[.,:]\d+)*|\S")


@dataclass(frozen=True)
class Token:
    """A token of the text with its character offsets."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects (see ``TOKEN_RE``)."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


@dataclass(frozen=True)
class Entry:
    """A gazetteer name: its label, its kind (``country``, ``city``...) and
    whether it is ambiguous (also a common name or word)."""

    label: str
    kind: str
    ambiguous: bool = False


@dataclass
class Gazetteer:
    """All lists, keyed by token tuples; ``max_len`` bounds the lookup window."""

    names: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    first_names: frozenset[str] = frozenset()
    acronym_stop: frozenset[str] = frozenset()
    max_len: int = 1
    digest: str = ""

    def add(self, name: str, entry: Entry) -> None:
        key = tuple(t.text for t in tokenize(name))
        if not key or key in self.names:
            return
        self.names[key] = entry
        self.max_len = max(self.max_len, len(key))

    def lookup(self, words: tuple[str, ...]) -> Entry | None:
        return self.names.get(words)


def _lines(path: Path) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]


def gazetteer_dir() -> Path:
    return resource_path("gazetteers")


@lru_cache(maxsize=1)
def _files_digest() -> str:
    folder = gazetteer_dir()
    digest = hashlib.sha256()
    for name in FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load (once per process) every list; a missing file is an error."""
    folder = gazetteer_dir()
    gaz = Gazetteer(digest=_files_digest())
    # Order matters: the first list naming a string wins.
    for line in _lines(folder / "misc.tsv"):
        name, label = line.split("\t")
        gaz.add(name, Entry(label, label.lower()))
    for line in _lines(folder / "orgs.txt"):
        gaz.add(line, Entry("ORG", "org"))
    for line in _lines(folder / "places.tsv"):
        name, kind = line.split("\t")
        gaz.add(name, Entry("PLACE", kind.rstrip("?"), kind.endswith("?")))
    for line in _lines(folder / "norp.txt"):
        gaz.add(line, Entry("NORP", "norp"))
    gaz.first_names = frozenset(_lines(folder / "first_names.txt"))
    gaz.acronym_stop = frozenset(_lines(folder / "acronym_stop.txt"))
    return gaz


def gazetteer_digest() -> str:
    """A short hash of the gazetteer files (part of the rules' version); reads
    the files' bytes only, without parsing the lists."""
    return _files_digest()
