"""CLI output snapshots (paths normalised). Refresh with APIWARD_UPDATE_SNAPSHOTS=1 after a deliberate change."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from apiward.cli import main
from apiward.core import Decision, Identity, Operation, SecurityEvent, Severity
from apiward.events import open_sink

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check(name: str, text: str, tmp_path: Path) -> None:
    text = text.replace(str(tmp_path), "<tmp>")
    text = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    path = SNAPSHOTS / name
    if os.environ.get("APIWARD_UPDATE_SNAPSHOTS") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {name}: run with APIWARD_UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8"), f"snapshot {name} changed"


@pytest.fixture
def trail(tmp_path: Path) -> Path:
    db = tmp_path / "trail.sqlite"
    sink = open_sink(f"sqlite://{db}", spool_dir=tmp_path / "spool")
    sink.start_sync()
    op = Operation(method="GET", path="/accounts/{id}")
    for i in range(4):
        sink.emit(
            SecurityEvent(
                kind="request",
                id=f"ev{i}",
                decision=Decision.DENY if i else Decision.ALLOW,
                operation=op,
                method="GET",
                path=f"/accounts/{100 + i}",
                status=403 if i else 200,
                client_ip="192.0.2.7",
                user_agent="curl/8.4",
                identity=Identity(subject="mallory", kind="jwt", token_fingerprint="sha256:00112233aabbccdd"),
                timestamp=1_700_000_000.0 + i * 1.5,
                matched_rules=("GW-AUTHZ-001",) if i else (),
            )
        )
    sink.emit(
        SecurityEvent(
            kind="detection",
            id="det1",
            decision=Decision.ALERT,
            severity=Severity.HIGH,
            identity=Identity(subject="mallory"),
            client_ip="192.0.2.7",
            matched_rules=("ANL-BOLA-002",),
            reason="walked 3 consecutive ids",
            timestamp=1_700_000_005.0,
        )
    )
    assert sink.flush_sync(10)
    sink.close()
    return db


def test_timeline_table(trail: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["events", "timeline", "mallory", "--store", f"sqlite://{trail}"])
    assert result.exit_code == 0, result.output
    check("timeline.txt", result.output, tmp_path)


def test_query_table(trail: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["events", "query", "--store", f"sqlite://{trail}", "--decision", "deny"])
    assert result.exit_code == 0, result.output
    check("query.txt", result.output, tmp_path)


def test_inventory_table(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    rows = [
        {"request_method": "GET", "request_uri": f"/v1/items/{i}", "status": 200, "http_authorization": "Bearer x"}
        for i in range(3)
    ]
    rows.append({"request_method": "GET", "request_uri": "/v2/items/1?email=a@example.com", "status": 200})
    log.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = CliRunner().invoke(main, ["inventory", str(log)])
    assert result.exit_code == 0, result.output
    check("inventory.txt", result.output, tmp_path)
