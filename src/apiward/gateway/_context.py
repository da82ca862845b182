"""``PolicyContext``: what a policy factory receives at start-up (never on the hot path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from apiward.gateway._policy import Mode

if TYPE_CHECKING:
    import httpx

    from apiward.spec import ApiModel
    from apiward.state import StateBackend

__all__ = ["PolicyContext"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyContext:
    """Start-up context for ``build(options, ctx)`` in each policy module.

    ``route_options`` holds this policy's per-route overrides keyed by route key (operationId or
    ``"METHOD /template"``), already validated against the policy's ``OPTIONS_SCHEMA``.
    ``http`` is the gateway's shared outbound client (JWKS, OIDC discovery, introspection).
    ``extra_sinks`` are the extensions' event sinks (see ``_extensions``): the audit policy emits to them too.
    """

    mode: Mode
    model: ApiModel | None
    state: StateBackend
    http: httpx.AsyncClient
    route_options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))
    config_dir: str = "."
    extra_sinks: tuple[Any, ...] = ()
