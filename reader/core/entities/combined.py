"""The combined backend: spaCy's model, corrected and completed by the rules.

The model is the base (it knows context the rules cannot see).  The rules
correct it where they are reliable and fill its gaps:

* value patterns win for MONEY and PERCENT (``€100 billion ($108.6 billion)``
  is two amounts; ``£1.4bn`` keeps its currency sign), and for DATE/TIME when
  they are longer than or disagree with the model's span;
* a person named after a title (``Foreign Minister Dmytro Kuleba``) is a
  PERSON and the title is not part of the name (``Ms Hewitt`` -> ``Hewitt``);
* a non-ambiguous gazetteer name with the same extent as a model span fixes its
  label (``Bundeswehr`` ORG, ``Patriots`` PRODUCT, ``Ukrainian`` NORP);
* the model never calls a known product, place or group a PERSON;
* context cues (:mod:`.cues`) fix whole classes of the model's errors: awards,
  party short forms, time zones, places, titles of works, coordinated names;
* strong rule spans the model missed are added;
* finally the document memory makes every mention of a name agree.
"""

from __future__ import annotations

import re

from reader.core.entities.cues import correct
from reader.core.entities.gazetteer import Gazetteer, tokenize
from reader.core.entities.memory import apply_memory
from reader.core.entities.rules import TITLE_FILLERS, TITLE_WORDS, RulesRecogniser, resolve
from reader.core.entities.spacy_backend import SpacyRecogniser
from reader.core.entities.spans import NAME_LABELS, Span, make_span, trim

_NUMERIC = frozenset({"MONEY", "PERCENT"})
_TEMPORAL = frozenset({"DATE", "TIME"})


def _overlaps(a: Span, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def _clean(text: str, span: Span) -> Span | None:
    """Repair or drop model spans that are clearly malformed."""
    if span.label not in NAME_LABELS:
        return span
    # "Alina Yarysh/REUTERS": the model glues photo credits; the rules decide.
    # Title words alone ("Secretary of Defense Lloyd Austin": "Defense" ORG) are no names.
    if "/" in span.text or span.text in TITLE_FILLERS or span.text in TITLE_WORDS:
        return None
    start, end = span.start, span.end
    cut = text.find(" (", start, end)  # "Stoltenberg (C." -> "Stoltenberg"
    if cut > start:
        end = cut
    m = _GLUED_CREDIT.search(text, start, end)  # "BrusselsImage: ..." (caption + credit)
    if m and m.end() == end:
        end = m.start() + 1
    start, end = trim(text, start, end)
    if end <= start:
        return None
    if (start, end) != (span.start, span.end):
        return make_span(text, start, end, span.label)
    # a capitalised ordinary word at the start of a sentence ("Alliance's strength...")
    # that the document also uses in lower case is no name
    word = span.text
    if word.isalpha() and word[0].isupper() and not word.isupper() and _sentence_start(text, start):
        if re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text):
            return None
    return span


# What may precede the model's date in a longer pattern match (never "up to", "about").
_DETERMINER = re.compile(r"(?:the|this|last|next|that|early|late|mid)[\s-]", re.IGNORECASE)
_GLUED_CREDIT = re.compile(r"[a-z](?:Image|Photo|Video)$")


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _split_compounds(text: str, spans: list[Span], gaz: Gazetteer) -> list[Span]:
    """``NATO-Ukraine`` (one model span) -> ``NATO`` ORG + ``Ukraine`` PLACE when
    every part is a non-ambiguous gazetteer name."""
    out: list[Span] = []
    for span in spans:
        parts = span.text.split("-")
        if span.label in NAME_LABELS and len(parts) > 1 and all(parts):
            entries = [gaz.lookup(tuple(t.text for t in tokenize(p))) for p in parts]
            if (
                all(e is not None and not e.ambiguous and e.label in ("ORG", "PLACE") for e in entries)
                and gaz.lookup(tuple(t.text for t in tokenize(span.text))) is None
            ):
                pos = span.start
                for part, entry in zip(parts, entries, strict=True):
                    assert entry is not None
                    out.append(make_span(text, pos, pos + len(part), entry.label))
                    pos += len(part) + 1
                continue
        out.append(span)
    return out


