"""`apiward audit` end to end through the real command group: exit codes, formats, options, snapshot.

Regenerate the snapshot after an intended change of the human output with
``APIWARD_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/unit/cli/test_audit_cli.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result

from apiward.audit import builtin_rules
from apiward.cli import main
from apiward.cli._common import exit_code_for, handle_errors, parse_id_list, resolve_format, write_output
from apiward.core import (
    BackendError,
    Confidence,
    ConfigError,
    Cwe,
    Finding,
    InputError,
    OwaspApi2023,
    Severity,
    SpecError,
    TargetError,
)

TESTS = Path(__file__).resolve().parents[2]
PETSTORE = TESTS / "fixtures" / "specs" / "petstore-3.0.yaml"
SNAPSHOT = TESTS / "snapshots" / "audit-petstore-3.0.txt"
CLEAN = TESTS / "unit" / "audit" / "clean-api.yaml"
SARIF_SCHEMA = TESTS / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["audit", *args], catch_exceptions=False)


@pytest.fixture
def clean_spec(tmp_path: Path) -> Path:
    """A description no rule fires on (shared with the rule tests)."""
    path = tmp_path / "clean.yaml"
    path.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_example_is_audited_and_fails_on_high() -> None:
    result = run("--example")
    assert result.exit_code == 1, result.output
    assert "apiward audit  shop-api.yaml" in result.stdout
    assert "score " in result.stdout
    assert "CRITICAL (1)" in result.stdout


def test_fail_on_threshold_decides_the_exit_code() -> None:
    assert run("--example", "--fail-on", "critical").exit_code == 1
    assert run("--example", "--fail-on", "critical", "--skip-rules", "AUD-036").exit_code == 0


def test_clean_description_exits_zero(clean_spec: Path) -> None:
    result = run(str(clean_spec), "--fail-on", "info")
    assert result.exit_code == 0, result.output
    assert "No findings." in result.stdout
    assert "score 100/100" in result.stdout


def test_invalid_spec_exits_2_with_a_located_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n")
    with bad.open("a", encoding="utf-8") as fh:
        fh.write("        - name: x\n")
    result = run(str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert "bad.yaml" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "absent.yaml"))
    assert result.exit_code == 2
    assert "absent.yaml" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--example", "spec.yaml"),
        ("--example", "--format", "pdf"),
        ("--example", "--rules", "AUD-999"),
        ("--example", "--fail-on", "severe"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_sarif_to_file_is_schema_valid(tmp_path: Path) -> None:
    out = tmp_path / "out" / "audit.sarif"
    result = run("--example", "--format", "sarif", "-o", str(out), "--fail-on", "critical")
    assert result.exit_code == 1
    assert result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(doc)
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) == len(builtin_rules())
    assert doc["runs"][0]["results"]


@pytest.mark.parametrize("fmt", ["console", "json", "sarif", "markdown", "html", "junit"])
def test_every_format_renders(fmt: str) -> None:
    result = run("--example", "--format", fmt)
    assert result.exit_code == 1
    assert result.stdout.strip()


def test_min_severity_and_rule_selection() -> None:
    full = json.loads(run("--example", "--format", "json").stdout)
    doc = json.loads(run("--example", "--format", "json", "--min-severity", "high").stdout)
    assert doc["findings"]
    assert doc["score"] == full["score"]
    assert {f["severity"] for f in doc["findings"]} <= {"high", "critical"}
    doc = json.loads(run("--example", "--format", "json", "--rules", "aud-005,AUD-006").stdout)
    assert {f["check_id"] for f in doc["findings"]} == {"AUD-005", "AUD-006"}
    assert [r["id"] for r in doc["rules"]] == ["AUD-005", "AUD-006"]


def test_baseline_suppresses_known_findings(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    assert run("--example", "--format", "json", "-o", str(base)).exit_code == 1
    result = run("--example", "--baseline", str(base), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["findings"] == []
    assert doc["stats"]["suppressed"] > 0
    assert doc["score"] == json.loads(base.read_text(encoding="utf-8"))["score"] < 100


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("r.sarif", '"version": "2.1.0"'),
        ("r.json", '"kind": "audit"'),
        ("r.html", "<!DOCTYPE html>"),
        ("r.xml", "<testsuites"),
    ],
)
def test_format_follows_the_output_suffix(tmp_path: Path, name: str, marker: str) -> None:
    out = tmp_path / name
    assert run("--example", "-o", str(out)).exit_code == 1
    assert marker in out.read_text(encoding="utf-8")


def test_resolve_format() -> None:
    assert resolve_format("JSON", Path("x.sarif")) == "json"
    assert resolve_format(None, Path("x.sarif.json")) == "sarif"
    assert resolve_format(None, Path("x.unknown")) == "console"
    assert resolve_format(None, None) == "console"


def test_inline_ignores_are_counted_and_bad_ones_exit_2(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(CLEAN.read_text(encoding="utf-8") + "x-apiward-ignore: {AUD-030: servers live elsewhere}\n")
    text = spec.read_text(encoding="utf-8").replace("servers:\n- url: https://api.shop.io\n", "")
    spec.write_text(text, encoding="utf-8")
    doc = json.loads(run(str(spec), "-f", "json").stdout)
    assert doc["findings"] == []
    assert doc["stats"]["ignored_in_spec"] == 1
    spec.write_text(text.replace("AUD-030", "AUD-930"), encoding="utf-8")
    result = run(str(spec))
    assert result.exit_code == 2
    assert "AUD-930" in result.stderr


def test_list_rules() -> None:
    result = run("--list-rules")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(builtin_rules()) + 1
    assert lines[1].startswith("AUD-001 ")


def _normalise(text: str) -> str:
    return text.replace(str(PETSTORE), "petstore-3.0.yaml")


def test_human_output_snapshot_on_petstore_3_0() -> None:
    """The console report on Petstore 3.0 is stable (paths normalised; the console shows no timestamps)."""
    result = run(str(PETSTORE))
    assert result.exit_code == 1, result.output
    text = _normalise(result.stdout)
    if os.environ.get("APIWARD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert text == SNAPSHOT.read_text(encoding="utf-8"), "set APIWARD_UPDATE_SNAPSHOTS=1 to accept the new output"


# --- shared helpers in apiward.cli._common (used by every command) ---------------------------------


def _command(error: BaseException) -> click.Command:
    @click.command()
    @handle_errors
    def boom() -> None:
        raise error

    return boom


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SpecError("bad", source="s.yaml", pointer="/paths"), 2),
        (ConfigError("bad key", pointer="gateway.x"), 2),
        (InputError("bad line", source="c.jsonl"), 2),
        (TargetError("connection refused"), 3),
        (BackendError("redis down"), 3),
        (RuntimeError("surprise"), 3),
    ],
)
def test_handle_errors_maps_errors_to_exit_codes(error: Exception, code: int) -> None:
    result = CliRunner().invoke(_command(error), [])
    assert result.exit_code == code
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_exit_code_for_threshold() -> None:
    finding = _finding(Severity.MEDIUM)
    assert exit_code_for([finding], Severity.HIGH) == 0
    assert exit_code_for([finding], Severity.MEDIUM) == 1
    assert exit_code_for([finding], None) == 0
    assert exit_code_for([], Severity.INFO) == 0


def test_parse_id_list() -> None:
    assert parse_id_list(" aud-001, AUD-002 ,,") == ("AUD-001", "AUD-002")
    assert parse_id_list(None) == ()


def test_write_output_failure_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write report"):
        write_output("text", blocker / "sub" / "out.txt")


def _finding(severity: Severity) -> Finding:
    return Finding(
        check_id="AUD-001",
        title="t",
        severity=severity,
        confidence=Confidence.HIGH,
        owasp=OwaspApi2023.API2,
        cwe=Cwe(306),
        message="m",
        remediation="r",
    )


def test_audit_a_description_served_over_http(tmp_path: Path) -> None:
    """A real loopback server: ``apiward audit http://...`` loads, audits and points SARIF at the URL."""
    import functools
    import http.server
    import threading

    (tmp_path / "api.yaml").write_text(CLEAN.read_text(encoding="utf-8").replace("https://", "http://"))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api.yaml"
        result = run(url, "-f", "sarif")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert result.exit_code == 1, result.output
    run_doc = json.loads(result.stdout)["runs"][0]
    assert run_doc["artifacts"][0]["location"]["uri"] == url
    assert {r["ruleId"] for r in run_doc["results"]} == {"AUD-029"}
