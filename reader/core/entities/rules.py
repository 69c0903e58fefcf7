"""The built-in rules backend: gazetteers, cue words and patterns; no heavy dependency.

Candidates come from (highest priority first): value patterns (MONEY, PERCENT,
TIME, DATE, QUANTITY; :mod:`.patterns`), people named after a title or role
(``Foreign Minister Dmytro Kuleba``, ``Mr Blair``), gazetteer names (places,
organisations, nationalities, products...), organisation names built on a
suffix or head word (``Bank of England``, ``Rheinmetall Group``), people named
with a known first name (``Jens Stoltenberg``) and all-capital acronyms
(``OSCE`` -> ORG).  Overlaps are resolved by priority then length, and the
document memory (:mod:`.memory`) makes later mentions consistent.

Every candidate carries a *strength* used by the combined backend: ``strong``
candidates may correct the statistical model, ``weak`` ones only fill gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.core.entities.gazetteer import Gazetteer, Token, gazetteer_digest, load_gazetteer, tokenize
from reader.core.entities.memory import apply_memory
from reader.core.entities.patterns import find_values
from reader.core.entities.spans import Span, make_span

RULES_VERSION = "2"

# Title and role words after which a capitalised name is a person.
TITLE_WORDS = frozenset(
    """President President-elect Chancellor Minister Secretary Secretary-General spokesman spokeswoman spokesperson
    Spokesman Spokeswoman Admiral General Gen Colonel Col Captain Capt Lieutenant Lt Sergeant Sgt Major Marshal
    Senator Sen Rep Representative Congressman Congresswoman Governor Gov Mayor King Queen Prince Princess Pope
    Judge Justice Ambassador ambassador Commissioner commissioner Chairman chairman Chairwoman chairwoman Premier
    Mr Mrs Ms Miss Dr Prof Professor Sir Dame Lord Lady Baroness Archbishop Bishop Cardinal Rev Reverend Sheikh
    Ayatollah Emir Sultan Chief chief coach manager boss striker midfielder defender goalkeeper keeper winger
    singer actor actress director author writer presenter host star leader Leader MP MEP correspondent reporter
    analyst economist lawyer counterpart envoy diplomat Diplomat official commander Commander President's
    chancellor minister secretary president CEO founder editor photographer rapper guitarist drummer player
    striker champion Vice vice premier prosecutor Prosecutor detective Inspector Superintendent Constable
    colleague""".split()
)
# Words that may stand between a title word and the name (``Secretary of State X``).
TITLE_FILLERS = frozenset(
    """of the for and Foreign foreign Defense defense Defence defence State Interior interior Finance finance
    Economy economy Economic Health health Justice Home Trade trade Industry Culture culture Education education
    Energy energy Environment environment Transport transport Labor Labour Agriculture Treasury General Deputy
    deputy Vice vice Prime prime Acting acting Former former Shadow shadow top Top chief Chief executive Executive
    Affairs affairs Security security Development Digital Sports sports Minister minister Secretary secretary
    Attorney Solicitor Chairman -""".split()
)
# Title words that also start ordinary names ("General Election", "Major League").
_WEAK_TITLES = frozenset(
    {
        "General",
        "Major",
        "Captain",
        "Justice",
        "Judge",
        "King",
        "Queen",
        "Prince",
        "Chief",
        "chief",
        "Father",
        "Leader",
        "Commander",
        "star",
        "host",
        "player",
        "boss",
        "colleague",
    }
)
PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "der",
        "den",
        "da",
        "di",
        "del",
        "della",
        "dos",
        "du",
        "la",
        "le",
        "al",
        "bin",
        "ben",
        "ibn",
        "el",
        "Van",
        "Von",
        "vanden",
        "ter",
        "zu",
        "y",
    }
)
NON_NAME_WORDS = frozenset(
    """The A An In On At Of For And But Or So If As By To It He She We They I You His Her Our Its Their This That
    These Those There Here Then When Where What Why How Who Which While After Before Since Until Over Under
    January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Image Photo Read More Also Not No Yes All Some Many Most One Two
    Three New North South East West Western Eastern Northern Southern Central Said Says Told Asked Meanwhile
    However Although Despite During Because According Speaking Asked Elsewhere Finally Earlier Later Now Today
    Skip Published Updated Watch Video Live Breaking Minister Secretary President Chancellor Prime Foreign
    Defense Defence Deputy General Ministry Council Committee Commission Party Union Office Department
    Election Elections Assembly Summit Conference Games Cup Championship Championships League Day Week Family
    Government Court Parliament Budget Act Bill Treaty Agreement Report Award Awards Prize""".split()
)
ORG_SUFFIXES = frozenset(
    """Inc Ltd Corp Corporation Co Company Companies Group Holdings Plc PLC LLC AG GmbH SA NV Bank Banks Council
    Ministry Agency Committee Commission Party Union University College Institute Institution Association
    Organisation Organization Fund Foundation Authority Department Office Service Services Court Parliament
    Assembly Federation Airlines Airways Motors Technologies Systems Partners Club FC Police Army Navy Forces
    Force Guard Board Bureau Trust Society Network Alliance Coalition League Movement Front Brigade Brigades
    Exchange Reserve Administration Cabinet Secretariat Tribunal School Hospital Church Industries Media
    Records Studios Pictures Games Software Communications Telecom Energy Petroleum Oil Airlines Insurance
    Capital Investments Securities Bancorp Consortium Conference Congress Senate Directorate Command
    Observatory Centre Center Unit Executive""".split()
)
ORG_HEADS = frozenset(
    """Ministry Department Bank University Council Office Court Institute Organisation Organization Commission
    Committee Board Bureau Federation Association Union Party Agency Museum Academy Church House Chamber
    League Federal""".split()
)
ORG_INNER = frozenset({"of", "for", "and", "&", "the", "on", "de", "-"})


@dataclass(frozen=True)
class Candidate:
    """A candidate span before overlap resolution."""

    start: int
    end: int
    label: str
    priority: int
    strong: bool
    source: str  # "value", "title", "gazetteer", "org-suffix", "first-name", "acronym"


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper() and any(c.isalpha() for c in word)


def _is_name_word(tok: Token, gaz: Gazetteer) -> bool:
    """A capitalised word that may be part of a person's name."""
    word = tok.text
    if not _is_cap(word) or not word[0].isalpha() or word in NON_NAME_WORDS or word in TITLE_WORDS:
        return False
    if word.isupper() and len(word) > 1:
        return False  # an acronym
    entry = gaz.lookup((word,))
    return entry is None or entry.ambiguous or entry.kind == "city"


