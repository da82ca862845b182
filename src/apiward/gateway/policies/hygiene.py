"""Protocol hygiene: reject request smuggling shapes and malformed or oversized requests before anything else.

The HTTP server's parser (llhttp, strict) already refuses most of these on the wire; this policy
re-checks the parsed request so the same rules hold in decision mode (where nginx or Envoy parsed the
request) and states them in one place with stable ids. It also answers 404 for paths the spec does
not know (configurable) and 405 with ``Allow`` for methods a known path does not serve.

Rules: ``GW-HYG-001`` smuggling framing (CL with TE, duplicate/invalid CL, TE other than chunked),
``GW-HYG-002`` invalid header bytes (obs-fold, CR/LF/NUL), ``GW-HYG-003`` oversized URL/headers/
header count, ``GW-HYG-004`` method not allowed by the gateway, ``GW-HYG-005`` missing/duplicate Host,
``GW-HYG-006`` ambiguous path (NUL, backslash, encoded slash or dot-segments), ``GW-HYG-007`` unknown
path (404), ``GW-HYG-008`` method the spec lacks for this path (405). CORS preflights never get here
when ``response_cors`` is configured: its first stage answers them at the edge.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import unquote

from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._options import check_options, policy_schema
from apiward.gateway._policy import Deny

__all__ = ["NAME", "OPTIONS_SCHEMA", "Hygiene", "build"]

NAME = "hygiene"

OPTIONS_SCHEMA: dict[str, Any] = policy_schema(
    {
        "methods": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Z]+$"},
            "uniqueItems": True,
            "default": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            "description": "Methods the gateway accepts at all (TRACE and CONNECT are refused by default).",
        },
        "max_url_bytes": {"type": "integer", "minimum": 64, "default": 8192},
        "max_header_bytes": {"type": "integer", "minimum": 256, "default": 16384, "description": "One header."},
        "max_headers_total_bytes": {"type": "integer", "minimum": 1024, "default": 65536},
        "max_header_count": {"type": "integer", "minimum": 8, "default": 100},
        "unknown_paths": {
            "enum": ["deny", "allow"],
            "default": "deny",
            "description": "Answer 404 before the upstream for paths the spec lacks (needs a spec).",
        },
        "method_not_allowed": {
            "enum": ["deny", "allow"],
            "default": "deny",
            "description": "Answer 405 with Allow for methods the spec lacks on a known path.",
        },
        "require_host": {"type": "boolean", "default": True, "description": "HTTP/1.1 requests need one Host."},
        "reject_ambiguous_paths": {
            "type": "boolean",
            "default": True,
            "description": "Refuse NUL, backslash, encoded '/' and dot-segments in the path.",
        },
    },
    description="Protocol hygiene: smuggling shapes, limits, methods, unknown paths (404) and 405 with Allow.",
)

_BAD_VALUE = re.compile(r"[\x00\r\n]")
_DOT_SEGMENT = re.compile(r"(^|/)\.{1,2}(/|$)")


def _deny(status: int, title: str, rule: str, detail: str, headers: Mapping[str, str] | None = None) -> Deny:
    return Deny(status=status, title=title, rule_id=rule, detail=detail, headers=headers or {})


class Hygiene:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = check_options(OPTIONS_SCHEMA, options, pointer=f"policies.{NAME}")
        self.mode = ctx.mode
        self._methods = frozenset(opts["methods"])
        self._max_url = int(opts["max_url_bytes"])
        self._max_header = int(opts["max_header_bytes"])
        self._max_total = int(opts["max_headers_total_bytes"])
        self._max_count = int(opts["max_header_count"])
        self._model = ctx.model
        self._deny_unknown = opts["unknown_paths"] == "deny" and ctx.model is not None
        self._deny_405 = opts["method_not_allowed"] == "deny" and ctx.model is not None
        self._require_host = bool(opts["require_host"])
        self._ambiguous = bool(opts["reject_ambiguous_paths"])

    async def on_request(self, exchange: Exchange) -> Deny | None:
        request = exchange.request
        if request.method not in self._methods:
            return _deny(
                405 if request.method.isupper() else 400,
                "Method Not Allowed",
                "GW-HYG-004",
                "This method is not accepted.",
                {"Allow": ", ".join(sorted(self._methods))},
            )
        if len(request.path) + len(request.query) + 1 > self._max_url:
            return _deny(414, "URI Too Long", "GW-HYG-003", "The request target is too long.")
        deny = self._check_headers(request.headers, exchange)
        if deny is not None:
            return deny
        if self._ambiguous and self._is_ambiguous(request.path):
            return _deny(400, "Bad Request", "GW-HYG-006", "The request path is ambiguous.")
        if self._model is not None and exchange.operation is None:
            return self._route_miss(request.method, exchange.notes.get("route_path", request.path))
        return None

    def _check_headers(self, headers: tuple[tuple[str, str], ...], exchange: Exchange) -> Deny | None:
        if len(headers) > self._max_count:
            return _deny(431, "Request Header Fields Too Large", "GW-HYG-003", "Too many header fields.")
        total = 0
        lengths: list[str] = []
        encodings: list[str] = []
        hosts = 0
        for k, v in headers:
            size = len(k) + len(v)
            total += size
            if size > self._max_header or total > self._max_total:
                return _deny(431, "Request Header Fields Too Large", "GW-HYG-003", "A header field is too large.")
            if _BAD_VALUE.search(v) or _BAD_VALUE.search(k) or not k or k[0] in " \t" or k[-1] in " \t":
                return _deny(400, "Bad Request", "GW-HYG-002", "A header field is malformed.")
            low = k.lower()
            if low == "content-length":
                lengths.append(v)
            elif low == "transfer-encoding":
                encodings.append(v)
            elif low == "host":
                hosts += 1
        if lengths and encodings:
            return _deny(400, "Bad Request", "GW-HYG-001", "Content-Length and Transfer-Encoding together.")
        if len(lengths) > 1 or (lengths and not lengths[0].strip().isdigit()):
            return _deny(400, "Bad Request", "GW-HYG-001", "Content-Length is repeated or invalid.")
        # In decision mode the body stays with nginx/Envoy, so only a proxied body can be compared.
        if lengths and not exchange.notes.get("decision_mode") and int(lengths[0]) != len(exchange.request.body):
            return _deny(400, "Bad Request", "GW-HYG-001", "Content-Length does not match the body.")
        if encodings and (len(encodings) > 1 or encodings[0].strip().lower() != "chunked"):
            return _deny(400, "Bad Request", "GW-HYG-001", "Only 'Transfer-Encoding: chunked' is accepted.")
        if hosts > 1 or (self._require_host and hosts == 0 and exchange.notes.get("http_version", "1.1") == "1.1"):
            return _deny(400, "Bad Request", "GW-HYG-005", "Exactly one Host header is required.")
        return None

    @staticmethod
    def _is_ambiguous(path: str) -> bool:
        if not path.startswith("/") or "\\" in path:
            return True
        if "%" in path:
            lowered = path.lower()
            if "%00" in lowered or "%2f" in lowered or "%5c" in lowered:
                return True
            path = unquote(path)
        return "\x00" in path or _DOT_SEGMENT.search(path) is not None

    def _route_miss(self, method: str, path: str) -> Deny | None:
        if self._model is None:
            return None
        allowed = self._model.router.allowed_methods(path) if path else ()
        if allowed:
            if not self._deny_405:
                return None
            allow = set(allowed)
            if "GET" in allow:
                allow.add("HEAD")
            if method == "HEAD" and "GET" in allowed:
                return None
            return _deny(
                405,
                "Method Not Allowed",
                "GW-HYG-008",
                "This method is not available on this path.",
                {"Allow": ", ".join(sorted(allow))},
            )
        if self._deny_unknown:
            return _deny(404, "Not Found", "GW-HYG-007", "No such resource.")
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> Hygiene:
    return Hygiene(options, ctx)
