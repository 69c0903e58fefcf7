"""Context cues that correct the statistical model's names (the combined backend).

spaCy's small model mislabels whole classes of capitalised words in news text;
each rule below fixes one class from the words around a mention, not from a
list of the mentions that happened to be wrong:

* awards, ceremonies and competitions are no people (``won an Oscar``, ``the
  Oscars``, ``Bafta-winning``, ``Premiership clubs``): a closed list of award
  and competition names, plus award cue words after any name (``X award``,
  ``X nomination``, ``X-winning``);
* party short forms (``Lib Dem``, ``Lib Dems``, ``Tories``) are NORP, never PERSON;
* time zones (``0630 BST``) and the financial calendar (``the Budget``, ``the
  Spending Review``) are no organisations;
* a place the model calls a person is a place when the text says so (``in
  Dartford``, ``Dartford in Kent``, ``Dartford-based``, ``her native Dartford``)
  and nothing in the document marks it as a person (a title, a full name ending
  in it, ``X said``);
* a capitalised title after a work cue (``the film Vera Drake``, ``drama My
  Summer Of Love``) or before one (``the Harry Potter films``) is a WORK, in
  every mention of the document; ``band Franz Ferdinand`` is an organisation;
* ``the Film Council and Channel 4`` is two organisations, not one;
* a name with particles is one name (``Walter van der Vijver``).

:func:`correct` returns the corrected spans and the labels the document memory
must give every mention of a name (a cue seen once decides for the document).
"""

from __future__ import annotations

import re

from reader.core.entities.gazetteer import Gazetteer, tokenize
from reader.core.entities.spans import NAME_LABELS, Span, make_span

