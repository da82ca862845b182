"""The development set's attack rows by the paranoia level of the CRS rule each row tests, against apiward's levels.

The CRS-regression development set labels a row ``attack`` when *some* CRS rule must fire on it, whatever that
rule's paranoia level: a test of a level-3 rule (a lone ``XOR``, a run of ``!@#$``) counts as an attack that a
level-1 engine "misses". This script reads each rule's ``paranoia-level/N`` tag from the Core Rule Set that
Debian packages (``modsecurity-crs``, fetched with ``apt-get download`` and unpacked here: no root, nothing
installed), then prints, per family, apiward's TPR at paranoia 1–4 on the rows of CRS level-1 rules, level-2
rules, and so on — the baseline (what CRS itself would block at that level) next to apiward. Rows of rules that
CRS 3.3.4 does not have (the set was written for CRS 4) are counted under ``new``.

    python benchmarks/detect_by_crs_level.py [--families sqli,xss,rce,lfi,rfi,java,php] [--levels 1,2]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from apiward.detect import Engine
from apiward.detect._eval import parse_corpus

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpora" / "crs-regression.jsonl"
_RULE = re.compile(r"\n(?=Sec(?:Rule|Action))")
_ID = re.compile(r"\bid:(\d+)")
_LEVEL = re.compile(r"paranoia-level/(\d)")


def crs_levels(workdir: Path) -> dict[str, int]:
    """CRS rule id → paranoia level, from the rules of Debian's ``modsecurity-crs`` package."""
    subprocess.run(["apt-get", "download", "modsecurity-crs"], cwd=workdir, check=True, capture_output=True)
    deb = next(workdir.glob("modsecurity-crs_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(workdir / "x")], check=True)
    levels: dict[str, int] = {}
    for conf in (workdir / "x").rglob("REQUEST-9*.conf"):
        for block in _RULE.split(conf.read_text(encoding="utf-8", errors="replace")):
            rule, level = _ID.search(block), _LEVEL.search(block)
            if rule and level:
                levels[rule.group(1)] = int(level.group(1))
    if not levels:
        raise SystemExit(f"no paranoia-level tags found in {deb.name}")
    return levels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", default="sqli,xss,rce,lfi,rfi,java,php")
    parser.add_argument("--levels", default="1,2,3,4", help="apiward paranoia levels to run")
    args = parser.parse_args()
    if not DEV.is_file():
        raise SystemExit(f"the development set is not at {DEV}")
    families = args.families.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        levels = crs_levels(Path(tmp))
    print(f"{len(levels)} CRS 3.3.4 rules carry a paranoia level", file=sys.stderr)
    samples = [
        s
        for s in parse_corpus(DEV.read_text(encoding="utf-8").splitlines(), source=str(DEV))
        if s.label == "attack" and s.category in families
    ]
    ours = [int(level) for level in args.levels.split(",")]
    caught: dict[int, Counter[tuple[str, str]]] = {}
    for level in ours:
        engine = Engine(paranoia=level)
        caught[level] = Counter(
            (s.category, _crs_level(s.id, levels)) for s in samples if engine.inspect(s.request).is_attack
        )
    rows = Counter((s.category, _crs_level(s.id, levels)) for s in samples)
    head = "".join(f"  apiward PL{level}" for level in ours)
    print(f"{'family':<8} {'CRS rule level':<15} {'rows':>5}{head}")
    for family in families:
        for crs in ("1", "2", "3", "4", "new"):
            total = rows[(family, crs)]
            if total:
                cells = "".join(f"  {caught[level][(family, crs)] / total:>11.3f}" for level in ours)
                print(f"{family:<8} {crs:<15} {total:>5}{cells}")


def _crs_level(sample_id: str, levels: dict[str, int]) -> str:
    # ``crs-942100-12-0`` → the rule 942100
    rule = sample_id.split("-")[1] if sample_id.count("-") >= 2 else ""
    return str(levels[rule]) if rule in levels else "new"


if __name__ == "__main__":
    main()
