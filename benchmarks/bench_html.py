"""Importing saved web pages: pages/s for 1,000 HTML pages built from the BBC corpus.

Each BBC text (``../shared/data/bbc/*/*.txt``) is laid out as a news page the way
sites ship them: a cookie banner, a header with a 40-link menu, JSON-LD and
OpenGraph metadata, inline scripts and styles, the article (headline, byline,
``<time>``, paragraphs, one captioned figure), an advert slot, a "related
stories" list, a "most read" box and a footer of links.  The pages are written
to a temporary folder (never into the repository) and then:

* ``parse``: :func:`reader.core.ingest.load_file` on each page (read, decode,
  trafilatura, blocks);
* ``import``: :func:`reader.store.importer.import_paths` of the folder into a
  new library, as ``reader import FOLDER --no-entities --no-index`` does.

Also checked (not timed): the share of pages whose body paragraphs are exactly
the BBC text's paragraphs, and that no boilerplate line leaked into any article.
Median of ``--runs`` runs (default 3); prints a table and writes
``benchmarks/results/html.json``.  Target: import >= 30 pages/s on 2 cores.

Usage: ``python benchmarks/bench_html.py [--quick] [--pages N] [--runs N]``
"""

from __future__ import annotations

import argparse
import html
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from reader.core.article import BlockKind, clean_text  # noqa: E402
from reader.core.ingest import load_file  # noqa: E402
from reader.store import Library  # noqa: E402
from reader.store.importer import import_paths  # noqa: E402

BBC = ROOT.parent / "shared" / "data" / "bbc"
RESULTS = HERE / "results"
TARGET_PAGES_PER_S = 30.0
BOILERPLATE = ("agree to cookies", "We use cookies", "Most read", "Related stories", "Advertisement", "Terms of Use",
               "Skip to content", "Copyright 2024 BBC")

