"""API keys stored hashed: ``sha256:<hex>``, ``hmac-sha256:<hex>`` (with a pepper) or scrypt.

Formats (all produced by :func:`hash_api_key`):

- ``sha256:<64 hex>`` — fine for long random keys (>= 128 bits), where a fast hash is enough;
- ``hmac-sha256:<64 hex>`` — the same keyed with a server-side pepper (``${ENV}``), so a leaked config
  alone does not allow offline guessing;
- ``scrypt:<log2 n>:<r>:<p>:<salt b64>:<hash b64>`` — a slow hash for low-entropy keys.

Fast hashes are looked up by digest (the attacker cannot steer a digest, and the final comparison is
``hmac.compare_digest``); scrypt entries are verified one by one (narrowed by ``prefix`` when given).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from apiward.core import ConfigError

__all__ = ["StoredKey", "hash_api_key", "parse_stored"]

_SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredKey:
    method: str  # sha256 | hmac-sha256 | scrypt
    digest: bytes
    salt: bytes = b""
    n: int = 0
    r: int = 0
    p: int = 0

    def matches(self, presented: bytes, pepper: bytes) -> bool:
        return hmac.compare_digest(self.compute(presented, pepper), self.digest)

    def compute(self, presented: bytes, pepper: bytes) -> bytes:
        if self.method == "sha256":
            return hashlib.sha256(presented).digest()
        if self.method == "hmac-sha256":
            return hmac.new(pepper, presented, hashlib.sha256).digest()
        return hashlib.scrypt(presented, salt=self.salt, n=self.n, r=self.r, p=self.p, maxmem=_SCRYPT_MAXMEM)


def parse_stored(text: str, *, pointer: str) -> StoredKey:
    method, _, rest = text.partition(":")
    try:
        if method in ("sha256", "hmac-sha256"):
            digest = bytes.fromhex(rest)
            if len(digest) != 32:
                raise ValueError("a sha256 digest has 64 hex digits")
            return StoredKey(method, digest)
        if method == "scrypt":
            log_n, r, p, salt, digest_b64 = rest.split(":")
            n = 1 << int(log_n)
            stored = StoredKey("scrypt", base64.b64decode(digest_b64), base64.b64decode(salt), n=n, r=int(r), p=int(p))
            if not 10 <= int(log_n) <= 20:
                raise ValueError("scrypt log2(n) must be between 10 and 20")
            return stored
    except ValueError as exc:
        raise ConfigError(f"malformed key hash: {exc}", pointer=pointer) from exc
    raise ConfigError(
        "a key hash starts with 'sha256:', 'hmac-sha256:' or 'scrypt:' (keys are never stored in clear)",
        pointer=pointer,
    )


def hash_api_key(key: str, method: str = "sha256", *, pepper: str = "", log_n: int = 14) -> str:
    """The stored form of ``key`` for the config file."""
    raw = key.encode()
    if method == "sha256":
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    if method == "hmac-sha256":
        if not pepper:
            raise ValueError("hmac-sha256 needs a pepper")
        return "hmac-sha256:" + hmac.new(pepper.encode(), raw, hashlib.sha256).hexdigest()
    if method == "scrypt":
        salt = secrets.token_bytes(16)
        digest = hashlib.scrypt(raw, salt=salt, n=1 << log_n, r=8, p=1, maxmem=_SCRYPT_MAXMEM)
        return f"scrypt:{log_n}:8:1:{base64.b64encode(salt).decode()}:{base64.b64encode(digest).decode()}"
    raise ValueError(f"unknown method {method!r}")