class CombinedRecogniser:
    """spaCy + rules + document memory (see the module docstring)."""

    name = "combined"

    def __init__(self, spacy: SpacyRecogniser | None = None, rules: RulesRecogniser | None = None) -> None:
        self.spacy = spacy or SpacyRecogniser()
        self.rules = rules or RulesRecogniser()
        self.version = f"{self.spacy.version}+rules-{self.rules.version}"

    def recognise(self, text: str) -> list[Span]:
        return self.merge(text, self.spacy.recognise(text))

    def recognise_many(self, texts: list[str]) -> list[list[Span]]:
        return [self.merge(t, m) for t, m in zip(texts, self.spacy.recognise_many(texts), strict=True)]

    def merge(self, text: str, model: list[Span]) -> list[Span]:
        """Merge the model's spans for ``text`` with the rules' (see module docstring)."""
        gaz = self.rules.gazetteer
        cands = resolve(self.rules.candidates(text))
        spans = [c for c in (_clean(text, s) for s in model) if c is not None]
        spans = _split_compounds(text, spans, gaz)
        spans, forced = correct(text, spans, gaz)
        for c in cands:
            hits = [s for s in spans if _overlaps(s, c.start, c.end)]
            same = [s for s in hits if s.start == c.start and s.end == c.end]
            replace = False
            if c.label in _NUMERIC:
                # ...unless the model's amount of the same kind contains it (keeps "some $5m")
                replace = all(s.label in _NUMERIC | _TEMPORAL | {"QUANTITY"} for s in hits) and not any(
                    s.label == c.label and s.start <= c.start and c.end <= s.end for s in hits
                )
            elif c.label in _TEMPORAL:
                # the pattern wins when it is longer than the model's value spans it overlaps
                replace = not hits or (
                    all(s.label in _TEMPORAL | {"QUANTITY", "MONEY"} for s in hits)
                    and all(s.end <= c.end for s in hits)
                    and (c.start == hits[0].start or _DETERMINER.fullmatch(text[c.start : hits[0].start]) is not None)
                    and (c.end - c.start) > max(len(s) for s in hits)
                    and c.label == hits[0].label
                )
            elif c.source == "title":
                # title cue: the model's span is the name, the name plus the title, or missing
                replace = not hits or all(
                    s.label in ("PERSON", "ORG", "PLACE", "NORP")
                    and s.end == c.end
                    and s.start <= c.start
                    or s.label == "PERSON"
                    and c.start <= s.start
                    and s.end <= c.end
                    for s in hits
                )
            elif c.source == "gazetteer" and c.strong:
                if same:
                    # a nationality word the model or a cue read as a language stays one
                    replace = same[0].label != c.label and not (c.label == "NORP" and same[0].label == "LANGUAGE")
                elif not hits:
                    replace = True
                else:
                    # the model made a PERSON of a product or place: "Patriots", "Kyiv", or
                    # swallowed a place into a "work of art" or person: "Multiplying America"
                    replace = c.label != "NORP" and all(
                        s.label == "PERSON"
                        and c.start <= s.start
                        and s.end <= c.end
                        or s.label == "WORK"
                        and s.start <= c.start
                        and c.end <= s.end
                        or s.label == "PERSON"
                        and c.label == "PRODUCT"
                        and s.start <= c.start
                        and c.end <= s.end
                        for s in hits
                    )
            elif c.source == "acronym":
                # an all-capital acronym is no person: "JURI"
                replace = len(same) == 1 == len(hits) and same[0].label == "PERSON"
            elif c.source == "first-name":
                replace = not hits
            elif c.source == "org-suffix":
                # "German" NORP + "Foreign Ministry" ORG -> "German Foreign Ministry" ORG
                # and the model cut the "of NATO" off: "the Chair of the Military Committee"
                replace = all(
                    c.start <= s.start
                    and s.end <= c.end
                    and s.label in ("ORG", "NORP", "PLACE")
                    or s.label == "ORG"
                    and s.start < c.start < s.end < c.end
                    and text.startswith(" of ", s.end)
                    for s in hits
                )
            if replace:
                spans = [s for s in spans if s not in hits]
                spans.append(make_span(text, c.start, c.end, c.label))
        # a model PERSON that contains a known product/place word only is wrong
        out = []
        for s in spans:
            if s.label == "PERSON":
                entry = gaz.lookup((s.norm,))
                if entry is not None and not entry.ambiguous and entry.label in ("PRODUCT", "PLACE", "NORP", "ORG"):
                    s = make_span(text, s.start, s.end, entry.label)
            out.append(s)
        return apply_memory(text, out, gaz, forced=forced)