#: Time zones: part of a TIME (``0530 GMT``), never an organisation.
TIME_ZONES = frozenset(
    "GMT BST UTC CET CEST EET EEST WET WEST EST EDT CST CDT MST MDT PST PDT AEST AEDT JST IST HKT SGT MSK".split()
)
#: The financial calendar: common nouns capitalised by convention, not organisations.
CALENDAR = frozenset(
    {
        "Budget",
        "Budgets",
        "Pre-Budget",
        "Pre-Budget Report",
        "Spending Review",
        "Comprehensive Spending Review",
        "Autumn Statement",
        "Spring Statement",
        "Green Budget",
        "Mini-Budget",
    }
)
#: Awards, ceremonies and competitions: EVENT (leagues are ORG, as in OntoNotes).
_AWARD_NAMES = (
    "Oscar|Oscars|Academy Award|Academy Awards|Bafta|Baftas|BAFTA|BAFTAs|Grammy|Grammys|Grammies|Emmy|Emmys|"
    "Golden Globe|Golden Globes|Brit Award|Brit Awards|Mercury Prize|Booker Prize|Man Booker|Turner Prize|"
    "Pulitzer|Pulitzer Prize|Palme d'Or|Golden Lion|Golden Bear|Olivier Award|Olivier Awards|Razzie|Razzies|"
    "Mobo|Mobos|Eurovision|Six Nations|Tri-Nations|Heineken Cup|FA Cup|Uefa Cup|UEFA Cup|Champions League|"
    "World Cup|Super Bowl|Davis Cup|Ryder Cup|Grand National|Grand Slam|Tour de France|Australian Open|"
    "French Open|US Open|Olympics|Olympic Games|Paralympics|Commonwealth Games|Carling Cup|League Cup|Powergen Cup"
)
_LEAGUES = "Premiership|Premier League|Football League|Celtic League|Scottish Premier League|Zurich Premiership"
AWARDS: dict[str, str] = {**dict.fromkeys(_AWARD_NAMES.split("|"), "EVENT"), **dict.fromkeys(_LEAGUES.split("|"), "ORG")}
#: Party short forms and party members: NORP (OntoNotes: "Democrats", "Tories").
PARTY_FORMS = frozenset(
    "Lib Dem|Lib Dems|Lib-Dem|Lib-Dems|LibDems|Liberal Democrat|Tory|Tories|Conservatives|Democrats|Republicans|"
    "Dems|Blairites|Brownites|Nationalists|Unionists|Greens".split("|")
)
#: Words after a name that make it an award or a competition.
_AWARD_AFTER = re.compile(
    r"(?:\s+(?:awards?|nominations?|nominees?|ceremon(?:y|ies)|statuettes?|gongs?|trophy)\b"
    r"|-(?:winning|winner|winners|nominated|nominee)\b)"
)
#: Nouns before a capitalised title that make it a work: "the film Vera Drake".
_WORK_CUES = frozenset(
    """film films movie movies drama dramas comedy comedies thriller thrillers documentary documentaries biopic
    musical musicals novel novels memoir memoirs series sitcom sitcoms soap album albums song songs opera operas
    ballet epic blockbuster blockbusters sequel prequel remake cartoon""".split()
)
#: Words after a name (the model called a person) that make it a work: "the Harry Potter films".
_WORK_AFTER = re.compile(
    r"\s+(?:films?|movies?|books?|novels?|games|franchise|sequel|prequel|series|author|musical|soundtrack)\b"
)
#: Nouns before a name (the model called a person) that make it an organisation: "band Franz Ferdinand".
_ORG_BEFORE = re.compile(r"\b(?:band|bands|group|label|firm|company|outfit|duo|trio|quartet|club)\s+$")
_LANGUAGE_BEFORE = re.compile(
    r"(?:\b(?:in|into|speaks?|spoke|speaking|spoken|fluent|learn|learning|learnt|learned|translated)\s+)$"
)
_LANGUAGE_AFTER = re.compile(r"\s*(?:[,.;:)!?]|\s(?:and|or|but|as|to|at|with)\b|$)")
# Words that may stand inside a title: "My Summer Of Love", "Eternal Sunshine of the Spotless Mind".
_TITLE_INNER = frozenset({"of", "the", "a", "an", "and", "in", "on", "to", "for", "with", "at", "&"})
_LOCATIVE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|native|across|throughout|around|(?:north|south|east|west)(?:-(?:east|west))? of)\s+)$"
)
_LOCATIVE_AFTER = re.compile(r"(?:-based|-born)\b|,?\s+in\s+(?=[A-Z])|,\s+(?=[A-Z])")
_PERSON_AFTER = re.compile(r"\s+(?:said|says|told|added|insisted|admitted|explained|argued|wrote)\b")
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lady|Lord|Dame|Prof|President|Minister|Chancellor)\.?\s+"
PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "ter", "ten"})
_PARTICLE_TAIL = re.compile(r"((?:\s+(?:" + "|".join(sorted(PARTICLES)) + r"))*)\s+([A-Z][\w'’-]+)")
_WORK_CUE_RE = re.compile(r"\b(" + "|".join(sorted(_WORK_CUES)) + r")\s+(?=['‘\"“]?[A-Z0-9])")
#: UK counties and regions (the place gazetteer holds countries and big cities only).
REGIONS = frozenset(
    """Kent Essex Surrey Sussex Hampshire Dorset Devon Cornwall Somerset Wiltshire Berkshire Oxfordshire
    Buckinghamshire Hertfordshire Bedfordshire Cambridgeshire Norfolk Suffolk Lincolnshire Nottinghamshire
    Derbyshire Leicestershire Northamptonshire Warwickshire Worcestershire Gloucestershire Herefordshire Shropshire
    Staffordshire Cheshire Lancashire Yorkshire Cumbria Northumberland Durham Merseyside Tyneside Teesside
    Humberside Avon Middlesex Glamorgan Gwent Powys Dyfed Gwynedd Clwyd Fife Lothian Strathclyde Tayside
    Grampian Highlands Ulster Antrim Armagh Tyrone Fermanagh Londonderry""".split()
)


def _cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _person_evidence(text: str, word: str, spans: list[Span]) -> bool:
    """Something in the document marks ``word`` as a person's name."""
    for s in spans:
        if s.label == "PERSON" and " " in s.norm and s.norm.split()[-1] == word:
            return True
    esc = re.escape(word)
    if re.search(rf"{_HONORIFIC}{esc}\b", text):
        return True
    return re.search(rf"\b{esc}{_PERSON_AFTER.pattern}", text) is not None


def _is_place_word(word: str, gaz: Gazetteer) -> bool:
    if word in REGIONS:
        return True
    entry = gaz.lookup(tuple(t.text for t in tokenize(word)))
    return entry is not None and entry.label == "PLACE"


