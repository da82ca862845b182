"""Precision of apiward's detection engine on a benign corpus: TNR per category and overall at paranoia 1..4, and
the rules that flag benign rows, with example values.

    python benchmarks/detect_precision.py [CORPUS] [--paranoia 1,2,3,4] [--top 25] [--examples 3] [--format json]
    python benchmarks/detect_precision.py --paranoia 1,2 --baseline HEAD     # what the working tree changes
    python benchmarks/detect_precision.py --paranoia 1 --list strict          # every flagged everyday row

CORPUS defaults to the hold-out corpus ``/tmp/holdout/benign.jsonl``; it is built with
``scripts/make_holdout_corpus.py`` when absent. Any corpus in the CRS-regression row format works (``.gz`` too);
only ``benign`` rows are scored. Categories are grouped: ``strict`` (everyday prose and data values: a flag there
is a false positive to fix), ``tech`` (``benign-tech-*``: real technical writing — READMEs, docstrings, man pages,
changelogs, licences — as developer platforms carry it), ``markup`` (``benign-richtext``, ``benign-templates``:
HTML from rich-text editors, message templates), ``querylang`` (``benign-querylang``: GraphQL, OData, JQL,
search syntax) and ``code`` (``benign-code-*``: posts carrying fenced code), each reported apart.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apiward.core import ApiwardError
from apiward.detect import Engine, Match
from apiward.detect._eval import Sample, parse_corpus

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path("/tmp/holdout/benign.jsonl")

sys.path.insert(0, str(ROOT / "scripts"))
import make_holdout_corpus  # noqa: E402 - the generator, from scripts/; it defines the groups the figures use

GROUPS = make_holdout_corpus.GROUPS
group_of = make_holdout_corpus.group_of


@dataclass(slots=True)
class RuleHits:
    rows: int = 0
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (row id, location, fragment)


@dataclass(slots=True)
class LevelResult:
    paranoia: int
    seconds: float = 0.0
    benign: Counter[str] = field(default_factory=Counter)  # category -> rows
    flagged: Counter[str] = field(default_factory=Counter)  # category -> flagged rows
    rules: dict[str, dict[str, RuleHits]] = field(default_factory=lambda: defaultdict(dict))  # group -> rule -> hits
    rows: dict[str, list[str]] = field(default_factory=dict)  # flagged row id -> contributing rule ids
    fragments: dict[str, str] = field(default_factory=dict)  # flagged row id -> "category location: fragment"

    def tnr(self, categories: list[str]) -> tuple[int, int, float | None]:
        total = sum(self.benign[c] for c in categories)
        fp = sum(self.flagged[c] for c in categories)
        return total, fp, (total - fp) / total if total else None


def _samples(path: Path) -> Iterator[Sample]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from (s for s in parse_corpus(handle, source=str(path), skip_bad=True) if s.label == "benign")


def _contributing(matches: tuple[Match, ...], families: frozenset[str]) -> list[Match]:
    return [m for m in matches if m.family in families]


def run_level(samples: list[Sample], paranoia: int, examples: int) -> LevelResult:
    engine = Engine(paranoia=paranoia)
    result = LevelResult(paranoia)
    start = time.process_time()
    for sample in samples:
        result.benign[sample.category] += 1
        inspection = engine.inspect(sample.request)
        if not inspection.is_attack:
            continue
        result.flagged[sample.category] += 1
        contributing = _contributing(inspection.matches, inspection.families)
        result.rows[sample.id] = sorted({m.rule_id for m in contributing})
        if contributing:
            top = max(contributing, key=lambda m: m.score)
            result.fragments[sample.id] = f"{sample.category} {top.location}: {top.fragment!r}"
        seen: set[str] = set()
        for match in contributing:
            if match.rule_id in seen:
                continue
            seen.add(match.rule_id)
            hits = result.rules[group_of(sample.category)].setdefault(match.rule_id, RuleHits())
            hits.rows += 1
            if len(hits.examples) < examples:
                hits.examples.append((sample.id, match.location, match.fragment))
    result.seconds = time.process_time() - start
    return result


def _fmt(rate: float | None) -> str:
    return "   —  " if rate is None else f"{rate:.4f}"


def report_text(results: list[LevelResult], top: int) -> str:
    lines: list[str] = []
    categories = sorted(results[0].benign)
    head = "category".ljust(26) + "rows".rjust(7) + "".join(f"   PL{r.paranoia} TNR (FP)" for r in results)
    lines += [head, "-" * len(head)]
    for category in categories:
        cells = ""
        for r in results:
            _, fp, rate = r.tnr([category])
            cells += f"   {_fmt(rate)} ({fp:4})"
        lines.append(f"{category:26}{results[0].benign[category]:7}{cells}")
    lines.append("-" * len(head))
    for group in GROUPS:
        members = [c for c in categories if group_of(c) == group]
        if not members:
            continue
        cells = ""
        for r in results:
            _, fp, rate = r.tnr(members)
            cells += f"   {_fmt(rate)} ({fp:4})"
        lines.append(f"{'[' + group + ']':26}{sum(results[0].benign[c] for c in members):7}{cells}")
    cells = ""
    for r in results:
        _, fp, rate = r.tnr(categories)
        cells += f"   {_fmt(rate)} ({fp:4})"
    lines.append(f"{'OVERALL':26}{sum(results[0].benign.values()):7}{cells}")
    lines.append("")
    lines.append("CPU seconds: " + ", ".join(f"PL{r.paranoia} {r.seconds:.1f}" for r in results))
    for r in results:
        for group in GROUPS:
            rules = r.rules.get(group, {})
            if not rules:
                continue
            lines.append("")
            lines.append(f"PL{r.paranoia} — rules in flagged {group} rows (rows, examples):")
            for rule_id, hits in sorted(rules.items(), key=lambda kv: (-kv[1].rows, kv[0]))[:top]:
                lines.append(f"  {rule_id:12} {hits.rows:5}")
                for row_id, location, fragment in hits.examples:
                    lines.append(f"      {row_id} {location}: {fragment!r}")
    return "\n".join(lines)


def report_json(results: list[LevelResult]) -> dict[str, object]:
    out: dict[str, object] = {}
    for r in results:
        categories = sorted(r.benign)
        groups = {g: [c for c in categories if group_of(c) == g] for g in GROUPS}
        out[f"PL{r.paranoia}"] = {
            "categories": {c: {"rows": r.benign[c], "fp": r.flagged[c], "tnr": r.tnr([c])[2]} for c in categories},
            "groups": {g: {"rows": r.tnr(m)[0], "fp": r.tnr(m)[1], "tnr": r.tnr(m)[2]} for g, m in groups.items() if m},
            "overall": {"rows": r.tnr(categories)[0], "fp": r.tnr(categories)[1], "tnr": r.tnr(categories)[2]},
            "rules": {
                g: {rule: {"rows": h.rows, "examples": h.examples} for rule, h in rules.items()}
                for g, rules in r.rules.items()
            },
            "flagged": r.rows,
            "fragments": r.fragments,
        }
    return out


def _baseline(ref: str, corpus: Path, paranoia: str) -> dict[str, Any]:
    """The JSON report of the rules at git ``ref``: its ``src`` exported to a temporary directory, run apart."""
    with tempfile.TemporaryDirectory(prefix="apiward-baseline-") as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "src"],
            check=True,
            capture_output=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        cmd = [sys.executable, __file__, str(corpus), "--paranoia", paranoia, "--format", "json", "--examples", "0"]
        out = subprocess.run(cmd, check=True, capture_output=True, env=env, text=True).stdout
    report: dict[str, Any] = json.loads(out)
    return report


def report_delta(now: dict[str, Any], before: dict[str, Any], ref: str, rows: int) -> str:
    """What changed against the baseline: FPs per group, rules that flag more rows, rows newly flagged."""
    lines = [f"Against {ref}:"]
    for level, current in now.items():
        old = before.get(level)
        if old is None:
            continue
        cells = []
        for group, counts in current["groups"].items():
            was = old["groups"].get(group, {}).get("fp", 0)
            cells.append(f"{group} {was}→{counts['fp']}")
        lines.append(f"  {level} false positives: " + ", ".join(cells))
        rule_rows: Counter[str] = Counter()
        old_rows: Counter[str] = Counter()
        for rules in current["rules"].values():
            rule_rows.update({rule: hits["rows"] for rule, hits in rules.items()})
        for rules in old["rules"].values():
            old_rows.update({rule: hits["rows"] for rule, hits in rules.items()})
        grown = sorted((rule for rule in rule_rows if rule_rows[rule] > old_rows[rule]), key=lambda x: -rule_rows[x])
        if grown:
            lines.append(
                "    rules flagging more rows: " + ", ".join(f"{x} {old_rows[x]}→{rule_rows[x]}" for x in grown)
            )
        new = [row for row in current["flagged"] if row not in old["flagged"]]
        gone = [row for row in old["flagged"] if row not in current["flagged"]]
        lines.append(f"    rows newly flagged: {len(new)}; no longer flagged: {len(gone)}")
        for row in sorted(new)[:rows]:
            lines.append(f"      {row} {','.join(current['flagged'][row])} {current['fragments'].get(row, '')[:150]}")
    return "\n".join(lines)


MARKER = "<!-- figures -->"


def _write_readme(path: Path, text: str) -> None:
    """Replace everything after the figures marker of ``path`` with ``text`` (a code block, dated)."""
    head = path.read_text(encoding="utf-8") if path.exists() else ""
    head = head.split(MARKER)[0].rstrip("\n") + "\n\n" + MARKER + "\n"
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    commit = ""
    head_file = ROOT / ".git" / "HEAD"
    if head_file.exists():
        ref = head_file.read_text().strip().removeprefix("ref: ")
        ref_file = ROOT / ".git" / ref
        commit = f" at commit {ref_file.read_text().strip()[:10]}" if ref_file.exists() else ""
    body = f"## Figures ({stamp}{commit})\n\n```\n{text}\n```\n"
    path.write_text(head + "\n" + body, encoding="utf-8")


def _ensure_corpus(path: Path) -> None:
    if path.exists() or path != DEFAULT_CORPUS:
        return
    make_holdout_corpus.write_corpus(path, make_holdout_corpus.ROWS, make_holdout_corpus.load_texts())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--paranoia", default="1,2,3,4", help="comma-separated levels (default 1,2,3,4)")
    parser.add_argument("--top", type=int, default=25, help="rules listed per level and group")
    parser.add_argument("--examples", type=int, default=3, help="example values per rule")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--readme", type=Path, help="also write the text report into this markdown file")
    parser.add_argument(
        "--baseline", metavar="GIT_REF", help="also compare with the rules at this revision (e.g. HEAD)"
    )
    parser.add_argument("--new-rows", type=int, default=40, help="newly flagged rows listed against the baseline")
    parser.add_argument("--list", metavar="GROUP", choices=GROUPS, help="also list every flagged row of this group")
    args = parser.parse_args(argv)
    _ensure_corpus(args.corpus)
    if not args.corpus.exists():
        print(f"{args.corpus}: no such file", file=sys.stderr)
        return 2
    samples = list(_samples(args.corpus))
    try:
        results = [run_level(samples, int(level), args.examples) for level in args.paranoia.split(",")]
    except ApiwardError as exc:  # the rule set does not build (for instance a rule being edited)
        print(f"the engine does not build: {exc}", file=sys.stderr)
        return 3
    if args.format == "json":
        print(json.dumps(report_json(results), ensure_ascii=False, indent=1))
    elif args.list:
        print(report_text(results, args.top))
        for r in results:
            print(f"\nPL{r.paranoia} — flagged {args.list} rows:")
            for row, rules in sorted(r.rows.items()):
                if group_of(r.fragments.get(row, "").partition(" ")[0]) == args.list:
                    print(f"  {row} {','.join(rules)} {r.fragments.get(row, '')[:200]}")
    elif args.baseline:
        print(report_text(results, args.top))
        print()
        before = _baseline(args.baseline, args.corpus, args.paranoia)
        print(report_delta(report_json(results), before, args.baseline, args.new_rows))
    else:
        text = f"{args.corpus}: {len(samples)} benign rows\n" + report_text(results, args.top)
        print(text)
        if args.readme is not None:
            _write_readme(args.readme, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
