"""`apiward events query` and `apiward events timeline` over a real SQLite / JSONL store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from apiward.cli import main
from apiward.cli._events import parse_when
from apiward.core import Decision, Identity, Operation, SecurityEvent
from apiward.events import open_sink


def _events() -> list[SecurityEvent]:
    out = []
    for i in range(12):
        out.append(
            SecurityEvent(
                kind="request",
                decision=Decision.DENY if i in (4, 5) else Decision.ALLOW,
                operation=Operation(method="GET", path="/accounts/{id}"),
                method="GET",
                path=f"/accounts/{i}",
                status=404 if i in (4, 5) else 200,
                client_ip="192.0.2.7" if i % 2 else "192.0.2.8",
                identity=Identity(subject="mallory" if i < 6 else "alice", kind="jwt", token_fingerprint="sha256:aa"),
                timestamp=1_700_000_000.0 + i * 10,
            )
        )
    out.append(
        SecurityEvent(
            kind="detection",
            decision=Decision.ALERT,
            identity=Identity(subject="mallory"),
            matched_rules=("ANL-BOLA-001",),
            reason="enumerated 6 ids",
            timestamp=1_700_000_065.0,
        )
    )
    return out


@pytest.fixture(params=["sqlite", "jsonl"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = f"{request.param}://{tmp_path}/events.{request.param}"
    sink = open_sink(url, spool_dir=tmp_path / "spool")
    sink.start_sync()
    for e in _events():
        sink.emit(e)
    assert sink.flush_sync(10)
    sink.close()
    return url


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_query_filters_json(store: str) -> None:
    code, out = run("events", "query", "--store", store, "--identity", "mallory", "--decision", "deny", "-f", "json")
    assert code == 0, out
    assert [e["path"] for e in json.loads(out)] == ["/accounts/4", "/accounts/5"]
    code, out = run("events", "query", "--store", store, "--ip", "192.0.2.7", "--since", "1700000050", "-f", "json")
    assert [e["path"] for e in json.loads(out)] == ["/accounts/5", "/accounts/7", "/accounts/9", "/accounts/11"]
    code, out = run("events", "query", "--store", store, "--kind", "detection", "-f", "json")
    assert json.loads(out)[0]["matched_rules"] == ["ANL-BOLA-001"]
    code, out = run(
        "events", "query", "--store", store, "--operation", "GET /accounts/{id}", "--limit", "3", "-f", "json"
    )
    assert len(json.loads(out)) == 3


def test_query_table(store: str) -> None:
    code, out = run("events", "query", "--store", store, "--token", "sha256:aa", "--limit", "2")
    assert code == 0
    assert "/accounts/{id}" in out
    assert "2 event(s)" in out


def test_timeline(store: str) -> None:
    code, out = run("events", "timeline", "mallory", "--store", store, "-f", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["summary"]["events"] == 7
    assert data["summary"]["ips"] == ["192.0.2.7", "192.0.2.8"]
    assert data["summary"]["detections"][0]["rule"] == "ANL-BOLA-001"
    code, out = run("events", "timeline", "mallory", "--store", store)
    assert "detection" in out
    assert "enumerated 6 ids" in out


def test_missing_store_is_runtime_error(tmp_path: Path) -> None:
    code, out = run("events", "query", "--store", str(tmp_path / "nope.sqlite"))
    assert code == 3
    assert "no event store" in out


def test_malformed_jsonl_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    code, out = run("events", "query", "--store", f"jsonl://{bad}")
    assert code == 2
    assert f"{bad}:1" in out


def test_bad_store_url_is_usage_error() -> None:
    code, _out = run("events", "query", "--store", "redis://x")
    assert code == 2


def test_parse_when() -> None:
    assert parse_when("2h", now=10_000.0) == 10_000.0 - 7200
    assert parse_when("2023-11-14T22:13:20Z") == 1_700_000_000.0
    assert parse_when("1700000000") == 1_700_000_000.0


def test_reference_page_is_up_to_date() -> None:
    """docs/reference/events.md is generated: run `apiward events reference -o docs/reference/events.md`."""
    page = Path(__file__).resolve().parents[3] / "docs" / "reference" / "events.md"
    code, out = run("events", "reference")
    assert code == 0
    assert page.read_text(encoding="utf-8") == out


def test_detect_replays_the_trail_and_records_alerts(tmp_path: Path) -> None:
    from apiward.analytics import generate

    scenario = generate(users=4, duration_s=1800, seed=5)
    db = tmp_path / "trail.sqlite"
    sink = open_sink(f"sqlite://{db}", spool_dir=tmp_path / "spool")
    sink.start_sync()
    for e in scenario.events:
        sink.emit(e)
    assert sink.flush_sync(30)
    sink.close()
    alerts_db = tmp_path / "alerts.sqlite"
    code, out = run("events", "detect", "--store", f"sqlite://{db}", "--record", f"sqlite://{alerts_db}", "-f", "json")
    assert code == 1, out  # high-severity alerts
    rules = {rule for a in json.loads(out) for rule in a["matched_rules"]}
    assert {"ANL-BOLA-001", "ANL-BOLA-002", "ANL-AUTH-001", "ANL-TOKEN-001", "ANL-EXFIL-001"} <= rules
    code, out = run("events", "query", "--store", f"sqlite://{alerts_db}", "--kind", "detection", "-f", "json")
    assert len(json.loads(out)) >= 5
    code, out = run("events", "detect", "--store", f"sqlite://{db}", "--until", "1700000600")
    assert code == 0, out
    assert "0 alert(s)" in out
    # the inventory reads the same SQLite trail
    code, out = run("inventory", str(db), "-f", "json")
    assert code == 0, out
    paths = {e["path"] for e in json.loads(out)["endpoints"]}
    assert {"/orders/{id}", "/products", "/login", "/me"} <= paths


def test_purge_applies_retention(store: str) -> None:
    code, out = run("events", "purge", "--store", store, "--older-than", "1700000050")
    if store.startswith("jsonl"):
        assert code == 2
        assert "rotated" in out
        return
    assert code == 0, out
    assert "deleted 5 event(s)" in out
    code, out = run("events", "query", "--store", store, "--limit", "0", "-f", "json")
    assert min(e["timestamp"] for e in json.loads(out)) >= 1_700_000_050