def _glued(tokens: list[Token], i: int) -> bool:
    """``tokens[i]`` touches ``tokens[i-1]`` (no space between)."""
    return i > 0 and tokens[i - 1].end == tokens[i].start


def _name_run(tokens: list[Token], i: int, gaz: Gazetteer, max_words: int = 4) -> int:
    """The end index (exclusive) of a person's name starting at ``tokens[i]``, or ``i``."""
    j = i
    words = 0
    n = len(tokens)
    while j < n and words < max_words:
        tok = tokens[j]
        if _is_name_word(tok, gaz):
            words += 1
            j += 1
            # hyphenated names: Jean-Claude, Vanden-Wijngaert
            if (
                j + 1 < n
                and tokens[j].text == "-"
                and _glued(tokens, j)
                and _glued(tokens, j + 1)
                and _is_name_word(tokens[j + 1], gaz)
            ):
                j += 1
                continue
            # an initial: George W. Bush
            continue
        if tok.text in PARTICLES and words:
            # one or more particles before the surname: "Walter van der Vijver"
            k = j
            while k < n and tokens[k].text in PARTICLES:
                k += 1
            if k < n and k - j <= 3 and _is_name_word(tokens[k], gaz):
                j = k
                continue
        if len(tok.text) == 1 and tok.text.isupper() and j + 1 < n and tokens[j + 1].text == "." and words:
            j += 2
            continue
        break
    # never end on a particle or an initial
    while j > i and (tokens[j - 1].text in PARTICLES or tokens[j - 1].text == "."):
        j -= 2 if tokens[j - 1].text == "." else 1
    return j


