"""The OpenAPI 3.1 that `apiward inventory --export-openapi` writes is accepted by `apiward scan`."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from apiward.cli import main

APP = """
import json


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body = json.dumps({"id": 1, "name": "widget"}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})
"""


@pytest.fixture
def target(tmp_path: Path) -> Iterator[str]:
    """A real API in its own process (uvicorn on an inherited loopback socket)."""
    (tmp_path / "target_app.py").write_text(APP)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "target_app:app", "--fd", str(sock.fileno()), "--log-level", "error"],
        cwd=tmp_path,
        pass_fds=[sock.fileno()],
    )
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        for _ in range(200):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                threading.Event().wait(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        sock.close()


@pytest.mark.slow
def test_inferred_description_drives_a_scan(tmp_path: Path, target: str) -> None:
    log = tmp_path / "access.log"
    lines = [
        {"request_method": "GET", "request_uri": f"/widgets/{i}", "status": 200, "http_authorization": "Bearer x"}
        for i in range(30)
    ]
    lines.append({"request_method": "POST", "request_uri": "/widgets", "status": 201, "http_authorization": "Bearer x"})
    lines.append({"request_method": "GET", "request_uri": "/widgets?page=2", "status": 200})
    log.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    spec = tmp_path / "inferred.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["inventory", str(log), "--export-openapi", str(spec), "--server", target])
    assert result.exit_code == 0, result.output
    report = tmp_path / "scan.json"
    scan = subprocess.run(
        [
            str(Path(sys.executable).with_name("apiward")),
            "scan",
            str(spec),
            "-t",
            target,
            "--max-requests",
            "40",
            "--max-time",
            "30",
            "-f",
            "json",
            "-o",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scan.returncode in (0, 1), scan.stderr  # findings or not, the description was accepted
    data = json.loads(report.read_text())
    assert {"GET /widgets/{widgetId}", "POST /widgets", "GET /widgets"} <= set(data["stats"]["coverage"])
