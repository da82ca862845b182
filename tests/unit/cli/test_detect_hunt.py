"""`apiward detect hunt`: attacks found in recorded traffic, answered ones first, secrets redacted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from apiward.cli import main

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "servers": [{"url": "https://shop.example/api"}],
    "paths": {
        "/items": {"get": {"operationId": "search", "responses": {"200": {"description": "ok"}}}},
        "/login": {"post": {"operationId": "login", "responses": {"200": {"description": "ok"}}}},
        "/reviews": {"post": {"operationId": "review", "responses": {"201": {"description": "ok"}}}},
    },
}


def _entry(method: str, url: str, status: int, body: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "url": url, "headers": [{"name": "Accept", "value": "*/*"}]}
    if body is not None:
        request["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
    return {"startedDateTime": "2026-11-01T10:00:00Z", "request": request, "response": {"status": status}}


def _files(tmp_path: Path, entries: list[dict[str, Any]]) -> tuple[str, str]:
    har, spec = tmp_path / "capture.har", tmp_path / "openapi.yaml"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    spec.write_text(yaml.safe_dump(SPEC))
    return str(har), str(spec)


TRAFFIC = [
    _entry("GET", "https://shop.example/api/items?q=blue+shoes", 200),
    _entry("GET", "https://shop.example/api/items?q=1%27%20union%20select%20password%20from%20users--", 500),
    _entry("POST", "https://shop.example/api/reviews", 403, {"text": "<script>alert(document.cookie)</script>"}),
    _entry("POST", "https://shop.example/api/login", 401, {"user": "ann", "password": "x' or 1=1-- "}),
    _entry("POST", "https://shop.example/api/reviews", 201, {"text": "Great shoes, O'Brien's fit. Select size 9."}),
]


def test_attacks_in_a_capture_are_found_by_operation_answered_first(tmp_path: Path) -> None:
    har, spec = _files(tmp_path, TRAFFIC)
    result = CliRunner().invoke(main, ["detect", "hunt", har, "--spec", spec, "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert (report["requests"], report["attacks"], report["answered"]) == (5, 3, 1)
    assert report["by_family"] == {"sqli": 2, "xss": 1}
    assert report["by_route"] == {"GET /items": 1, "POST /reviews": 1, "POST /login": 1}
    first = report["hits"][0]
    assert (first["route"], first["status"], first["answered"]) == ("GET /items", 500, True)
    assert first["source"].startswith(har)


def test_a_secret_field_is_never_shown(tmp_path: Path) -> None:
    har, spec = _files(tmp_path, TRAFFIC)
    result = CliRunner().invoke(main, ["detect", "hunt", har, "--spec", spec])
    assert result.exit_code == 1
    assert "or 1=1" not in result.output
    assert "at body:/password: '[REDACTED]'" in result.output
    assert "5 request(s) inspected at paranoia 1" in result.output


def test_clean_traffic_exits_0(tmp_path: Path) -> None:
    har, _ = _files(tmp_path, [TRAFFIC[0], TRAFFIC[-1]])
    result = CliRunner().invoke(main, ["detect", "hunt", har])
    assert result.exit_code == 0, result.output
    assert "2 request(s) inspected" in result.output
    assert "0 look like attacks" in result.output


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["detect", "hunt", str(tmp_path / "nope.har")])
    assert result.exit_code == 2
    assert "no such file" in result.output
