"""``response_headers``: security headers on every response, and no server fingerprints.

Adds (unless the upstream already set them, or always with ``override: true``): ``Strict-Transport-
Security``, ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy:
no-referrer``, a ``Content-Security-Policy`` fit for APIs (``default-src 'none'; frame-ancestors
'none'``) and ``Cache-Control: no-store`` on responses to authenticated requests (so a shared cache never
keeps one user's data for another). Removes ``Server``, ``X-Powered-By`` and similar version banners.
In log-only mode it records what it would change and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._options import RouteModes, object_schema, validate_options
from apiward.gateway.policies._validation._rewrite import rewrite

__all__ = ["NAME", "OPTIONS_SCHEMA", "SecurityHeaders", "build"]

NAME = "response_headers"

_REMOVE = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Runtime", "X-Generator"]
_FALSE_OR_STRING = {"oneOf": [{"type": "string", "minLength": 1}, {"const": False}]}

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "hsts": {
            "oneOf": [
                {"const": False},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "max_age": {"type": "integer", "minimum": 0, "default": 31_536_000},
                        "include_subdomains": {"type": "boolean", "default": True},
                        "preload": {"type": "boolean", "default": False},
                    },
                },
            ],
            "description": "Strict-Transport-Security settings, or false.",
        },
        "content_type_options": {**_FALSE_OR_STRING, "default": "nosniff"},
        "frame_options": {**_FALSE_OR_STRING, "default": "DENY"},
        "referrer_policy": {**_FALSE_OR_STRING, "default": "no-referrer"},
        "content_security_policy": {**_FALSE_OR_STRING, "default": "default-src 'none'; frame-ancestors 'none'"},
        "cache_control_authenticated": {**_FALSE_OR_STRING, "default": "no-store"},
        "remove": {"type": "array", "items": {"type": "string"}, "default": _REMOVE},
        "extra": {"type": "object", "additionalProperties": {"type": "string"}},
        "override": {"type": "boolean", "default": False, "description": "Replace headers the upstream set."},
    },
    description="Add security headers; remove Server/X-Powered-By banners.",
)


def _opt(opts: Mapping[str, Any], key: str, default: str) -> str | None:
    value = opts.get(key, default)
    return value if isinstance(value, str) else None


class SecurityHeaders:
    name: ClassVar[str] = NAME
    #: Also adds its headers to answers the gateway makes itself (denials, errors, preflights).
    decorates_generated: ClassVar[bool] = True

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._modes = RouteModes(self.mode, ctx)
        headers: dict[str, str] = {}
        hsts = opts.get("hsts", {})
        if hsts is not False:
            value = f"max-age={int(hsts.get('max_age', 31_536_000))}"
            if hsts.get("include_subdomains", True):
                value += "; includeSubDomains"
            if hsts.get("preload", False):
                value += "; preload"
            headers["Strict-Transport-Security"] = value
        for key, header, default in (
            ("content_type_options", "X-Content-Type-Options", "nosniff"),
            ("frame_options", "X-Frame-Options", "DENY"),
            ("referrer_policy", "Referrer-Policy", "no-referrer"),
            ("content_security_policy", "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ):
            found = _opt(opts, key, default)
            if found is not None:
                headers[header] = found
        headers.update(opts.get("extra", {}))
        self._headers = headers
        self._cache = _opt(opts, "cache_control_authenticated", "no-store")
        self._remove = tuple(opts.get("remove", _REMOVE))
        self._remove_lower = frozenset(h.lower() for h in self._remove)
        self._override = bool(opts.get("override", False))

    def _changes(self, exchange: Exchange) -> tuple[dict[str, str], list[str]]:
        response = exchange.response
        present = {k.lower() for k, _ in response.headers} if response is not None else set()
        wanted = dict(self._headers)
        authenticated = (exchange.identity is not None and not exchange.identity.is_anonymous) or bool(
            exchange.request.header("authorization")
        )
        if authenticated and self._cache is not None:
            wanted["Cache-Control"] = self._cache
            if "cache-control" in present and not self._override:
                # The upstream chose a policy; only make sure it is not publicly cacheable.
                current = (response.header("cache-control") or "").lower() if response is not None else ""
                if "public" not in current and "s-maxage" not in current:
                    del wanted["Cache-Control"]
        if not self._override:
            wanted = {k: v for k, v in wanted.items() if k.lower() not in present or k == "Cache-Control"}
        removed = sorted({k for k in present if k in self._remove_lower})
        return wanted, removed

    async def on_response(self, exchange: Exchange) -> Deny | None:
        wanted, removed = self._changes(exchange)
        if not self._modes.enforcing(exchange):
            if wanted or removed:
                exchange.notes.setdefault("would_rewrite", []).append(
                    {"policy": NAME, "add": sorted(wanted), "remove": removed}
                )
            return None
        if exchange.response is None:
            exchange.response_headers.update(wanted)  # for answers the gateway makes itself
            return None
        if wanted or removed:
            exchange.response = rewrite(exchange.response, set_headers=wanted, remove=self._remove)
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> SecurityHeaders:
    return SecurityHeaders(options, ctx)
