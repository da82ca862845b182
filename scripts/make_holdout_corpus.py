"""Generate a benign hold-out corpus: realistic, tricky API traffic for precision checks of ``apiward.detect``.

It complements ``corpora/benign-api.jsonl.gz`` (hand-written templates only) with REAL human-written text found
offline on the machine — package READMEs (``*.dist-info/METADATA``, ``/usr/share/doc/*/README*``), docstrings of
the Python standard library, Debian changelogs, copyright and licence texts, man pages in English and 15
translations, translated UI messages of gettext catalogs in 27 languages, CJK sample texts — cut into sentences,
paragraphs and snippets, plus templates for the values API traffic carries: everyday and casual prose, SQL-ish
business requests, 22 languages, names with apostrophes and hyphens, addresses, phone numbers, money, dates,
markdown, rich-text HTML, message templates, emails, URLs, UUIDs, JWTs, base64 blobs of real file formats, hashes,
versions, file names and local paths, measurements with quote marks, emoticons and emoji, math, CSV, XML, JSON
Patch, JSON-LD and JSON Schema documents, SSO callbacks, settings values, query strings, forms, multipart uploads,
browser and SDK headers and cookies, query languages and fenced code in developer posts.

Rows use the CRS-regression format, so ``apiward detect eval /tmp/holdout/benign.jsonl`` scores it. Categories
(``benign-…``) fall into five groups (:func:`group_of`), scored separately by ``benchmarks/detect_precision.py``:

* ``strict`` — everyday prose and data values that must not be flagged at paranoia 1;
* ``tech`` (``benign-tech-*``) — real technical writing as issue trackers, wikis and Q&A sites carry it;
* ``markup`` (``benign-richtext``, ``benign-templates``) — HTML from rich-text editors, message templates;
* ``querylang`` (``benign-querylang``) — GraphQL, OData, JQL, search syntax, JSON filters, regexes, PromQL;
* ``code`` (``benign-code-*``, ~9 % of rows) — posts carrying code or command lines.

The generator does not look at the engine's rules. Snippets from real texts that quote attack payloads (script
tags, XML entity declarations, traversal sequences and the like, see ``holdout.texts.PAYLOAD_MARKERS``) are dropped: the
corpus is meant to be benign. Deterministic: fixed seed, sources read in sorted order; with no real text on the
machine it still runs, on templates alone.

The generator is the package ``scripts/holdout/`` (its docstring maps the modules); this script is its command line
and the names the precision benchmark and the tests use.

    python scripts/make_holdout_corpus.py [--rows N] [--out DIR]      # default: 15,000 rows into /tmp/holdout
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the holdout package next to this script, however it is run
from holdout.corpus import GROUPS, SEED, group_of, make_rows, write_corpus
from holdout.readme import write_readme
from holdout.sources import load_texts
from holdout.texts import Texts

__all__ = ["GROUPS", "ROWS", "SEED", "Texts", "group_of", "load_texts", "make_rows", "write_corpus", "write_readme"]

ROWS = 15_000
OUT_DIR = Path("/tmp/holdout")  # noqa: S108 - a scratch corpus, rebuilt at will


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    texts = load_texts()
    counts = write_corpus(args.out / "benign.jsonl", args.rows, texts)
    write_readme(args.out / "README.md", counts, texts)
    where = args.out / "benign.jsonl"
    print(f"wrote {sum(counts.values())} rows to {where}; real-text snippets: {dict(texts.sources)}")  # noqa: T201
    for category, count in sorted(counts.items()):
        print(f"  {category:28} {count:6}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
