"""The entity corrections in the notes export, and back on import.

The W3C notes file (:func:`reader.store.export.annotations_to_w3c`) carries
them in the collection's ``reader:entityCorrections`` list (plain objects, see
:meth:`~reader.store.entity_corrections.Correction.to_json`); the Markdown
notes list them, one line each, under "Entity corrections".
:func:`import_corrections` adds those of a file that the library does not
have yet; a malformed entry is reported and the rest go on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from reader.store.entity_corrections import Correction, CorrectionError

if TYPE_CHECKING:
    from reader.store.library import Library

KEY = "reader:entityCorrections"


def _selected(library: Library, article_ids: Iterable[str] | None) -> list[Correction]:
    every = library.entity_corrections()
    if article_ids is None:
        return every
    wanted = set(article_ids)
    return [c for c in every if c.article_id is None or c.article_id in wanted]


def corrections_to_json(library: Library, article_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The corrections (library-wide ones and those of ``article_ids``) as plain objects."""
    return [c.to_json() for c in _selected(library, article_ids)]


def corrections_to_markdown(library: Library, article_ids: Iterable[str] | None = None) -> list[str]:
    """Markdown lines of an "Entity corrections" section (none when there are none)."""
    found = _selected(library, article_ids)
    if not found:
        return []
    return ["## Entity corrections", "", *(f"- {c.describe()}" for c in found), ""]


def import_corrections(library: Library, data: Any) -> tuple[int, int, list[str]]:
    """Add the corrections of a notes file (the parsed JSON) that the library
    does not have; returns (added, already there, messages about entries skipped)."""
    if not isinstance(data, dict) or KEY not in data:
        return 0, 0, []
    raw = data[KEY]
    if not isinstance(raw, list):
        return 0, 0, [f"{KEY}: expected a list of corrections, got {type(raw).__name__}"]
    good: list[Correction] = []
    skipped: list[str] = []
    for number, entry in enumerate(raw, start=1):
        try:
            if not isinstance(entry, dict):
                raise CorrectionError(f"expected an object, got {type(entry).__name__}")
            good.append(Correction.from_json(entry))
        except CorrectionError as exc:
            skipped.append(f"entity correction {number}: {exc}")
    added, same = library.import_corrections(good)
    return added, same, skipped
