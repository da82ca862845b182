"""`apiward demo`, `apiward demo serve` and `apiward demo config` end to end (real servers on loopback)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from apiward.cli import main
from apiward.scan import ScanConfig


def test_demo_config_prints_yaml_the_scanner_accepts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "config", "--target", "http://127.0.0.1:8123"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["target"] == "http://127.0.0.1:8123"
    assert data["identities"]["alice"]["role"] == "user"
    assert data["identities"]["bob"]["role"] == "user2"
    path = tmp_path / "scan.yaml"
    path.write_text(result.output, encoding="utf-8")
    config = ScanConfig.from_yaml(path)
    assert config.by_role("low") is not None
    assert config.throwaway is not None


def test_demo_serve_refuses_a_public_host() -> None:
    result = CliRunner().invoke(main, ["demo", "serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "127.0.0.1" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("app", ["vulnerable", "secure"])
def test_demo_serve_runs_until_interrupted(app: str) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-c",
        "from apiward.cli import main; main()",
        "demo",
        "serve",
        "--app",
        app,
        "--port",
        "0",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            assert first.startswith(f"{app} demo API on http://127.0.0.1:"), first
            url = first.split()[4]
            r = httpx.get(f"{url}/api/v2/products", trust_env=False, timeout=10)
            assert r.status_code == 200
            assert ("x-content-type-options" in r.headers) is (app == "secure")
        finally:
            proc.send_signal(signal.SIGINT if app == "vulnerable" else signal.SIGTERM)
            _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err


@pytest.mark.slow
def test_demo_scans_reports_and_protects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--checks", "SCN-084,SCN-100"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "apiward-report.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "SCN-084" in result.output
    assert "SCN-100" in result.output
    assert "blocked" in result.output
    assert "Traceback" not in result.output


def test_demo_config_output_matches_the_snapshot() -> None:
    result = CliRunner().invoke(main, ["demo", "config", "--target", "http://127.0.0.1:54321/"])
    assert result.exit_code == 0
    normalised = result.output.replace("127.0.0.1:54321", "127.0.0.1:8000")
    snapshot = Path(__file__).with_name("demo_config.snapshot.yaml").read_text(encoding="utf-8")
    assert normalised == snapshot


def test_demo_serve_reports_a_busy_port_in_one_line() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["demo", "serve", "--port", str(port)])
    assert result.exit_code == 3
    assert "in use or not permitted" in result.output
    assert "Traceback" not in result.output
