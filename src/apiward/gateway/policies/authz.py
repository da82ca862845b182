"""``authz``: coarse-grained authorisation at the perimeter, from the spec's security requirements.

Each operation's ``security`` is alternatives (OR) of requirements (AND): every scheme in one
alternative must be satisfied by a credential of its kind (``apiKey`` → an API key, ``http`` bearer /
``oauth2`` / ``openIdConnect`` → a JWT or introspected token, ``http`` basic → basic) holding the
required scopes. Config may override an operation (``routes``: requirements on scopes, roles and claims,
or ``anonymous: true``). Answers: ``401`` with a plain ``Bearer`` challenge when no usable credential
came (RFC 6750 §3.1: no error code), ``403`` with ``error="insufficient_scope"`` and ``scope="…"`` when
the credential lacks scopes, roles or claims. Anonymous access only where the spec or config allows it.
CORS preflights pass (browsers never send credentials with them); ``response_cors`` answers them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from apiward.core import ConfigError, Identity
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._auth._challenge import bearer_challenge
from apiward.gateway.policies._auth._identity import claim_at
from apiward.gateway.policies._validation._options import object_schema, validate_options
from apiward.spec import ApiOperation, SecurityScheme

__all__ = ["NAME", "OPTIONS_SCHEMA", "Authorization", "build"]

NAME = "authz"
RULE_UNAUTHENTICATED = "GW-AUTHZ-001"
RULE_INSUFFICIENT_SCOPE = "GW-AUTHZ-002"
RULE_FORBIDDEN = "GW-AUTHZ-003"

_BEARER_KINDS = frozenset({"jwt", "introspection"})

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "realm": {"type": "string", "default": "apiward"},
        "unknown_routes": {
            "enum": ["authenticated", "anonymous"],
            "default": "authenticated",
            "description": "Requests that match no operation (when the gateway lets them through).",
        },
        "without_spec": {
            "enum": ["authenticated", "anonymous"],
            "default": "authenticated",
            "description": "What every route needs when the gateway runs without a spec.",
        },
        "anonymous": {"type": "boolean", "description": "Per route: allow requests without credentials."},
        "requirements": {
            "type": "array",
            "description": "Per route: alternatives (OR); each lists scopes, roles and claims that must all hold.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "scopes": {"type": "array", "items": {"type": "string"}},
                    "roles": {"type": "array", "items": {"type": "string"}},
                    "claims": {
                        "type": "object",
                        "description": "Dotted claim path -> accepted value or list of accepted values.",
                    },
                    "kinds": {
                        "type": "array",
                        "items": {"enum": ["jwt", "introspection", "api_key", "basic", "mtls"]},
                        "description": "Credential kinds accepted (default: any).",
                    },
                },
            },
        },
    },
    description="Scopes, roles and claims per operation from the spec's security requirements. On (enforce) "
    "whenever an authentication policy is configured, unless set to mode: off.",
)


@dataclass(frozen=True, slots=True)
class _Need:
    """One AND-group: a credential of one of ``kinds`` (any when empty) with these scopes/roles/claims."""

    kinds: frozenset[str]
    scopes: frozenset[str]
    roles: frozenset[str] = frozenset()
    claims: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    scheme: str | None = None


@dataclass(frozen=True, slots=True)
class _Rule:
    anonymous: bool
    alternatives: tuple[tuple[_Need, ...], ...]  # OR of ANDs


_ANY_IDENTITY = _Rule(anonymous=False, alternatives=((_Need(kinds=frozenset(), scopes=frozenset()),),))
_OPEN = _Rule(anonymous=True, alternatives=())


def _kinds(scheme: SecurityScheme | None) -> frozenset[str]:
    if scheme is None:
        return frozenset()
    if scheme.type == "apiKey":
        return frozenset({"api_key"})
    if scheme.type == "http":
        return frozenset({"basic"}) if (scheme.scheme or "").lower() == "basic" else _BEARER_KINDS
    if scheme.type in ("oauth2", "openIdConnect"):
        return _BEARER_KINDS
    if scheme.type == "mutualTLS":
        return frozenset({"mtls"})
    return frozenset()


def _from_spec(op: ApiOperation, schemes: Mapping[str, SecurityScheme]) -> _Rule:
    if not op.requires_auth:
        return _Rule(anonymous=True, alternatives=())
    alternatives = tuple(
        tuple(
            _Need(kinds=_kinds(schemes.get(name)), scopes=frozenset(scopes), scheme=name)
            for name, scopes in requirement.items()
        )
        for requirement in op.security
    )
    return _Rule(anonymous=False, alternatives=alternatives)


def _from_config(opts: Mapping[str, Any], *, pointer: str) -> _Rule:
    if opts.get("anonymous"):
        return _Rule(anonymous=True, alternatives=())
    alternatives = []
    for i, req in enumerate(opts.get("requirements", ())):
        claims = tuple(
            (path, tuple(v) if isinstance(v, list) else (v,)) for path, v in sorted(req.get("claims", {}).items())
        )
        if not any(req.get(k) for k in ("scopes", "roles", "claims", "kinds")):
            raise ConfigError("an empty requirement: use 'anonymous: true' instead", pointer=f"{pointer}[{i}]")
        alternatives.append(
            (
                _Need(
                    kinds=frozenset(req.get("kinds", ())),
                    scopes=frozenset(req.get("scopes", ())),
                    roles=frozenset(req.get("roles", ())),
                    claims=claims,
                ),
            )
        )
    return _Rule(anonymous=False, alternatives=tuple(alternatives) or _ANY_IDENTITY.alternatives)


class Authorization:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._realm = str(opts.get("realm", "apiward"))
        self._unknown = _OPEN if opts.get("unknown_routes") == "anonymous" else _ANY_IDENTITY
        self._no_spec = _OPEN if opts.get("without_spec") == "anonymous" else _ANY_IDENTITY
        self._rules: dict[str, _Rule] = {}
        if ctx.model is not None:
            for op in ctx.model.operations:
                key = op.operation_id or f"{op.method} {op.path}"
                self._rules[key] = _from_spec(op, ctx.model.security_schemes)
        for key, route in ctx.route_options.items():
            checked = validate_options(OPTIONS_SCHEMA, route, name=f"{NAME}.routes[{key}]")
            if "anonymous" in checked or "requirements" in checked:
                self._rules[key] = _from_config(checked, pointer=f"policies.{NAME}.routes[{key}].requirements")
        self._has_model = ctx.model is not None

    def _rule(self, exchange: Exchange) -> _Rule:
        key = exchange.route_key
        if key is None:
            return self._unknown if self._has_model else self._no_spec
        rule = self._rules.get(key)
        if rule is None:
            return self._no_spec if not self._has_model else _ANY_IDENTITY
        return rule

    async def on_request(self, exchange: Exchange) -> Deny | None:
        rule = self._rule(exchange)
        if rule.anonymous or _is_preflight(exchange):
            return None
        credentials = _credentials(exchange)
        if not credentials:
            if exchange.notes.get("bearer_unclaimed"):
                return self._invalid_token()
            return self._unauthenticated(rule)
        missing_scopes: frozenset[str] | None = None
        other_shortfall = False
        presented_any = False
        for alternative in rule.alternatives:
            verdict = _check(alternative, credentials, exchange.notes.get("authn_schemes"))
            if verdict is None:
                return None
            kind, scopes = verdict
            if kind == "absent":
                continue
            presented_any = True
            if kind == "scopes" and (missing_scopes is None or len(scopes) < len(missing_scopes)):
                missing_scopes = scopes
            elif kind != "scopes":
                other_shortfall = True
        if not presented_any:
            return self._unauthenticated(rule)
        if missing_scopes is not None:
            return Deny(
                status=403,
                title="Insufficient scope",
                detail="the access token lacks a required scope",
                rule_id=RULE_INSUFFICIENT_SCOPE,
                headers={
                    "WWW-Authenticate": bearer_challenge(
                        realm=self._realm,
                        error="insufficient_scope",
                        description="the access token lacks a required scope",
                        scopes=_required_scopes(rule, missing_scopes),
                    )
                },
                evidence={"missing_scopes": sorted(missing_scopes), "other_shortfall": other_shortfall},
            )
        return Deny(
            status=403,
            title="Forbidden",
            detail="the credential does not grant access to this operation",
            rule_id=RULE_FORBIDDEN,
        )

    def _invalid_token(self) -> Deny:
        reason = "the token is not recognised"
        challenge = bearer_challenge(realm=self._realm, error="invalid_token", description=reason)
        return Deny(
            status=401,
            title="Invalid access token",
            detail=reason,
            rule_id=RULE_UNAUTHENTICATED,
            headers={"WWW-Authenticate": challenge},
        )

    def _unauthenticated(self, rule: _Rule) -> Deny:
        challenges = []
        kinds = {k for alt in rule.alternatives for need in alt for k in need.kinds}
        if not kinds or kinds & _BEARER_KINDS:
            challenges.append(bearer_challenge(realm=self._realm))
        if "api_key" in kinds:
            challenges.append(f'ApiKey realm="{self._realm}"')
        if "basic" in kinds:
            challenges.append(f'Basic realm="{self._realm}"')
        return Deny(
            status=401,
            title="Authentication required",
            detail="this operation needs credentials",
            rule_id=RULE_UNAUTHENTICATED,
            headers={"WWW-Authenticate": ", ".join(challenges) or bearer_challenge(realm=self._realm)},
        )


def _is_preflight(exchange: Exchange) -> bool:
    """A CORS preflight never carries credentials (Fetch standard): it is ``response_cors``'s to answer."""
    request = exchange.request
    return (
        request.method == "OPTIONS"
        and request.header("origin") is not None
        and request.header("access-control-request-method") is not None
    )


