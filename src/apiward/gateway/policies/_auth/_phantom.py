"""Phantom tokens: the gateway swaps an opaque token for a short-lived JWT it signs for the upstream."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization

from apiward.core import ConfigError, Identity

__all__ = ["PhantomSigner"]

_PRIVATE_ALGS = ("RS256", "PS256", "ES256", "EdDSA")


class PhantomSigner:
    """Signs ``{iss, aud, sub, scope, exp, iat, ...}`` with a key from config (``secret`` or ``private_pem``)."""

    def __init__(self, options: Mapping[str, Any], *, pointer: str) -> None:
        self.header = str(options.get("header", "authorization"))
        self._issuer = options.get("issuer", "apiward")
        self._audience = options.get("audience")
        self._ttl_s = int(options.get("ttl_s", 60))
        self._kid = options.get("kid")
        alg = options.get("alg")
        self._key: Any
        if "secret" in options:
            secret = str(options["secret"]).encode()
            if len(secret) < 32:
                raise ConfigError("an HMAC secret must be at least 32 bytes", pointer=f"{pointer}.secret")
            self._alg = alg or "HS256"
            if not self._alg.startswith("HS"):
                raise ConfigError("a 'secret' signs with HS256/384/512", pointer=f"{pointer}.alg")
            self._key = secret
        elif "private_pem" in options:
            try:
                self._key = serialization.load_pem_private_key(str(options["private_pem"]).encode(), password=None)
            except (ValueError, TypeError) as exc:
                raise ConfigError(f"not a PEM private key: {exc}", pointer=f"{pointer}.private_pem") from exc
            self._alg = alg or "RS256"
            if self._alg not in _PRIVATE_ALGS:
                raise ConfigError(f"alg must be one of {list(_PRIVATE_ALGS)}", pointer=f"{pointer}.alg")
        else:
            raise ConfigError("a phantom token needs 'secret' or 'private_pem'", pointer=pointer)

    def sign(self, identity: Identity, answer: Mapping[str, Any], *, now: float | None = None) -> str:
        now = time.time() if now is None else now
        exp = now + self._ttl_s
        token_exp = answer.get("exp")
        if isinstance(token_exp, int | float):
            exp = min(exp, float(token_exp))
        claims: dict[str, Any] = {
            "iss": self._issuer,
            "sub": identity.subject,
            "iat": int(now),
            "exp": int(exp),
            "scope": " ".join(sorted(identity.scopes)),
        }
        if self._audience:
            claims["aud"] = self._audience
        for name in ("client_id", "tenant", "roles"):
            if name in answer:
                claims[name] = answer[name]
        headers = {"kid": self._kid} if self._kid else None
        return jwt.encode(claims, self._key, algorithm=self._alg, headers=headers)

    def header_value(self, token: str) -> str:
        return f"Bearer {token}" if self.header.lower() == "authorization" else token
