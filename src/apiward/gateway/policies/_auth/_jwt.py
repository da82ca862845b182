"""JWT verification (RFC 7519 / RFC 8725): allow-listed algorithms, typed keys, registered claims.

Order of checks: size → header shape → ``alg`` in the allow-list → key whose type matches the alg
family (by ``kid``) → signature and claims via PyJWT with exactly that one algorithm. Header fields that
point at keys (``jku``, ``x5u``, ``jwk``, ``x5c``) are never followed: keys come only from configuration.
Every failure is an :class:`InvalidToken` with a short, client-safe reason; nothing else escapes.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import jwt
import orjson

from apiward.gateway.policies._auth._jwks import JwksCache
from apiward.gateway.policies._auth._keys import KeyRing

__all__ = ["InvalidToken", "JwtVerifier"]


class InvalidToken(Exception):
    """The token is not acceptable; ``reason`` is safe to show the client, ``detail`` is for the audit only."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


_MESSAGES: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.InvalidAudienceError, "the token is not meant for this API"),
    (jwt.InvalidIssuerError, "the token comes from an untrusted issuer"),
    (jwt.MissingRequiredClaimError, "the token lacks a required claim"),
    (jwt.InvalidIssuedAtError, "the token has an invalid issue time"),
    (jwt.InvalidSignatureError, "the token signature is invalid"),
)


