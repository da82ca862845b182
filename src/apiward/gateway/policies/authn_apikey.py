"""``authn_apikey``: authenticate API keys, stored hashed in config, from header, query or cookie.

Where the key is read comes from the spec's ``apiKey`` security schemes (``in`` + ``name``) unless
``locations`` says otherwise. Keys are stored as hashes (see :func:`hash_api_key`); a presented key is
hashed and compared in constant time. A matching key becomes an :class:`Identity` (subject, scopes,
roles, tenant from its entry). An unknown key gets ``401``; no key passes on (``authz`` decides).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar
from urllib.parse import parse_qsl

from apiward.core import ConfigError, HttpRequest, Identity, token_fingerprint
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._auth._apikey import StoredKey, hash_api_key, parse_stored
from apiward.gateway.policies._validation._options import object_schema, validate_options

__all__ = ["NAME", "OPTIONS_SCHEMA", "ApiKeyAuthentication", "build", "hash_api_key"]

NAME = "authn_apikey"
RULE_INVALID = "GW-AUTHN-020"

_LOCATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["in", "name"],
    "properties": {"in": {"enum": ["header", "query", "cookie"]}, "name": {"type": "string", "minLength": 1}},
}

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "keys": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "hash"],
                "properties": {
                    "id": {"type": "string", "description": "Stable key id (recorded in the audit trail)."},
                    "hash": {"type": "string", "description": "sha256:<hex>, hmac-sha256:<hex> or scrypt:..."},
                    "prefix": {"type": "string", "description": "Public key prefix that narrows scrypt checks."},
                    "subject": {"type": "string"},
                    "scopes": {"type": "array", "items": {"type": "string"}},
                    "roles": {"type": "array", "items": {"type": "string"}},
                    "tenant": {"type": "string"},
                    "scheme": {"type": "string", "description": "Only accept this key in this spec scheme."},
                },
            },
        },
        "pepper": {"type": "string", "description": "HMAC pepper for hmac-sha256 hashes; use ${ENV}."},
        "pepper_env": {"type": "string", "description": "Name of the environment variable holding the pepper."},
        "locations": {
            "type": "array",
            "items": _LOCATION,
            "description": "Where keys are read; default: the spec's apiKey schemes, else header X-API-Key.",
        },
        "max_key_bytes": {"type": "integer", "minimum": 8, "default": 512},
        "realm": {"type": "string", "default": "apiward"},
    },
    required=["keys"],
    description="Authenticate API keys stored hashed in config.",
)


@dataclass(frozen=True, slots=True)
class _Entry:
    key_id: str
    stored: StoredKey
    prefix: str | None
    identity: Identity
    scheme: str | None


@dataclass(frozen=True, slots=True)
class _Location:
    where: str
    name: str
    scheme: str | None


def _extract(request: HttpRequest, loc: _Location) -> str | None:
    if loc.where == "header":
        return request.header(loc.name)
    if loc.where == "cookie":
        return request.cookies.get(loc.name)
    for k, v in parse_qsl(request.query, keep_blank_values=True):
        if k == loc.name:
            return v
    return None


class ApiKeyAuthentication:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        pepper = str(opts.get("pepper") or (os.environ.get(opts["pepper_env"], "") if "pepper_env" in opts else ""))
        self._pepper = pepper.encode()
        self._fast: dict[bytes, list[_Entry]] = {}
        self._slow: list[_Entry] = []
        seen: set[str] = set()
        for i, raw in enumerate(opts["keys"]):
            pointer = f"policies.{NAME}.keys[{i}]"
            if raw["id"] in seen:
                raise ConfigError(f"duplicate key id {raw['id']!r}", pointer=f"{pointer}.id")
            seen.add(raw["id"])
            stored = parse_stored(raw["hash"], pointer=f"{pointer}.hash")
            if stored.method == "hmac-sha256" and not self._pepper:
                raise ConfigError("hmac-sha256 hashes need 'pepper' or 'pepper_env'", pointer=f"{pointer}.hash")
            entry = _Entry(
                key_id=raw["id"],
                stored=stored,
                prefix=raw.get("prefix"),
                scheme=raw.get("scheme"),
                identity=Identity(
                    subject=raw.get("subject", raw["id"]),
                    kind="api_key",
                    scopes=frozenset(raw.get("scopes", ())),
                    roles=frozenset(raw.get("roles", ())),
                    tenant=raw.get("tenant"),
                    claims=MappingProxyType({"key_id": raw["id"]}),
                ),
            )
            if stored.method == "scrypt":
                self._slow.append(entry)
            else:
                self._fast.setdefault(stored.digest, []).append(entry)
        self._locations = self._resolve_locations(opts, ctx)
        self._max = int(opts.get("max_key_bytes", 512))
        self._realm = str(opts.get("realm", "apiward"))
        self._verified: OrderedDict[bytes, _Entry] = OrderedDict()  # sha256(key) -> entry, for scrypt keys
        # Wrong keys that matched a scrypt prefix, remembered (bounded): a repeated guess costs no scrypt run.
        self._refused: OrderedDict[bytes, None] = OrderedDict()
        # scrypt is CPU and memory heavy by design: at most two run at once, whatever the request rate.
        self._slow_gate = asyncio.Semaphore(2)

    @staticmethod
    def _resolve_locations(opts: Mapping[str, Any], ctx: PolicyContext) -> tuple[_Location, ...]:
        if "locations" in opts:
            return tuple(_Location(loc["in"], loc["name"], None) for loc in opts["locations"])
        found: list[_Location] = []
        if ctx.model is not None:
            for scheme in ctx.model.security_schemes.values():
                if scheme.type == "apiKey" and scheme.location and scheme.param_name:
                    found.append(_Location(scheme.location, scheme.param_name, scheme.name))
        return tuple(found) or (_Location("header", "X-API-Key", None),)

    async def _lookup(self, presented: str) -> _Entry | None:
        raw = presented.encode("utf-8", "surrogatepass")
        for method in ("sha256", "hmac-sha256"):
            digest = StoredKey(method, b"").compute(raw, self._pepper)
            for entry in self._fast.get(digest, ()):
                if entry.stored.method == method and entry.stored.matches(raw, self._pepper):
                    return entry
        if not self._slow:
            return None
        fingerprint = hashlib.sha256(raw).digest()
        if fingerprint in self._verified:
            self._verified.move_to_end(fingerprint)
            return self._verified[fingerprint]
        if fingerprint in self._refused:
            return None
        candidates = [e for e in self._slow if e.prefix is None or presented.startswith(e.prefix)]
        if not candidates:
            return None
        async with self._slow_gate:
            for entry in candidates:
                # scrypt is deliberately slow; keep it off the event loop.
                if await asyncio.to_thread(entry.stored.matches, raw, self._pepper):
                    self._verified[fingerprint] = entry
                    if len(self._verified) > 1024:
                        self._verified.popitem(last=False)
                    return entry
        self._refused[fingerprint] = None
        if len(self._refused) > 4096:
            self._refused.popitem(last=False)
        return None

    async def on_request(self, exchange: Exchange) -> Deny | None:
        for loc in self._locations:
            presented = _extract(exchange.request, loc)
            if presented is None:
                continue
            entry = await self._lookup(presented) if 0 < len(presented) <= self._max else None
            if entry is None or (entry.scheme is not None and loc.scheme is not None and entry.scheme != loc.scheme):
                return Deny(
                    status=401,
                    title="Invalid API key",
                    detail="the API key is not valid",
                    rule_id=RULE_INVALID,
                    headers={"WWW-Authenticate": f'ApiKey realm="{self._realm}", name="{loc.name}", in="{loc.where}"'},
                    evidence={"location": f"{loc.where}:{loc.name}", "key_fingerprint": token_fingerprint(presented)},
                )
            identity = Identity(
                subject=entry.identity.subject,
                kind="api_key",
                scopes=entry.identity.scopes,
                roles=entry.identity.roles,
                tenant=entry.identity.tenant,
                token_fingerprint=token_fingerprint(presented),
                claims=entry.identity.claims,
            )
            if exchange.identity is None or exchange.identity.is_anonymous:
                exchange.identity = identity
                exchange.credential = presented
            exchange.notes.setdefault("authn", {})["api_key"] = identity
            if loc.scheme is not None:
                exchange.notes.setdefault("authn_schemes", set()).add(loc.scheme)
            return None
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> ApiKeyAuthentication:
    return ApiKeyAuthentication(options, ctx)
