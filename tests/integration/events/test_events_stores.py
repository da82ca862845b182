"""Every sink against a real store or listener on loopback."""

from __future__ import annotations

import http.server
import json
import re
import socket
import sqlite3
import ssl
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import trustme

from apiward.core import Decision, Identity, Operation, SecurityEvent, Severity
from apiward.events import EventQuery, open_sink, open_store


def ev(i: int, **kw: object) -> SecurityEvent:
    base: dict[str, object] = {
        "kind": "request",
        "decision": Decision.DENY if i % 3 == 0 else Decision.ALLOW,
        "operation": Operation(method="GET", path="/orders/{id}"),
        "method": "GET",
        "path": f"/orders/{i}",
        "status": 403 if i % 3 == 0 else 200,
        "client_ip": f"10.0.0.{i % 4}",
        "user_agent": "curl/8",
        "identity": Identity(subject=f"user{i % 2}", kind="jwt", token_fingerprint=f"sha256:{i % 2:016x}"),
        "timestamp": 1_700_000_000.0 + i,
        "severity": Severity.MEDIUM,
        "detail": {"authorization": "Bearer abc.def.ghi", "note": "password=hunter2"},
    }
    base.update(kw)
    return SecurityEvent(**base)  # type: ignore[arg-type]


async def deliver(url: str, events: list[SecurityEvent], tmp_path: Path) -> None:
    sink = open_sink(url, spool_dir=tmp_path / "spool")
    await sink.start()
    for e in events:
        sink.emit(e)
    assert await sink.flush(20), sink.stats
    await sink.aclose()
    assert sink.stats.dropped == 0


async def test_sqlite_roundtrip_and_query(tmp_path: Path) -> None:
    db = tmp_path / "events.sqlite"
    events = [ev(i) for i in range(30)]
    await deliver(f"sqlite://{db}", events, tmp_path)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        raw = "".join(r[0] for r in conn.execute("select doc from events"))
    assert "hunter2" not in raw
    assert "abc.def.ghi" not in raw
    store = open_store(f"sqlite://{db}")
    assert len(store.query(EventQuery(subject="user1"))) == 15
    assert [e.path for e in store.query(EventQuery(client_ip="10.0.0.1", decision=Decision.DENY))] == [
        "/orders/9",
        "/orders/21",
    ]
    assert len(store.query(EventQuery(since=1_700_000_010.0, until=1_700_000_020.0))) == 10
    assert len(store.query(EventQuery(operation="GET /orders/{id}", limit=5))) == 5
    assert store.query(EventQuery(principal="sha256:0000000000000001"))[0].path == "/orders/1"
    store.close()


async def test_jsonl_rotates_and_is_queryable_across_files(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    await deliver(f"jsonl://{path}?max_bytes=4000&backups=50", [ev(i) for i in range(40)], tmp_path)
    assert (tmp_path / "e.jsonl.1").exists()
    store = open_store(f"jsonl://{path}")
    got = store.query(EventQuery(limit=None))
    assert [e.path for e in got] == [f"/orders/{i}" for i in range(40)]


async def test_ecs_and_ocsf_documents(tmp_path: Path) -> None:
    det = ev(1, kind="detection", decision=Decision.ALERT, matched_rules=("ANL-BOLA-001",), reason="enumeration")
    await deliver(f"ecs+jsonl://{tmp_path}/ecs.jsonl", [ev(0), det], tmp_path)
    await deliver(f"ocsf+jsonl://{tmp_path}/ocsf.jsonl", [ev(0), det], tmp_path / "o")
    ecs = [json.loads(x) for x in (tmp_path / "ecs.jsonl").read_text().splitlines()]
    assert ecs[0]["event"]["outcome"] == "failure"
    assert ecs[0]["source"]["ip"] == "10.0.0.0"
    assert ecs[0]["http"]["response"]["status_code"] == 403
    assert ecs[1]["event"]["kind"] == "alert"
    assert ecs[0]["@timestamp"].endswith("Z")
    ocsf = [json.loads(x) for x in (tmp_path / "ocsf.jsonl").read_text().splitlines()]
    assert ocsf[0]["class_uid"] == 4002
    assert ocsf[0]["action_id"] == 2
    assert ocsf[1]["class_uid"] == 2004
    assert ocsf[1]["finding_info"]["analytic"]["name"] == "ANL-BOLA-001"


@pytest.fixture
def pg_table(postgres_dsn: str) -> Iterator[str]:
    table = f"apiward_ev_{uuid.uuid4().hex[:10]}"
    yield table
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")


async def test_postgres_copy_dedup_and_query(tmp_path: Path, postgres_dsn: str, pg_table: str) -> None:
    url = f"{postgres_dsn}?table={pg_table}"
    events = [ev(i) for i in range(25)]
    await deliver(url, events, tmp_path)
    await deliver(url, events[:10], tmp_path)  # replayed duplicates are ignored
    with psycopg.connect(postgres_dsn) as conn:
        assert conn.execute(f"select count(*) from {pg_table}").fetchone() == (25,)
    store = open_store(url)
    assert [e.path for e in store.query(EventQuery(client_ip="10.0.0.2", decision=Decision.ALLOW))] == [
        f"/orders/{i}" for i in (2, 10, 14, 22)
    ]
    assert len(store.query(EventQuery(since=1_700_000_020.0))) == 5
    store.close()


class _Collector:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.done = threading.Event()


def _udp_listener(col: _Collector, expected: int) -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(10)

    def run() -> None:
        with sock:
            while len(col.messages) < expected:
                col.messages.append(sock.recv(70_000))
        col.done.set()

    threading.Thread(target=run, daemon=True).start()
    return int(sock.getsockname()[1])


def _tcp_listener(col: _Collector, expected: int, context: ssl.SSLContext | None = None) -> int:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)

    def run() -> None:
        conn, _ = server.accept()
        if context is not None:
            conn = context.wrap_socket(conn, server_side=True)
        buf = b""
        with conn, server:
            while len(col.messages) < expected:
                data = conn.recv(65536)
                if not data:
                    break
                buf += data
                while (m := re.match(rb"(\d+) ", buf)) and len(buf) >= m.end() + int(m.group(1)):
                    n = int(m.group(1))
                    col.messages.append(buf[m.end() : m.end() + n])
                    buf = buf[m.end() + n :]
        col.done.set()

    threading.Thread(target=run, daemon=True).start()
    return int(server.getsockname()[1])


