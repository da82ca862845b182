"""Issuing and verifying the demo's access tokens (JWT).

The secure twin issues RS256 tokens and verifies them with PyJWT: one algorithm, its own key,
``exp``/``iat``/``iss``/``aud`` required. The vulnerable app issues HS256 tokens signed with a
wordlist secret and verifies them with a hand-written JWS check that reproduces the classic
mistakes one flaw at a time — hand-written on purpose, because PyJWT (rightly) refuses to make them.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwt.algorithms import RSAAlgorithm

from apiward.demo._flaws import Flaw, FlawSet
from apiward.demo._vfs import VirtualFileSystem

__all__ = ["ISSUER", "KID", "WEAK_SECRET", "TokenError", "TokenService"]

ISSUER = "apiward-demo"
AUDIENCE = "apiward-demo-api"
KID = "demo-rsa-1"
#: The vulnerable app's HS256 secret: the first entry of every JWT wordlist.
WEAK_SECRET = b"secret"
KEYS_DIR = "/srv/apiward-demo/keys/"
TOKEN_TTL_S = 3600

_JWT_FLAWS = frozenset(
    {
        Flaw.JWT_ALG_NONE,
        Flaw.JWT_SIGNATURE_UNVERIFIED,
        Flaw.JWT_WEAK_SECRET,
        Flaw.JWT_KEY_CONFUSION,
        Flaw.JWT_KID_INJECTION,
        Flaw.JWT_JKU_JWK,
        Flaw.JWT_EXPIRY_IGNORED,
    }
)
_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
_RSA_HASH: dict[str, hashes.HashAlgorithm] = {
    "RS256": hashes.SHA256(),
    "RS384": hashes.SHA384(),
    "RS512": hashes.SHA512(),
}


@functools.cache
def _signing_key() -> rsa.RSAPrivateKey:
    """One RSA key per process, made at first use (never stored): generating one per app slows tests down."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TokenError(Exception):
    """The token is not acceptable; the message is safe to show."""


