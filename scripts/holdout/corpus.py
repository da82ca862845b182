"""Corpus rows in the CRS-regression format, drawn from the builders with one seeded generator, and the five
groups the categories fall into."""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from holdout.builders import BUILDERS
from holdout.gen import Gen
from holdout.request import base_headers
from holdout.texts import Texts

SEED = 20_261_122


def make_rows(rows: int, texts: Texts, seed: int = SEED) -> Iterator[dict[str, object]]:
    """``rows`` corpus rows in the CRS-regression format."""
    g = Gen(seed, texts)
    builders = [b for b, _ in BUILDERS]
    weights = [w for _, w in BUILDERS]
    for index in range(rows):
        builder = g.r.choices(builders, weights)[0]
        headers = base_headers(g)
        req = builder(g)
        headers.update(req.headers)
        yield {
            "id": f"holdout-{index:05d}",
            "source": "apiward benign hold-out corpus (scripts/make_holdout_corpus.py)",
            "category": req.category,
            "label": "benign",
            "desc": req.desc,
            "request": {
                "method": req.method,
                "uri": req.uri,
                "headers": headers,
                "body_b64": base64.b64encode(req.body).decode(),
            },
        }


def write_corpus(path: Path, rows: int, texts: Texts, seed: int = SEED) -> Counter[str]:
    """Write the corpus to ``path``; return the row count per category."""
    counts: Counter[str] = Counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for row in make_rows(rows, texts, seed):
            counts[str(row["category"])] += 1
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    return counts


GROUPS = ("strict", "tech", "markup", "querylang", "code")


def group_of(category: str) -> str:
    """The group a category is scored in (see ``README`` in :mod:`holdout.readme`)."""
    if category.startswith("benign-code"):
        return "code"
    if category.startswith("benign-tech"):
        return "tech"
    if category in {"benign-richtext", "benign-templates"}:
        return "markup"
    return "querylang" if category == "benign-querylang" else "strict"
