"""Inspection speed of apiward's detection engine: median and p99 for a 1 KB and a 64 KB JSON request at paranoia
1 and 4, throughput in MB/s, the same over recorded traffic (the shipped benign corpus, or ``--corpus FILE``), engine
construction with a cold and a warm database cache, and the multi-pattern engine choice (Hyperscan vs RE2 set) on
the same rule set.

    python benchmarks/detect_perf.py [--runs 2000] [--skip-compile] [--corpus FILE] [--corpus-limit N]
    python benchmarks/detect_perf.py --patterns [--paranoia 1] [--top 25]

``--patterns`` reports what each pattern of the multi-pattern database costs on its own: the scan of the 1 KB and
64 KB requests' texts with a database of that pattern alone, and how many matches it reports (each one is a Python
callback). Patterns are not independent in the shared database (literals and engines are shared), so the figures
rank suspects rather than add up to the whole scan, which is printed first.

The two synthetic requests repeat one kind of value; recorded traffic has the variety of real requests (paths, user
agents, tokens, names with '&', ids with '_'), which exercises the decoders: the corpus figures are the ones to
compare with a gateway's load.

Figures are CPU time of the calling thread per call (wall-clock time on a shared machine measures the other
tenants); p99 still shows cache and scheduler effects.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time

import hyperscan
import re2

from apiward.core import HttpRequest
from apiward.detect import Engine, _regex
from apiward.detect._decode import variants
from apiward.detect._eval import parse_corpus
from apiward.detect._extract import extract

_SHIPPED = os.path.join(os.path.dirname(__file__), "..", "corpora", "benign-api.jsonl.gz")

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


def _corpus(path: str, limit: int) -> list[HttpRequest]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        requests = [sample.request for sample in parse_corpus(handle, source=path)]
    return requests[:limit] if limit else requests


def corpus_speed(path: str, limit: int, passes: int = 3) -> None:
    """Each request of a recorded corpus inspected once per pass (the first pass warms up): per-request median,
    p99 and mean, and throughput over the requests' bodies, query strings and header values."""
    requests = _corpus(path, limit)
    size = sum(len(r.body) + len(r.query) + sum(len(v) for _, v in r.headers) for r in requests)
    name = os.path.basename(path)
    print(f"\nrecorded traffic: {name}, {len(requests)} requests, {size / len(requests):.0f} bytes each")
    print(f"{'PL':>2} {'median µs':>10} {'p99 µs':>10} {'mean µs':>10} {'MB/s':>8}")
    for paranoia in (1, 4):
        engine = Engine(paranoia=paranoia)
        times: list[float] = []
        for round_ in range(passes + 1):
            for request in requests:
                t0 = time.thread_time_ns()
                engine.inspect(request)
                if round_:
                    times.append((time.thread_time_ns() - t0) / 1000)
        mean = statistics.fmean(times)
        print(
            f"{paranoia:>2} {statistics.median(times):>10.1f} {_pct(times, 0.99):>10.1f} {mean:>10.1f} "
            f"{size / len(requests) / mean:>8.2f}"
        )


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


def _scan_cost(db: hyperscan.Database, buffer: bytes, runs: int) -> tuple[float, int]:
    """Median CPU µs of scanning ``buffer`` (with a no-op callback), and the number of matches reported."""
    scratch = hyperscan.Scratch(db)
    reports = 0

    def count(*_: object) -> None:
        nonlocal reports
        reports += 1

    db.scan(buffer, match_event_handler=count, scratch=scratch)
    times = []
    for _ in range(runs):
        t0 = time.thread_time_ns()
        db.scan(buffer, match_event_handler=lambda *_: None, scratch=scratch)
        times.append((time.thread_time_ns() - t0) / 1000)
    return statistics.median(times), reports


def pattern_costs(paranoia: int, top: int, runs: int) -> None:
    """Each pattern's scan cost and match reports on its own, most expensive on the 64 KB request first."""
    engine = Engine(paranoia=paranoia)
    names = [rule.id for rule in engine._pattern_rules]
    patterns = engine._regex._patterns
    names += [f"sql-gate-{i}" for i in range(len(patterns) - len(names))]
    buffers = []
    for size in (1024, 65536):
        texts = engine._texts(extract(_request(size), engine.limits)).texts
        buffers.append(_regex.SEPARATOR.join(texts).encode("utf-8", "replace"))
    whole = [_scan_cost(engine._regex._db, b, runs) for b in buffers]
    print(f"paranoia {paranoia}: {len(patterns)} patterns, scanning {len(buffers[0])} and {len(buffers[1])} bytes")
    print(
        f"  whole database: 1 KB {whole[0][0]:.1f} µs ({whole[0][1]} reports), 64 KB {whole[1][0]:.1f} µs "
        f"({whole[1][1]} reports)\n"
    )
    rows = []
    for name, pattern in zip(names, patterns, strict=True):
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=[_regex._in_buffer(pattern).encode()], flags=_regex._FLAGS)
        small, large = (_scan_cost(db, b, runs) for b in buffers)
        rows.append((large[0], large[1], small[0], small[1], name, pattern))
    rows.sort(reverse=True)
    print(f"{'pattern':<14} {'64 KB µs':>9} {'reports':>8} {'1 KB µs':>8} {'reports':>8}  pattern")
    for large_us, large_n, small_us, small_n, name, pattern in rows[:top]:
        print(f"{name:<14} {large_us:>9.1f} {large_n:>8} {small_us:>8.1f} {small_n:>8}  {pattern[:60]!r}")


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
    parser.add_argument("--patterns", action="store_true", help="report each pattern's own scan cost instead")
    parser.add_argument("--paranoia", type=int, default=1, help="paranoia level for --patterns")
    parser.add_argument("--top", type=int, default=25, help="patterns listed by --patterns")
    parser.add_argument("--corpus", default=_SHIPPED, help="recorded traffic (corpus JSONL, .gz accepted)")
    parser.add_argument("--corpus-limit", type=int, default=4000, help="requests read from --corpus (0: all)")
    args = parser.parse_args()
    if args.patterns:
        pattern_costs(args.paranoia, args.top, max(5, args.runs // 100))
        return 0
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
    corpus_speed(args.corpus, args.corpus_limit)
    engine = Engine(paranoia=4)
    regex_engines(engine, _request(65536), max(20, args.runs // 50))
    return 0


if __name__ == "__main__":
    sys.exit(main())
