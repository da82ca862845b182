"""Router benchmark: 100,000 matches against a 1,000-operation description; prints µs per match.

A second figure uses the 1,223 operations of GitHub's REST API description (a fixture).

Baseline for the ratio: the naive router many projects start with — one anchored regex per path
template, tried in order — measured in the same process on a tenth of the requests.

    .venv/bin/python benchmarks/router.py
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from typing import Any

from apiward.spec import ApiOperation, Router, load, load_document

MATCHES = 100_000


def description() -> dict[str, Any]:
    """An OpenAPI 3.0 description with 1,000 operations: 100 resources, each with collection, item,
    sub-collection and literal routes."""
    paths: dict[str, dict[str, Any]] = {}
    for r in range(100):
        base = f"/api/v1/res{r}"
        templates = [
            ("get", base),
            ("post", base),
            ("get", base + "/search"),
            ("get", base + "/{id}"),
            ("put", base + "/{id}"),
            ("delete", base + "/{id}"),
            ("get", base + "/{id}/items"),
            ("post", base + "/{id}/items"),
            ("get", base + "/{id}/items/{itemId}"),
            ("patch", base + "/{id}/items/{itemId}"),
        ]
        for method, path in templates:
            names = re.findall(r"\{([^}]+)\}", path)
            paths.setdefault(path, {})[method] = {
                "operationId": f"{method}-{path}",
                "parameters": [
                    {"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names
                ],
                "responses": {"200": {"description": "ok"}},
            }
    return {"openapi": "3.0.3", "info": {"title": "bench", "version": "1"}, "paths": paths}


def operations() -> list[ApiOperation]:
    return list(load_document(description(), source="bench.json").operations)


def concrete(op: ApiOperation, rng: random.Random) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(rng.randrange(1, 10**6)), op.path)


class NaiveRouter:
    def __init__(self, ops: list[ApiOperation]) -> None:
        self.routes = [
            (op.method, re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(op.path)) + "/?$"), op)
            for op in ops
        ]

    def match(self, method: str, path: str) -> ApiOperation | None:
        for m, regex, op in self.routes:
            if m == method and regex.match(path):
                return op
        return None


def main() -> None:
    ops = operations()
    rng = random.Random(7)
    requests = [(op.method, concrete(op, rng)) for op in (rng.choice(ops) for _ in range(MATCHES))]
    start = time.perf_counter()
    router = Router(ops)
    build = time.perf_counter() - start
    start = time.perf_counter()
    for method, path in requests:
        router.match(method, path)
    elapsed = time.perf_counter() - start
    misses = sum(router.match(m, p) is None for m, p in requests[:1000])
    naive = NaiveRouter(ops)
    sample = requests[: MATCHES // 10]
    start = time.perf_counter()
    for method, path in sample:
        naive.match(method, path)
    baseline = time.perf_counter() - start
    per_match = elapsed / MATCHES * 1e6
    per_naive = baseline / len(sample) * 1e6
    print(f"operations            {len(ops)}")
    print(f"router build          {build * 1e3:.1f} ms")
    print(f"matches               {MATCHES}  (misses in a 1,000 sample: {misses})")
    print(f"trie router           {per_match:.2f} µs/match  ({MATCHES / elapsed:,.0f} matches/s)")
    print(f"naive regex baseline  {per_naive:.2f} µs/match")
    print(f"speed-up              {per_naive / per_match:.1f}x")
    github = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "specs" / "github-api.json.gz"
    if github.exists():
        real = list(load(github).operations)
        real_requests = [(op.method, concrete(op, rng)) for op in (rng.choice(real) for _ in range(MATCHES))]
        real_router = Router(real)
        start = time.perf_counter()
        for method, path in real_requests:
            real_router.match(method, path)
        elapsed = time.perf_counter() - start
        print(f"GitHub REST API       {len(real)} operations: {elapsed / MATCHES * 1e6:.2f} µs/match")


if __name__ == "__main__":
    main()
