"""``authn_introspection``: authenticate opaque bearer tokens through RFC 7662 token introspection.

The gateway authenticates to the introspection endpoint as a client (HTTP Basic). Answers are cached
in the shared state, bounded by the token's ``exp`` and ``max_ttl_s``; inactive answers briefly. With
``phantom`` set, the gateway forwards a short-lived JWT it signs (the *phantom token* pattern) in the
configured header, so the upstream sees a verifiable JWT and never the opaque token.

Tokens that look like JWTs are left to ``authn_jwt`` unless ``jwt_tokens: true``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, ClassVar

from apiward.core import ConfigError, TargetError
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._auth._challenge import bearer_challenge, bearer_token
from apiward.gateway.policies._auth._identity import identity_from_claims
from apiward.gateway.policies._auth._introspect import Introspector
from apiward.gateway.policies._auth._oidc import Discovery
from apiward.gateway.policies._auth._phantom import PhantomSigner
from apiward.gateway.policies._auth._urls import check_service_url
from apiward.gateway.policies._validation._options import object_schema, validate_options

__all__ = ["NAME", "OPTIONS_SCHEMA", "IntrospectionAuthentication", "build"]

NAME = "authn_introspection"
RULE_INACTIVE = "GW-AUTHN-010"
RULE_UNAVAILABLE = "GW-AUTHN-011"

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "endpoint": {"type": "string", "description": "URL of the RFC 7662 introspection endpoint."},
        "issuer": {
            "type": "string",
            "description": "Expected issuer; with no 'endpoint', found through OIDC discovery.",
        },
        "client_id": {"type": "string"},
        "client_secret": {"type": "string", "description": "Use ${ENV} substitution; never commit it."},
        "audience": {"type": "string", "description": "When set, the answer's 'aud' must contain it."},
        "max_ttl_s": {"type": "number", "minimum": 0, "default": 300},
        "negative_ttl_s": {"type": "number", "minimum": 0, "maximum": 300, "default": 10},
        "jwt_tokens": {"type": "boolean", "default": False, "description": "Also introspect JWT-shaped tokens."},
        "scope_claims": {"type": "array", "items": {"type": "string"}, "default": ["scope", "scp"]},
        "roles_claim": {"type": "string"},
        "tenant_claim": {"type": "string"},
        "max_token_bytes": {"type": "integer", "minimum": 16, "default": 4096},
        "realm": {"type": "string", "default": "apiward"},
        "client_auth": {
            "enum": ["client_secret_basic", "client_secret_post"],
            "default": "client_secret_basic",
            "description": "How the gateway authenticates to the endpoint (RFC 6749 §2.3.1).",
        },
        "allow_insecure_http": {"type": "boolean", "default": False},
        "phantom": {
            "type": "object",
            "description": "Forward a signed JWT upstream instead of the opaque token.",
            "additionalProperties": False,
            "properties": {
                "header": {"type": "string", "default": "authorization"},
                "secret": {"type": "string"},
                "private_pem": {"type": "string"},
                "alg": {"enum": ["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"]},
                "kid": {"type": "string"},
                "issuer": {"type": "string", "default": "apiward"},
                "audience": {"type": "string"},
                "ttl_s": {"type": "integer", "minimum": 1, "maximum": 3600, "default": 60},
            },
        },
    },
    required=["client_id", "client_secret"],
    description="Authenticate opaque tokens through RFC 7662 introspection, optionally as phantom tokens.",
)


class IntrospectionAuthentication:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        endpoint: Any
        insecure = bool(opts.get("allow_insecure_http", False))
        for key in ("endpoint", "issuer"):
            if key in opts:
                check_service_url(str(opts[key]), pointer=f"policies.{NAME}.{key}", allow_http=insecure)
        if "endpoint" in opts:
            endpoint = str(opts["endpoint"])
        elif "issuer" in opts:
            discovery = Discovery(ctx.http, str(opts["issuer"]))

            async def from_discovery() -> str:
                metadata = await discovery.metadata()
                found = metadata.get("introspection_endpoint")
                if not isinstance(found, str):
                    raise TargetError("OIDC discovery has no introspection_endpoint")
                return found

            endpoint = from_discovery
        else:
            raise ConfigError("give 'endpoint' or 'issuer'", pointer=f"policies.{NAME}")
        self.introspector = Introspector(
            ctx.http,
            endpoint,
            client_id=str(opts["client_id"]),
            client_secret=str(opts["client_secret"]),
            state=ctx.state,
            max_ttl_s=float(opts.get("max_ttl_s", 300)),
            negative_ttl_s=float(opts.get("negative_ttl_s", 10)),
            post_credentials=opts.get("client_auth") == "client_secret_post",
        )
        self._issuer = opts.get("issuer")
        self._audience = opts.get("audience")
        self._jwt_tokens = bool(opts.get("jwt_tokens", False))
        self._max = int(opts.get("max_token_bytes", 4096))
        self._realm = str(opts.get("realm", "apiward"))
        self._scope_claims = tuple(opts.get("scope_claims", ["scope", "scp"]))
        self._roles_claim = opts.get("roles_claim")
        self._tenant_claim = opts.get("tenant_claim")
        self.phantom = PhantomSigner(opts["phantom"], pointer=f"policies.{NAME}.phantom") if "phantom" in opts else None

    def _invalid(self, reason: str) -> Deny:
        return Deny(
            status=401,
            title="Invalid access token",
            detail=reason,
            rule_id=RULE_INACTIVE,
            headers={
                "WWW-Authenticate": bearer_challenge(realm=self._realm, error="invalid_token", description=reason)
            },
            evidence={"reason": reason},
        )

    async def on_request(self, exchange: Exchange) -> Deny | None:
        token = bearer_token(exchange.request)
        if token is None or (exchange.identity is not None and not exchange.identity.is_anonymous):
            return None
        if not self._jwt_tokens and token.count(".") == 2 and token.startswith("eyJ"):
            return None  # a JWT: authn_jwt's job
        if not token or len(token) > self._max or not token.isascii() or not token.isprintable():
            return self._invalid("the token is malformed")
        try:
            answer = await self.introspector.introspect(token)
        except TargetError as exc:
            return Deny(
                status=503,
                title="Authentication unavailable",
                detail="the token cannot be checked right now",
                rule_id=RULE_UNAVAILABLE,
                headers={"Retry-After": "5"},
                evidence={"error": str(exc)},
            )
        if not answer.get("active"):
            return self._invalid("the token is not active")
        exp = answer.get("exp")
        if isinstance(exp, int | float) and exp <= time.time():
            return self._invalid("the token has expired")
        if self._issuer is not None and "iss" in answer and str(answer["iss"]).rstrip("/") != self._issuer.rstrip("/"):
            return self._invalid("the token comes from an untrusted issuer")
        if self._audience is not None:
            aud = answer.get("aud")
            auds = aud if isinstance(aud, list) else [aud]
            if self._audience not in auds:
                return self._invalid("the token is not meant for this API")
        identity = identity_from_claims(
            answer,
            kind="introspection",
            token=token,
            scope_claims=self._scope_claims,
            roles_claim=self._roles_claim,
            tenant_claim=self._tenant_claim,
        )
        exchange.identity = identity
        exchange.credential = token
        exchange.notes.pop("bearer_unclaimed", None)
        exchange.notes.setdefault("authn", {})["introspection"] = identity
        if self.phantom is not None:
            phantom = self.phantom.sign(identity, answer)
            exchange.upstream_headers[self.phantom.header] = self.phantom.header_value(phantom)
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> IntrospectionAuthentication:
    return IntrospectionAuthentication(options, ctx)