def _credentials(exchange: Exchange) -> dict[str, Identity]:
    found: dict[str, Identity] = dict(exchange.notes.get("authn", {}))
    ident = exchange.identity
    if ident is not None and not ident.is_anonymous:
        found.setdefault(ident.kind, ident)
    return found


def _claims_hold(identity: Identity, claims: Sequence[tuple[str, tuple[Any, ...]]]) -> bool:
    for path, accepted in claims:
        value = claim_at(identity.claims, path)
        values = value if isinstance(value, list) else [value]
        if not any(v in accepted for v in values):
            return False
    return True


def _satisfies(ident: Identity, need: _Need) -> bool:
    return need.scopes <= ident.scopes and need.roles <= ident.roles and _claims_hold(ident, need.claims)


def _check(
    alternative: tuple[_Need, ...], credentials: Mapping[str, Identity], schemes: set[str] | None
) -> tuple[str, frozenset[str]] | None:
    """``None`` when every need of the alternative holds; else why not: ``absent`` | ``scopes`` | ``roles``."""
    missing: set[str] = set()
    shortfall = False
    for need in alternative:
        candidates = [i for k, i in credentials.items() if not need.kinds or k in need.kinds]
        if need.scheme is not None and "api_key" in need.kinds and schemes is not None and need.scheme not in schemes:
            candidates = [i for i in candidates if i.kind != "api_key"]
        if not candidates:
            return ("absent", frozenset())
        if any(_satisfies(i, need) for i in candidates):
            continue
        lacking = min((need.scopes - i.scopes for i in candidates), key=len)
        if lacking:
            missing |= lacking
        else:
            shortfall = True
    if missing:
        return ("scopes", frozenset(missing))
    if shortfall:
        return ("roles", frozenset())
    return None


def _required_scopes(rule: _Rule, missing: frozenset[str]) -> frozenset[str]:
    """The scopes of the alternative the client came closest to (RFC 6750 §3: scope needed for access)."""
    for alternative in rule.alternatives:
        scopes = frozenset(s for need in alternative for s in need.scopes)
        if missing <= scopes:
            return scopes
    return missing


def build(options: Mapping[str, Any], ctx: PolicyContext) -> Authorization:
    return Authorization(options, ctx)
