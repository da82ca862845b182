"""Renderers: every format for an audit and a scan report, SARIF against the official schema, escaping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

import defusedxml.ElementTree as DET
import jsonschema
import pytest

from apiward.core import Confidence, ConfigError, Cwe, Finding, InputError, Operation, OwaspApi2023, Severity
from apiward.report import FORMATS, Report, RuleInfo, filter_baseline, load_baseline, render

SCHEMA = Path(__file__).resolve().parents[2] / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
NASTY = "<script>alert('x')</script> | `tick` & \x07bell"


def _rule(rule_id: str, severity: Severity = Severity.HIGH) -> RuleInfo:
    return RuleInfo(
        id=rule_id,
        title=f"Title of {rule_id}",
        severity=severity,
        confidence=Confidence.HIGH,
        owasp=OwaspApi2023.API2,
        cwe=Cwe(306),
        description="Why it matters.",
        fix="How to fix it.",
    )


def _finding(rule_id: str, severity: Severity, op: Operation | None, **evidence: object) -> Finding:
    return Finding(
        check_id=rule_id,
        title=f"Title of {rule_id}",
        severity=severity,
        confidence=Confidence.MEDIUM,
        owasp=OwaspApi2023.API1,
        cwe=Cwe(639),
        message=f"message {NASTY}",
        remediation="do better",
        operation=op,
        location="query:id",
        evidence=MappingProxyType(dict(evidence)),
    )


GET = Operation(method="GET", path="/users/{id}", operation_id="getUser")
POST = Operation(method="POST", path="/users")


def audit_report() -> Report:
    return Report(
        kind="audit",
        tool_version="0.1.0",
        target="specs/my api.yaml",
        findings=(
            _finding("AUD-002", Severity.LOW, None, pointer="/security"),
            _finding("AUD-001", Severity.HIGH, GET, pointer="/paths/~1users~1{id}/get", line=12),
        ),
        stats={"operations": 2, "rules_run": 2, "operation_keys": [GET.key, POST.key]},
        score=71,
        rules=(_rule("AUD-001"), _rule("AUD-002", Severity.LOW)),
        started=T0,
        finished=T0 + timedelta(seconds=1.5),
    )


def scan_report() -> Report:
    request = {"method": "GET", "url": "https://api.test/users/2", "headers": {"Authorization": "[REDACTED]"}}
    return Report(
        kind="scan",
        tool_version="0.1.0",
        target="https://api.test",
        findings=(
            _finding(
                "SCN-101",
                Severity.CRITICAL,
                GET,
                request=request,
                response='HTTP/1.1 200 OK\n\n{"id": 2}',
                curl="curl -H 'Authorization: [REDACTED]' https://api.test/users/2",
                payload=NASTY,
            ),
        ),
        stats={"requests": 42, "duration_s": 3.25, "coverage": {GET.key: {"requests": 40}, POST.key: {"requests": 0}}},
        started=T0,
        finished=T0 + timedelta(seconds=3.25),
    )


@pytest.fixture(params=["audit", "scan"])
def report(request: pytest.FixtureRequest) -> Report:
    return audit_report() if request.param == "audit" else scan_report()


def test_formats_are_the_documented_ones() -> None:
    assert list(FORMATS) == ["console", "json", "sarif", "markdown", "html", "junit"]


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown report format 'pdf'"):
        render(audit_report(), "pdf")


def test_report_validates_its_fields() -> None:
    with pytest.raises(ValueError, match="score"):
        Report(kind="audit", tool_version="1", target="x", findings=(), score=101, started=T0, finished=T0)
    with pytest.raises(ValueError, match="kind"):
        Report(kind="lint", tool_version="1", target="x", findings=(), started=T0, finished=T0)  # type: ignore[arg-type]


def test_findings_are_sorted_most_severe_first() -> None:
    assert [f.check_id for f in audit_report().findings] == ["AUD-001", "AUD-002"]


def test_json_carries_findings_fingerprints_and_stats(report: Report) -> None:
    doc = json.loads(render(report, "json"))
    assert doc["kind"] == report.kind
    assert [f["fingerprint"] for f in doc["findings"]] == [f.fingerprint for f in report.findings]
    assert doc["stats"] == json.loads(json.dumps(dict(report.stats)))
    assert sum(doc["counts"].values()) == len(report.findings)


def test_sarif_is_valid_against_the_official_schema(report: Report) -> None:
    doc = json.loads(render(report, "sarif"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)


def test_sarif_links_results_to_rules_and_locations() -> None:
    report = audit_report()
    run = json.loads(render(report, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["AUD-001", "AUD-002"]
    assert "API2:2023" in rules[0]["properties"]["tags"]
    assert "CWE-306" in rules[0]["properties"]["tags"]
    assert rules[0]["helpUri"] == "https://cwe.mitre.org/data/definitions/306.html"
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "AUD-001"
    assert first["level"] == "error"
    assert first["partialFingerprints"] == {"apiward/v1": report.findings[0].fingerprint}
    location = first["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "specs/my%20api.yaml"
    assert location["physicalLocation"]["region"] == {"startLine": 12}
    assert location["logicalLocations"][0]["name"] == "GET /users/{id}"
    assert first["message"]["text"].startswith("GET /users/{id}: message")
    assert run["results"][1]["level"] == "note"


def test_sarif_lists_rules_missing_from_the_catalogue() -> None:
    run = json.loads(render(scan_report(), "sarif"))["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["SCN-101"]
    assert run["results"][0]["properties"]["curl"].startswith("curl -H 'Authorization: [REDACTED]'")


def test_junit_has_a_testcase_per_rule_and_operation(report: Report) -> None:
    root = DET.fromstring(render(report, "junit").encode())
    cases = root.findall(".//testcase")
    rules = {r.id for r in report.rules} | {f.check_id for f in report.findings}
    operations = 2
    document_cases = sum(1 for f in report.findings if f.operation is None)
    assert len(cases) == len(rules) * operations + document_cases
    assert int(root.get("failures")) == len(root.findall(".//failure")) == len(report.findings)
    failure = root.find(".//failure")
    assert failure is not None
    assert "\x07" not in (failure.text or "")


def test_html_is_self_contained_and_escaped(report: Report) -> None:
    page = render(report, "html")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    for external in ("<link", "<script", " src=", "@import", "url("):
        assert external not in page
    assert page.startswith("<!DOCTYPE html>")
    if report.rules:
        assert f"Rules run ({len(report.rules)})" in page


def test_markdown_escapes_and_groups(report: Report) -> None:
    text = render(report, "markdown")
    assert "<script>" not in text
    assert "\\|" in text
    top = report.findings[0].severity.label.capitalize()
    assert f"## {top} (1)" in text


def test_console_is_plain_without_color_and_shows_score(report: Report) -> None:
    text = render(report, "console")
    assert "\x1b[" not in text
    assert report.target in text
    if report.score is not None:
        assert f"score {report.score}/100" in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_console_strips_terminal_escapes_from_content() -> None:
    report = audit_report()
    evil = _finding("AUD-009", Severity.LOW, POST, payload="\x1b]0;pwned\x07\x1b[2J")
    text = render(Report(**{**_fields(report), "findings": (evil,)}), "console")
    assert "\x1b" not in text


def _fields(report: Report) -> dict[str, object]:
    return {name: getattr(report, name) for name in report.__dataclass_fields__}


def test_console_with_color_uses_ansi() -> None:
    assert "\x1b[" in render(audit_report(), "console", color=True)


def test_scan_stats_and_evidence_are_shown() -> None:
    report = scan_report()
    for fmt in ("console", "html", "markdown"):
        text = render(report, fmt)
        assert "42" in text, fmt
        assert "1/2 operations exercised" in text, fmt
        assert "curl" in text, fmt
        assert "[REDACTED]" in text, fmt


def test_baseline_from_json_and_sarif(tmp_path: Path) -> None:
    report = audit_report()
    for fmt in ("json", "sarif"):
        path = tmp_path / f"base.{fmt}"
        path.write_text(render(report, fmt), encoding="utf-8")
        assert load_baseline(path) == {f.fingerprint for f in report.findings}
    known = {report.findings[0].fingerprint}
    assert filter_baseline(report.findings, known) == report.findings[1:]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"findings": 3}', "'findings' must be a list"),
        ('{"findings": [{}]}', "/findings/0"),
    ],
)
def test_bad_baseline_is_an_input_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "base.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_baseline(path)


def test_missing_baseline_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read baseline"):
        load_baseline(tmp_path / "nope.json")


@pytest.mark.parametrize(
    ("target", "uri"),
    [
        ("https://api.test/openapi.json", "https://api.test/openapi.json"),
        ("specs/a b.yaml", "specs/a%20b.yaml"),
        ("/elsewhere/spec.yaml", "file:///elsewhere/spec.yaml"),
    ],
)
def test_sarif_artifact_uri(target: str, uri: str) -> None:
    report = Report(kind="audit", tool_version="1", target=target, findings=(), started=T0, finished=T0)
    assert json.loads(render(report, "sarif"))["runs"][0]["artifacts"][0]["location"]["uri"] == uri


def test_sarif_absolute_path_under_cwd_is_relative(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    target = str(tmp_path / "api" / "spec.yaml")
    report = Report(kind="audit", tool_version="1", target=target, findings=(), started=T0, finished=T0)
    assert json.loads(render(report, "sarif"))["runs"][0]["artifacts"][0]["location"]["uri"] == "api/spec.yaml"


def test_scanner_exchange_evidence_renders_as_http() -> None:
    exchange = {
        "request": {
            "method": "GET",
            "url": "https://api.test/orders/7",
            "identity": "bob",
            "headers": [["Authorization", "[REDACTED]"], ["Accept", "application/json"]],
            "body": None,
        },
        "response": {
            "status": 200,
            "headers": [["Content-Type", "application/json"]],
            "body": '{"id": 7}',
            "elapsed_ms": 3.2,
        },
    }
    finding = _finding("SCN-001", Severity.HIGH, GET, **exchange, control=exchange, details={"owner": "alice"})
    report = Report(kind="scan", tool_version="1", target="x", findings=(finding,), started=T0, finished=T0)
    text = render(report, "console")
    assert "GET https://api.test/orders/7" in text
    assert "# as identity: bob" in text
    assert "Authorization: [REDACTED]" in text
    assert "HTTP 200  (3.2 ms)" in text
    assert "control:" in text
    assert '"owner": "alice"' in text
    assert "HTTP 200" in render(report, "markdown")


def test_console_caps_places_per_rule() -> None:
    findings = tuple(_finding("AUD-019", Severity.MEDIUM, Operation(method="GET", path=f"/p{i}")) for i in range(30))
    report = Report(kind="audit", tool_version="1", target="t", findings=findings, started=T0, finished=T0)
    text = render(report, "console")
    assert text.count("  message") == 25
    assert "… and 5 more" in text
