"""``authn_jwt``: authenticate bearer JWTs (RFC 7519 / RFC 8725 best practice).

Keys come from a JWKS URL, from OIDC discovery (``{issuer}/.well-known/openid-configuration``) or from
static config (PEM, JWK or an HMAC secret). Algorithms are an explicit allow-list and a key's type must
match the algorithm family, so ``alg: none`` and RS→HS key confusion cannot verify. ``iss``, ``aud``,
``exp``, ``nbf`` and ``iat`` are checked with a leeway; listed claims are required.

A request without a bearer token passes untouched (``authz`` decides whether the operation needs one),
and so does a bearer token that is not shaped like a JWT (it may be an opaque token for
``authn_introspection``; if nothing accepts it, ``authz`` answers ``401 invalid_token``). A request with
a bad JWT gets ``401`` and ``WWW-Authenticate: Bearer error="invalid_token"``. A valid
token sets ``exchange.identity`` (subject, scopes from ``scope``/``scp``, roles and tenant from claim paths).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from apiward.core import ConfigError, TargetError
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._auth._challenge import bearer_challenge, bearer_token
from apiward.gateway.policies._auth._identity import identity_from_claims
from apiward.gateway.policies._auth._jwks import JwksCache
from apiward.gateway.policies._auth._jwt import InvalidToken, JwtVerifier
from apiward.gateway.policies._auth._keys import ALGORITHMS, KeyRing, key_from_config
from apiward.gateway.policies._auth._oidc import Discovery
from apiward.gateway.policies._auth._urls import check_service_url
from apiward.gateway.policies._validation._options import object_schema, validate_options

__all__ = ["NAME", "OPTIONS_SCHEMA", "JwtAuthentication", "build"]

NAME = "authn_jwt"
RULE_INVALID = "GW-AUTHN-001"
RULE_UNAVAILABLE = "GW-AUTHN-002"

_STRINGS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "algorithms": {
            "type": "array",
            "items": {"enum": list(ALGORITHMS)},
            "minItems": 1,
            "uniqueItems": True,
            "default": ["RS256", "PS256", "ES256", "EdDSA"],
            "description": "Accepted signature algorithms; 'none' can never be listed.",
        },
        "issuer": {**_STRINGS, "description": "Expected 'iss' (one or several)."},
        "audience": {**_STRINGS, "description": "Expected 'aud' (one or several)."},
        "jwks_url": {"type": "string", "format": "uri", "description": "URL of the issuer's JWKS."},
        "oidc_discovery": {
            "type": "boolean",
            "default": False,
            "description": "Find the JWKS through '{issuer}/.well-known/openid-configuration'.",
        },
        "keys": {
            "type": "array",
            "description": "Static keys: each with 'pem' (public key), 'jwk', or 'secret' (HMAC, >= 32 bytes).",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "kid": {"type": "string"},
                    "alg": {"enum": list(ALGORITHMS)},
                    "pem": {"type": "string"},
                    "jwk": {"type": "object"},
                    "secret": {"type": "string"},
                },
                "oneOf": [{"required": ["pem"]}, {"required": ["jwk"]}, {"required": ["secret"]}],
            },
        },
        "leeway_s": {"type": "number", "minimum": 0, "maximum": 300, "default": 30},
        "required_claims": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["exp", "iat", "sub"],
        },
        "scope_claims": {"type": "array", "items": {"type": "string"}, "default": ["scope", "scp"]},
        "roles_claim": {"type": "string", "description": "Dotted claim path of roles, e.g. 'realm_access.roles'."},
        "tenant_claim": {"type": "string", "description": "Dotted claim path of the tenant id."},
        "header": {"type": "string", "default": "authorization"},
        "max_token_bytes": {"type": "integer", "minimum": 256, "default": 8192},
        "jwks_max_age_s": {"type": "number", "minimum": 1, "default": 300},
        "jwks_min_refetch_s": {
            "type": "number",
            "minimum": 0,
            "default": 30,
            "description": "At most one JWKS refetch per this many seconds on an unknown 'kid'.",
        },
        "realm": {"type": "string", "default": "apiward"},
        "allow_insecure_http": {
            "type": "boolean",
            "default": False,
            "description": "Accept http:// JWKS/discovery URLs off loopback (never in production).",
        },
        "types": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Accepted 'typ' headers (RFC 8725 explicit typing), e.g. ['at+jwt']; default: any.",
        },
        "max_age_s": {
            "type": "number",
            "minimum": 1,
            "description": "Refuse tokens issued ('iat') longer ago than this, whatever their 'exp'.",
        },
        "cache_ttl_s": {
            "type": "number",
            "minimum": 0,
            "maximum": 3600,
            "default": 60,
            "description": "Keep verified tokens this long (never past exp); 0 verifies every request.",
        },
        "cache_size": {"type": "integer", "minimum": 0, "default": 10000},
    },
    description="Authenticate bearer JWTs against static keys, a JWKS URL or OIDC discovery.",
)


class JwtAuthentication:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        algorithms = tuple(opts.get("algorithms", ["RS256", "PS256", "ES256", "EdDSA"]))
        static = KeyRing(
            key_from_config(entry, algorithms, pointer=f"policies.{NAME}.keys[{i}]")
            for i, entry in enumerate(opts.get("keys", ()))
        )
        issuer = opts.get("issuer")
        insecure = bool(opts.get("allow_insecure_http", False))
        if opts.get("oidc_discovery") and isinstance(issuer, str):
            check_service_url(issuer, pointer=f"policies.{NAME}.issuer", allow_http=insecure)
        if "jwks_url" in opts:
            check_service_url(opts["jwks_url"], pointer=f"policies.{NAME}.jwks_url", allow_http=insecure)
        self.discovery: Discovery | None = None
        source: Any = opts.get("jwks_url")
        if opts.get("oidc_discovery"):
            if not isinstance(issuer, str):
                raise ConfigError("oidc_discovery needs one 'issuer'", pointer=f"policies.{NAME}.issuer")
            self.discovery = Discovery(ctx.http, issuer)
            source = self.discovery.jwks_uri
        jwks = None
        if source is not None:
            jwks = JwksCache(
                ctx.http,
                source,
                algorithms,
                max_age_s=opts.get("jwks_max_age_s", 300),
                min_refetch_s=opts.get("jwks_min_refetch_s", 30),
            )
        elif not len(static):
            raise ConfigError("give 'jwks_url', 'oidc_discovery' or 'keys'", pointer=f"policies.{NAME}")
        self.jwks = jwks
        self._verifier = JwtVerifier(
            algorithms=algorithms,
            static_keys=static,
            jwks=jwks,
            issuer=issuer,
            audience=opts.get("audience"),
            leeway_s=float(opts.get("leeway_s", 30)),
            required_claims=tuple(opts.get("required_claims", ["exp", "iat", "sub"])),
            max_token_bytes=int(opts.get("max_token_bytes", 8192)),
            cache_size=int(opts.get("cache_size", 10_000)) if opts.get("cache_ttl_s", 60) else 0,
            cache_ttl_s=float(opts.get("cache_ttl_s", 60)),
            types=tuple(opts["types"]) if "types" in opts else None,
            max_age_s=opts.get("max_age_s"),
        )
        self._header = str(opts.get("header", "authorization"))
        self._realm = str(opts.get("realm", "apiward"))
        self._scope_claims = tuple(opts.get("scope_claims", ["scope", "scp"]))
        self._roles_claim = opts.get("roles_claim")
        self._tenant_claim = opts.get("tenant_claim")

    async def start(self) -> None:
        """Fetch the keys before the first request; failures are left to the lazy path (and retried)."""
        if self.jwks is not None:
            try:
                await self.jwks.ring()
            except TargetError:
                return

    async def on_request(self, exchange: Exchange) -> Deny | None:
        token = bearer_token(exchange.request, self._header)
        if token is None:
            return None
        if token.count(".") != 2:
            # Not a JWS compact serialisation: maybe an opaque token for authn_introspection. If nothing
            # accepts it, authz answers 401 invalid_token (see the "bearer_unclaimed" note).
            exchange.notes["bearer_unclaimed"] = True
            return None
        try:
            claims, memo = await self._verifier.verify_memo(token)
        except InvalidToken as exc:
            return Deny(
                status=401,
                title="Invalid access token",
                detail=exc.reason,
                rule_id=RULE_INVALID,
                headers={
                    "WWW-Authenticate": bearer_challenge(
                        realm=self._realm, error="invalid_token", description=exc.reason
                    )
                },
                evidence={"reason": exc.reason, "detail": exc.detail},
            )
        except TargetError as exc:
            return Deny(
                status=503,
                title="Authentication unavailable",
                detail="the token issuer's keys cannot be fetched",
                rule_id=RULE_UNAVAILABLE,
                headers={"Retry-After": "5"},
                evidence={"error": str(exc)},
            )
        identity = memo.get("identity")
        if identity is None:  # derived once per verified token (it is immutable), not once per request
            identity = memo["identity"] = identity_from_claims(
                claims,
                kind="jwt",
                token=token,
                scope_claims=self._scope_claims,
                roles_claim=self._roles_claim,
                tenant_claim=self._tenant_claim,
            )
        exchange.identity = identity
        exchange.credential = token
        exchange.notes.setdefault("authn", {})["jwt"] = identity
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> JwtAuthentication:
    return JwtAuthentication(options, ctx)
