"""`apiward scan` end to end against the demo on loopback: formats, exit codes, baseline, config errors."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner

from apiward.cli import main
from apiward.demo import create_app, demo_scan_config, openapi_text, serve

_PATHS = {"/api/v2/auth/login", "/api/v2/reports", "/api/v2/reports/{reportId}", "/api/v2/orders/export"}
CHECKS = (
    "SCN-010,version-disclosure,SCN-091"  # fast checks: missing authentication (high), version (low), deprecated (low)
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    tmp = tmp_path_factory.mktemp("cli")
    spec = tmp / "openapi.yaml"
    document = yaml.safe_load(openapi_text())
    document["paths"] = {p: v for p, v in document["paths"].items() if p in _PATHS}  # a small, fast scan
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    with serve(create_app(secure=False)) as handle:
        config = tmp / "scan.yaml"
        config.write_text(yaml.safe_dump(demo_scan_config(handle.url)), encoding="utf-8")
        yield handle.url, spec, config


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["scan", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_report_shape_and_exit_code(demo: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, spec, config = demo
    out = tmp_path / "scan.json"
    code, _, err = _run(
        str(spec), "-t", url, "-c", str(config), "--checks", CHECKS, "-f", "json", "-o", str(out), "--no-progress"
    )
    assert code == 1, err
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["kind"] == "scan"
    finding = doc["findings"][0]
    for key in ("check_id", "owasp", "severity", "confidence", "operation", "evidence", "curl"):
        assert key in finding
    assert finding["curl"].startswith("curl ")
    stats = doc["stats"]
    assert stats["requests"] > 0
    assert stats["duration_s"] > 0
    assert stats["coverage"]["GET /api/v2/reports/{reportId}"]["succeeded"] is True
    assert {f["check_id"] for f in doc["findings"]} <= {"SCN-010", "SCN-083", "SCN-091"}


@pytest.mark.parametrize("fmt", ["sarif", "junit", "html", "markdown", "console"])
def test_other_formats(demo: tuple[str, Path, Path], tmp_path: Path, fmt: str) -> None:
    url, spec, config = demo
    out = tmp_path / f"scan.{fmt}"
    code, _, err = _run(
        str(spec),
        "-t",
        url,
        "-c",
        str(config),
        "--checks",
        "SCN-083",
        "-f",
        fmt,
        "-o",
        str(out),
        "--no-progress",
        "--fail-on",
        "critical",
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "SCN-083" in text
    if fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"]
    elif fmt == "junit":
        ElementTree.fromstring(text)
    elif fmt == "html":
        assert "<script src=" not in text
        assert '<link rel="stylesheet" href=' not in text


def test_baseline_suppresses_known_findings(demo: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, spec, config = demo
    first = tmp_path / "first.json"
    _run(str(spec), "-t", url, "-c", str(config), "--checks", CHECKS, "-f", "json", "-o", str(first), "--no-progress")
    code, _, err = _run(
        str(spec),
        "-t",
        url,
        "-c",
        str(config),
        "--checks",
        CHECKS,
        "-f",
        "json",
        "--baseline",
        str(first),
        "--no-progress",
    )
    assert code == 0, err


def test_plain_progress_lines_when_not_a_tty(demo: tuple[str, Path, Path]) -> None:
    url, spec, config = demo
    _, _, err = _run(str(spec), "-t", url, "-c", str(config), "--checks", "SCN-083", "--fail-on", "critical")
    assert "scan: check 1/1 SCN-083" in err
    assert "scan: done:" in err


def test_config_error_exits_2_with_key_path(demo: tuple[str, Path, Path], tmp_path: Path) -> None:
    url, spec, _ = demo
    bad = tmp_path / "bad.yaml"
    bad.write_text("identities:\n  a: {role: admn}\n", encoding="utf-8")
    code, _, err = _run(str(spec), "-t", url, "-c", str(bad))
    assert code == 2
    assert "identities.a.role" in err
    assert "did you mean 'admin'" in err
    assert "Traceback" not in err


def test_unknown_check_exits_2(demo: tuple[str, Path, Path]) -> None:
    url, spec, config = demo
    code, _, err = _run(str(spec), "-t", url, "-c", str(config), "--checks", "SCN-999")
    assert code == 2
    assert "SCN-999" in err


def test_unreachable_target_exits_3(demo: tuple[str, Path, Path]) -> None:
    _, spec, _ = demo
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = _run(str(spec), "-t", f"http://127.0.0.1:{port}", "--checks", "SCN-083", "--no-progress")
    assert code == 3, err
    assert "Traceback" not in err


def test_list_checks() -> None:
    code, out, _ = _run("--list-checks")
    assert code == 0
    assert "SCN-001" in out
    assert "SCN-114" in out
