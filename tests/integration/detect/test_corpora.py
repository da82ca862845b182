"""Quality gates on labelled corpora (not timing): the CRS-regression development set from ``../shared`` and the
benign API corpus shipped in ``corpora/``. Figures and the rows judged mislabelled: docs/explain/detection.md."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import pytest

from apiward.detect import Engine
from apiward.detect._eval import Report, evaluate, parse_corpus

ROOT = Path(__file__).resolve().parents[3]
TARGET_FAMILIES = ("sqli", "xss", "rce", "lfi", "rfi", "java", "php")

# What the engine achieves today at paranoia 1 (regression floors, a little below the measured figures).
FLOORS = {
    "sqli": 0.77,
    "xss": 0.85,
    "rce": 0.89,
    "lfi": 0.95,
    "rfi": 0.70,
    "java": 0.99,
    "php": 0.95,
    "protocol": 0.38,
    "protocol-attack": 0.60,
    "session-fixation": 0.83,
}
# Paranoia 2 adds the fragments CRS itself flags only from level 2 (bare operators, plain off-site URLs…).
FLOORS_PL2 = {"sqli": 0.91, "xss": 0.95, "rce": 0.95, "lfi": 0.95, "rfi": 0.95, "java": 0.99, "php": 0.96}
# The red-team probe sets in corpora/probes/ at paranoia 1: TPR of the attack sets, TNR of the benign ones.
PROBE_FLOORS = {"attack-payloads": 0.94, "attack-evasion": 0.92, "benign-values": 0.97, "benign-requests": 0.88}


@cache
def _evaluate(path: Path, paranoia: int = 1) -> Report:
    with path.open(encoding="utf-8") as handle:
        return evaluate(Engine(paranoia=paranoia).inspect, parse_corpus(handle, source=str(path)))


@pytest.fixture
def dev_report(shared_dir: Path) -> Report:
    path = shared_dir / "corpora" / "crs-regression.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return _evaluate(path)


def test_dev_set_benign_rows_tnr(dev_report: Report) -> None:
    tnr = dev_report.overall.tnr
    assert tnr is not None
    assert tnr >= 0.9


@pytest.mark.parametrize("family", sorted(FLOORS))
def test_dev_set_tpr_floor(dev_report: Report, family: str) -> None:
    tpr = dev_report.counts(family).tpr
    assert tpr is not None
    assert tpr >= FLOORS[family]


@pytest.mark.parametrize("family", TARGET_FAMILIES)
def test_dev_set_tpr_floor_at_paranoia_2(shared_dir: Path, family: str) -> None:
    path = shared_dir / "corpora" / "crs-regression.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    report = _evaluate(path, 2)
    tpr = report.counts(family).tpr
    assert tpr is not None
    assert tpr >= FLOORS_PL2[family]


def test_shipped_benign_corpus_stays_quiet_at_paranoia_2() -> None:
    path = ROOT / "corpora" / "benign-api.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        report = evaluate(Engine(paranoia=2).inspect, parse_corpus(handle, source=str(path)))
    tnr = report.overall.tnr
    assert tnr is not None
    assert tnr >= 0.995, [o.sample.id for o in report.worst_false_positives(10)]


@pytest.mark.xfail(strict=True, reason="issue target TPR >= 0.95 not met yet for every family; see explain doc")
def test_dev_set_issue_target_tpr(dev_report: Report) -> None:
    short = {f: dev_report.counts(f).tpr for f in TARGET_FAMILIES if (dev_report.counts(f).tpr or 0) < 0.95}
    assert short == {}


def test_shipped_benign_corpus_tnr() -> None:
    path = ROOT / "corpora" / "benign-api.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        report = evaluate(Engine(paranoia=1).inspect, parse_corpus(handle, source=str(path)))
    assert report.overall.tn + report.overall.fp >= 20_000
    tnr = report.overall.tnr
    assert tnr is not None
    assert tnr >= 0.995, [o.sample.id for o in report.worst_false_positives(10)]


@pytest.mark.parametrize("name", sorted(PROBE_FLOORS))
def test_probe_corpora_floors(name: str) -> None:
    path = ROOT / "corpora" / "probes" / f"{name}.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        report = evaluate(Engine(paranoia=1).inspect, parse_corpus(handle, source=str(path)))
    figure = report.overall.tpr if name.startswith("attack") else report.overall.tnr
    assert figure is not None
    worst = report.worst_false_negatives(5) if name.startswith("attack") else report.worst_false_positives(5)
    assert figure >= PROBE_FLOORS[name], [o.sample.id for o in worst]
