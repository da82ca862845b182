"""Inspection speed of apiward's detection engine: median and p99 for a 1 KB and a 64 KB JSON request at paranoia
1 and 4, throughput in MB/s, engine construction with a cold and a warm database cache, and the multi-pattern engine
choice (Hyperscan vs RE2 set) on the same rule set.

    python benchmarks/detect_perf.py [--runs 2000] [--skip-compile]

Figures are CPU time of the calling thread per call (wall-clock time on a shared machine measures the other
tenants); p99 still shows cache and scheduler effects.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time

import re2

from apiward.core import HttpRequest
from apiward.detect import Engine, _regex
from apiward.detect._decode import variants
from apiward.detect._extract import extract

WORDS = (
    "order delivery great product thanks please select option menu update table union members drop reservation "
    "Friday customer support O'Brien café naïve résumé 東京 Москва email example.com refund warranty size colour"
).split()


def _doc(target: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    items: list[dict[str, object]] = []
    doc: dict[str, object] = {"customer": {"name": "Siobhán O'Brien", "email": "s.obrien@example.com"}, "items": items}
    while len(json.dumps(doc)) < target:
        items.append(
            {
                "sku": f"SKU-{rnd.randrange(10000, 99999)}",
                "qty": rnd.randrange(1, 5),
                "note": " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(4, 14))),
                "id": f"{rnd.getrandbits(64):016x}",
            }
        )
    raw = json.dumps(doc).encode()
    return raw[: target - 2] if len(raw) <= target else json.dumps(doc).encode()


def _request(size: int) -> HttpRequest:
    body = _doc(size, size)
    return HttpRequest(
        method="POST",
        path="/api/orders",
        query="expand=items&page=2",
        headers=(("Content-Type", "application/json"), ("User-Agent", "MyShopApp/3.2.1 (Android 14)")),
        body=body,
    )


def _measure(engine: Engine, request: HttpRequest, runs: int) -> list[float]:
    for _ in range(min(50, runs)):
        engine.inspect(request)
    times = []
    for _ in range(runs):
        # CPU time of this thread: on a shared machine wall-clock time mostly measures the other tenants.
        t0 = time.thread_time_ns()
        engine.inspect(request)
        times.append((time.thread_time_ns() - t0) / 1000)
    return times


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p * len(s)))]


def regex_engines(engine: Engine, request: HttpRequest, runs: int) -> None:
    """Hyperscan (one scan of the joined values) vs an RE2 set (one search per value) over the same patterns."""
    ext = extract(request, engine.limits)
    texts = [form for text in ext.texts for form in variants(text)]
    patterns = engine._regex._patterns
    options = re2.Options()
    options.case_sensitive = False
    options.dot_nl = True
    options.max_mem = 256 << 20
    t0 = time.perf_counter()
    rs = re2.Set.SearchSet(options)
    for p in patterns:
        rs.Add("(?m)" + p)
    rs.Compile()
    re2_compile = time.perf_counter() - t0
    hs, r2 = [], []
    for _ in range(runs):
        t0 = time.perf_counter_ns()
        engine._regex.candidates(texts)
        hs.append((time.perf_counter_ns() - t0) / 1000)
        t0 = time.perf_counter_ns()
        for t in texts:
            rs.Match(t)
        r2.append((time.perf_counter_ns() - t0) / 1000)
    size = sum(len(t) for t in texts)
    print(f"\nmulti-pattern engines, {len(patterns)} patterns, {len(texts)} texts / {size} chars per scan:")
    print(f"  hyperscan  median {statistics.median(hs):9.1f} µs   p99 {_pct(hs, 0.99):9.1f} µs")
    r2_med, r2_p99 = statistics.median(r2), _pct(r2, 0.99)
    print(f"  re2 set    median {r2_med:9.1f} µs   p99 {r2_p99:9.1f} µs   (compile {re2_compile:.2f} s)")
    print(f"  ratio re2/hyperscan: {statistics.median(r2) / statistics.median(hs):.1f}x")


def construction() -> None:
    """``Engine()`` with an empty database cache (compiles) and then with the file it wrote (loads)."""
    saved = os.environ.get("APIWARD_CACHE_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["APIWARD_CACHE_DIR"] = folder
        try:
            for label in ("cold", "warm"):
                _regex._CACHE.clear()  # the per-process cache would hide the file
                t0 = time.perf_counter()
                Engine(paranoia=4)
                print(f"  Engine(paranoia=4), {label} cache: {time.perf_counter() - t0:6.2f} s")
        finally:
            if saved is None:
                del os.environ["APIWARD_CACHE_DIR"]
            else:
                os.environ["APIWARD_CACHE_DIR"] = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--skip-compile", action="store_true", help="do not time the database compilation")
    args = parser.parse_args()
    if not args.skip_compile:
        print("engine construction (pattern database compiled, then loaded from the cache file):")
        construction()
        print()
    print(f"{'request':<10} {'PL':>2} {'bytes':>7} {'median µs':>10} {'p99 µs':>10} {'MB/s':>8}")
    for size in (1024, 65536):
        request = _request(size)
        for paranoia in (1, 4):
            engine = Engine(paranoia=paranoia)
            runs = args.runs if size <= 4096 else max(50, args.runs // 20)
            times = _measure(engine, request, runs)
            med = statistics.median(times)
            mbps = len(request.body) / med  # bytes per µs == MB/s
            label = f"{size // 1024} KB JSON"
            print(
                f"{label:<10} {paranoia:>2} {len(request.body):>7} {med:>10.1f} {_pct(times, 0.99):>10.1f} {mbps:>8.2f}"
            )
    engine = Engine(paranoia=4)
    regex_engines(engine, _request(65536), max(20, args.runs // 50))
    return 0


if __name__ == "__main__":
    sys.exit(main())
