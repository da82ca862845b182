"""Exclusions learnt from known-good traffic — a WAF's learning mode, done as a reviewable proposal.

Feed :class:`Tuner` requests the team knows are legitimate (a QA run's HAR, a staging capture); it inspects each
one and, for every request the engine would refuse, proposes the narrowest exclusion that lets it through: the
route (when a spec names it), the value's location (array indexes generalised to ``*``) and the rule ids that
fired there — never a whole family, never a location-less exclusion. :meth:`Tuner.report` also re-inspects the
traffic with the proposals applied, so the report says how many refusals they remove.

High-confidence rules firing in "known-good" traffic are marked for review: the capture may hold a real attack
(or a scanner's run), and excluding the rule there would blind the gateway to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from apiward.core import Confidence, HttpRequest
from apiward.detect._engine import Engine
from apiward.detect._types import Exclusion, Inspection, Match

__all__ = ["Judge", "Proposal", "TuneReport", "Tuner", "engine_judge", "generalise_location"]

_EXAMPLES = 3
_FRAGMENT = 60
_INDEX = re.compile(r"(?<=/)\d+(?=/|$|#)")
_GLOB_SPECIAL = re.compile(r"[][*?]")


def generalise_location(location: str) -> str:
    """``location`` as an exclusion glob: JSON array indexes become ``*`` (``body:/items/3/note`` →
    ``body:/items/*/note``); glob characters in names are escaped so they match only themselves."""
    escaped = _GLOB_SPECIAL.sub(lambda m: f"[{m.group(0)}]", location)
    kind, sep, rest = escaped.partition(":")
    if kind != "body" or not rest.startswith("/"):
        return escaped
    return f"{kind}{sep}{_INDEX.sub('*', rest)}"


def _shown(match: Match) -> str:
    """The fragment as a report may show it: secrets masked, cut short."""
    return match.shown[:_FRAGMENT]


@dataclass(slots=True, kw_only=True)
class Proposal:
    """One exclusion: ``rule_ids`` off at ``location`` (a glob) on ``route`` (``None``: every route)."""

    route: str | None
    location: str
    rule_ids: list[str] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    requests: int = 0  # refused requests it is part of letting through
    examples: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # high-confidence rules among rule_ids

    def exclusion(self) -> Exclusion:
        return Exclusion(rule_ids=frozenset(self.rule_ids), route=self.route, location=self.location)

    def to_config(self) -> dict[str, Any]:
        """The gateway's ``threat.exclusions`` item."""
        out: dict[str, Any] = {}
        if self.route is not None:
            out["route"] = self.route
        out["location"] = self.location
        out["rule_ids"] = sorted(self.rule_ids)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class TuneReport:
    requests: int  # inspected
    with_matches: int  # any rule fired, refused or not
    refused_before: int
    refused_after: int  # with every proposal applied
    proposals: tuple[Proposal, ...]
    paranoia: int
    threshold: int

    def config(self) -> dict[str, Any]:
        """A gateway configuration fragment: the ``threat`` policy with the proposed exclusions."""
        threat = {
            "paranoia": self.paranoia,
            "threshold": self.threshold,
            "exclusions": [p.to_config() for p in self.proposals],
        }
        return {"policies": {"threat": threat}}

    def to_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "with_matches": self.with_matches,
            "refused_before": self.refused_before,
            "refused_after": self.refused_after,
            "paranoia": self.paranoia,
            "threshold": self.threshold,
            "proposals": [
                {
                    **p.to_config(),
                    "families": sorted(p.families),
                    "requests": p.requests,
                    "examples": p.examples,
                    "review": sorted(p.review),
                }
                for p in self.proposals
            ],
        }


def _contributing(inspection: Inspection) -> list[Match]:
    """The matches of a refused request worth excluding: the per-value ones, and a container match (the raw query
    string ``query``) only where no value inside it carries the same rule — excluding the value silences the
    container too (the gateway and the engine apply exclusions that way)."""
    per_value = {(m.location.split(":", 1)[0], m.rule_id) for m in inspection.matches if ":" in m.location}
    return [m for m in inspection.matches if ":" in m.location or (m.location, m.rule_id) not in per_value]


class Judge(Protocol):
    """What the deployed policy concludes about a request on a route (``"METHOD /template"`` or ``None``), with
    ``extra`` exclusions on top of those it already has. The gateway's threat policy is one
    (:meth:`apiward.gateway.policies.threat.ThreatDetection.judge`); :func:`engine_judge` makes one of an engine."""

    def __call__(self, request: HttpRequest, route: str | None, extra: Sequence[Exclusion] = (), /) -> Inspection: ...


def engine_judge(engine: Engine) -> Judge:
    """A :class:`Judge` of a bare engine (its own exclusions, if any, plus the extra ones)."""
    with_extra: dict[tuple[Exclusion, ...], Engine] = {}

    def judge(request: HttpRequest, route: str | None, extra: Sequence[Exclusion] = ()) -> Inspection:
        if not extra:
            return engine.inspect(request, route=route)
        key = tuple(extra)
        checked = with_extra.get(key)
        if checked is None:
            checked = with_extra[key] = Engine(
                engine.paranoia,
                (*engine.exclusions, *extra),
                threshold=engine.threshold,
                limits=engine.limits,
                rules=engine.rules,
            )
        return checked.inspect(request, route=route)

    return judge


class Tuner:
    """Collect inspections of known-good requests; :meth:`report` proposes exclusions for the refused ones.

    ``judge`` is the policy as deployed (an engine, or the gateway's threat policy with its configured exclusions);
    the proposals are what to add to it.
    """

    def __init__(self, judge: Judge | Engine, *, paranoia: int | None = None, threshold: int | None = None) -> None:
        if isinstance(judge, Engine):
            paranoia = judge.paranoia if paranoia is None else paranoia
            threshold = judge.threshold if threshold is None else threshold
            judge = engine_judge(judge)
        if paranoia is None or threshold is None:
            raise ValueError("a judge other than an Engine needs paranoia and threshold for the report")
        self.judge = judge
        self.paranoia = paranoia
        self.threshold = threshold
        self._requests = 0
        # Only refused requests are kept for the re-check: exclusions only remove matches, so a request that
        # passes without them passes with them.
        self._refused: list[tuple[HttpRequest, str | None]] = []
        self._with_matches = 0
        self._proposals: dict[tuple[str | None, str], Proposal] = {}

    def add(self, request: HttpRequest, route: str | None = None) -> Inspection:
        """Inspect one legitimate request (``route``: ``"METHOD /template"`` when known)."""
        inspection = self.judge(request, route)
        self._requests += 1
        if inspection.matches:
            self._with_matches += 1
        if not inspection.is_attack:
            return inspection
        self._refused.append((request, route))
        touched: set[tuple[str | None, str]] = set()
        for match in _contributing(inspection):
            key = (route, generalise_location(match.location))
            proposal = self._proposals.get(key)
            if proposal is None:
                proposal = self._proposals[key] = Proposal(route=route, location=key[1])
            if match.rule_id not in proposal.rule_ids:
                proposal.rule_ids.append(match.rule_id)
            proposal.families.add(match.family)
            if match.confidence >= Confidence.HIGH and match.rule_id not in proposal.review:
                proposal.review.append(match.rule_id)
            shown = _shown(match)
            if len(proposal.examples) < _EXAMPLES and shown not in proposal.examples:
                proposal.examples.append(shown)
            if key not in touched:
                touched.add(key)
                proposal.requests += 1
        return inspection

    def add_all(self, requests: Iterable[tuple[HttpRequest, str | None]]) -> None:
        for request, route in requests:
            self.add(request, route)

    def report(self) -> TuneReport:
        proposals = sorted(self._proposals.values(), key=lambda p: (-p.requests, p.route or "", p.location))
        return TuneReport(
            requests=self._requests,
            with_matches=self._with_matches,
            refused_before=len(self._refused),
            refused_after=self._refused_with(proposals),
            proposals=tuple(proposals),
            paranoia=self.paranoia,
            threshold=self.threshold,
        )

    def _refused_with(self, proposals: Sequence[Proposal]) -> int:
        extra = [p.exclusion() for p in proposals]
        return sum(self.judge(request, route, extra).is_attack for request, route in self._refused)