def _work_title_end(text: str, start: int) -> int:
    """End of the capitalised title starting at ``start`` (or ``start``)."""
    end = start
    for m in re.finditer(r"[\w'’.&-]+|\s+|\S", text[start : start + 120]):
        tok = m.group()
        if tok.isspace():
            if "\n" in tok:
                break
            continue
        pos = start + m.start()
        if _cap(tok) or (tok.isdigit() and end > start):
            end = pos + len(tok)
            continue
        if tok.lower() in _TITLE_INNER and end > start:
            continue
        break
    return end


def _split_coordinated(text: str, span: Span, gaz: Gazetteer) -> list[Span]:
    """``the Film Council and Channel 4`` (one model ORG) -> two ORG spans."""
    from reader.core.entities.rules import ORG_HEADS, ORG_SUFFIXES

    m = re.search(r"\s+and\s+", span.text)
    if span.label != "ORG" or m is None or "," in span.text[: m.start()]:
        return [span]
    left, right = span.text[: m.start()], span.text[m.end() :]
    if not right or not _cap(right) or " and " in right:
        return [span]
    left_words = [w for w in left.split() if w.lower() != "the"]
    right_words = right.split()
    if not left_words or not right_words:
        return [span]

    def known(words: list[str]) -> bool:
        entry = gaz.lookup(tuple(t.text for t in tokenize(" ".join(words))))
        return entry is not None and entry.label == "ORG"

    left_org = known(left_words) or left_words[-1] in ORG_SUFFIXES | ORG_HEADS
    right_org = known(right_words) or right_words[-1] in ORG_SUFFIXES | ORG_HEADS or any(
        w.isdigit() for w in right_words
    )
    if not (left_org and right_org) or known(span.text.split()):
        return [span]
    rstart = span.start + m.end()
    return [make_span(text, span.start, span.start + len(left), "ORG"), make_span(text, rstart, span.end, "ORG")]


def _join_particles(text: str, spans: list[Span]) -> list[Span]:
    """``Walter van`` + ``der Vijver``/``Vijver`` -> ``Walter van der Vijver``."""
    out: list[Span] = []
    skip_until = -1
    for s in spans:
        if s.start < skip_until:
            continue
        if s.label == "PERSON":
            m = _PARTICLE_TAIL.match(text, s.end)
            last = s.text.split()[-1]
            if m and (last in PARTICLES or m.group(1)):
                end = m.end()
                out.append(make_span(text, s.start, end, "PERSON"))
                skip_until = end
                continue
        out.append(s)
    return [s for s in out if not any(o is not s and o.start <= s.start and s.end <= o.end for o in out)]


