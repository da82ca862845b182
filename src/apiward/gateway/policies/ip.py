"""IP allow/deny lists (CIDR, IPv4 and IPv6), globally and per route.

``deny`` wins over ``allow``; when ``allow`` is non-empty, any other address is refused. The client
address is the one the server established (the peer, or the forwarded address from a trusted proxy).
Rules: ``GW-IP-001`` address on the deny list, ``GW-IP-002`` address not on the allow list.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from apiward.core import ConfigError
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import check_options, policy_schema
from apiward.gateway._policy import Deny

__all__ = ["NAME", "OPTIONS_SCHEMA", "IpRules", "build"]

NAME = "ip"

_CIDRS = {"type": "array", "items": {"type": "string"}, "default": []}

OPTIONS_SCHEMA: dict[str, Any] = policy_schema(
    {
        "allow": {**_CIDRS, "description": "Only these networks may call (empty: everyone not denied)."},
        "deny": {**_CIDRS, "description": "These networks may never call."},
    },
    description="IP allow/deny lists in CIDR notation; per-route lists replace the global ones.",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_FORBIDDEN = Deny(status=403, title="Forbidden", rule_id="GW-IP-001", detail="Access denied.")
_NOT_ALLOWED = Deny(status=403, title="Forbidden", rule_id="GW-IP-002", detail="Access denied.")


def _networks(values: Sequence[str], pointer: str) -> tuple[Network, ...]:
    out: list[Network] = []
    for i, value in enumerate(values):
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as exc:
            raise ConfigError(f"{value!r} is not an IP address or CIDR network", pointer=f"{pointer}[{i}]") from exc
    return tuple(out)


class _Rules:
    __slots__ = ("_allow", "_cache", "_deny")

    def __init__(self, allow: tuple[Network, ...], deny: tuple[Network, ...]) -> None:
        self._allow = allow
        self._deny = deny
        self._cache: dict[str, Deny | None] = {}

    def check(self, ip: str | None) -> Deny | None:
        key = ip or ""
        if key in self._cache:
            return self._cache[key]
        result = self._decide(ip)
        if len(self._cache) > 65536:  # bounded: a scan of many addresses cannot grow it forever
            self._cache.clear()
        self._cache[key] = result
        return result

    def _decide(self, ip: str | None) -> Deny | None:
        try:
            addr = ipaddress.ip_address(ip) if ip else None
        except ValueError:
            addr = None
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        if addr is None:  # unknown peer (e.g. a Unix socket): only allowed without an allow list
            return _NOT_ALLOWED if self._allow else None
        if any(addr in net for net in self._deny):
            return _FORBIDDEN
        if self._allow and not any(addr in net for net in self._allow):
            return _NOT_ALLOWED
        return None


class IpRules:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = check_options(OPTIONS_SCHEMA, options, pointer=f"policies.{NAME}")
        self.mode = ctx.mode
        pointer = f"policies.{NAME}"
        self._global = _Rules(_networks(opts["allow"], f"{pointer}.allow"), _networks(opts["deny"], f"{pointer}.deny"))
        self._routes: dict[str, _Rules] = {}
        for key, route in ctx.route_options.items():
            ropts = check_options(OPTIONS_SCHEMA, route, pointer=f"routes.{key}.{NAME}")
            base = f"routes.{key}.{NAME}"
            self._routes[key] = _Rules(
                _networks(ropts["allow"], f"{base}.allow"), _networks(ropts["deny"], f"{base}.deny")
            )

    async def on_request(self, exchange: Exchange) -> Deny | None:
        rules = self._global
        if self._routes:
            key = exchange.route_key
            if key is not None:
                rules = self._routes.get(key, rules)
        return rules.check(exchange.request.client_ip)


def build(options: Mapping[str, Any], ctx: PolicyContext) -> IpRules:
    return IpRules(options, ctx)
