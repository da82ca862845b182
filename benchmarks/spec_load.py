"""Load time of every API description fixture (best of 3), largest last; the target is < 2 s for the largest.

Wall time is what a user waits; CPU time (this process only) shows the cost when other work shares the cores.

.venv/bin/python benchmarks/spec_load.py [FILE ...]
"""

from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

from apiward.spec import load

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "specs"
TARGET_SECONDS = 2.0


def size_of(path: Path) -> int:
    data = path.read_bytes()
    return len(gzip.decompress(data)) if data[:2] == b"\x1f\x8b" else len(data)


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or [p for p in FIXTURES.iterdir() if p.suffix != ".md"]
    paths.sort(key=size_of)
    print(f"{'file':32} {'MB':>6} {'ops':>6} {'wall s':>8} {'cpu s':>8}")
    worst = 0.0
    for path in paths:
        best = cpu = float("inf")
        for _ in range(3):
            start, start_cpu = time.perf_counter(), time.process_time()
            model = load(path)
            best = min(best, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        worst = best
        print(f"{path.name:32} {size_of(path) / 1e6:6.1f} {len(model.operations):6} {best:8.3f} {cpu:8.3f}")
    verdict = "within" if worst < TARGET_SECONDS else "OVER"
    print(f"largest: {worst:.3f} s — {verdict} the {TARGET_SECONDS:.0f} s target ({worst / TARGET_SECONDS:.0%} of it)")


if __name__ == "__main__":
    main(sys.argv[1:])
