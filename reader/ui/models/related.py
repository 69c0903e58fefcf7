"""Related articles (from ``SearchIndex.related``) with the reasons they are
related, as short chips: the shared people, organisations and places first,
then at most three content words (never stop-words)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from reader.ui.models.base import ID_ROLE, HitListModel, Index

__all__ = ["CHIPS_ROLE", "ID_ROLE", "RelatedModel", "reason_chips", "reasons_text"]

CHIPS_ROLE = Qt.ItemDataRole.UserRole + 5
MAX_WORDS = 3
MAX_CHIPS = 6
#: entity reasons in this order first; other entity kinds after them
ENTITY_ORDER = ("person", "org", "place")
#: words that say nothing about why two articles are related (the index's own
#: stop list is short: "less", "some", "said" got through)
STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also although always am
among amongst an and another any anyhow anyone anything anyway anywhere are around as at back be became because
become becomes been before beforehand behind being below beside besides between beyond both but by can cannot
could did do does doing done down due during each either else elsewhere enough etc even ever every everyone
everything everywhere except few first for former formerly from further get gets getting give given go going
gone got had has have having he hence her here hereby herein hers herself him himself his how however i if in
indeed instead into is it its itself just last later latter least less let like made make makes many may me
meanwhile might mine more moreover most mostly much must my myself near nearly neither never nevertheless new
next no nobody none nor not nothing now nowhere of off often on once one only onto or other others otherwise
our ours ourselves out over own part per perhaps please put quite rather re really said same say says see seem
seemed seems several she should show side since so some somehow someone something sometime sometimes somewhere
still such take than that the their theirs them themselves then thence there thereafter thereby therefore
therein these they thing things this those though through throughout thus to together too toward towards two
under until up upon us used very via want was way we well were what whatever when whence whenever where
whereas whether which while whither who whoever whole whom whose why will with within without would year years
yet you your yours yourself yourselves mr mrs ms told tell time times week weeks day days month months people
""".split())


def _reasons(hit: Any) -> list[str]:
    reasons = getattr(hit, "reasons", ()) or ()
    return [reasons] if isinstance(reasons, str) else [str(r) for r in reasons]


def reason_chips(reasons: Sequence[str]) -> list[tuple[str, str]]:
    """``(kind, text)`` chips from ``("person: Jens Stoltenberg", "term: nato", ...)``:
    people, organisations and places first, other entities next, then at most
    :data:`MAX_WORDS` content words; duplicates and stop-words dropped."""
    entities: list[tuple[int, str, str]] = []
    words: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, reason in enumerate(reasons):
        kind, sep, value = reason.partition(":")
        kind, value = (kind.strip().lower(), value.strip()) if sep else ("term", reason.strip())
        key = value.casefold()
        if not value or key in seen:
            continue
        if kind == "term":
            if key in STOP_WORDS or len(key) < 3 or key.replace(".", "").isdigit():
                continue
            if len(words) < MAX_WORDS:
                words.append((kind, value))
                seen.add(key)
        else:
            rank = ENTITY_ORDER.index(kind) if kind in ENTITY_ORDER else len(ENTITY_ORDER)
            entities.append((rank * 1000 + i, kind, value))
            seen.add(key)
    chips = [(kind, value) for _r, kind, value in sorted(entities)] + words
    return chips[:MAX_CHIPS] if len(chips) > MAX_CHIPS else chips


def reasons_text(hit: Any) -> str:
    """The chips as one line of text ("Jens Stoltenberg · NATO · budget")."""
    return " · ".join(text for _kind, text in reason_chips(_reasons(hit)))


KIND_NAMES = {"person": "person", "org": "organisation", "place": "place", "term": "word"}


class RelatedModel(HitListModel):
    """Rows of related hits: the title, and the reasons as chips (:data:`CHIPS_ROLE`)."""

    def set_hits(self, hits: Sequence[Any]) -> None:
        self._reset(hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        hit = self.hit_at(index)
        if hit is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == CHIPS_ROLE:
            return reason_chips(_reasons(hit))
        if role == Qt.ItemDataRole.ToolTipRole:
            chips = reason_chips(_reasons(hit))
            why = ", ".join(f"{KIND_NAMES.get(k, k)} {t}" for k, t in chips) or "similar words"
            return f"{hit.title}\nShared: {why}\nClick or press Enter to open"
        if role == ID_ROLE:
            return hit.id
        return None