SECTIONS = ["Home", "UK", "World", "Business", "Politics", "Tech", "Science", "Health", "Family & Education",
            "Entertainment & Arts", "Stories", "In Pictures", "Reality Check", "Newsbeat", "Sport", "Weather",
            "iPlayer", "Sounds", "Bitesize", "CBeebies", "CBBC", "Food", "Local", "Three", "Scotland", "Wales",
            "Northern Ireland", "England", "Africa", "Asia", "Australia", "Europe", "Latin America", "Middle East",
            "US & Canada", "Climate", "Video", "Live", "Have Your Say", "Contact us"]


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def paragraphs(text: str) -> tuple[str, list[str]]:
    lines = [clean_text(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    return lines[0], lines[1:]


def build_page(path: Path, number: int, titles: list[str]) -> str:
    """One realistic news page around the article in ``path``."""
    title, paras = paragraphs(read_text(path))
    e = html.escape
    section = path.parent.name
    url = f"https://www.bbc.co.uk/news/{section}-{4000000 + number}"
    day = 1 + number % 28
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title, "url": url,
          "datePublished": f"2005-{1 + number % 12:02d}-{day:02d}T{number % 24:02d}:30:00+00:00",
          "author": {"@type": "Organization", "name": "BBC News"},
          "publisher": {"@type": "NewsMediaOrganization", "name": "BBC News"}, "articleSection": section.title()}
    nav = "".join(f'<li><a href="/news/{s.lower().replace(" ", "_")}">{e(s)}</a></li>' for s in SECTIONS)
    related = "".join(
        f'<li><a href="/news/{section}-{4100000 + k}"><h3>{e(titles[(number + k) % len(titles)])}</h3></a></li>'
        for k in range(1, 9)
    )
    most_read = "".join(
        f'<li><span class="rank">{k}</span><a href="/news/most-{k}">{e(titles[(number * 7 + k) % len(titles)])}</a></li>'
        for k in range(1, 11)
    )
    body = []
    for k, para in enumerate(paras):
        body.append(f"<p>{e(para)}</p>")
        if k == 1:
            body.append(
                '<figure class="media"><img src="https://ichef.bbci.co.uk/news/976/pic.jpg" alt="">'
                f'<figcaption>A picture for the story about {e(title)}<span class="credit">Getty Images</span>'
                "</figcaption></figure>"
            )
    # the app state a script-built page embeds (Next.js and friends): the story again, menus, promos
    state = {"page": {"id": number, "url": url, "nav": SECTIONS, "article": {"headline": title, "blocks": paras},
                      "promos": [{"headline": t, "summary": t * 3, "href": f"/news/{k}"} for k, t in enumerate(titles[:60])]}}
    script = "window.__INITIAL_DATA__ = " + json.dumps(state) + ";"
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>{e(title)} - BBC News</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(paras[0][:150] if paras else title)}">
<meta property="og:title" content="{e(title)}"><meta property="og:type" content="article">
<meta property="og:url" content="{url}"><meta property="og:site_name" content="BBC News">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>body{{font-family:Helvetica,Arial,sans-serif}}.nav li{{display:inline-block}}.cookie{{position:fixed}}</style>
<script>{script}</script>
</head><body>
<a class="skip" href="#main">Skip to content</a>
<div class="cookie" role="dialog"><h2>Let us know you agree to cookies</h2>
<p>We use cookies to give you the best online experience. Please let us know if you agree to all of these cookies.</p>
<button>Yes, I agree</button><a href="/usingthebbc/cookies/">No, take me to settings</a></div>
<header><a href="/" class="logo">BBC</a><nav class="nav"><ul>{nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search BBC"></form></header>
<main id="main"><article>
<header><h1>{e(title)}</h1><div class="byline">By BBC News staff</div>
<time datetime="{ld['datePublished']}">{day} {['January', 'March', 'May'][number % 3]} 2005</time></header>
{''.join(body)}
</article>
<div class="advert"><span>Advertisement</span><div id="ad-slot-{number}"></div></div>
<section class="related"><h2>Related stories</h2><ul>{related}</ul></section>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>
</main>
<footer><nav><ul>{nav}</ul></nav><ul><li><a href="/terms">Terms of Use</a></li><li><a href="/about">About the BBC</a></li>
<li><a href="/privacy">Privacy Policy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/access">Accessibility Help</a></li></ul>
<p>Copyright 2024 BBC. The BBC is not responsible for the content of external sites. Read about our approach to external linking.</p>
</footer></body></html>
"""


def make_pages(folder: Path, count: int) -> list[tuple[Path, Path]]:
    files = sorted(BBC.glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no BBC corpus at {BBC}")
    step = max(1, len(files) // count)
    chosen = files[::step][:count]
    titles = [paragraphs(read_text(f))[0] for f in chosen]
    out = []
    for k, src in enumerate(chosen):
        page = folder / f"{src.parent.name}-{src.stem}.html"
        page.write_text(build_page(src, k, titles), encoding="utf-8")
        out.append((src, page))
    return out


def check(pairs: list[tuple[Path, Path]]) -> dict[str, float | int]:
    exact = leaks = 0
    for src, page in pairs:
        article = load_file(page)
        _, want = paragraphs(read_text(src))
        got = [b.text for b in article.blocks if b.kind is not BlockKind.CAPTION]
        exact += got == want
        leaks += any(word in article.plain_text for word in BOILERPLATE)
    return {"pages": len(pairs), "exact_body_share": round(exact / len(pairs), 4), "pages_with_boilerplate": leaks}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 pages, one run")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    count, runs = (200, 1) if args.quick else (args.pages, args.runs)
    with tempfile.TemporaryDirectory(prefix="reader-bench-html-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        pairs = make_pages(folder, count)
        size = sum(p.stat().st_size for _, p in pairs)
        parse_rates, import_rates = [], []
        for run in range(runs):
            start = time.perf_counter()
            for _, page in pairs:
                load_file(page)
            parse_rates.append(len(pairs) / (time.perf_counter() - start))
            db = Path(tmp) / f"lib{run}.sqlite"
            lib = Library.open(db)
            start = time.perf_counter()
            report = import_paths(lib, [folder])
            import_rates.append(len(pairs) / (time.perf_counter() - start))
            if report.errors or len(report.added) != len(pairs):
                print(f"import problems: {report.summary()}; {report.errors[:3]}", file=sys.stderr)
            lib.close()
        quality = check(pairs)
    results = {
        "pages": len(pairs),
        "mean_page_kb": round(size / len(pairs) / 1024, 1),
        "runs": runs,
        "parse_pages_per_s": round(statistics.median(parse_rates), 1),
        "import_pages_per_s": round(statistics.median(import_rates), 1),
        "import_pages_per_s_all": [round(r, 1) for r in import_rates],
        "target_import_pages_per_s": TARGET_PAGES_PER_S,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **quality,
    }
    print(f"{len(pairs)} pages, {results['mean_page_kb']} KB each on average")
    print(f"parse only   {results['parse_pages_per_s']:8.1f} pages/s")
    print(f"import       {results['import_pages_per_s']:8.1f} pages/s   (target >= {TARGET_PAGES_PER_S:g})")
    print(f"exact bodies {quality['exact_body_share']:8.1%}   pages with boilerplate: {quality['pages_with_boilerplate']}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "html.json"
    tmp_out = out.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    os.replace(tmp_out, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
