"""The engine's public value types: what a match is, what an inspection returns, what an exclusion removes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from apiward.core import REDACTED, Confidence, is_secret_name, redact_text

__all__ = ["Exclusion", "Inspection", "Limits", "Match", "secret_location"]


@dataclass(frozen=True, slots=True)
class Match:
    """One rule that fired on one value.

    ``location`` names where the value came from (``query:id``, ``body:/items/0/text``, ``header:user-agent``,
    ``cookie:sid``, ``path:/2``); ``fragment`` is the (decoded) piece that matched, at most 120 characters.
    """

    rule_id: str
    family: str
    location: str
    fragment: str
    score: int
    confidence: Confidence

    @property
    def shown(self) -> str:
        """The fragment as an event, a log or a report may show it: ``[REDACTED]`` when the value is a secret (a
        cookie, a credential header, a field named like a password or a token — a false positive there would
        otherwise write the secret down), secret-shaped substrings (bearer tokens, JWTs) masked anywhere else."""
        if secret_location(self.location):
            return REDACTED
        return redact_text(self.fragment)


def secret_location(location: str) -> bool:
    """Whether a value at ``location`` (``cookie:sid``, ``header:authorization``, ``body:/user/password``) holds a
    secret, judged by its name."""
    kind, _, name = location.partition(":")
    if kind == "cookie":
        return True
    name = name.rsplit("/", 1)[-1].partition("#")[0]
    return bool(name) and is_secret_name(name)


@dataclass(frozen=True, slots=True, kw_only=True)
class Exclusion:
    """Turn rules off for a route and/or a location.

    A match is excluded when its rule id is in ``rule_ids`` or its family in ``families`` (both empty means every
    rule), and ``route`` (``"POST /comments"``, ``*`` globs allowed) and ``location`` (``"body:/text"``, globs
    allowed, e.g. ``"body:/items/*/text"``) match when they are set.
    """

    rule_ids: frozenset[str] = frozenset()
    families: frozenset[str] = frozenset()
    route: str | None = None
    location: str | None = None

    def applies(self, match: Match, route: str | None) -> bool:
        if self.route is not None and (route is None or not fnmatchcase(route, self.route)):
            return False
        if self.location is not None and not fnmatchcase(match.location, self.location):
            return False
        if not self.rule_ids and not self.families:
            return True
        return match.rule_id in self.rule_ids or match.family in self.families


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds on the work one inspection may do; hitting one is reported, never an error."""

    max_values: int = 2048
    max_value_length: int = 16_384
    max_decoded_length: int = 65_536
    max_depth: int = 64
    max_body_bytes: int = 1_048_576
    max_decode_rounds: int = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Inspection:
    """What the engine concluded about a request or a value."""

    matches: tuple[Match, ...] = ()
    scores: Mapping[str, int] = field(default_factory=dict)
    threshold: int = 5
    limits_hit: frozenset[str] = frozenset()

    @property
    def families(self) -> frozenset[str]:
        """Families whose anomaly score is at or above the threshold."""
        return frozenset(f for f, s in self.scores.items() if s >= self.threshold)

    @property
    def is_attack(self) -> bool:
        return any(s >= self.threshold for s in self.scores.values())

    @property
    def total_score(self) -> int:
        return sum(self.scores.values())