def correct(text: str, spans: list[Span], gaz: Gazetteer) -> tuple[list[Span], dict[str, str]]:
    """Apply the cue rules of the module docstring to the model's ``spans``.

    Returns the corrected spans (sorted, non-overlapping if the input was) and
    ``forced``: norm -> label that every mention of that name must get.
    """
    forced: dict[str, str] = {}
    out: list[Span] = []
    for s in _join_particles(text, spans):
        if s.label not in NAME_LABELS:
            out.append(s)
            continue
        if s.text.startswith(("a ", "an ")):  # "a Golden Globe": no article in a name
            cut = s.text.index(" ") + 1
            s = make_span(text, s.start + cut, s.end, s.label)
        norm = s.norm
        if norm in TIME_ZONES or norm in CALENDAR:
            continue  # a TIME pattern or nothing
        if norm in AWARDS:
            s = Span(s.start, s.end, AWARDS[norm], s.text, norm)
            forced[norm] = s.label
        elif norm in PARTY_FORMS and s.label == "PERSON":
            s = Span(s.start, s.end, "NORP", s.text, norm)
            forced[norm] = "NORP"
        elif s.label in ("PERSON", "ORG", "PLACE", "WORK") and _AWARD_AFTER.match(text, s.end):
            entry = gaz.lookup(tuple(t.text for t in tokenize(norm)))
            if entry is None or entry.label == "EVENT":
                s = Span(s.start, s.end, "EVENT", s.text, norm)
                forced[norm] = "EVENT"
        out.append(s)
    # party forms glued to a following word: "The Lib Dem MPs" PERSON -> "Lib Dem" NORP
    fixed: list[Span] = []
    for s in out:
        if s.label == "PERSON":
            for form in sorted(PARTY_FORMS, key=len, reverse=True):
                m = re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", s.text)
                if m:
                    s = make_span(text, s.start + m.start(), s.start + m.end(), "NORP")
                    forced[s.norm] = "NORP"
                    break
        fixed.extend(_split_coordinated(text, s, gaz))
    out = fixed
    # works of art after a cue noun, in every mention of the document
    for m in _WORK_CUE_RE.finditer(text):
        start = m.end()
        quoted = text[start] in "'‘\"“"
        if quoted:
            close = {"'": "'", "‘": "’", '"': '"', "“": "”"}[text[start]]
            end = text.find(close, start + 1, start + 100)
            if end < 0:
                continue
            start, end = start + 1, end
        else:
            end = _work_title_end(text, start)
        title = text[start:end]
        if end <= start or title.split()[0] in _NOT_TITLES or (" " not in title and title.isupper()):
            continue
        if _person_evidence(text, title, out):
            continue
        hits = [s for s in out if s.start < end and start < s.end]
        if any(s.label not in ("PERSON", "ORG", "WORK", "PRODUCT", "PLACE", "FACILITY") for s in hits):
            continue
        slack = 1 if quoted else 0  # the model may take the quotes in: "Ray'"
        if any(s.start < start - slack or s.end > end + slack for s in hits):
            continue
        out = [s for s in out if s not in hits]
        span = make_span(text, start, end, "WORK")
        out.append(span)
        forced[span.norm] = "WORK"
    out.sort(key=lambda s: s.start)
    # "educated in French", "spoke Arabic": a language, not a nationality
    for i, s in enumerate(out):
        if s.label == "NORP" and " " not in s.text and _LANGUAGE_BEFORE.search(text[max(0, s.start - 24) : s.start]):
            if _LANGUAGE_AFTER.match(text, s.end):
                out[i] = Span(s.start, s.end, "LANGUAGE", s.text, s.norm)
    for i, s in enumerate(out):
        if s.label != "PERSON" or s.norm in forced or _person_evidence(text, s.norm, out):
            continue
        if text[max(0, s.start - 4) : s.start].lower() == "the " and _WORK_AFTER.match(text, s.end):
            out[i] = Span(s.start, s.end, "WORK", s.text, s.norm)
            forced[s.norm] = "WORK"
        elif " " in s.text and _ORG_BEFORE.search(text[max(0, s.start - 12) : s.start]):
            out[i] = Span(s.start, s.end, "ORG", s.text, s.norm)
            forced[s.norm] = "ORG"
    # places the model made people, when the text says it is a place
    for i, s in enumerate(out):
        if s.label != "PERSON" or " " in s.text or s.norm in forced:
            continue
        before = text[max(0, s.start - 20) : s.start]
        after = text[s.end : s.end + 40]
        if after.startswith(("'s", "’s")):
            continue
        locative = _LOCATIVE_BEFORE.search(before) is not None
        m = _LOCATIVE_AFTER.match(after)
        if m and not locative:
            if m.group().endswith(("based", "born")):
                locative = True
            else:
                nxt = re.match(r"[A-Z][\w'’-]+", after[m.end() :])
                locative = nxt is not None and _is_place_word(nxt.group(), gaz)
        known_place = _is_place_word(s.norm, gaz)
        if locative and (known_place or s.norm not in gaz.first_names) and not _person_evidence(text, s.norm, out):
            out[i] = Span(s.start, s.end, "PLACE", s.text, s.norm)
            forced[s.norm] = "PLACE"
    # "the Library" after "the British Library": the short form of an organisation
    for i, s in enumerate(out):
        if s.label != "PERSON" or " " in s.text or not text[max(0, s.start - 4) : s.start].lower() == "the ":
            continue
        longer = {o.norm for o in out if o.label == "ORG" and o.norm.endswith(" " + s.norm)}
        if longer:
            out[i] = Span(s.start, s.end, "ORG", s.text, max(longer, key=len) if len(longer) == 1 else s.norm)
            forced[out[i].norm] = "ORG"
    return out, forced


_NOT_TITLES = frozenset(
    """I The A An He She It We They This That His Her Its Their Mr Mrs Ms Dr Sir January February March April May
    June July August September October November December Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday""".split()
) - {"The", "A", "An", "His", "Her", "Its", "Their", "This"}

