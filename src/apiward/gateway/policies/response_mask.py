"""``response_mask``: sensitive data is masked in response bodies before it leaves the gateway.

JSON bodies are walked value by value; text bodies are scanned as text. Detected by shape: payment
card numbers (Luhn-checked; the last four digits stay), secrets (private keys, cloud and SaaS tokens),
password hashes (bcrypt, argon2, scrypt, PBKDF2, crypt, LDAP ``{SSHA}``), and — when enabled —
e-mail addresses and US social security numbers. Detected by key: values of JSON keys such as
``password`` or ``password_hash`` are replaced whatever they look like. Per-route options change the
kinds and keys for one operation. Bodies larger than ``max_bytes`` are left alone (and noted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import orjson

from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._masking import KINDS, Masker
from apiward.gateway.policies._validation._options import RouteModes, object_schema, validate_options
from apiward.gateway.policies._validation._rewrite import rewrite

__all__ = ["NAME", "OPTIONS_SCHEMA", "ResponseMasking", "build"]

NAME = "response_mask"
RULE_MASKED = "GW-RESP-010"

_DEFAULT_KINDS = ["card", "secret", "password_hash"]
_DEFAULT_KEYS = ["password", "passwd", "pwd", "password_hash", "passwordhash", "client_secret", "private_key", "ssn"]

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "kinds": {
            "type": "array",
            "items": {"enum": list(KINDS)},
            "uniqueItems": True,
            "default": _DEFAULT_KINDS,
            "description": "What to detect by shape: card, secret, password_hash, email, ssn.",
        },
        "keys": {
            "type": "array",
            "items": {"type": "string"},
            "default": _DEFAULT_KEYS,
            "description": "JSON keys (case-insensitive) whose values are always redacted.",
        },
        "max_bytes": {"type": "integer", "minimum": 1024, "default": 2_097_152},
    },
    description="Mask card numbers, secrets, password hashes (and optionally e-mails, SSNs) in responses.",
)


def _masker(opts: Mapping[str, Any]) -> Masker:
    return Masker(
        kinds=tuple(opts.get("kinds", _DEFAULT_KINDS)),
        keys=frozenset(k.lower() for k in opts.get("keys", _DEFAULT_KEYS)),
    )


def _is_json(media: str | None) -> bool:
    return media is not None and (media == "application/json" or media.endswith("+json"))


class ResponseMasking:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._modes = RouteModes(self.mode, ctx)
        self._max = int(opts.get("max_bytes", 2_097_152))
        self._default = _masker(opts)
        self._routes = {
            key: _masker({**opts, **validate_options(OPTIONS_SCHEMA, route, name=f"{NAME}.routes[{key}]")})
            for key, route in ctx.route_options.items()
        }

    async def on_response(self, exchange: Exchange) -> Deny | None:
        response = exchange.response
        if response is None or not response.body:
            return None
        media = response.content_type
        if response.header("content-encoding") not in (None, "identity"):
            exchange.notes["mask_skipped"] = "encoded body"
            return None
        if len(response.body) > self._max:
            exchange.notes["mask_skipped"] = "body too large"
            return None
        key = exchange.route_key
        masker = self._routes.get(key, self._default) if key is not None else self._default
        hits: set[str] = set()
        if not masker.may_apply(response.body.decode("utf-8", "replace")):
            return None
        value: object = None
        if _is_json(media):
            try:
                value = orjson.loads(response.body)
            except orjson.JSONDecodeError:
                media = None  # not parseable (or nested past the parser's bound): mask it as text
        if _is_json(media):
            masked = masker.json(value, hits)
            body = orjson.dumps(masked) if hits else None
        elif media is None or media.startswith("text/") or media.endswith(("+xml", "/xml")):
            text = response.body.decode("utf-8", "replace")
            new = masker.text(text, hits)
            body = new.encode() if hits else None
        else:
            return None
        if not hits:
            return None
        exchange.matched_rules.append(RULE_MASKED)
        exchange.notes["masked"] = sorted(hits)
        if self._modes.enforcing(exchange) and body is not None:
            exchange.response = rewrite(response, body=body, remove=("ETag", "Content-MD5", "Digest"))
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> ResponseMasking:
    return ResponseMasking(options, ctx)
