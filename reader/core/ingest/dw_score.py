"""Score the DW parser against a labelled corpus of real page scrapes.

The corpus is a folder of ``.txt`` scrapes plus one ``labels.tsv`` with the
columns ``file url kind title published authors quirks`` (``published`` is
``YYYY-MM-DD`` or empty, ``authors`` is ``; ``-separated or empty, an empty
``title`` means the page has no headline and must come out untitled).  The
labels are read off the pages by a person; this module only compares.

Used by ``tests/core/test_dw_real.py`` and ``benchmarks/bench_dw.py``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.article import Article
from reader.core.ingest.dw_lines import normalise_key

#: The fields scored, in report order.
FIELDS: tuple[str, ...] = ("title", "published", "authors")


@dataclass(frozen=True)
class Label:
    """What a person read off one page."""

    file: str
    url: str
    kind: str
    title: str
    published: str
    authors: tuple[str, ...]
    quirks: str


@dataclass
class PageResult:
    """The parser's answer for one page, and which fields match the label."""

    label: Label
    got: dict[str, str] = field(default_factory=dict)
    ok: dict[str, bool] = field(default_factory=dict)
    error: str | None = None  # set when parsing raised

    @property
    def misses(self) -> list[str]:
        return [name for name in FIELDS if not self.ok.get(name, False)]


@dataclass
class Score:
    """Per-field and overall accuracy over a corpus."""

    pages: list[PageResult]

    @property
    def crashes(self) -> int:
        return sum(1 for page in self.pages if page.error is not None)

    def field_accuracy(self, name: str) -> float:
        if not self.pages:
            return 0.0
        return sum(1 for page in self.pages if page.ok.get(name, False)) / len(self.pages)

    @property
    def overall(self) -> float:
        total = len(self.pages) * len(FIELDS)
        if not total:
            return 0.0
        return sum(sum(1 for name in FIELDS if page.ok.get(name, False)) for page in self.pages) / total

    def report_lines(self) -> list[str]:
        """A human-readable summary: per-field accuracy, crashes, every miss."""
        lines = [f"pages: {len(self.pages)}  crashes: {self.crashes}  overall: {self.overall:.1%}"]
        for name in FIELDS:
            lines.append(f"  {name:<10} {self.field_accuracy(name):.1%}")
        for page in self.pages:
            if page.error is not None:
                lines.append(f"CRASH {page.label.file}: {page.error}")
                continue
            for name in page.misses:
                want = _label_value(page.label, name)
                lines.append(f"MISS {page.label.file} {name}: want {want!r} got {page.got.get(name)!r}")
        return lines


def load_labels(folder: Path) -> list[Label]:
    """Read ``labels.tsv`` in ``folder``; raise ``ValueError`` naming a bad row."""
    path = folder / "labels.tsv"
    labels: list[Label] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, start=2):
            try:
                authors = tuple(a.strip() for a in (row["authors"] or "").split(";") if a.strip())
                labels.append(
                    Label(
                        file=row["file"],
                        url=row["url"],
                        kind=row["kind"],
                        title=row["title"] or "",
                        published=row["published"] or "",
                        authors=authors,
                        quirks=row["quirks"] or "",
                    )
                )
            except (KeyError, AttributeError) as exc:
                raise ValueError(f"{path}:{number}: malformed row ({exc})") from exc
    return labels


def _title_key(text: str) -> str:
    return normalise_key(text.replace("′", "'").replace("`", "'").replace("´", "'"))


def _label_value(label: Label, name: str) -> str:
    if name == "title":
        return label.title
    if name == "published":
        return label.published
    return "; ".join(label.authors)


def compare(label: Label, article: Article) -> PageResult:
    """Compare one parsed article with its label."""
    got = {
        "title": article.title,
        "published": article.published.strftime("%Y-%m-%d") if article.published else "",
        "authors": "; ".join(article.authors),
    }
    ok = {
        "title": _title_key(article.title) == _title_key(label.title),
        "published": got["published"] == label.published,
        "authors": sorted(normalise_key(a) for a in article.authors) == sorted(normalise_key(a) for a in label.authors),
    }
    return PageResult(label=label, got=got, ok=ok)


def score(folder: Path, labels: Iterable[Label] | None = None) -> Score:
    """Parse every labelled page in ``folder`` as DW and score it; parse errors count as crashes."""
    from reader.core.ingest import parse_text  # late: keeps this module importable on its own
    from reader.core.ingest.decode import decode_bytes, normalise_text

    results: list[PageResult] = []
    for label in labels if labels is not None else load_labels(folder):
        path = folder / label.file
        try:
            text = normalise_text(decode_bytes(path.read_bytes(), str(path)))
            article = parse_text(text, fmt="dw", path=str(path))
        except Exception as exc:  # noqa: BLE001 - a crash is a result here, reported with its type
            results.append(PageResult(label=label, error=f"{type(exc).__name__}: {exc}"))
            continue
        results.append(compare(label, article))
    return Score(results)
