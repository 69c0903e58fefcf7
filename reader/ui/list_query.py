"""What the article list shows (:class:`ListQuery`) and the ids it lists
(:func:`compute_ids`, run by a worker)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reader.core.article import untitled_label
from reader.store import Library


@dataclass(frozen=True)
class ListQuery:
    """What the article list shows: order and filters."""

    order: str = "date"  # date | title | source
    descending: bool = True  # for date: newest first
    text: str = ""
    bookmarked: bool = False
    has_notes: bool = False
    unread: bool = False
    tag: str = ""
    entity: tuple[str, str] | None = None  # (label, norm)
    only_ids: tuple[str, ...] | None = None  # e.g. "articles mentioning X" from the search index

    def but(self, **changes: object) -> ListQuery:
        """This query with ``changes`` (e.g. ``query.but(order="title")``)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.bookmarked or self.has_notes or self.unread or self.tag or self.entity
                    or self.only_ids is not None)


def compute_ids(library: Library, query: ListQuery) -> list[str]:
    """The ordered, filtered ids for ``query`` (runs in a worker)."""
    ids = library.ids(query.order)
    default_desc = query.order == "date"
    if query.descending != default_desc:
        ids.reverse()
    keep: set[str] | None = None

    def narrow(subset: Sequence[str]) -> None:
        nonlocal keep
        keep = set(subset) if keep is None else keep & set(subset)

    if query.only_ids is not None:
        narrow(query.only_ids)
    if query.bookmarked:
        narrow(library.bookmarked_ids())
    if query.tag:
        narrow(library.ids_with_tag(query.tag))
    if query.entity:
        narrow(library.ids_with_entity(*query.entity))
    if keep is not None:
        ids = [i for i in ids if i in keep]
    if query.text or query.has_notes or query.unread:
        rows = library.rows(ids)
        needle = query.text.casefold().strip()
        out = []
        for aid in ids:
            row = rows.get(aid)
            if row is None:
                continue
            shown = row.title or untitled_label(row.source, row.sort_date)  # as the list shows it
            if needle and needle not in shown.casefold() and needle not in row.source.casefold():
                continue
            if query.has_notes and not row.note_count:
                continue
            if query.unread and row.is_read:
                continue
            out.append(aid)
        ids = out
    return ids
