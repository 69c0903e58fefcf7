"""Which occurrence of a quote ``reader annotate --quote`` means.

A quote that occurs once is simply taken; one that occurs several times is
never guessed: the error says how many match, shows each in its context, and
names the options that pick one (``--occurrence N``, ``--prefix``/``--suffix``).
"""

from __future__ import annotations

from reader.cli import CliError

SHOWN = 10  # occurrences listed in the "which one?" message


def _occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of ``quote`` in ``text`` (overlapping ones too)."""
    starts: list[int] = []
    at = text.find(quote)
    while at >= 0 and quote:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def _in_context(text: str, start: int, end: int, width: int = 30) -> str:
    before = text[max(0, start - width) : start].replace("\n", " ")
    after = text[end : end + width].replace("\n", " ")
    return f"...{before}[{text[start:end]}]{after}..."


def choose_occurrence(text: str, quote: str, *, occurrence: int | None = None, prefix: str = "",
                      suffix: str = "") -> int:
    """The start of the one occurrence of ``quote`` meant: the only one, the one
    with ``prefix`` just before and ``suffix`` just after it, and/or the
    ``occurrence``-th (1-based) of those.  Several left, or none: a CliError
    that says how many match and how to pick one."""
    if not quote:
        raise CliError("the quote is empty")
    starts = _occurrences(text, quote)
    if not starts:
        raise CliError(f"the quote {quote[:60]!r} does not occur in the article")
    fitting = [s for s in starts if text[:s].endswith(prefix) and text[s + len(quote):].startswith(suffix)]
    if not fitting:
        raise CliError(f"the quote {quote[:60]!r} occurs {len(starts)} time(s), but none with "
                       + " and ".join(x for x in (f"{prefix!r} before it" if prefix else "",
                                                  f"{suffix!r} after it" if suffix else "") if x))
    if occurrence is not None:
        if not 1 <= occurrence <= len(fitting):
            raise CliError(f"--occurrence {occurrence}: there are {len(fitting)} matching occurrence(s) "
                           f"of {quote[:60]!r} (1-{len(fitting)})")
        return fitting[occurrence - 1]
    if len(fitting) == 1:
        return fitting[0]
    shown = "\n".join(f"  {k}: {_in_context(text, s, s + len(quote))}"
                      for k, s in enumerate(fitting[:SHOWN], start=1))
    more = f"\n  ... and {len(fitting) - SHOWN} more" if len(fitting) > SHOWN else ""
    raise CliError(f"the quote {quote[:60]!r} occurs {len(fitting)} times in the article; choose one with "
                   f"--occurrence N (1-{len(fitting)}) or --prefix/--suffix (the text just before/after it):"
                   f"\n{shown}{more}")
