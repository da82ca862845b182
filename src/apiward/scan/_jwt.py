"""JWT forging for the authentication checks: decode, re-sign (HMAC, RSA, ``none``), crack a weak HS secret.

Hand-written on purpose: PyJWT (rightly) refuses to produce ``alg: none`` tokens, HMAC signatures keyed with
PEM public keys and other malformed tokens the checks need; RSA signing and JWK conversion use cryptography.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["Jwt", "b64d", "b64e", "crack_hs", "generate_rsa", "jwk_to_pem_variants", "rsa_public_jwk", "wordlist"]

_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@dataclass(frozen=True, slots=True)
class Jwt:
    header: Mapping[str, Any]
    claims: Mapping[str, Any]
    signing_input: str
    signature: bytes

    @classmethod
    def parse(cls, token: str | None) -> Jwt | None:
        if not token or token.count(".") != 2:
            return None
        h, p, s = token.split(".")
        try:
            header = json.loads(b64d(h))
            claims = json.loads(b64d(p))
            signature = b64d(s)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return None
        return cls(header=header, claims=claims, signing_input=f"{h}.{p}", signature=signature)

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))

    @staticmethod
    def encode_unsigned(header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
        h = b64e(json.dumps(dict(header), separators=(",", ":")).encode())
        p = b64e(json.dumps(dict(claims), separators=(",", ":")).encode())
        return f"{h}.{p}"

    @classmethod
    def hs(cls, header: Mapping[str, Any], claims: Mapping[str, Any], key: bytes) -> str:
        alg = str(header.get("alg", "HS256"))
        signing_input = cls.encode_unsigned({**header, "alg": alg}, claims)
        digest = hmac.new(key, signing_input.encode(), _HMAC.get(alg, hashlib.sha256)).digest()
        return f"{signing_input}.{b64e(digest)}"

    @classmethod
    def rs(cls, header: Mapping[str, Any], claims: Mapping[str, Any], key: rsa.RSAPrivateKey) -> str:
        signing_input = cls.encode_unsigned({**header, "alg": "RS256"}, claims)
        sig = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64e(sig)}"

    @classmethod
    def none(cls, header: Mapping[str, Any], claims: Mapping[str, Any], alg: str = "none") -> str:
        return cls.encode_unsigned({**header, "alg": alg}, claims) + "."


@cache
def wordlist() -> tuple[bytes, ...]:
    text = resources.files("apiward.scan").joinpath("data/jwt_secrets.txt").read_text(encoding="utf-8")
    return tuple(line.encode() for line in text.splitlines() if line and not line.startswith("#"))


def crack_hs(token: Jwt, candidates: Iterable[bytes] | None = None) -> bytes | None:
    """The HMAC secret of ``token`` if it is in the wordlist (offline: no request is sent)."""
    algo = _HMAC.get(token.alg)
    if algo is None:
        return None
    data = token.signing_input.encode()
    for word in candidates if candidates is not None else wordlist():
        if hmac.compare_digest(hmac.new(word, data, algo).digest(), token.signature):
            return word
    return None


def generate_rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rsa_public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()

    def enc(n: int) -> str:
        return b64e(n.to_bytes((n.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": enc(numbers.n), "e": enc(numbers.e)}


def jwk_to_pem_variants(jwk: Mapping[str, Any]) -> list[bytes]:
    """PEM encodings of an RSA public JWK (SPKI and PKCS#1, with and without the trailing newline)."""
    try:
        n = int.from_bytes(b64d(str(jwk["n"])), "big")
        e = int.from_bytes(b64d(str(jwk["e"])), "big")
        public = rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, ValueError, binascii.Error):
        return []
    spki = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pkcs1 = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    return [spki, spki.strip(), pkcs1, pkcs1.strip()]
