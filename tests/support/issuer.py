"""A real loopback token issuer for tests: JWKS, OIDC discovery and RFC 7662 introspection.

``Issuer`` runs a small threaded HTTP server on ``127.0.0.1`` (port 0), optionally over TLS with a
``trustme`` CA, and mints tokens with its own keys (RSA, EC P-256, Ed25519 and an HMAC secret)::

    with Issuer() as issuer:
        token = issuer.mint({"sub": "alice", "scope": "read"})
        opaque = issuer.issue_opaque(sub="bob", scope="read write")

Endpoints: ``/.well-known/openid-configuration``, ``/jwks``, ``/introspect`` (HTTP Basic client auth),
``/token`` (client_credentials, returns a JWT). Hit counters let tests see caching and refetching.
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

__all__ = ["Issuer", "SigningKey"]


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: Any
    public_jwk: dict[str, Any]

    @property
    def public_pem(self) -> str:
        return (
            self.private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )


def _rsa_key(kid: str, alg: str = "RS256") -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, alg, private, {**jwk, "kid": kid, "use": "sig"})


def _ec_key(kid: str) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "ES256", private, {**jwk, "kid": kid, "use": "sig"})


def _ed_key(kid: str) -> SigningKey:
    private = ed25519.Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "EdDSA", private, {**jwk, "kid": kid, "use": "sig"})


@dataclass
class _Opaque:
    claims: dict[str, Any]


@dataclass
class Issuer:
    """A JWKS / OIDC / introspection server on loopback. Use as a context manager."""

    tls: bool = False
    client_id: str = "gateway"
    client_secret: str = "gateway-secret"
    audience: str = "https://api.example.test"
    hits: Counter[str] = field(default_factory=Counter)
    hmac_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    #: JSON the next ``/jwks`` answers return instead of the key set (to test malformed key sets).
    jwks_override: Any = None
    introspection_status: int = 200

    def __post_init__(self) -> None:
        self.keys: list[SigningKey] = [_rsa_key("rsa-1"), _ec_key("ec-1"), _ed_key("ed-1")]
        self.opaque: dict[str, _Opaque] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._ca: Any = None
        self.ca_pem: bytes | None = None
        self._lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------------------------------
    def __enter__(self) -> Issuer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        issuer = self

        class Handler(_Handler):
            owner = issuer

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if self.tls:
            import trustme

            self._ca = trustme.CA()
            cert = self._ca.issue_cert("127.0.0.1", "localhost")
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            cert.configure_cert(ctx)
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
            self.ca_pem = self._ca.cert_pem.bytes()
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="test-issuer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def ssl_context(self) -> ssl.SSLContext:
        """A client context trusting this issuer's CA (TLS mode only)."""
        assert self._ca is not None
        ctx = ssl.create_default_context()
        self._ca.configure_trust(ctx)
        return ctx

    # -- addresses -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "issuer not started"
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host!s}:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/jwks"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    # -- keys and tokens -----------------------------------------------------------------------------------
    def key(self, kid: str) -> SigningKey:
        return next(k for k in self.keys if k.kid == kid)

    def rotate(self, *, drop_old: bool = False) -> SigningKey:
        """Add a fresh RSA key (new ``kid``); with ``drop_old`` the previous RSA keys leave the JWKS."""
        with self._lock:
            n = sum(1 for k in self.keys if k.kid.startswith("rsa-")) + 1
            new = _rsa_key(f"rsa-{n}")
            if drop_old:
                self.keys = [k for k in self.keys if not k.kid.startswith("rsa-")]
            self.keys.append(new)
            return new

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            return {"keys": [k.public_jwk for k in self.keys]}

    def claims(self, **extra: Any) -> dict[str, Any]:
        now = int(time.time())
        base: dict[str, Any] = {
            "iss": self.url,
            "aud": self.audience,
            "sub": "alice",
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            "scope": "read",
        }
        base.update(extra)
        return {k: v for k, v in base.items() if v is not None}

    def mint(
        self,
        claims: dict[str, Any] | None = None,
        *,
        kid: str = "rsa-1",
        alg: str | None = None,
        headers: dict[str, Any] | None = None,
        **extra: Any,
    ) -> str:
        """A token signed by key ``kid`` (``kid="hmac"`` signs with the shared HMAC secret)."""
        payload = claims if claims is not None else self.claims(**extra)
        if kid == "hmac":
            return jwt.encode(payload, self.hmac_secret, algorithm=alg or "HS256", headers=headers)
        key = self.key(kid)
        return jwt.encode(payload, key.private, algorithm=alg or key.alg, headers={"kid": kid, **(headers or {})})

    def issue_opaque(self, *, sub: str = "alice", scope: str = "read", ttl_s: int = 300, **extra: Any) -> str:
        token = secrets.token_urlsafe(24)
        now = int(time.time())
        claims = {"active": True, "sub": sub, "scope": scope, "exp": now + ttl_s, "iat": now, "iss": None, **extra}
        self.opaque[token] = _Opaque(claims)
        return token

    def revoke(self, token: str) -> None:
        self.opaque.pop(token, None)


class _Handler(BaseHTTPRequestHandler):
    owner: Issuer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        owner = self.owner
        path = self.path.split("?", 1)[0]
        owner.hits[path] += 1
        if path == "/.well-known/openid-configuration":
            self._send(
                200,
                {
                    "issuer": owner.url,
                    "jwks_uri": owner.jwks_url,
                    "introspection_endpoint": owner.introspection_url,
                    "token_endpoint": f"{owner.url}/token",
                    "id_token_signing_alg_values_supported": ["RS256", "ES256", "EdDSA"],
                },
            )
        elif path == "/jwks":
            self._send(200, owner.jwks_override if owner.jwks_override is not None else owner.jwks())
        else:
            self._send(404, {"error": "not_found"})

    def _client_ok(self, form: dict[str, list[str]] | None = None) -> bool:
        """client_secret_basic, or client_secret_post when the form carries the credentials."""
        auth = self.headers.get("Authorization", "")
        if form and "client_id" in form:
            user, password = form["client_id"][0], (form.get("client_secret") or [""])[0]
            return secrets.compare_digest(user, self.owner.client_id) and secrets.compare_digest(
                password, self.owner.client_secret
            )
        if not auth.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return False
        return secrets.compare_digest(user, self.owner.client_id) and secrets.compare_digest(
            password, self.owner.client_secret
        )

    def do_POST(self) -> None:
        owner = self.owner
        path = self.path.split("?", 1)[0]
        owner.hits[path] += 1
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if path == "/introspect":
            if not self._client_ok(form):
                self._send(401, {"error": "invalid_client"}, {"WWW-Authenticate": 'Basic realm="issuer"'})
                return
            if owner.introspection_status != 200:
                self._send(owner.introspection_status, {"error": "server_error"})
                return
            token = (form.get("token") or [""])[0]
            entry = owner.opaque.get(token)
            if entry is None or entry.claims.get("exp", 0) < time.time():
                self._send(200, {"active": False})
                return
            claims = {k: v for k, v in entry.claims.items() if v is not None}
            claims.setdefault("iss", owner.url)
            self._send(200, claims)
        elif path == "/token":
            if not self._client_ok():
                self._send(401, {"error": "invalid_client"})
                return
            scope = (form.get("scope") or ["read"])[0]
            token = owner.mint(sub=owner.client_id, scope=scope)
            self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 300})
        else:
            self._send(404, {"error": "not_found"})
