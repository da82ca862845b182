"""Attacks in recorded traffic — the engine run over access logs, HAR captures or gateway events after the fact.

A team that deploys the gateway in log-only mode, or has only logs from before it, wants to know what reached the
API: which requests look like attacks, of which families, from which clients, on which operations, and which of
them the backend *answered* (a 2xx or 5xx to an injection is the one to look at first). :class:`Hunt` collects
inspections of recorded requests with their metadata and :meth:`Hunt.report` sums them up. Fragments are shown as
:attr:`~apiward.detect.Match.shown` (secrets redacted); each finding names the file and line it came from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from apiward.core import HttpRequest
from apiward.detect._tune import Judge
from apiward.detect._types import Inspection

__all__ = ["Hit", "Hunt", "HuntReport"]

_FRAGMENT = 80


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One recorded request the policy would refuse."""

    method: str
    path: str
    route: str | None
    status: int | None
    client: str | None
    timestamp: float | None
    source: str
    families: tuple[str, ...]
    score: int
    matches: tuple[tuple[str, str, str], ...]  # (rule id, location, fragment as shown)

    @property
    def answered(self) -> bool:
        """The backend answered with success or a server error: the attack may have worked (or broken something)."""
        return self.status is not None and (200 <= self.status < 300 or self.status >= 500)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "route": self.route,
            "status": self.status,
            "answered": self.answered,
            "client": self.client,
            "timestamp": self.timestamp,
            "source": self.source,
            "families": list(self.families),
            "score": self.score,
            "matches": [{"rule": r, "location": loc, "fragment": f} for r, loc, f in self.matches],
        }


@dataclass(slots=True, kw_only=True)
class HuntReport:
    requests: int
    paranoia: int
    threshold: int
    hits: list[Hit] = field(default_factory=list)

    def counts(self, key: str) -> list[tuple[str, int]]:
        """Hits per family, rule, client or route, most first."""
        counter: Counter[str] = Counter()
        for hit in self.hits:
            if key == "family":
                counter.update(hit.families)
            elif key == "rule":
                counter.update({rule for rule, _, _ in hit.matches})
            elif key == "client":
                counter[hit.client or "(unknown)"] += 1
            else:
                counter[hit.route or f"{hit.method} {hit.path}"] += 1
        return counter.most_common()

    def worst(self, limit: int) -> list[Hit]:
        """The hits to read first: answered ones, then by score."""
        return sorted(self.hits, key=lambda h: (not h.answered, -h.score))[:limit]

    def to_json(self, limit: int = 100) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "attacks": len(self.hits),
            "answered": sum(hit.answered for hit in self.hits),
            "paranoia": self.paranoia,
            "threshold": self.threshold,
            "by_family": dict(self.counts("family")),
            "by_rule": dict(self.counts("rule")),
            "by_client": dict(self.counts("client")),
            "by_route": dict(self.counts("route")),
            "hits": [hit.to_json() for hit in self.worst(limit)],
        }


class Hunt:
    """Inspect recorded requests with ``judge`` (an engine's or the deployed threat policy's) and keep the refused."""

    def __init__(self, judge: Judge, *, paranoia: int, threshold: int) -> None:
        self.judge = judge
        self._report = HuntReport(requests=0, paranoia=paranoia, threshold=threshold)

    def add(
        self,
        request: HttpRequest,
        route: str | None = None,
        *,
        status: int | None = None,
        client: str | None = None,
        timestamp: float | None = None,
        source: str = "",
    ) -> Inspection:
        inspection = self.judge(request, route)
        self._report.requests += 1
        if inspection.is_attack:
            families = tuple(sorted(inspection.families))
            self._report.hits.append(
                Hit(
                    method=request.method,
                    path=request.path,
                    route=route,
                    status=status,
                    client=client,
                    timestamp=timestamp,
                    source=source,
                    families=families,
                    score=sum(inspection.scores.get(f, 0) for f in families),
                    matches=tuple((m.rule_id, m.location, m.shown[:_FRAGMENT]) for m in inspection.matches),
                )
            )
        return inspection

    def report(self) -> HuntReport:
        return self._report