def _inside_name(tokens: list[Token], i: int, gaz: Gazetteer) -> bool:
    """The title word ``tokens[i]`` is part of a longer name: ``the Valley Queen
    Cheese Factory`` (a capitalised word that is no title, filler, group or place
    stands right before it, not at the start of a sentence)."""
    if i < 2 or not tokens[i].text[:1].isupper():
        return False
    prev = tokens[i - 1].text
    if not _is_cap(prev) or prev in TITLE_WORDS or prev in TITLE_FILLERS or prev in NON_NAME_WORDS:
        return False
    if tokens[i - 2].text in (".", "!", "?", '"', "“", ":") or prev.isupper():
        return False
    entry = gaz.lookup((prev,))
    return entry is None and not prev.endswith(("'s", "’s"))


def _title_people(tokens: list[Token], gaz: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i].text not in TITLE_WORDS or _inside_name(tokens, i, gaz):
            i += 1
            continue
        j = i + 1
        if j < n and tokens[j].text == ".":  # Mr. Dr. Gen.
            j += 1
        while j < n and (tokens[j].text in TITLE_FILLERS or tokens[j].text in TITLE_WORDS):
            j += 1
        end = _name_run(tokens, j, gaz)
        # "Secretary of State for the Family", "the General Election": a single word
        # after "the" or after an ambiguous title word is no name
        single_ok = tokens[j - 1].text not in ("the", "of", "for", "and") and tokens[i].text not in _WEAK_TITLES
        if end - j >= 2 or end > j and single_ok:
            out.append(Candidate(tokens[j].start, tokens[end - 1].end, "PERSON", 80, True, "title"))
            i = end
        else:
            i += 1
    return out


