from __future__ import annotations

import dataclasses

import pytest

from apiward.core import (
    Confidence,
    Cwe,
    Decision,
    Finding,
    HttpRequest,
    Identity,
    Operation,
    OwaspApi2023,
    SecurityEvent,
    Severity,
    SpecError,
)


def _finding(**kw: object) -> Finding:
    base: dict[str, object] = {
        "check_id": "AUD-001",
        "title": "t",
        "severity": Severity.HIGH,
        "confidence": Confidence.HIGH,
        "owasp": OwaspApi2023.API2,
        "cwe": Cwe(306),
        "message": "m",
        "remediation": "r",
        "operation": Operation(method="get", path="/users/{id}"),
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def test_severity_is_ordered_and_parses() -> None:
    assert Severity.CRITICAL > Severity.HIGH > Severity.MEDIUM > Severity.LOW > Severity.INFO
    assert Severity.parse("High") is Severity.HIGH
    with pytest.raises(ValueError, match="choose one of"):
        Severity.parse("urgent")


def test_operation_joins_on_method_and_path() -> None:
    a = Operation(method="get", path="/users/{id}", operation_id="getUser")
    b = Operation(method="GET", path="/users/{id}")
    assert a == b
    assert hash(a) == hash(b)
    assert a.key == "GET /users/{id}"
    assert a != Operation(method="DELETE", path="/users/{id}")


def test_finding_is_frozen_and_keyword_only() -> None:
    f = _finding()
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Finding("AUD-001")  # type: ignore[misc]


def test_fingerprint_is_stable_and_discriminating() -> None:
    assert _finding().fingerprint == _finding(message="other words").fingerprint
    assert _finding().fingerprint != _finding(location="query:id").fingerprint
    assert _finding().fingerprint != _finding(check_id="AUD-002").fingerprint


def test_findings_sort_most_severe_first() -> None:
    low = _finding(severity=Severity.LOW)
    crit = _finding(severity=Severity.CRITICAL)
    assert sorted([low, crit], key=lambda f: f.sort_key) == [crit, low]


def test_owasp_and_cwe_render() -> None:
    assert str(OwaspApi2023.API1) == "API1:2023"
    assert OwaspApi2023.API1.title == "Broken Object Level Authorization"
    assert str(Cwe(639)) == "CWE-639"
    with pytest.raises(ValueError):
        Cwe(0)


def test_event_round_trips_and_redacts_detail() -> None:
    ev = SecurityEvent(
        kind="request",
        decision=Decision.DENY,
        operation=Operation(method="GET", path="/a"),
        identity=Identity(subject="alice", kind="jwt", scopes=frozenset({"read"})),
        detail={"authorization": "Bearer abcdefghijkl", "note": "ok"},
    )
    assert ev.detail["authorization"] == "[REDACTED]"
    again = SecurityEvent.from_dict(ev.to_dict())
    assert again.to_dict() == ev.to_dict()


def test_spec_error_names_file_and_pointer() -> None:
    err = SpecError("'in' is required", source="spec.yaml", pointer="/paths/~1users~1{id}/get/parameters/0")
    assert str(err) == "spec.yaml: /paths/~1users~1{id}/get/parameters/0: 'in' is required"


def test_request_cookies_never_raise_on_garbage() -> None:
    req = HttpRequest(method="GET", path="/", headers=(("Cookie", 'a=1; b="unterminated; \x00=3'),))
    assert isinstance(req.cookies, dict)
    assert req.header("cookie") is not None


def test_luhn_and_iban_checksums() -> None:
    from apiward.core import iban_valid, luhn_valid

    assert luhn_valid("4111 1111 1111 1111")
    assert luhn_valid("4111-1111-1111-1111")
    assert not luhn_valid("4111 1111 1111 1112")
    assert not luhn_valid("4111x1111")
    assert not luhn_valid("")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert not iban_valid("GB82-WEST")
