"""Help texts of the ``reader`` command that are longer than one line.

The query syntax shown by ``reader search --help`` is the same document the app
shows (``reader/search/HELP.md``), read when the help is asked for and turned
from Markdown into plain terminal text: no ``**``, backticks or table pipes.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

WIDTH = 79

TOP_EPILOG = """\
Plain `reader` (no command) opens the window.

examples:
  reader import ~/news/                    import a folder (DW pages, Markdown, plain text)
  reader list                              id, date, source and title of every article
  reader show 6e0f --format text           an article by the start of its id
  reader search 'nato -russia date:2024'   search (reader search --help: the query syntax)
  reader annotate 6e0f --quote "Mr Blair" --occurrence 2 --note "which one?"
  reader export 6e0f --format pdf -o article.pdf
  reader annotations --format obsidian -o ~/vault/Reader

`reader COMMAND --help` describes a command and its options.
"""


def _search_package_dir() -> Path | None:
    spec = importlib.util.find_spec("reader.search")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def query_syntax_markdown() -> str | None:
    """The query syntax document (Markdown), read now; ``None`` when it is missing."""
    folder = _search_package_dir()
    if folder is None:
        return None
    candidates = [folder / "HELP.md", *sorted(folder.glob("*.md"))]
    for path in candidates:
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            continue
    return None


_CODE = re.compile(r"`([^`]*)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str) -> str:
    """Markdown inline markup -> terminal text (code keeps no backticks, emphasis no stars)."""
    pieces = []
    last = 0
    for match in _CODE.finditer(text):  # code spans are literal: no emphasis inside them
        pieces.append(_prose(text[last : match.start()]))
        pieces.append(match.group(1))
        last = match.end()
    pieces.append(_prose(text[last:]))
    return "".join(pieces)


def _prose(text: str) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} <{m.group(2)}>", text)
    text = _STRONG.sub(r"\1", text)
    return _EM.sub(r"\1", text)


def _cells(row: str) -> list[str]:
    row = row.strip().strip("|")
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def _table(rows: list[str], width: int) -> list[str]:
    cells = [[_inline(c) for c in _cells(r)] for r in rows if not re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", r)]
    if not cells:
        return []
    col = min(34, max(len(r[0]) for r in cells) + 2)
    out: list[str] = []
    for k, row in enumerate(cells):
        left, right = row[0], " ".join(row[1:])
        indent = "  "
        wrapped = textwrap.wrap(right, width - len(indent) - col) or [""]
        if len(left) + 2 > col:
            out.append(indent + left)
            out += [indent + " " * col + line for line in wrapped]
        else:
            out.append(indent + left.ljust(col) + wrapped[0])
            out += [indent + " " * col + line for line in wrapped[1:]]
        if k == 0 and len(cells) > 1:  # the header row
            out.append(indent + "-" * (width - len(indent)))
    return out


def markdown_to_terminal(text: str, width: int = WIDTH) -> str:
    """A small Markdown document (headings, paragraphs, tables, lists) as plain text."""
    out: list[str] = []
    blocks = re.split(r"\n\s*\n", text.strip())
    for block in blocks:
        lines = block.splitlines()
        if all(line.lstrip().startswith("|") for line in lines):
            out += _table(lines, width)
        elif lines[0].startswith("#"):
            heading = _inline(lines[0].lstrip("#").strip())
            out += [heading.upper(), *textwrap.wrap(_inline(" ".join(lines[1:])), width)]
        elif all(re.match(r"\s*[-*+] ", line) for line in lines):
            for line in lines:
                item = _inline(re.sub(r"^\s*[-*+] ", "", line))
                out += textwrap.wrap(item, width, initial_indent="  - ", subsequent_indent="    ")
        else:
            out += textwrap.wrap(_inline(" ".join(line.strip() for line in lines)), width)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def search_epilog() -> str:
    """The query syntax as plain text, for ``reader search --help``."""
    doc = query_syntax_markdown()
    if doc is None:
        return "The query syntax help (reader/search/HELP.md) is missing from this installation."
    return "query syntax:\n\n" + markdown_to_terminal(doc)