SYSLOG_RE = re.compile(rb"^<(\d+)>1 \S+Z \S+ apiward - (request|detection) - CEF:0\|apiward\|apiward\|[^|]+\|")


@pytest.mark.parametrize("transport", ["udp", "tcp", "tls"])
async def test_syslog_cef(tmp_path: Path, transport: str) -> None:
    col = _Collector()
    query = ""
    if transport == "udp":
        port = _udp_listener(col, 5)
    elif transport == "tcp":
        port = _tcp_listener(col, 5)
    else:
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(server_ctx)
        ca_file = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        port = _tcp_listener(col, 5, server_ctx)
        query = f"&ca={ca_file}"
    await deliver(f"syslog+{transport}://127.0.0.1:{port}?facility=local4{query}", [ev(i) for i in range(5)], tmp_path)
    assert col.done.wait(10)
    assert len(col.messages) == 5
    first = col.messages[0]
    m = SYSLOG_RE.match(first)
    assert m, first
    assert int(m.group(1)) == 20 * 8 + 4  # local4, warning (medium)
    assert b"src=10.0.0.0" in first
    assert b"suser=user0" in first
    assert b"cs1=GET /orders/{id}" in first
    assert b"hunter2" not in b"".join(col.messages)


async def test_webhook_retries_until_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIWARD_TEST_HOOK_TOKEN", "s3cr3t-hook-token")
    bodies: list[dict[str, object]] = []
    answers = [503]
    auth: list[str | None] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            auth.append(self.headers.get("authorization"))
            body = self.rfile.read(int(self.headers["content-length"]))
            status = answers.pop() if answers else 204
            if status == 204:
                bodies.append(json.loads(body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"webhook+http://127.0.0.1:{server.server_address[1]}/hook?token_env=APIWARD_TEST_HOOK_TOKEN"
        sink = open_sink(url, spool_dir=tmp_path, retry_max_s=0.05)
        await sink.start()
        for i in range(3):
            sink.emit(ev(i))
        assert await sink.flush(20)
        await sink.aclose()
        assert sink.stats.write_errors >= 1
    finally:
        server.shutdown()
        server.server_close()
    paths = [e["path"] for b in bodies for e in b["events"]]  # type: ignore[attr-defined]
    assert set(auth) == {"Bearer s3cr3t-hook-token"}
    assert paths == ["/orders/0", "/orders/1", "/orders/2"]


async def test_postgres_purge(tmp_path: Path, postgres_dsn: str, pg_table: str) -> None:
    url = f"{postgres_dsn}?table={pg_table}"
    await deliver(url, [ev(i) for i in range(10)], tmp_path)
    store = open_store(url)
    assert store.purge(1_700_000_004.0) == 4
    assert len(store.query(EventQuery(limit=None))) == 6
    store.close()
