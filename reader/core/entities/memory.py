"""Document-level memory: one name, one label, one canonical form per document.

Once ``Boris Pistorius`` is a PERSON, a later ``Pistorius`` (or
``Pistorius's``) is that PERSON too, with the norm ``Boris Pistorius``; every
mention of a name gets the label most of its mentions have (a non-ambiguous
gazetteer entry decides over votes, a person's surname over both); and
mentions that were missed are added wherever the exact name occurs again.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from reader.core.entities.gazetteer import Gazetteer, tokenize
from reader.core.entities.spans import NAME_LABELS, Span, non_overlapping, normalise

# Never propagated on their own (too often an ordinary word or a date).
_NO_PROPAGATE = frozenset(
    """January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday The A An In On At Of For And But Or It He She We They I You This
    That These Those There Here Then When Where What Who Which While Image Photo Read More New Will Can Mark
    Bill Rose Grant Hope Faith Joy Art Price Young Brown White Black Green Little Long Short Rich Major Sir Lord
    Lady King Queen Prince Pope Mr Mrs Ms Dr""".split()
)
_PARTICLES = frozenset({"von", "van", "de", "der", "den", "da", "di", "del", "della", "du", "la", "le", "al", "bin"})


def _person_aliases(spans: Iterable[Span]) -> dict[str, str]:
    """Surname (and particle + surname) -> full name, for unambiguous surnames."""
    aliases: dict[str, set[str]] = {}
    for span in spans:
        if span.label != "PERSON":
            continue
        words = span.norm.split()
        if len(words) < 2:
            continue
        keys = {words[-1]}
        if len(words) >= 3 and words[-2] in _PARTICLES:
            keys.add(f"{words[-2]} {words[-1]}")
        for key in keys:
            if len(key) > 2 and key not in _NO_PROPAGATE and key[0].isalpha():
                aliases.setdefault(key, set()).add(span.norm)
    full = {}
    for key, names in aliases.items():
        # "Stoltenberg" -> the longest of the names that contain each other
        longest = max(names, key=len)
        if all(n in longest for n in names):
            full[key] = longest
    return full


def _propagatable(surface: str) -> bool:
    first, _, rest = surface.partition(" ")
    if first in _PARTICLES and rest:
        surface = rest
    if len(surface) < 2 or surface in _NO_PROPAGATE or not surface[0].isalpha() or not surface[0].isupper():
        return False
    return not (len(surface) <= 3 and not surface.isupper())


def apply_memory(
    text: str,
    spans: list[Span],
    gaz: Gazetteer,
    add_missing: bool = True,
    forced: dict[str, str] | None = None,
) -> list[Span]:
    """Make ``spans`` consistent over the document (see the module docstring).

    ``forced`` maps names to the label every mention must get (a context cue
    decided it); such a name is never taken for a person's surname.
    """
    forced = forced or {}
    spans = non_overlapping(spans)
    aliases = _person_aliases(spans)
    # a surname the model labels otherwise more often than it names the person
    # ("Bridgeton Firestone" once, "Firestone" the company four times) is no alias,
    # unless the full name starts with a known first name or a title names it
    bare: dict[str, Counter[str]] = {}
    for span in spans:
        if span.label in NAME_LABELS:
            bare.setdefault(span.norm, Counter())[span.label] += 1
    for key in list(aliases):
        votes_for = bare.get(key, Counter())
        mentions = sum(bare.get(aliases[key], Counter()).values())
        other = max((n for label, n in votes_for.items() if label != "PERSON"), default=0)
        first = aliases[key].split()[0]
        named = first in gaz.first_names or re.search(rf"\b(?:Mr|Mrs|Ms|Dr|Sir)\.?\s+{re.escape(key)}\b", text)
        if key in forced or not named and other > votes_for["PERSON"] + mentions:
            del aliases[key]
    people = set(aliases.values())

    def norm_of(span: Span) -> str:
        if span.label in NAME_LABELS and span.norm in aliases:
            return aliases[span.norm]
        return span.norm

    votes: dict[str, Counter[str]] = {}
    surfaces: dict[str, set[str]] = {}
    for span in spans:
        if span.label not in NAME_LABELS:
            continue
        norm = norm_of(span)
        votes.setdefault(norm, Counter())[span.label] += 1
        surfaces.setdefault(norm, set()).add(_strip_possessive(span.text))
    final: dict[str, str] = {}
    for norm, counter in votes.items():
        if norm in forced:
            final[norm] = forced[norm]
            continue
        if norm in people:
            final[norm] = "PERSON"
            continue
        entry = gaz.lookup(tuple(t.text for t in tokenize(norm)))
        # a city's name is also a club's, a ship's or a firm's ("Newcastle", "the Kursk"):
        # only the other, non-ambiguous lists outvote the mentions
        if entry is not None and not entry.ambiguous and (entry.kind != "city" or counter["PLACE"] >= 1):
            final[norm] = entry.label
        else:
            final[norm] = counter.most_common(1)[0][0]
    for alias, full in aliases.items():
        surfaces.setdefault(full, set()).add(alias)

    out: list[Span] = []
    for span in spans:
        if span.label == "PERSON":
            span = _with_particle(text, span, aliases)
        if span.label in NAME_LABELS:
            norm = norm_of(span)
            label = final.get(norm, span.label)
            if span.label == "LANGUAGE" and label == "NORP":
                label = "LANGUAGE"  # "educated in French" beside "French literature"
            if label != span.label or norm != span.norm:
                span = Span(span.start, span.end, label, span.text, norm)
        out.append(span)
    if not add_missing:
        return out

    taken = [(s.start, s.end) for s in out]
    added: list[Span] = []
    for norm, forms in surfaces.items():
        found = final.get(norm)
        if found is None:
            continue
        for form in sorted(forms, key=len, reverse=True):
            if not _propagatable(form):
                continue
            if " " not in form and not form.isupper() and norm not in people:
                # a single word: only when it is a known name or was tagged twice,
                # and never when the document also uses it as an ordinary word
                known = gaz.lookup((form,)) is not None
                if not known and sum(votes.get(norm, Counter()).values()) < 2:
                    continue
                if re.search(rf"(?<![\w-]){re.escape(form.lower())}(?![\w-])", text):
                    continue
            pattern = r"\s+".join(re.escape(w) for w in form.split())
            for m in re.finditer(rf"(?<![\w@#-]){pattern}(?![\w-]|['’][a-rt-zA-RT-Z])", text):
                s, e = m.start(), m.end()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                added.append(Span(s, e, found, text[s:e], norm))
    return sorted(out + added, key=lambda s: s.start)


def _with_particle(text: str, span: Span, aliases: dict[str, str]) -> Span:
    """``Nahmen`` preceded by ``von`` when ``von Nahmen`` is a known surname: extend."""
    m = re.search(r"(\w+)\s+$", text[max(0, span.start - 12) : span.start])
    if m and m.group(1) in _PARTICLES and f"{m.group(1)} {span.text}" in aliases:
        start = span.start - len(m.group(0))
        return Span(start, span.end, span.label, text[start : span.end], aliases[f"{m.group(1)} {span.text}"])
    return span


def _strip_possessive(surface: str) -> str:
    return normalise(surface) if surface.endswith(("'s", "’s", "'", "’")) else surface
