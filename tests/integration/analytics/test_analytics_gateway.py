"""Through the real gateway: normal users and attackers send HTTP requests; the audit policy's sink feeds
the detectors (``MonitorSink``); every attacker is detected and no normal user is flagged.

Request times are real here, so detector windows are fixed buckets of wall time. Each attack is at
least twice its threshold, so whichever side of a bucket boundary holds more of it still crosses.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from apiward.analytics import BehaviourMonitor, MonitorSink, Remediation
from apiward.analytics.detectors.bola_enumeration import BolaEnumeration, BolaEnumerationSettings
from apiward.analytics.detectors.credential_stuffing import CredentialStuffing, CredentialStuffingSettings
from apiward.analytics.detectors.exfiltration import Exfiltration, ExfiltrationSettings
from apiward.analytics.detectors.sequential_ids import SequentialIdWalk
from apiward.analytics.detectors.token_sharing import TokenSharing
from apiward.core import token_fingerprint
from apiward.events import EventQuery, open_sink, open_store
from apiward.gateway import serve
from apiward.gateway._context import PolicyContext
from apiward.gateway._policy import Mode
from apiward.gateway.policies.audit import Audit
from apiward.state import MemoryBackend

SPEC = """
openapi: 3.1.0
info: {title: shop, version: "1"}
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
paths:
  /login:
    post: {operationId: login, security: [], responses: {"200": {description: ok}, "401": {description: denied}}}
  /orders/{id}:
    get:
      operationId: getOrder
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {"200": {description: ok}, "403": {description: not yours}}
  /products:
    get: {operationId: listProducts, responses: {"200": {description: ok}}}
  /me:
    get: {operationId: me, responses: {"200": {description: ok}}}
"""

USERS = [f"user{i}" for i in range(6)] + ["mallory", "trent", "sam"]


def key_of(user: str) -> str:
    return f"key-{user}-0123456789abcdef"


async def shop(scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Any) -> None:
    """The API behind the gateway: each user owns orders 100*i..100*i+9; the catalogue pages are large."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    path: str = scope["path"]
    headers = dict(scope["headers"])
    user = next((u for u in USERS if headers.get(b"x-api-key", b"").decode() == key_of(u)), None)
    status, body = 200, b'{"ok": true}'
    if path == "/login":
        status = 401
    elif path.startswith("/orders/"):
        owner = int(path.rsplit("/", 1)[1]) // 100
        status = 200 if user is not None and USERS.index(user) == owner else 403
    elif path == "/products":
        body = b'{"items": "' + b"x" * 50_000 + b'"}'
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
async def upstream_url() -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(shop, lifespan="off", log_level="error", access_log=False))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    await task
    sock.close()


