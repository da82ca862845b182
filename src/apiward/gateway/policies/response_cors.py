"""``response_cors``: a CORS policy enforced at the edge (Fetch standard, CORS protocol).

Origins are an allow-list of exact origins or single-label wildcards (``https://*.example.com``);
``*`` is accepted only without credentials (a config that combines them is refused at start-up), and the
literal origin ``null`` only when listed. Preflights (``OPTIONS`` with ``Access-Control-Request-Method``)
are answered here with ``204`` and never reach the upstream; a preflight from a foreign origin, or for a
method or header not allowed, gets ``403``. Actual responses get ``Access-Control-Allow-Origin`` (the
origin itself, never ``*`` with credentials), ``Vary: Origin`` and the exposed headers; CORS headers the
upstream set itself are dropped so it cannot widen the policy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from apiward.core import ConfigError, HttpResponse
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._options import RouteModes, object_schema, validate_options
from apiward.gateway.policies._validation._rewrite import rewrite

__all__ = ["NAME", "OPTIONS_SCHEMA", "CorsPolicy", "CorsPreflight", "build", "build_preflight_stage"]

NAME = "response_cors"
RULE_PREFLIGHT = "GW-CORS-000"  # a preflight answered at the edge (not a denial of anything)
RULE_ORIGIN = "GW-CORS-001"

_UPSTREAM_CORS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
)
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
_ORIGIN = re.compile(r"^(?:\*|null|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?)$")

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "allow_origins": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "description": "Exact origins ('https://app.example.com'), wildcards ('https://*.example.com') or '*'.",
        },
        "allow_methods": {
            "type": "array",
            "items": {"type": "string"},
            "default": _METHODS,
        },
        "allow_headers": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["Authorization", "Content-Type"],
        },
        "expose_headers": {"type": "array", "items": {"type": "string"}, "default": []},
        "allow_credentials": {"type": "boolean", "default": False},
        "max_age_s": {"type": "integer", "minimum": 0, "maximum": 86400, "default": 600},
        "block_foreign_origins": {
            "type": "boolean",
            "default": False,
            "description": "Also refuse (403) non-preflight requests from origins not allowed.",
        },
    },
    required=["allow_origins"],
    description="Allow-listed CORS, preflights answered at the edge.",
)


def _origin_pattern(origin: str, *, pointer: str) -> re.Pattern[str] | str:
    if not _ORIGIN.match(origin):
        raise ConfigError(f"{origin!r} is not an origin (scheme://host[:port])", pointer=pointer)
    if "*." in origin:
        scheme, _, rest = origin.partition("://*.")
        return re.compile(re.escape(scheme) + r"://[A-Za-z0-9-]+\." + re.escape(rest.lower()))
    return origin.lower()


class CorsPolicy:
    name: ClassVar[str] = NAME
    #: Also adds its headers to answers the gateway makes itself (denials, errors).
    decorates_generated: ClassVar[bool] = True

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._modes = RouteModes(self.mode, ctx)
        origins = opts["allow_origins"]
        self._credentials = bool(opts.get("allow_credentials", False))
        self._any = "*" in origins
        if self._any and self._credentials:
            raise ConfigError(
                "'*' cannot be combined with allow_credentials (browsers refuse it; list the origins)",
                pointer=f"policies.{NAME}.allow_origins",
            )
        self._exact: set[str] = set()
        self._patterns: list[re.Pattern[str]] = []
        for i, origin in enumerate(o for o in origins if o != "*"):
            found = _origin_pattern(origin, pointer=f"policies.{NAME}.allow_origins[{i}]")
            if isinstance(found, str):
                self._exact.add(found)
            else:
                self._patterns.append(found)
        self._methods = frozenset(m.upper() for m in opts.get("allow_methods", _METHODS))
        self._headers = frozenset(h.lower() for h in opts.get("allow_headers", ["Authorization", "Content-Type"]))
        self._expose = ", ".join(opts.get("expose_headers", ()))
        self._max_age = str(int(opts.get("max_age_s", 600)))
        self._block = bool(opts.get("block_foreign_origins", False))

    def allowed(self, origin: str) -> bool:
        lowered = origin.lower()
        if lowered in self._exact:
            return True
        if lowered == "null":
            return False  # sandboxed documents and file:// share 'null': never implied by '*' or a wildcard
        if self._any:
            return True
        return any(p.fullmatch(lowered) for p in self._patterns)

    def _allow_origin(self, origin: str) -> str:
        return "*" if self._any and not self._credentials and origin.lower() not in self._exact else origin

    async def on_request(self, exchange: Exchange) -> Deny | None:
        """Non-preflight requests: refuse foreign origins when configured (preflights were answered by the
        :class:`CorsPreflight` stage at the edge)."""
        request = exchange.request
        origin = request.header("origin")
        if origin is None or is_preflight(exchange):
            return None
        if self._block and not self.allowed(origin):
            evidence = {"origin": origin[:200]}
            return Deny(status=403, title="Origin not allowed", rule_id=RULE_ORIGIN, evidence=evidence)
        return None

    def preflight(self, exchange: Exchange, served: frozenset[str] | None = None) -> Deny | None:
        """The answer to a preflight: 204 with the allowed methods/headers, or 403. ``served``: the methods
        the spec has on this path (then only those are offered; a preflight for another method is refused)."""
        methods = self._methods if served is None else self._methods & served
        request = exchange.request
        origin = request.header("origin") or ""
        wanted_method = request.header("access-control-request-method") or ""
        wanted_headers = {
            h.strip().lower() for h in (request.header("access-control-request-headers") or "").split(",") if h.strip()
        }
        if not self.allowed(origin) or wanted_method.upper() not in methods or not wanted_headers <= self._headers:
            return Deny(
                status=403,
                title="CORS preflight refused",
                rule_id=RULE_ORIGIN,
                evidence={"origin": origin[:200], "method": wanted_method[:20], "headers": sorted(wanted_headers)[:20]},
            )
        headers = {
            "Access-Control-Allow-Origin": self._allow_origin(origin),
            "Access-Control-Allow-Methods": ", ".join(sorted(methods)),
            "Access-Control-Allow-Headers": ", ".join(sorted(self._headers)),
            "Access-Control-Max-Age": self._max_age,
            "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        }
        if self._credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        # Answered at the edge: the response is set and the request stops here with status 204.
        exchange.response = HttpResponse(status=204, headers=tuple(headers.items()))
        exchange.notes["cors_preflight"] = True
        return Deny(status=204, title="CORS preflight", rule_id=RULE_PREFLIGHT, headers=headers)

    async def on_response(self, exchange: Exchange) -> Deny | None:
        origin = exchange.request.header("origin")
        response = exchange.response
        if exchange.notes.get("cors_preflight"):
            return None
        add: dict[str, str] = {}
        if origin is not None and self.allowed(origin):
            add["Access-Control-Allow-Origin"] = self._allow_origin(origin)
            if self._credentials:
                add["Access-Control-Allow-Credentials"] = "true"
            if self._expose:
                add["Access-Control-Expose-Headers"] = self._expose
        if not self._modes.enforcing(exchange):
            return None
        if response is None:
            exchange.response_headers.update(add)
            return None
        vary = response.header("vary")
        if not self._any or self._credentials:
            add["Vary"] = "Origin" if not vary else (vary if "origin" in vary.lower() else f"{vary}, Origin")
        exchange.response = rewrite(response, set_headers=add, remove=_UPSTREAM_CORS)
        return None


def is_preflight(exchange: Exchange) -> bool:
    request = exchange.request
    return (
        request.method == "OPTIONS"
        and request.header("origin") is not None
        and request.header("access-control-request-method") is not None
    )


class CorsPreflight:
    """The first stage of the pipeline: answers CORS preflights before hygiene (whose 405 would refuse
    ``OPTIONS``), authentication (browsers send preflights without credentials) and the rest.

    Only a well-formed preflight is answered here: ``OPTIONS`` with ``Origin`` and
    ``Access-Control-Request-Method``, no body and no ``Transfer-Encoding``, on a path the spec knows
    (when there is a spec). Anything else goes on to hygiene unchanged, so a plain ``OPTIONS`` still gets
    its 405 and a malformed one its 400.
    """

    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        self._cors = CorsPolicy(options, ctx)
        self.mode = self._cors.mode
        self._model = ctx.model

    async def on_request(self, exchange: Exchange) -> Deny | None:
        if not is_preflight(exchange):
            return None
        request = exchange.request
        if request.body or request.header("transfer-encoding") is not None:
            return None
        served: frozenset[str] | None = None
        if self._model is not None:
            path = exchange.notes.get("route_path", request.path)
            allowed = self._model.router.allowed_methods(path) if path else ()
            if not allowed:
                return None  # unknown path: hygiene's 404
            served = frozenset(allowed) | ({"HEAD"} if "GET" in allowed else set())
        return self._cors.preflight(exchange, served)


def build(options: Mapping[str, Any], ctx: PolicyContext) -> CorsPolicy:
    return CorsPolicy(options, ctx)


def build_preflight_stage(options: Mapping[str, Any], ctx: PolicyContext) -> CorsPreflight:
    return CorsPreflight(options, ctx)
