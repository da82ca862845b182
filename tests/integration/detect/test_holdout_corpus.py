"""Precision gate on a small benign hold-out corpus built by ``scripts/make_holdout_corpus.py`` from text found on the
machine (package READMEs, stdlib docstrings, Debian changelogs, licences, man pages, gettext catalogs) and value
templates. Everyday prose and data values (the ``strict`` group) must pass at paranoia 1; technical writing,
rich-text markup, query languages and developer posts with code have regression floors."""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from apiward.detect import Engine
from apiward.detect._eval import Report, evaluate, parse_corpus

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "make_holdout_corpus.py"
ROWS = 2_000
STRICT_TNR = 0.995
# Regression floors for groups closer to attack grammar, a little below the figures measured on 2,000 rows when set
# (tech 0.978 with translated man pages and package READMEs, markup 1.0, query languages 0.93 on 30 rows, developer
# posts with code 0.85 — SQL statements in code blocks read as SQL injection); the groups are small, so keep a margin.
FLOORS = {"tech": 0.96, "markup": 0.96, "querylang": 0.85, "code": 0.8}


@cache
def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_holdout_corpus", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@cache
def _report(paranoia: int) -> Report:
    gen = _generator()
    texts = gen.load_texts()
    if texts.empty:
        pytest.skip("no real text found on this machine (METADATA files, stdlib docstrings, /usr/share/doc, locales)")
    lines = [json.dumps(row, ensure_ascii=False) for row in gen.make_rows(ROWS, texts)]
    return evaluate(Engine(paranoia=paranoia).inspect, parse_corpus(lines, source="holdout"))


def _group_tnr(report: Report, group: str) -> tuple[int, int, float]:
    gen = _generator()
    counts = [c for name, c in report.families.items() if gen.group_of(name) == group]
    total = sum(c.tn + c.fp for c in counts)
    fp = sum(c.fp for c in counts)
    return total, fp, (total - fp) / total if total else 1.0


def _flagged(report: Report, group: str) -> list[str]:
    gen = _generator()
    return [
        f"{o.sample.id} {o.sample.category}: "
        + ", ".join(f"{m.rule_id}@{m.location} {m.fragment[:60]!r}" for m in o.inspection.matches)
        for o in report.false_positives
        if gen.group_of(o.sample.category) == group
    ]


def test_holdout_everyday_values_pass_at_paranoia_1() -> None:
    report = _report(1)
    total, _, tnr = _group_tnr(report, "strict")
    assert total >= ROWS * 0.7
    assert tnr >= STRICT_TNR, _flagged(report, "strict")


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_holdout_group_floor_at_paranoia_1(group: str) -> None:
    report = _report(1)
    _, _, tnr = _group_tnr(report, group)
    assert tnr >= FLOORS[group], _flagged(report, group)


def test_holdout_generator_is_deterministic_and_works_without_real_text() -> None:
    gen = _generator()
    first = list(gen.make_rows(300, gen.Texts()))
    assert first == list(gen.make_rows(300, gen.Texts()))
    assert {row["label"] for row in first} == {"benign"}
    assert len({row["category"] for row in first}) >= 20
