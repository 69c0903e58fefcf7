"""Entity-level evaluation against a gold JSONL file (exact span and label match).

Gold files (``tests/core/gold/*.jsonl``) hold one paragraph a line:
``{"doc": id, "text": paragraph, "entities": [[start, end, label], ...]}``.
Paragraphs of one ``doc`` are joined with ``"\\n"`` and recognised as one text,
so the document memory works as it does on an article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.core.entities.spans import Span

GOLD_LABELS: tuple[str, ...] = ("PERSON", "ORG", "PLACE", "NORP", "DATE", "MONEY", "PERCENT")


@dataclass(frozen=True)
class GoldDoc:
    """One document of a gold file: its text and its entities as (start, end, label)."""

    id: str
    text: str
    entities: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class Score:
    """Counts and precision/recall/F1 for one label (or all)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path) -> list[GoldDoc]:
    """Read a gold JSONL file, grouping paragraphs into documents."""
    docs: dict[str, tuple[list[str], list[tuple[int, int, str]]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        row = json.loads(line)
        doc_id = str(row.get("doc") or f"para{n}")
        texts, ents = docs.setdefault(doc_id, ([], []))
        offset = sum(len(t) + 1 for t in texts)
        texts.append(row["text"])
        ents.extend((offset + s, offset + e, label) for s, e, label in row["entities"])
    return [GoldDoc(k, "\n".join(t), tuple(e)) for k, (t, e) in docs.items()]


#: Labels of the OntoNotes 5 and CoNLL-2003 tag sets -> Reader's (None: not scored).
ONTONOTES_LABELS: dict[str, str | None] = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "NORP": "NORP", "FAC": "FACILITY",
    "EVENT": "EVENT", "PRODUCT": "PRODUCT", "LAW": "LAW", "WORK_OF_ART": "WORK", "LANGUAGE": "LANGUAGE",
    "DATE": "DATE", "TIME": "TIME", "MONEY": "MONEY", "PERCENT": "PERCENT", "QUANTITY": "QUANTITY",
    "CARDINAL": None, "ORDINAL": None,
}
CONLL_LABELS: dict[str, str | None] = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE", "MISC": None}
#: What CoNLL-2003 annotates (its MISC mixes NORP, EVENT, WORK...; values are not annotated).
CONLL_SCORED: tuple[str, ...] = ("PERSON", "ORG", "PLACE")

_BRACKET = re.compile(r"\[([A-Z_]+) ([^\]]+)\]")


def load_bracketed(path: Path, label_map: dict[str, str | None]) -> list[GoldDoc]:
    """Read a development sample in the bracketed format of ``tests/core/dev_sets``:
    ``## doc-id`` starts a document, ``#`` lines are comments, every other line is
    one sentence with entities written ``[LABEL surface text]``.  Sentences of a
    document are joined with ``"\\n"``; labels go through ``label_map`` (unknown
    labels are an error, labels mapped to ``None`` are dropped)."""
    docs: list[GoldDoc] = []
    doc_id = ""
    lines: list[str] = []
    ents: list[tuple[int, int, str]] = []

    def flush() -> None:
        if lines:
            docs.append(GoldDoc(doc_id or f"doc{len(docs)}", "\n".join(lines), tuple(ents)))

    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("## "):
            flush()
            doc_id, lines, ents = raw[3:].strip(), [], []
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        offset = sum(len(t) + 1 for t in lines)
        out: list[str] = []
        pos = 0
        length = 0
        for m in _BRACKET.finditer(raw):
            out.append(raw[pos : m.start()])
            length += m.start() - pos
            tag, surface = m.group(1), m.group(2)
            if tag not in label_map:
                raise ValueError(f"{path.name}:{n}: unknown label {tag!r}")
            label = label_map[tag]
            if label is not None:
                ents.append((offset + length, offset + length + len(surface), label))
            out.append(surface)
            length += len(surface)
            pos = m.end()
        out.append(raw[pos:])
        lines.append("".join(out))
    flush()
    return docs


def score(
    gold: Iterable[tuple[int, int, str]], predicted: Iterable[Span], labels: Iterable[str] = GOLD_LABELS
) -> dict[str, Score]:
    """Per-label and ``ALL`` (micro) scores of ``predicted`` against ``gold``."""
    labels = tuple(labels)
    g = {x for x in gold if x[2] in labels}
    p = {(s.start, s.end, s.label) for s in predicted if s.label in labels}
    out: dict[str, Score] = {}
    for label in labels:
        gl = {x for x in g if x[2] == label}
        pl = {x for x in p if x[2] == label}
        out[label] = Score(len(gl & pl), len(pl - gl), len(gl - pl))
    out["ALL"] = Score(len(g & p), len(p - g), len(g - p))
    return out


def evaluate(recogniser: object, docs: list[GoldDoc], labels: Iterable[str] = GOLD_LABELS) -> dict[str, Score]:
    """Sum the scores of ``recogniser`` over ``docs``."""
    labels = tuple(labels)
    total: dict[str, list[int]] = {}
    for doc in docs:
        spans = recogniser.recognise(doc.text)  # type: ignore[attr-defined]
        for label, sc in score(doc.entities, spans, labels).items():
            acc = total.setdefault(label, [0, 0, 0])
            acc[0] += sc.tp
            acc[1] += sc.fp
            acc[2] += sc.fn
    return {k: Score(*v) for k, v in total.items()}


def errors(recogniser: object, doc: GoldDoc, labels: Iterable[str] = GOLD_LABELS) -> list[str]:
    """Human-readable false positives (``+``) and negatives (``-``) for one document."""
    labels = tuple(labels)
    g = {x for x in doc.entities if x[2] in labels}
    p = {(s.start, s.end, s.label) for s in recogniser.recognise(doc.text) if s.label in labels}  # type: ignore[attr-defined]
    rows = [(s, "+", doc.text[s:e], lab) for s, e, lab in p - g] + [(s, "-", doc.text[s:e], lab) for s, e, lab in g - p]
    return [f"{sign} {text!r} {label} @{start}" for start, sign, text, label in sorted(rows)]


def table(results: dict[str, dict[str, Score]], labels: Iterable[str] = (*GOLD_LABELS, "ALL")) -> str:
    """A plain-text P/R/F1 table: one row per label, one column group per backend."""
    names = list(results)
    head = "label    " + "".join(f"| {n:^20} " for n in names)
    lines = [head, "         " + "|    P     R     F1   " * len(names)]
    for label in labels:
        row = f"{label:9}"
        for n in names:
            sc = results[n].get(label)
            row += "| " + (f"{sc.precision:5.2f} {sc.recall:5.2f} {sc.f1:5.2f}  " if sc else " " * 19) + " "
        lines.append(row)
    return "\n".join(lines)