def _first_name_people(tokens: list[Token], gaz: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(tokens)
    i = 0
    while i < n:
        word = tokens[i].text
        first = word.split("-")[0]
        if (word in gaz.first_names or first in gaz.first_names) and i + 1 < n:
            end = _name_run(tokens, i, gaz, max_words=4)
            if end - i >= 2 and tokens[end - 1].text != "-":
                out.append(Candidate(tokens[i].start, tokens[end - 1].end, "PERSON", 50, False, "first-name"))
                i = end
                continue
        i += 1
    return out


def _gazetteer_names(tokens: list[Token], gaz: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(tokens)
    words = [t.text for t in tokens]
    i = 0
    while i < n:
        if not words[i][:1].isalnum():
            i += 1
            continue
        for size in range(min(gaz.max_len, n - i), 0, -1):
            key = tuple(words[i : i + size])
            entry = gaz.lookup(key)
            if entry is None:
                continue
            start, end = tokens[i].start, tokens[i + size - 1].end
            # "the" belongs to multi-word country names (OntoNotes): the United States
            if (
                entry.label in ("PLACE", "ORG", "FACILITY", "EVENT", "LAW")
                and size > 1
                and i > 0
                and words[i - 1] in ("the", "The")
                and entry.kind not in ("continent", "region")
            ):
                start = tokens[i - 1].start
            strong = not entry.ambiguous and entry.kind != "city"
            out.append(Candidate(start, end, entry.label, 70 if strong else 45, strong, "gazetteer"))
            i += size - 1
            break
        i += 1
    return out


_ORG_MODIFIERS = frozenset(
    {
        "Foreign",
        "Defense",
        "Defence",
        "Central",
        "General",
        "Western",
        "Eastern",
        "North",
        "South",
        "East",
        "West",
        "New",
        "National",
        "Federal",
        "International",
        "European",
    }
)


def _org_word(tok: Token, first: bool) -> bool:
    """A capitalised word that may be part of an organisation's name."""
    w = tok.text
    if not _is_cap(w) or w in TITLE_WORDS and w not in ORG_SUFFIXES:
        return False
    if w in NON_NAME_WORDS and w not in ORG_SUFFIXES and w not in ORG_HEADS and w not in _ORG_MODIFIERS:
        return False
    return not (first and w == "The")


def _suffix_orgs(tokens: list[Token], gaz: Gazetteer) -> list[Candidate]:
    """``Rheinmetall Group``, ``German Foreign Ministry``, ``Bank of England``."""
    out: list[Candidate] = []
    n = len(tokens)
    i = 0
    while i < n:
        if not _org_word(tokens[i], True):
            i += 1
            continue
        # a run of capitalised words (hyphens glued): "German Foreign Ministry"
        j = i
        while j < n and (
            _org_word(tokens[j], False)
            or tokens[j].text == "-"
            and _glued(tokens, j)
            and j + 1 < n
            and _glued(tokens, j + 1)
        ):
            j += 1
        end = j
        while end > i and tokens[end - 1].text == "-":
            end -= 1
        run = [t.text for t in tokens[i:end]]
        # ...ending in a suffix ("Rheinmetall Group"), or a head word + "of" + a name ("Bank of England")
        if (
            run
            and run[-1] in ORG_HEADS | ORG_SUFFIXES
            and end + 1 < n
            and tokens[end].text in ("of", "for")
            and _org_word(tokens[end + 1], False)
        ):
            k = end + 1
            while k < n and _org_word(tokens[k], False) and tokens[k].text not in TITLE_WORDS:
                k += 1
            found = k
        elif len(run) >= 2 and run[-1] in ORG_SUFFIXES:
            found = end
        else:
            i = max(j, i + 1)
            continue
        start = tokens[i].start
        if i > 0 and tokens[i - 1].text in ("the", "The"):
            start = tokens[i - 1].start
        out.append(Candidate(start, tokens[found - 1].end, "ORG", 72, False, "org-suffix"))
        i = found
    return out


def _acronyms(text: str, tokens: list[Token], gaz: Gazetteer) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in tokens:
        w = tok.text
        if not (2 <= len(w) <= 8 and w.isupper() and w.isalpha() and w not in gaz.acronym_stop):
            continue
        if gaz.lookup((w,)) is not None:
            continue
        line_start = text.rfind("\n", 0, tok.start) + 1
        line_end = text.find("\n", tok.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        letters = [c for c in line if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
            continue  # a shouting headline, not an acronym
        out.append(Candidate(tok.start, tok.end, "ORG", 30, False, "acronym"))
    return out


# A photo credit line: "Image: Kenzo Tribouillard/AFP" (the agency is found as an ORG).
_CREDIT_RE = re.compile(r"Image: ((?:[A-Z][\w'’.-]+|von|van|de|der)(?: (?:[A-Z][\w'’.-]+|von|van|de|der)){1,3})/")


def _credits(text: str) -> list[Candidate]:
    return [Candidate(m.start(1), m.end(1), "PERSON", 80, True, "title") for m in _CREDIT_RE.finditer(text)]


def rule_candidates(text: str, gaz: Gazetteer | None = None) -> list[Candidate]:
    """All candidates of the rules (overlapping; see :func:`resolve`)."""
    gaz = gaz or load_gazetteer()
    tokens = tokenize(text)
    cands = [Candidate(s, e, label, prio, True, "value") for s, e, label, prio in find_values(text)]
    cands += _title_people(tokens, gaz)
    cands += _credits(text)
    cands += _gazetteer_names(tokens, gaz)
    cands += _suffix_orgs(tokens, gaz)
    cands += _first_name_people(tokens, gaz)
    cands += _acronyms(text, tokens, gaz)
    return cands


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier."""
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if c.end <= c.start or any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


class RulesRecogniser:
    """Gazetteers + cue words + patterns (see the module docstring)."""

    name = "rules"

    def __init__(self) -> None:
        self.gazetteer = load_gazetteer()
        self.version = f"{RULES_VERSION}+gaz.{gazetteer_digest()}"

    def candidates(self, text: str) -> list[Candidate]:
        return rule_candidates(text, self.gazetteer)

    def recognise(self, text: str) -> list[Span]:
        chosen = resolve(self.candidates(text))
        spans = [make_span(text, c.start, c.end, c.label) for c in chosen]
        return apply_memory(text, spans, self.gazetteer)
