"""The policy pipeline: runs the ordered policies over an exchange, enforcing modes and failing closed.

A hook that raises denies the request (``GW-PIPE-001``, 503) and the exception type is recorded; in
``log-only`` mode the denial (or the error) is recorded as ``Decision.LOG`` and the request goes on.
Per-route modes (``routes.<key>.<policy>.mode``) override a policy's mode for one operation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from apiward.core import Decision
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import CompletionPolicy, Deny, Mode, Policy, ResponsePolicy

__all__ = ["RULE_POLICY_ERROR", "Pipeline"]

RULE_POLICY_ERROR = "GW-PIPE-001"

_EMPTY: Mapping[str, Mode] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class _Stage:
    name: str
    policy: Any
    mode: Mode
    route_modes: Mapping[str, Mode]

    def mode_for(self, exchange: Exchange) -> Mode:
        if self.route_modes:
            key = exchange.route_key
            if key is not None:
                return self.route_modes.get(key, self.mode)
        return self.mode


def _error_deny(name: str, exc: Exception) -> Deny:
    return Deny(
        status=503,
        title="Service Unavailable",
        rule_id=RULE_POLICY_ERROR,
        detail="The request could not be verified.",
        evidence={"policy": name, "error": type(exc).__name__},
    )


class Pipeline:
    """Request policies in order, then (after the upstream) response policies, then completion policies."""

    def __init__(self, policies: Sequence[Any], *, route_modes: Mapping[str, Mapping[str, Mode]] | None = None) -> None:
        route_modes = route_modes or {}
        stages = [
            _Stage(p.name, p, p.mode, MappingProxyType(dict(route_modes.get(p.name, _EMPTY))))
            for p in policies
            if p.mode is not Mode.OFF or route_modes.get(p.name)
        ]
        self.policies = tuple(s.policy for s in stages)
        self._request = tuple(s for s in stages if isinstance(s.policy, Policy))
        self._response = tuple(s for s in stages if isinstance(s.policy, ResponsePolicy))
        self._complete = tuple(s for s in stages if isinstance(s.policy, CompletionPolicy))
        # Response policies that also decorate answers the gateway makes itself (denials, 502/504,
        # preflights): security headers and CORS headers, never body rewriting or validation.
        self._decorators = tuple(s for s in self._response if getattr(s.policy, "decorates_generated", False))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.policies)

    async def on_request(self, exchange: Exchange) -> Deny | None:
        """The first enforced denial, or ``None`` to send the request upstream."""
        for stage in self._request:
            mode = stage.mode_for(exchange)
            if mode is Mode.OFF:
                continue
            try:
                deny: Deny | None = await stage.policy.on_request(exchange)
            except Exception as exc:  # fail closed: record why, never show it to the client
                deny = _error_deny(stage.name, exc)
            if deny is not None and self._record(exchange, stage.name, mode, deny):
                return deny
        return None

    async def on_response(self, exchange: Exchange) -> Deny | None:
        for stage in self._response:
            mode = stage.mode_for(exchange)
            if mode is Mode.OFF:
                continue
            try:
                deny: Deny | None = await stage.policy.on_response(exchange)
            except Exception as exc:
                deny = _error_deny(stage.name, exc)
            if deny is not None and self._record(exchange, stage.name, mode, deny):
                return deny
        return None

    async def decorate(self, exchange: Exchange) -> None:
        """Run the decorating response policies over a gateway-made ``exchange.response`` (errors ignored:
        the answer is already a refusal or an error, and goes out without the headers that failed)."""
        for stage in self._decorators:
            if stage.mode_for(exchange) is Mode.OFF:
                continue
            try:
                await stage.policy.on_response(exchange)
            except Exception as exc:
                exchange.notes.setdefault("policy_errors", []).append(
                    {"policy": stage.name, "error": type(exc).__name__}
                )

    async def on_complete(self, exchange: Exchange, *, status: int, deny: Deny | None) -> None:
        """Set the final decision in ``exchange.notes`` and tell the completion policies (errors ignored)."""
        notes = exchange.notes
        if deny is not None and deny.is_answer:
            notes["decision"] = Decision.ALLOW
            notes["answered_by"] = deny.rule_id
        elif deny is not None:
            notes["decision"] = Decision.DENY
            notes["reason"] = deny.title
            notes["denied_by"] = deny.rule_id
            if deny.detail:
                notes["deny_detail"] = deny.detail
            if deny.evidence:
                notes["evidence"] = dict(deny.evidence)
        elif notes.get("log_only"):
            notes["decision"] = Decision.LOG
        else:
            notes["decision"] = Decision.ALLOW
        notes["status"] = status
        for stage in self._complete:
            if stage.mode_for(exchange) is Mode.OFF:
                continue
            try:
                await stage.policy.on_complete(exchange)
            except Exception as exc:  # a recorder must never change the outcome
                notes.setdefault("recorder_errors", []).append(f"{stage.name}: {type(exc).__name__}")

    @staticmethod
    def _record(exchange: Exchange, name: str, mode: Mode, deny: Deny) -> bool:
        """Record a denial; True when it must stop the request."""
        exchange.matched_rules.append(deny.rule_id)
        if deny.rule_id == RULE_POLICY_ERROR:
            exchange.notes.setdefault("policy_errors", []).append(dict(deny.evidence))
        if mode is Mode.LOG_ONLY:
            hit: dict[str, Any] = {"policy": name, "rule": deny.rule_id, "status": deny.status}
            if deny.detail:
                hit["detail"] = deny.detail
            if deny.evidence:  # what an enforcing policy would have recorded (bounded by the audit)
                hit["evidence"] = dict(deny.evidence)
            exchange.notes.setdefault("log_only", []).append(hit)
            return False
        return True

    async def aclose(self, *, skip: frozenset[int] = frozenset()) -> None:
        """Close the policies that hold resources, except those (by ``id``) in ``skip``."""
        for policy in self.policies:
            if id(policy) in skip:
                continue
            close = getattr(policy, "aclose", None)
            if close is not None:
                await close()
