"""Rate limits and quotas per identity, credential, API key, IP and route (token bucket or sliding window).

Each limit names what it counts by (``key``), how many requests (``requests``) per period
(``period_s``), and the algorithm: ``token_bucket`` (smooth, with ``burst``) for rates, or
``sliding_window`` for quotas. Every limit applies; the most constrained one answers with the
``RateLimit-Limit/-Remaining/-Reset`` and ``RateLimit-Policy`` headers (IETF httpapi draft) on every
response, and ``Retry-After`` on a 429. Counters live in the state backend, so N instances sharing
Redis enforce one limit. A backend failure denies (fail closed) unless ``on_backend_error: allow``.
Rules: ``GW-RATE-001`` limit exceeded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from apiward.core import BackendError, token_fingerprint
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import check_options, policy_schema
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies.blocklist import credential_of
from apiward.state import RateResult, StateBackend

__all__ = ["NAME", "OPTIONS_SCHEMA", "RateLimit", "build"]

NAME = "ratelimit"
RULE = "GW-RATE-001"
KEY_PARTS = ("ip", "identity", "token", "api_key", "route")

_LIMIT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["requests", "period_s"],
    "properties": {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "description": "Shown in RateLimit-Policy."},
        "key": {
            "type": "string",
            "pattern": "^(ip|identity|token|api_key|route)(\\+(ip|identity|token|api_key|route))*$",
            "default": "ip",
            "description": "What to count by, e.g. 'identity', 'ip+route'. 'identity' falls back to the IP "
            "for anonymous callers; 'api_key' applies only to API-key identities.",
        },
        "requests": {"type": "integer", "minimum": 1},
        "period_s": {"type": "number", "exclusiveMinimum": 0},
        "algorithm": {"enum": ["token_bucket", "sliding_window"], "default": "token_bucket"},
        "burst": {"type": "integer", "minimum": 1, "description": "Token bucket size (default: 'requests')."},
        "cost": {"type": "integer", "minimum": 1, "default": 1},
    },
}

OPTIONS_SCHEMA: dict[str, Any] = policy_schema(
    {
        "limits": {"type": "array", "items": _LIMIT, "default": []},
        "headers": {"type": "boolean", "default": True, "description": "Send RateLimit-* headers."},
        "on_backend_error": {
            "enum": ["deny", "allow"],
            "default": "deny",
            "description": "What to do when the state backend fails: deny (fail closed) or allow.",
        },
    },
    description="Rate limits and quotas; per-route 'limits' replace the global ones for that route.",
)


@dataclass(frozen=True, slots=True)
class _Limit:
    name: str
    parts: tuple[str, ...]
    requests: int
    period_s: float
    algorithm: str
    burst: int
    cost: int

    @property
    def policy_header(self) -> str:
        return f'"{self.name}";q={self.requests};w={math.ceil(self.period_s)}'


def _limits(raw: Sequence[Mapping[str, Any]], scope: str) -> tuple[_Limit, ...]:
    out = []
    for i, item in enumerate(raw):
        key = str(item.get("key", "ip"))
        out.append(
            _Limit(
                name=str(item.get("name") or f"{scope}-{i}-{key}"),
                parts=tuple(key.split("+")),
                requests=int(item["requests"]),
                period_s=float(item["period_s"]),
                algorithm=str(item.get("algorithm", "token_bucket")),
                burst=int(item.get("burst") or item["requests"]),
                cost=int(item.get("cost", 1)),
            )
        )
    return tuple(out)


class RateLimit:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = check_options(OPTIONS_SCHEMA, options, pointer=f"policies.{NAME}")
        self.mode: Mode = ctx.mode
        self._state: StateBackend = ctx.state
        self._headers = bool(opts["headers"])
        self._fail_open = opts["on_backend_error"] == "allow"
        self._global = _limits(opts["limits"], "global")
        self._routes: dict[str, tuple[_Limit, ...]] = {}
        for key, route in ctx.route_options.items():
            ropts = check_options(OPTIONS_SCHEMA, route, pointer=f"routes.{key}.{NAME}")
            self._routes[key] = _limits(ropts["limits"], key)

    def _key(self, limit: _Limit, exchange: Exchange) -> str | None:
        values = []
        for part in limit.parts:
            value: str | None
            identity = exchange.identity
            if part == "ip":
                value = exchange.request.client_ip or "-"
            elif part == "identity":
                anonymous = identity is None or identity.is_anonymous
                value = f"ip:{exchange.request.client_ip}" if anonymous else f"sub:{identity.subject}"  # type: ignore[union-attr]
            elif part == "token":
                if identity is not None and identity.token_fingerprint:
                    value = identity.token_fingerprint
                else:
                    credential = credential_of(exchange, ("authorization", "x-api-key"))
                    value = token_fingerprint(credential) if credential else None
            elif part == "api_key":
                value = identity.subject if identity is not None and identity.kind == "api_key" else None
            else:
                value = exchange.route_key or "-"
            if value is None:
                return None  # this limit does not apply to this request
            values.append(value)
        return f"rl:{limit.name}:" + "|".join(values)

    async def _check(self, limit: _Limit, key: str) -> RateResult:
        if limit.algorithm == "sliding_window":
            return await self._state.sliding_window(key, limit=limit.requests, window_s=limit.period_s, cost=limit.cost)
        rate = limit.requests / limit.period_s
        return await self._state.token_bucket(key, rate_per_s=rate, burst=limit.burst, cost=limit.cost)

    async def on_request(self, exchange: Exchange) -> Deny | None:
        limits = self._global
        if self._routes:
            route = exchange.route_key
            if route is not None:
                limits = self._routes.get(route, limits)
        if not limits:
            return None
        tightest: tuple[_Limit, RateResult] | None = None
        denied: tuple[_Limit, RateResult] | None = None
        for limit in limits:
            key = self._key(limit, exchange)
            if key is None:
                continue
            try:
                result = await self._check(limit, key)
            except BackendError:
                if self._fail_open:
                    exchange.notes["ratelimit_backend_error"] = True
                    continue
                raise
            if not result.allowed and (denied is None or result.retry_after_s > denied[1].retry_after_s):
                denied = (limit, result)
            if tightest is None or result.remaining < tightest[1].remaining:
                tightest = (limit, result)
        chosen = denied or tightest
        if chosen is None:
            return None
        headers = self._rate_headers(*chosen) if self._headers else {}
        if denied is None:
            exchange.response_headers.update(headers)
            return None
        limit, result = denied
        headers["Retry-After"] = str(max(1, math.ceil(result.retry_after_s)))
        return Deny(
            status=429,
            title="Too Many Requests",
            rule_id=RULE,
            detail="Rate limit exceeded; retry later.",
            headers=headers,
            evidence={"limit": limit.name, "requests": limit.requests, "period_s": limit.period_s},
        )

    @staticmethod
    def _rate_headers(limit: _Limit, result: RateResult) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(result.limit),
            "RateLimit-Remaining": str(result.remaining),
            "RateLimit-Reset": str(max(0, math.ceil(result.reset_s))),
            "RateLimit-Policy": limit.policy_header,
        }


def build(options: Mapping[str, Any], ctx: PolicyContext) -> RateLimit:
    return RateLimit(options, ctx)