@pytest.mark.slow
async def test_attackers_through_the_gateway_are_detected(upstream_url: str, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(SPEC)
    detectors = [
        BolaEnumeration(BolaEnumerationSettings(distinct_ids=200, denied_ids=20)),
        SequentialIdWalk(),
        CredentialStuffing(CredentialStuffingSettings(failures_without_usernames=15)),
        TokenSharing(),
        Exfiltration(ExfiltrationSettings(hard_cap_bytes=1_000_000)),
    ]
    db = tmp_path / "events.sqlite"
    # The audit policy object must exist before the gateway; the monitor needs the gateway's state
    # (its block list), so it is put in place once the gateway runs.
    sink = MonitorSink(BehaviourMonitor(MemoryBackend(), detectors=[]), inner=open_sink(f"sqlite://{db}"))
    async with httpx.AsyncClient() as http:
        ctx = PolicyContext(mode=Mode.ENFORCE, model=None, state=MemoryBackend(), http=http)
        audit = Audit({}, ctx, sink=sink)
        config = {
            "upstream": {"url": upstream_url},
            "listen": {"port": 0},
            "spec": str(spec),
            "trusted_proxies": ["127.0.0.1/32"],
            "policies": {
                "threat": {"mode": "off"},
                "authn_apikey": {
                    "keys": [
                        {"id": u, "subject": u, "hash": "sha256:" + hashlib.sha256(key_of(u).encode()).hexdigest()}
                        for u in USERS
                    ]
                },
            },
        }
        gateway = await serve(config, policy_overrides={"audit": audit})
        state = gateway.state
        sink.monitor = BehaviourMonitor(state, detectors=detectors, remediation=Remediation(state), sink=sink.inner)
        try:
            base = f"http://127.0.0.1:{gateway.port}"
            await _traffic(base)
            await sink.join()
            # remediation acts through the gateway's own block-list policy
            async with httpx.AsyncClient(base_url=base) as client:
                r = await client.get("/me", headers={"X-API-Key": key_of("mallory"), "X-Forwarded-For": "10.0.2.1"})
                assert r.status_code == 403
                r = await client.post("/login", json={}, headers={"X-Forwarded-For": "203.0.113.66"})
                assert r.status_code == 403
                r = await client.get("/me", headers={"X-API-Key": key_of("user1"), "X-Forwarded-For": "10.0.1.1"})
                assert r.status_code == 200
            await sink.join()
        finally:
            await gateway.close()
    assert sink.stats.skipped == 0
    store = open_store(f"sqlite://{db}")
    alerts = store.query(EventQuery(kind="detection", limit=None))
    requests = store.query(EventQuery(kind="request", limit=None))
    store.close()
    assert len(requests) == 3 * 6 * 3 + 45 + 35 + 20 + 45 + 3
    # once detected, the rest of each blocked attack is refused by the gateway itself; nobody else is
    blocked = [e for e in requests if {"GW-BLK-001", "GW-BLK-003"} & set(e.matched_rules)]
    assert {e.identity.subject if e.identity else e.client_ip for e in blocked} == {"mallory", "sam", "203.0.113.66"}
    by_principal: dict[tuple[str, str], set[str]] = defaultdict(set)
    for alert in alerts:
        p = alert.detail["principal"]
        by_principal[(p["kind"], p["value"])].add(alert.matched_rules[0])
    assert {"ANL-BOLA-001", "ANL-BOLA-002"} <= by_principal[("identity", "mallory")]
    assert "ANL-AUTH-001" in by_principal[("ip", "203.0.113.66")]
    assert "ANL-TOKEN-001" in by_principal[("token", token_fingerprint(key_of("trent")))]
    assert "ANL-EXFIL-001" in by_principal[("identity", "sam")]
    normal = {("identity", u) for u in USERS[:6]}
    assert normal.isdisjoint(by_principal), by_principal


async def _traffic(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:

        async def get(user: str, path: str, ip: str = "10.0.0.1") -> int:
            r = await client.get(path, headers={"X-API-Key": key_of(user), "X-Forwarded-For": ip})
            return r.status_code

        for round_ in range(3):  # normal users: their own orders, the catalogue, their profile
            for i, user in enumerate(USERS[:6]):
                assert await get(user, f"/orders/{i * 100 + round_}", f"10.0.1.{i}") == 200
                assert await get(user, "/products?page=1", f"10.0.1.{i}") == 200
                assert await get(user, "/me", f"10.0.1.{i}") == 200
        for n in range(45):  # enumerator: walks everybody's orders, id by id
            await get("mallory", f"/orders/{n}", "10.0.2.1")
        for n in range(35):  # stuffer: login failures from one address
            await client.post("/login", json={"username": f"v{n}"}, headers={"X-Forwarded-For": "203.0.113.66"})
        for n in range(20):  # token sharer: one key from ten networks, twice round
            await get("trent", "/me", f"198.51.100.{n % 10 + 1}")
        for n in range(45):  # scraper: the whole catalogue, 2.25 MB
            await get("sam", f"/products?page={n}", "10.0.3.1")
