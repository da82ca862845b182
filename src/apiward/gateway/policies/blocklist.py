"""The dynamic block list: identities, credentials (by fingerprint) and IPs blocked for a while.

Entries live in the state backend (``state.block(kind, value, ttl_s=…)``), so an entry added by one
gateway instance, by the admin API or by a behavioural detector applies to every instance sharing
Redis. Two stages use this module: the first (before authentication) checks the client IP and the
fingerprint of the presented credential; the second (right after authentication) checks the
authenticated subject. Rules: ``GW-BLK-001`` IP, ``GW-BLK-002`` credential, ``GW-BLK-003`` identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from apiward.core import BackendError, token_fingerprint
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import check_options, policy_schema
from apiward.gateway._policy import Deny, Mode
from apiward.state import StateBackend

__all__ = ["KINDS", "NAME", "OPTIONS_SCHEMA", "BlockList", "IdentityBlockList", "build", "build_identity_stage"]

NAME = "blocklist"
KINDS = ("ip", "token", "identity")

OPTIONS_SCHEMA: dict[str, Any] = policy_schema(
    {
        "credential_headers": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["authorization", "x-api-key"],
            "description": "Headers whose value is a credential; its fingerprint is checked against 'token' entries.",
        },
        "status": {"type": "integer", "enum": [403, 429], "default": 403},
        "on_backend_error": {
            "enum": ["deny", "allow"],
            "default": "deny",
            "description": "When the state backend fails: deny (fail closed, 503) or allow the request.",
        },
    },
    description="Dynamic block list of IPs, credentials and identities (with TTLs) in the state backend.",
)


def credential_of(exchange: Exchange, headers: tuple[str, ...]) -> str | None:
    """The raw credential presented in the first configured header (scheme prefix removed)."""
    for name in headers:
        value = exchange.request.header(name)
        if value:
            scheme, _, rest = value.strip().partition(" ")
            return rest.strip() if rest and scheme.lower() in ("bearer", "basic", "apikey", "token") else value.strip()
    return None


class BlockList:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = check_options(OPTIONS_SCHEMA, options, pointer=f"policies.{NAME}")
        self.mode: Mode = ctx.mode
        self._state: StateBackend = ctx.state
        self._headers = tuple(h.lower() for h in opts["credential_headers"])
        self._status = int(opts["status"])
        self._fail_open = opts["on_backend_error"] == "allow"

    async def _blocked(self, exchange: Exchange, kind: str, value: str) -> str | None:
        try:
            return await self._state.blocked(kind, value)
        except BackendError:
            if not self._fail_open:
                raise
            exchange.notes["blocklist_backend_error"] = True
            return None

    def _deny(self, rule: str, kind: str, reason: str) -> Deny:
        return Deny(
            status=self._status,
            title="Forbidden" if self._status == 403 else "Too Many Requests",
            rule_id=rule,
            detail="Access denied.",
            evidence={"blocked": kind, "reason": reason},
        )

    async def on_request(self, exchange: Exchange) -> Deny | None:
        ip = exchange.request.client_ip
        if ip:
            reason = await self._blocked(exchange, "ip", ip)
            if reason is not None:
                return self._deny("GW-BLK-001", "ip", reason)
        credential = credential_of(exchange, self._headers)
        if credential:
            reason = await self._blocked(exchange, "token", token_fingerprint(credential))
            if reason is not None:
                return self._deny("GW-BLK-002", "token", reason)
        return None


class IdentityBlockList(BlockList):
    """The post-authentication stage: the authenticated subject (``identity`` entries)."""

    async def on_request(self, exchange: Exchange) -> Deny | None:
        identity = exchange.identity
        if identity is None or identity.is_anonymous:
            return None
        reason = await self._blocked(exchange, "identity", identity.subject)
        if reason is not None:
            return self._deny("GW-BLK-003", "identity", reason)
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> BlockList:
    return BlockList(options, ctx)


def build_identity_stage(options: Mapping[str, Any], ctx: PolicyContext) -> IdentityBlockList:
    return IdentityBlockList(options, ctx)
