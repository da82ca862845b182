"""`apiward detect tune`: exclusions proposed from a HAR of known-good traffic, scoped by the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from apiward.cli import main
from apiward.core import HttpRequest
from apiward.detect import Engine, Exclusion

SQL_POST = "To fix it run: SELECT name FROM users WHERE id = 42; then DELETE FROM sessions WHERE user_id = 42;"

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "forum", "version": "1"},
    "servers": [{"url": "https://forum.example/api"}],
    "paths": {
        "/posts": {"post": {"operationId": "createPost", "responses": {"201": {"description": "ok"}}}},
        "/posts/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


def _entry(method: str, url: str, body: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "url": url, "headers": [{"name": "Accept", "value": "*/*"}]}
    if body is not None:
        request["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
    return {"startedDateTime": "2026-11-01T10:00:00Z", "request": request, "response": {"status": 200}}


def _har(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "qa.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def _spec(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return path


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(main, ["detect", "tune", *args], catch_exceptions=False)


def test_clean_traffic_exits_0_with_nothing_to_exclude(tmp_path: Path) -> None:
    har = _har(
        tmp_path,
        [
            _entry("POST", "https://forum.example/api/posts", {"title": "Mary O'Brien", "text": "Select a size."}),
            _entry("GET", "https://forum.example/api/posts/7?expand=author"),
        ],
    )
    result = _invoke(str(har))
    assert result.exit_code == 0, result.output
    assert "2 request(s) inspected" in result.output
    assert "Nothing to exclude" in result.output


def test_refused_traffic_exits_1_with_route_scoped_exclusions_that_work(tmp_path: Path) -> None:
    har = _har(
        tmp_path,
        [
            _entry("POST", "https://forum.example/api/posts", {"title": "How to", "text": SQL_POST}),
            _entry("GET", "https://forum.example/api/posts/7"),
        ],
    )
    result = _invoke(str(har), "--spec", str(_spec(tmp_path)), "--format", "yaml")
    assert result.exit_code == 1, result.output
    config = yaml.safe_load(result.output)
    (exclusion,) = config["policies"]["threat"]["exclusions"]
    assert exclusion["route"] == "POST /posts"  # base path /api of the server URL stripped, as the gateway does
    assert exclusion["location"] == "body:/text"
    engine = Engine(
        paranoia=1,
        exclusions=[
            Exclusion(rule_ids=frozenset(exclusion["rule_ids"]), **{k: exclusion[k] for k in ("route", "location")})
        ],
    )
    request = HttpRequest(
        method="POST",
        path="/api/posts",
        headers=(("Content-Type", "application/json"),),
        body=json.dumps({"text": SQL_POST}).encode(),
    )
    assert not engine.inspect(request, route="POST /posts").is_attack


def test_text_report_names_counts_and_says_when_exclusions_are_unscoped(tmp_path: Path) -> None:
    har = _har(tmp_path, [_entry("POST", "https://forum.example/api/posts", {"text": SQL_POST})])
    result = _invoke(str(har))
    assert result.exit_code == 1
    assert "1 would be refused" in result.output
    assert "0 request(s) would" in result.output  # after the proposals
    assert "no --spec" in result.output
    assert "body:/text" in result.output


def test_json_report_and_output_file(tmp_path: Path) -> None:
    har = _har(tmp_path, [_entry("POST", "https://forum.example/api/posts", {"text": SQL_POST})])
    out = tmp_path / "tune.json"
    result = _invoke(str(har), "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    doc = json.loads(out.read_text())
    assert doc["refused_before"] == 1
    assert doc["refused_after"] == 0
    assert doc["proposals"][0]["families"] == ["sqli"]


def test_malformed_har_is_a_clear_error_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.har"
    bad.write_text(json.dumps({"log": {"entries": [{"request": {"method": "FETCH", "url": "/x"}}]}}))
    result = CliRunner().invoke(main, ["detect", "tune", str(bad)])
    assert result.exit_code == 2
    assert "bad.har" in result.output
    assert "/log/entries/0/request/method" in result.output
    missing = CliRunner().invoke(main, ["detect", "tune", str(tmp_path / "nope.har")])
    assert missing.exit_code == 2
    assert "no such file" in missing.output


def test_yaml_fragment_is_a_valid_gateway_configuration(tmp_path: Path) -> None:
    har = _har(tmp_path, [_entry("POST", "https://forum.example/api/posts", {"text": SQL_POST})])
    spec = _spec(tmp_path)
    fragment = yaml.safe_load(_invoke(str(har), "--spec", str(spec), "--format", "yaml").output)
    config = tmp_path / "gateway.yaml"
    config.write_text(yaml.safe_dump({"spec": str(spec), "upstream": {"url": "http://127.0.0.1:9"}, **fragment}))
    result = CliRunner().invoke(main, ["gateway", "--config", str(config), "--check"])
    assert result.exit_code == 0, result.output
    assert "threat" in result.output


def test_config_judges_with_the_deployed_policy_and_proposes_only_what_is_missing(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    body = {"text": SQL_POST, "title": "<script>alert(document.cookie)</script>"}
    har = _har(tmp_path, [_entry("POST", "https://forum.example/api/posts", body)])
    config = tmp_path / "gateway.yaml"
    threat = {"exclusions": [{"location": "body:/text", "rule_ids": ["SQLI-010"]}]}
    config.write_text(
        yaml.safe_dump(
            {
                "spec": str(spec),
                "upstream": {"url": "http://127.0.0.1:9"},
                "policies": {"threat": {"paranoia": 1}},
                "routes": {"createPost": {"threat": threat}},
            }
        )
    )
    result = _invoke(str(har), "--config", str(config), "--format", "json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert [(p["route"], p["location"]) for p in doc["proposals"]] == [("POST /posts", "body:/title")]
    # with the title excluded too, the same traffic passes
    threat["exclusions"].append({"location": "body:/title", "rule_ids": doc["proposals"][0]["rule_ids"]})
    config.write_text(
        yaml.safe_dump(
            {
                "spec": str(spec),
                "upstream": {"url": "http://127.0.0.1:9"},
                "routes": {"createPost": {"threat": threat}},
            }
        )
    )
    passed = _invoke(str(har), "--config", str(config))
    assert passed.exit_code == 0, passed.output
    assert "Nothing to exclude" in passed.output


def test_config_and_paranoia_together_are_a_usage_error(tmp_path: Path) -> None:
    har = _har(tmp_path, [_entry("GET", "https://forum.example/api/posts/1")])
    config = tmp_path / "gateway.yaml"
    config.write_text(yaml.safe_dump({"upstream": {"url": "http://127.0.0.1:9"}}))
    result = CliRunner().invoke(main, ["detect", "tune", str(har), "--config", str(config), "-p", "2"])
    assert result.exit_code == 2
    assert "--paranoia comes from the configuration" in result.output
