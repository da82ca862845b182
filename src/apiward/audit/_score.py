"""The 0–100 audit score.

    deduction = sum over rules of min(cap(rule), sum over its findings of weight(finding))
    score     = round(100 × exp(−deduction / 100))

    weight(finding) = severity points × confidence factor
        severity points:   critical 30, high 12, medium 5, low 1.5, info 0
        confidence factor: high 1.0, medium 0.75, low 0.5
    cap(rule) = 3 × severity points of the rule's findings' severity (the most severe one)

The cap keeps one rule that fires on hundreds of operations (say, missing 429 responses) from hiding
everything else: a description with one critical problem scores lower than one with two hundred
missing ``maxLength``s. The exponential keeps the score informative for poor descriptions too: one
high finding costs ~11 points from 100, and the same finding costs ~2 points from 20.
100 means no findings above info.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from apiward.core import Confidence, Finding, Severity

__all__ = ["CONFIDENCE_FACTOR", "SEVERITY_POINTS", "score"]

SEVERITY_POINTS = {
    Severity.CRITICAL: 30.0,
    Severity.HIGH: 12.0,
    Severity.MEDIUM: 5.0,
    Severity.LOW: 1.5,
    Severity.INFO: 0.0,
}
CONFIDENCE_FACTOR = {Confidence.HIGH: 1.0, Confidence.MEDIUM: 0.75, Confidence.LOW: 0.5}


def score(findings: Iterable[Finding]) -> int:
    """The audit score (see the module docstring for the formula)."""
    spent: dict[str, float] = defaultdict(float)
    cap: dict[str, float] = defaultdict(float)
    for f in findings:
        points = SEVERITY_POINTS[f.severity]
        spent[f.check_id] += points * CONFIDENCE_FACTOR[f.confidence]
        cap[f.check_id] = max(cap[f.check_id], 3 * points)
    deduction = sum(min(cap[rule_id], total) for rule_id, total in spent.items())
    return max(0, min(100, round(100 * math.exp(-deduction / 100))))
