"""YAML front matter (``---`` ... ``---`` at the top of a Markdown file), read with PyYAML.

Obsidian, Hugo and Jekyll notes carry lists, nested keys and multi-line strings
there.  :func:`read_front_matter` loads the block with ``yaml.safe_load`` (a
loader that builds plain data only, never objects) and flattens it for the
Markdown parser: every value becomes text or a list of texts, a nested mapping
``author: {name: X}`` also gives ``author.name``.  Two YAML 1.1 surprises are
switched off: ``no``/``yes``/``on``/``off`` stay words (``country: NO`` is
Norway, not ``False``) and ``1:20`` is not the number 80.  Dates stay text
(the Markdown parser reads them, keeping the time as written; an impossible
``2024-13-45`` is one ignored key, not a broken block).

Nothing here is fatal: a block that is not valid YAML is set aside with one
problem naming the line and the key, and the file is read from its body.  A
block that is not a mapping (a Markdown thematic break, ``---``, then a line
of text) is no front matter at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

FrontMatter = dict[str, "str | list[str]"]

#: The closing ``---`` must come within this many lines, the block within this many characters.
MAX_LINES = 1000
MAX_CHARS = 64 * 1024
#: At most this many values are taken from one key (YAML aliases can multiply a small file).
MAX_VALUES = 1000
_MAX_DEPTH = 8
_KEY_LINE = re.compile(r"^([^\s#:'\"\[\]{}-][^:]*?|\"[^\"]+\"|'[^']+')\s*:(?:\s|$)")


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` with YAML 1.2 booleans and integers (see the module docstring)."""


_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|0o[0-7_]+)$"),
    list("-+0123456789"),
)


@dataclass
class FrontMatterResult:
    """The flattened fields, the rest of the file, and what was wrong (one line each)."""

    fields: FrontMatter = field(default_factory=dict)
    body: str = ""
    problems: list[str] = field(default_factory=list)
    found: bool = False  # the file starts with a front matter block (even a broken one)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value).lower()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


class _Flattener:
    def __init__(self) -> None:
        self.count = 0
        self.fields: FrontMatter = {}

    def items(self, value: Any, depth: int) -> list[str]:
        """A list of texts from a scalar, list or mapping (``{name: X}`` -> ``X``)."""
        out: list[str] = []
        self.count += 1  # every node visited counts: aliases must not make the walk endless
        if self.count >= MAX_VALUES or depth > _MAX_DEPTH:
            return out
        if isinstance(value, list):
            for item in value:
                out.extend(self.items(item, depth + 1))
                if self.count >= MAX_VALUES:
                    break
        elif isinstance(value, dict):
            name = value.get("name") or value.get("title")
            text = _text(name)
            if text is not None:
                out.append(text)
        else:
            text = _text(value)
            if text is not None:
                out.append(text)
        return out

    def add(self, key: str, value: Any, depth: int = 0) -> None:
        self.count += 1
        if self.count >= MAX_VALUES or depth > _MAX_DEPTH:
            return
        key = key.strip().lower()
        if not key:
            return
        if isinstance(value, dict):
            named = self.items(value, depth)
            if named:
                self.fields.setdefault(key, named[0])
            for sub, inner in value.items():
                if isinstance(sub, (str, int, float)) and not isinstance(sub, bool):
                    self.add(f"{key}.{sub}", inner, depth + 1)
        elif isinstance(value, list):
            self.fields[key] = self.items(value, depth)
        else:
            text = _text(value)
            if text is not None:
                self.fields[key] = text


def _key_at(lines: list[str], line: int) -> str | None:
    """The top-level key the YAML line ``line`` (0-based) belongs to."""
    for k in range(min(line, len(lines) - 1), -1, -1):
        m = _KEY_LINE.match(lines[k])
        if m:
            return m.group(1).strip("'\"")
    return None


def read_front_matter(text: str) -> FrontMatterResult:
    """Split and read the front matter of ``text`` (see the module docstring)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatterResult(body=text)
    end = next((k for k in range(1, min(len(lines), MAX_LINES)) if lines[k].strip() in ("---", "...")), None)
    if end is None:
        return FrontMatterResult(body=text)
    block_lines = lines[1:end]
    block = "\n".join(block_lines)
    body = "\n".join(lines[end + 1 :])
    if not block.strip():
        return FrontMatterResult(body=body, found=True)
    looks_like_keys = any(_KEY_LINE.match(line) for line in block_lines if line.strip() and not line.startswith("#"))
    if len(block) > MAX_CHARS:
        return FrontMatterResult(body=body, found=True,
                                 problems=[f"front matter is too long ({len(block)} characters; the limit is {MAX_CHARS}), ignored"])
    try:
        data = yaml.load(block, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        if not looks_like_keys:
            return FrontMatterResult(body=text)
        mark = exc.problem_mark or exc.context_mark
        start = exc.context_mark or mark  # where the broken construct began (a "[" left open...)
        where = ""
        if mark is not None and start is not None:
            key = _key_at(block_lines, start.line)
            where = f" at line {mark.line + 2}" + (f" (key {key!r})" if key else "")
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        return FrontMatterResult(body=body, found=True, problems=[f"front matter is not valid YAML{where}: {problem}; ignored"])
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        if not looks_like_keys:
            return FrontMatterResult(body=text)
        return FrontMatterResult(body=body, found=True,
                                 problems=[f"front matter could not be read ({type(exc).__name__}); ignored"])
    if data is None:
        return FrontMatterResult(body=body, found=True)
    if not isinstance(data, dict):
        return FrontMatterResult(body=text)  # a thematic break and text, not front matter
    flat = _Flattener()
    for key, value in data.items():
        if isinstance(key, (str, int, float)) and not isinstance(key, bool):
            flat.count = 0  # the value limit is per key
            flat.add(str(key), value)
    return FrontMatterResult(fields=flat.fields, body=body, found=True)


def parse_front_matter(text: str) -> tuple[FrontMatter, str]:
    """``(fields, body)`` of ``text``; ``({}, text)`` without front matter (see :func:`read_front_matter`)."""
    result = read_front_matter(text)
    return result.fields, result.body