class JwtVerifier:
    def __init__(
        self,
        *,
        algorithms: Sequence[str],
        static_keys: KeyRing,
        jwks: JwksCache | None,
        issuer: str | Sequence[str] | None,
        audience: str | Sequence[str] | None,
        leeway_s: float,
        required_claims: Sequence[str],
        max_token_bytes: int,
        cache_size: int = 10_000,
        cache_ttl_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        types: Sequence[str] | None = None,
        max_age_s: float | None = None,
    ) -> None:
        self._types = frozenset(t.lower() for t in types) if types is not None else None
        self._max_age_s = max_age_s
        self._algorithms = frozenset(algorithms)
        self._static = static_keys
        self._jwks = jwks
        self._issuer = issuer if issuer is None or isinstance(issuer, str) else tuple(issuer)
        self._audience = audience if audience is None or isinstance(audience, str) else list(audience)
        self._leeway = leeway_s
        self._max = max_token_bytes
        # Verified tokens, kept until min(exp + leeway, verified + ttl): a client reuses its token for many
        # requests, and a signature check costs 20-100x a dictionary lookup. Keyed by a BLAKE2b digest of
        # the whole token (collision-resistant, so a hit is exactly a token fully verified before, and the
        # cache holds no credential in clear); bounded (LRU). Every hit re-checks exp, nbf and max age.
        # Each entry also has a memo dict where the caller keeps what it derives from the claims (the
        # Identity), so a hit costs neither a signature check nor the derivation.
        self._cache: OrderedDict[bytes, tuple[float, dict[str, Any], dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size
        self._cache_ttl = cache_ttl_s
        self._clock = clock
        self._options: Any = {
            "require": list(required_claims),
            "verify_signature": True,
            "verify_exp": True,
            "verify_nbf": True,
            "verify_iat": True,
            "verify_aud": audience is not None,
            "verify_iss": issuer is not None,
        }

    async def verify(self, token: str) -> dict[str, Any]:
        """The verified claims, or :class:`InvalidToken`. Raises :class:`TargetError` if keys are unavailable."""
        return (await self.verify_memo(token))[0]

    async def verify_memo(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """``(claims, memo)``: as :meth:`verify`, plus a dict that lives as long as the cache entry (a fresh
        one when the cache is off) for values derived from this token's claims."""
        if len(token) > self._max:
            raise InvalidToken("the token is too large")
        if self._cache_size <= 0:
            return await self._verify(token), {}
        key = hashlib.blake2b(token.encode(), digest_size=32).digest()
        hit = self._cache.get(key)
        if hit is not None:
            now = self._clock()
            if hit[0] > now:
                self._check_times(hit[1], now)  # the entry may outlive nbf/age checks made when it was stored
                self._cache.move_to_end(key)
                return hit[1], hit[2]
            del self._cache[key]
        claims = await self._verify(token)
        exp = claims.get("exp")
        until = self._clock() + self._cache_ttl
        if isinstance(exp, int | float):
            until = min(until, float(exp) + self._leeway)
        memo: dict[str, Any] = {}
        self._cache[key] = (until, claims, memo)
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return claims, memo

    def _check_times(self, claims: dict[str, Any], now: float) -> None:
        """exp / nbf / max age of already verified claims, at ``now`` (the PyJWT checks, for cache hits)."""
        exp = claims.get("exp")
        if isinstance(exp, int | float) and now >= exp + self._leeway:
            raise InvalidToken("the token has expired", "ExpiredSignatureError")
        nbf = claims.get("nbf")
        if isinstance(nbf, int | float) and now < nbf - self._leeway:
            raise InvalidToken("the token is not valid yet", "ImmatureSignatureError")
        if self._max_age_s is not None:
            iat = claims.get("iat")
            if not isinstance(iat, int | float) or now - iat > self._max_age_s + self._leeway:
                raise InvalidToken("the token is too old")

    async def _verify(self, token: str) -> dict[str, Any]:
        if token.count(".") != 2:
            raise InvalidToken("the token is not a signed JWT")
        header = _header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise InvalidToken("the token algorithm is not allowed", f"alg={str(alg)[:16]!r}")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("the token is malformed", "kid is not a string")
        typ = header.get("typ")
        if self._types is not None and (not isinstance(typ, str) or typ.lower() not in self._types):
            raise InvalidToken("the token type is not accepted", f"typ={str(typ)[:32]!r}")
        if header.get("crit"):
            # RFC 7515 §4.1.11: a recipient that does not understand a critical extension must reject.
            raise InvalidToken("the token uses unsupported critical header parameters")
        keys = self._static.candidates(kid, alg)
        if not keys and self._jwks is not None:
            ring = await self._jwks.ring(kid)
            keys = ring.candidates(kid, alg)
        if not keys:
            raise InvalidToken("the token was signed with an unknown key", f"kid={str(kid)[:64]!r} alg={alg}")
        last: InvalidToken | None = None
        for key in keys:
            try:
                claims: dict[str, Any] = jwt.decode(
                    token,
                    key=key.key,
                    algorithms=[alg],
                    audience=self._audience,
                    issuer=self._issuer,
                    leeway=self._leeway,
                    options=self._options,
                )
            except jwt.InvalidSignatureError:
                last = InvalidToken("the token signature is invalid")
                continue
            except jwt.PyJWTError as exc:
                raise InvalidToken(_message(exc), type(exc).__name__) from None
            except (ValueError, TypeError, KeyError, OverflowError) as exc:
                # PyJWT lets a few of these through on hostile input (odd claim types); they are invalid tokens.
                raise InvalidToken("the token is malformed", type(exc).__name__) from None
            if not isinstance(claims.get("sub", ""), str):
                raise InvalidToken("the token subject is not a string")
            if self._max_age_s is not None:
                iat = claims.get("iat")
                if not isinstance(iat, int | float) or self._clock() - iat > self._max_age_s + self._leeway:
                    raise InvalidToken("the token is too old")
            return claims
        raise last or InvalidToken("the token signature is invalid")


def _header(token: str) -> dict[str, Any]:
    """The JOSE header, parsed once with orjson (PyJWT parses it again when it verifies; its own
    unverified-header helper costs as much as the rest of a cached lookup)."""
    segment = token.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        header = orjson.loads(raw)
    except (ValueError, TypeError):  # binascii.Error and orjson.JSONDecodeError are ValueErrors
        raise InvalidToken("the token is malformed", "header") from None
    if not isinstance(header, dict):
        raise InvalidToken("the token is malformed", "header is not an object")
    return header


def _message(exc: jwt.PyJWTError) -> str:
    for kind, message in _MESSAGES:
        if isinstance(exc, kind):
            return message
    return "the token is invalid"
