"""The policy contract: every gateway policy is a small object with typed hooks, options parsed once.

A policy's hook returns ``None`` to let the request go on, or a :class:`Deny` to stop it. A hook that
raises is treated by the pipeline as a denial (fail closed) and recorded with the exception's type.
In ``log-only`` mode the pipeline records the denial as ``Decision.LOG`` and lets the request go on.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from apiward.gateway._exchange import Exchange

__all__ = ["CompletionPolicy", "Deny", "Mode", "Policy", "ResponsePolicy"]


class Mode(enum.Enum):
    ENFORCE = "enforce"
    LOG_ONLY = "log-only"
    OFF = "off"


@dataclass(frozen=True, slots=True, kw_only=True)
class Deny:
    """Stop the request with an ``application/problem+json`` answer (RFC 9457), never internals."""

    status: int
    title: str
    rule_id: str  # stable id of the rule/policy that denied, e.g. "GW-AUTHN-001"
    detail: str | None = None
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Facts for the audit event (redacted before storage); never sent to the client.
    evidence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def is_answer(self) -> bool:
        """A 2xx/3xx "denial" is an answer made at the edge (e.g. a CORS preflight's 204), not a refusal:
        sent with ``headers`` only (no problem body), and audited as allowed."""
        return self.status < 400


@runtime_checkable
class Policy(Protocol):
    """A request-side policy. ``name`` is the config key; ``mode`` is fixed at construction."""

    name: ClassVar[str]
    mode: Mode

    async def on_request(self, exchange: Exchange) -> Deny | None: ...


@runtime_checkable
class ResponsePolicy(Protocol):
    """A policy that also inspects or rewrites the upstream response (validation, masking, headers)."""

    name: ClassVar[str]
    mode: Mode

    async def on_response(self, exchange: Exchange) -> Deny | None: ...


@runtime_checkable
class CompletionPolicy(Protocol):
    """A policy told about every finished request, allowed or denied (audit, metrics-like recorders).

    The pipeline sets ``exchange.notes["decision"]`` (a :class:`apiward.core.Decision`),
    ``["status"]`` and, for denials, ``["reason"]`` before calling it. It cannot change the outcome.
    """

    name: ClassVar[str]
    mode: Mode

    async def on_complete(self, exchange: Exchange) -> None: ...