def _b64d(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed token") from exc


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenService:
    """Issues and verifies tokens for one app instance."""

    def __init__(self, flaws: FlawSet, vfs: VirtualFileSystem) -> None:
        self.flaws = flaws
        self.vfs = vfs
        self.lenient = bool(_JWT_FLAWS & set(flaws))
        self.private_key = _signing_key()
        self.public_key = self.private_key.public_key()
        self.hmac_secret = WEAK_SECRET if Flaw.JWT_WEAK_SECRET in flaws else secrets.token_bytes(32)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.public_key))
        self.jwks: dict[str, Any] = {"keys": [{**jwk, "kid": KID, "use": "sig", "alg": "RS256"}]}
        spki = self.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        pkcs1 = self.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        self._pem_variants = (spki, spki.strip(), pkcs1, pkcs1.strip())

    # -- issuing ------------------------------------------------------------------------------------
    def issue(self, subject: str, role: str, *, ttl_s: int = TOKEN_TTL_S) -> str:
        now = int(time.time())
        claims = {
            "sub": subject,
            "role": role,
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
        }
        claims["jti"] = secrets.token_hex(8)
        if not self.lenient:
            return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": KID})
        header = {"alg": "HS256", "typ": "JWT"}
        signing_input = f"{_b64e(json.dumps(header).encode())}.{_b64e(json.dumps(claims).encode())}"
        signature = hmac.new(self.hmac_secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64e(signature)}"

    # -- verifying ----------------------------------------------------------------------------------
    async def verify(self, token: str) -> dict[str, Any]:
        """The claims of an acceptable token, else :class:`TokenError`."""
        if not self.lenient:
            return self._verify_strict(token)
        return await self._verify_lenient(token)

    def _verify_strict(self, token: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.public_key,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
                leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise TokenError("invalid token") from exc
        return claims

    async def _verify_lenient(self, token: str) -> dict[str, Any]:
        parts = token.split(".")
        if len(parts) != 3:
            raise TokenError("malformed token")
        try:
            header = json.loads(_b64d(parts[0]))
            claims = json.loads(_b64d(parts[1]))
        except (ValueError, UnicodeDecodeError) as exc:
            raise TokenError("malformed token") from exc
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise TokenError("malformed token")
        signing_input = f"{parts[0]}.{parts[1]}".encode()
        signature = _b64d(parts[2])
        alg = str(header.get("alg", ""))
        if alg.lower() == "none":
            verified = Flaw.JWT_ALG_NONE in self.flaws
        elif alg in _HMAC:
            verified = any(
                hmac.compare_digest(hmac.new(key, signing_input, _HMAC[alg]).digest(), signature)
                for key in self._hmac_keys(header)
            )
        elif alg in _RSA_HASH:
            verified = any(
                _rsa_ok(key, signing_input, signature, _RSA_HASH[alg]) for key in await self._rsa_keys(header)
            )
        else:
            verified = False
        if not verified and Flaw.JWT_SIGNATURE_UNVERIFIED not in self.flaws:
            raise TokenError("invalid signature")
        if Flaw.JWT_EXPIRY_IGNORED not in self.flaws:
            now = time.time()
            if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - 5:
                raise TokenError("token expired")
            if isinstance(claims.get("nbf"), int | float) and claims["nbf"] > now + 5:
                raise TokenError("token not yet valid")
        return claims

    def _hmac_keys(self, header: dict[str, Any]) -> list[bytes]:
        keys = [self.hmac_secret]
        kid = header.get("kid")
        if Flaw.JWT_KID_INJECTION in self.flaws and isinstance(kid, str):
            found = self.vfs.read(KEYS_DIR + kid)  # the flaw: kid is a path, "../../dev/null" is an empty key
            if found is not None:
                keys.append(found)
        if Flaw.JWT_KEY_CONFUSION in self.flaws:
            keys.extend(self._pem_variants)  # the flaw: the RSA public key used as an HMAC secret
        return keys

    async def _rsa_keys(self, header: dict[str, Any]) -> list[rsa.RSAPublicKey]:
        keys: list[rsa.RSAPublicKey] = [self.public_key]
        if Flaw.JWT_JKU_JWK not in self.flaws:
            return keys
        candidates: list[Any] = []
        if isinstance(header.get("jwk"), dict):
            candidates.append(header["jwk"])  # the flaw: the token brings its own key
        if isinstance(header.get("jku"), str):
            candidates.extend(await _fetch_jwks(header["jku"]))  # the flaw: the token says where the key is
        for jwk in candidates:
            try:
                key = RSAAlgorithm.from_jwk(json.dumps(jwk))
            except (jwt.PyJWTError, ValueError, TypeError, KeyError):
                continue
            if isinstance(key, rsa.RSAPublicKey):
                keys.append(key)
        return keys


def _rsa_ok(key: rsa.RSAPublicKey, data: bytes, signature: bytes, algorithm: hashes.HashAlgorithm) -> bool:
    try:
        key.verify(signature, data, padding.PKCS1v15(), algorithm)
    except (InvalidSignature, ValueError):
        return False
    return True


def is_loopback_url(url: str) -> bool:
    """True only for http(s) URLs whose host is literally ``localhost`` or in 127.0.0.0/8 (no DNS)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        return False


async def _fetch_jwks(url: str) -> list[Any]:
    """Fetch a JWKS from ``url`` — loopback only, so the demo can never reach outside the machine."""
    if not is_loopback_url(url):
        return []
    try:
        async with httpx.AsyncClient(timeout=3.0, follow_redirects=False, trust_env=False) as client:
            response = await client.get(url)
        keys = response.json().get("keys", [])
    except (httpx.HTTPError, ValueError, AttributeError):
        return []
    return keys if isinstance(keys, list) else []
