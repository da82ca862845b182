"""Verification keys and the rule that a key's type must match the token algorithm's family.

This rule is what makes RS→HS key confusion impossible: an ``HS256`` token can only be checked with an
``oct`` key, never with an RSA public key read as an HMAC secret; ``alg: none`` is never in any family.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from apiward.core import ConfigError

__all__ = ["ALGORITHMS", "KeyRing", "VerificationKey", "compatible", "key_from_config"]

#: Every algorithm apiward accepts when configured; ``none`` is deliberately absent.
ALGORITHMS: tuple[str, ...] = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
    "HS256",
    "HS384",
    "HS512",
)

_EC_CURVE = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}


def compatible(alg: str, kty: str, crv: str | None) -> bool:
    """True when a key of type ``kty`` (and curve ``crv``) may verify a token signed with ``alg``."""
    if alg.startswith(("RS", "PS")):
        return kty == "RSA"
    if alg in _EC_CURVE:
        return kty == "EC" and crv == _EC_CURVE[alg]
    if alg == "EdDSA":
        return kty == "OKP" and crv in ("Ed25519", "Ed448")
    if alg.startswith("HS"):
        return kty == "oct"
    return False


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """One key, with the algorithms it may verify (already intersected with the allow-list)."""

    kid: str | None
    kty: str
    algorithms: frozenset[str]
    key: Any  # a cryptography public key or HMAC secret bytes, ready for ``jwt.decode``


def _from_jwk(jwk: Mapping[str, Any], allowed: Iterable[str]) -> VerificationKey | None:
    """A key from a JWK, or ``None`` if it is unusable (not for signatures, unknown type, no allowed alg)."""
    kty = jwk.get("kty")
    if not isinstance(kty, str) or jwk.get("use", "sig") != "sig":
        return None
    crv = jwk.get("crv") if isinstance(jwk.get("crv"), str) else None
    pinned = jwk.get("alg")
    algs = frozenset(a for a in allowed if compatible(a, kty, crv) and (pinned is None or pinned == a))
    if not algs:
        return None
    try:
        key = jwt.PyJWK(dict(jwk), algorithm=next(iter(sorted(algs)))).key
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None
    kid = jwk.get("kid")
    return VerificationKey(kid=kid if isinstance(kid, str) else None, kty=kty, algorithms=algs, key=key)


def _kty_of(public: Any) -> tuple[str, str | None]:
    if isinstance(public, rsa.RSAPublicKey):
        return "RSA", None
    if isinstance(public, ec.EllipticCurvePublicKey):
        names = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
        return "EC", names.get(public.curve.name)
    if isinstance(public, ed25519.Ed25519PublicKey):
        return "OKP", "Ed25519"
    if isinstance(public, ed448.Ed448PublicKey):
        return "OKP", "Ed448"
    return "unknown", None


def key_from_config(entry: Mapping[str, Any], allowed: Iterable[str], *, pointer: str) -> VerificationKey:
    """A static key from config: ``{kid?, alg?, pem | secret | jwk}``. Raises :class:`ConfigError`."""
    allowed = tuple(allowed)
    pinned = entry.get("alg")
    if pinned is not None and pinned not in allowed:
        raise ConfigError(f"alg {pinned!r} is not in the algorithm allow-list {list(allowed)}", pointer=pointer)
    allowed_here = (pinned,) if pinned else allowed
    kid = entry.get("kid")
    if "jwk" in entry:
        vk = _from_jwk({**entry["jwk"], **({"kid": kid} if kid else {})}, allowed_here)
        if vk is None:
            raise ConfigError("the JWK is not a usable signature key for the allowed algorithms", pointer=pointer)
        return vk
    if "secret" in entry:
        secret = str(entry["secret"]).encode()
        if len(secret) < 32:
            # RFC 7518 §3.2: an HMAC key must be at least as long as the hash output (256 bits for HS256).
            raise ConfigError("an HMAC secret must be at least 32 bytes", pointer=f"{pointer}.secret")
        algs = frozenset(a for a in allowed_here if compatible(a, "oct", None))
        if not algs:
            raise ConfigError("an HMAC secret needs an HS* algorithm in the allow-list", pointer=pointer)
        return VerificationKey(kid=kid, kty="oct", algorithms=algs, key=secret)
    if "pem" in entry:
        try:
            public = serialization.load_pem_public_key(str(entry["pem"]).encode())
        except ValueError as exc:
            raise ConfigError(f"not a PEM public key: {exc}", pointer=f"{pointer}.pem") from exc
        kty, crv = _kty_of(public)
        algs = frozenset(a for a in allowed_here if compatible(a, kty, crv))
        if not algs:
            raise ConfigError(f"a {kty} key matches none of the allowed algorithms", pointer=pointer)
        return VerificationKey(kid=kid, kty=kty, algorithms=algs, key=public)
    raise ConfigError("a key needs one of 'pem', 'secret' or 'jwk'", pointer=pointer)


class KeyRing:
    """Keys by ``kid``, plus keys without a ``kid`` (static keys from config)."""

    __slots__ = ("_anonymous", "_by_kid")

    def __init__(self, keys: Iterable[VerificationKey] = ()) -> None:
        self._by_kid: dict[str, VerificationKey] = {}
        self._anonymous: list[VerificationKey] = []
        for k in keys:
            if k.kid is None:
                self._anonymous.append(k)
            else:
                self._by_kid.setdefault(k.kid, k)

    @classmethod
    def from_jwks(cls, document: Any, allowed: Iterable[str]) -> KeyRing:
        """Keys from a JWKS document; unusable entries are skipped. Raises ``ValueError`` when malformed."""
        if not isinstance(document, Mapping) or not isinstance(document.get("keys"), list):
            raise ValueError("a JWKS must be an object with a 'keys' array")
        allowed = tuple(allowed)
        keys = [_from_jwk(k, allowed) for k in document["keys"] if isinstance(k, Mapping)]
        return cls(k for k in keys if k is not None)

    def __len__(self) -> int:
        return len(self._by_kid) + len(self._anonymous)

    def has(self, kid: str) -> bool:
        return kid in self._by_kid

    def candidates(self, kid: str | None, alg: str) -> list[VerificationKey]:
        """Keys that may verify a token with header ``kid``/``alg`` (type matches the alg family).

        A named ``kid`` selects that key; keys configured without a ``kid`` serve any token.
        """
        if kid is not None:
            found = self._by_kid.get(kid)
            if found is not None:
                return [found] if alg in found.algorithms else []
            return [k for k in self._anonymous if alg in k.algorithms]
        pool = self._anonymous or list(self._by_kid.values())
        return [k for k in pool if alg in k.algorithms]
