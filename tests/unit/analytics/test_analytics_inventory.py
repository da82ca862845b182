"""Inventory: ingestion of every format, endpoint inference, schemas, auth coverage, shadow/zombie, export."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.analytics import InventoryBuilder, read_traffic, to_openapi
from apiward.analytics._schema_infer import Shape
from apiward.analytics._templating import Templater
from apiward.cli import main
from apiward.core import Decision, Identity, InputError, Operation, SecurityEvent
from apiward.spec import load


def test_templating_by_shape() -> None:
    t = Templater()
    u = str(uuid.uuid4())
    cases = {
        "/users/42": "/users/{userId}",
        f"/users/42/orders/{u}": "/users/{userId}/orders/{orderId}",
        "/files/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08": "/files/{fileId}",
        "/reports/2024-01-31": "/reports/{date}",
        "/categories/42/children/7": "/categories/{categoryId}/children/{childrenId}",
        "/v2/health": "/v2/health",
        "/42/43": "/{id}/{id2}",
        "/sessions/aZ3kP9qLm2Xv8RtY5wNb7CdE": "/sessions/{sessionId}",
    }
    t.learn(cases)
    for concrete, template in cases.items():
        assert t.template(concrete).template == template, concrete


def test_templating_by_fan_out() -> None:
    names = [f"user{chr(97 + i)}x" for i in range(25)]
    t = Templater(fan_out=20)
    t.learn([f"/profiles/{n}" for n in names] + ["/profiles/me", "/static/a", "/static/b"])
    assert t.template("/profiles/alicex").template == "/profiles/{profileName}"
    assert t.template("/static/a").template == "/static/a"  # two values is not a parameter


def test_schema_inference() -> None:
    shape = Shape()
    shape.add({"id": 1, "email": "a@b.io", "tags": ["x"], "price": 1.5, "created": "2024-01-01T10:00:00Z"})
    shape.add({"id": 2, "email": "c@d.io", "tags": [], "price": 2, "note": None})
    schema = shape.schema()
    assert schema["type"] == "object"
    assert schema["required"] == ["email", "id", "price", "tags"]
    props = schema["properties"]
    assert props["id"] == {"type": "integer"}
    assert props["price"] == {"type": "number"}
    assert props["email"] == {"type": "string", "format": "email"}
    assert props["created"] == {"type": "string", "format": "date-time"}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["note"] == {"type": "null"}


def _entry(method: str, url: str, status: int = 200, *, auth: bool = True, req: Any = None, resp: Any = None) -> Any:
    entry: dict[str, Any] = {
        "startedDateTime": "2024-05-01T12:00:00Z",
        "request": {
            "method": method,
            "url": url,
            "headers": [
                *([{"name": "Authorization", "value": "Bearer t0k3n"}] if auth else []),
                {"name": "Accept", "value": "application/json"},
                {"name": "X-Tenant-Id", "value": "42"},
            ],
        },
        "response": {"status": status, "content": {"mimeType": "application/json"}},
    }
    if req is not None:
        entry["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(req)}
    if resp is not None:
        entry["response"]["content"]["text"] = json.dumps(resp)
    return entry


@pytest.fixture
def har(tmp_path: Path) -> Path:
    entries = []
    for i in range(25):
        entries.append(_entry("GET", f"https://api.test/v2/users/{i}", resp={"id": i, "email": f"u{i}@example.com"}))
        entries.append(
            _entry("GET", f"https://api.test/v2/users/{i}/cards?page={i}", resp=[{"pan": "4111 1111 1111 1111"}])
        )
    entries.append(_entry("POST", "https://api.test/v2/users", 201, req={"name": "n", "ssn": "123-45-6789"}))
    entries.append(_entry("GET", "https://api.test/v2/users/3", auth=False, resp={"id": 3}))
    entries.append(_entry("GET", "https://api.test/v1/users/3", resp={"id": 3}))
    entries.append(_entry("GET", "https://api.test/v2/internal/debug", resp={"key": "AKIAIOSFODNN7EXAMPLE"}))
    entries.append(_entry("DELETE", "https://api.test/v2/users/4", 204))
    path = tmp_path / "traffic.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "Users", "version": "2"},
        "paths": {
            "/v2/users/{id}": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/v2/users": {"post": {"responses": {"201": {"description": "ok"}}}},
            "/v1/users/{id}": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/v2/users/{id}/avatar": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _by_key(inv: Any) -> dict[str, Any]:
    return {f"{e.method} {e.path}": e for e in inv.endpoints}


def test_har_inventory_against_spec(har: Path, spec: Path) -> None:
    builder = InventoryBuilder()
    builder.add(read_traffic(har), str(har))
    inv = builder.build(load(spec))
    eps = _by_key(inv)
    assert set(eps) == {
        "GET /v2/users/{id}",
        "GET /v2/users/{userId}/cards",
        "POST /v2/users",
        "GET /v1/users/{id}",
        "GET /v2/internal/debug",
        "DELETE /v2/users/{id}",  # a method the description lacks keeps the description's template
    }
    assert eps["DELETE /v2/users/{id}"].status == "shadow"
    assert eps["GET /v2/users/{id}"].status == "documented"
    assert eps["GET /v2/users/{id}"].unauthenticated == 1
    assert eps["GET /v2/users/{id}"].anonymous_success == 1
    assert eps["GET /v2/users/{userId}/cards"].status == "shadow"
    assert eps["GET /v2/internal/debug"].status == "shadow"
    assert eps["GET /v1/users/{id}"].status == "zombie"
    assert set(eps["GET /v2/users/{id}"].sensitive) == {"email"}
    assert set(eps["GET /v2/users/{userId}/cards"].sensitive) == {"card_number"}
    assert set(eps["POST /v2/users"].sensitive) == {"us_ssn"}
    assert set(eps["GET /v2/internal/debug"].sensitive) == {"api_key"}
    cards = eps["GET /v2/users/{userId}/cards"]
    assert [(p.name, p.location, p.schema, p.required) for p in cards.parameters] == [
        ("userId", "path", {"type": "integer"}, True),
        ("page", "query", {"type": "integer"}, True),
        ("x-tenant-id", "header", {"type": "integer"}, True),
    ]
    assert cards.responses["200"]["application/json"]["items"]["properties"]["pan"] == {"type": "string"}
    assert inv.unseen_operations == ["GET /v2/users/{id}/avatar"]


def test_export_loads_back(har: Path, tmp_path: Path) -> None:
    builder = InventoryBuilder()
    builder.add(read_traffic(har), str(har))
    doc = to_openapi(builder.build(), server="https://api.test")
    out = tmp_path / "inferred.yaml"
    out.write_text(yaml.safe_dump(doc))
    model = load(out)
    assert model.spec_version.startswith("3.1")
    keys = {op.ref.key for op in model.operations}
    assert "GET /v2/users/{userId}/cards" in keys
    op = model.operation("GET /v2/users/{userId}")
    assert op is not None
    assert op.requires_auth is False  # seen without credentials once: anonymous allowed in the inferred spec
    assert model.match("GET", "/v2/users/17") is not None


def _write_lines(path: Path, rows: list[Any]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_access_logs_nginx_and_envoy(tmp_path: Path) -> None:
    nginx = _write_lines(
        tmp_path / "nginx.log",
        [
            {
                "time_iso8601": "2024-05-01T12:00:00+00:00",
                "remote_addr": "10.0.0.1",
                "request": "GET /api/items/5?x=1 HTTP/1.1",
                "status": "200",
                "body_bytes_sent": "120",
            },
            {
                "time_local": "01/May/2024:12:00:01 +0000",
                "request_method": "DELETE",
                "request_uri": "/api/items/6",
                "status": 204,
                "http_authorization": "Bearer x",
            },
        ],
    )
    envoy = _write_lines(
        tmp_path / "envoy.log",
        [
            {
                "start_time": "2024-05-01T12:00:02.000Z",
                "method": "GET",
                "path": "/api/items/7",
                "response_code": 404,
                "authority": "api",
                "downstream_remote_address": "192.0.2.9:53412",
            }
        ],
    )
    builder = InventoryBuilder()
    builder.add(read_traffic(nginx), "nginx")
    builder.add(read_traffic(envoy), "envoy")
    eps = _by_key(builder.build())
    assert eps["GET /api/items/{itemId}"].hits == 2
    assert eps["GET /api/items/{itemId}"].auth == "never"
    assert eps["DELETE /api/items/{itemId}"].auth == "always"
    assert eps["GET /api/items/{itemId}"].clients == {"10.0.0.1", "192.0.2.9"}


def test_gateway_events(tmp_path: Path) -> None:
    rows = [
        SecurityEvent(
            kind="request",
            decision=Decision.ALLOW,
            operation=Operation(method="GET", path="/orders/{id}"),
            method="GET",
            path=f"/orders/{i}",
            status=200,
            identity=Identity(subject="alice", kind="jwt") if i else None,
        ).to_dict()
        for i in range(3)
    ]
    rows.append(SecurityEvent(kind="detection", decision=Decision.ALERT).to_dict())
    path = _write_lines(tmp_path / "events.jsonl", rows)
    builder = InventoryBuilder()
    builder.add(read_traffic(path), str(path))
    (ep,) = builder.build().endpoints
    assert (ep.path, ep.hits, ep.auth) == ("/orders/{id}", 3, "mixed")


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("bad.log", '{"method": "GET", "path": "/a", "status": 200}\n{"method": "GET", "path"\n', "bad.log:2"),
        ("bad2.log", '{"method": "FETCH", "path": "/a"}\n', "bad2.log:1"),
        ("bad.jsonl", '{"format_version": 1, "kind": "request"}\n', "bad.jsonl:1"),
        ("bad.har", '{"log": {"entries": [{"request": {"method": "GET"}}]}}', "/log/entries/0/request/url"),
        ("v6.har", '{"log": {"entries": [{"request": {"method": "GET", "url": "http://[::1"}}]}}', "request/url"),
    ],
)
def test_malformed_input_names_the_place(tmp_path: Path, name: str, content: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as info:
        list(read_traffic(path))
    assert where in str(info.value)
    result = CliRunner().invoke(main, ["inventory", str(path)])
    assert result.exit_code == 2
    assert where in result.output
    assert "Traceback" not in result.output


def test_cli_inventory_json_and_export(har: Path, spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "inferred.json"
    result = CliRunner().invoke(
        main, ["inventory", str(har), "--spec", str(spec), "--export-openapi", str(out), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"]["shadow"] == 3
    assert data["summary"]["zombie"] == 1
    assert load(out).operation("GET /v2/internal/debug") is not None
    table = CliRunner().invoke(main, ["inventory", str(har), "--spec", str(spec), "--fail-on-shadow"])
    assert table.exit_code == 1
    assert "shadow" in table.output


def test_cli_bad_spec_is_usage_error(har: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 9.9.9\n")
    result = CliRunner().invoke(main, ["inventory", str(har), "--spec", str(bad)])
    assert result.exit_code == 2


@given(st.lists(st.from_regex(r"[a-z]{1,8}|[0-9]{1,6}|[0-9a-f]{32}", fullmatch=True), min_size=1, max_size=6))
def test_templates_keep_the_shape_and_are_stable(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    t = Templater()
    t.learn([path])
    templated = t.template(path)
    parts = templated.template.strip("/").split("/")
    assert len(parts) == len(segments)
    names = [p for p in parts if p.startswith("{")]
    assert len(names) == len(set(names)) == len(templated.params)
    for part, seg in zip(parts, segments, strict=True):
        assert part == seg or part.startswith("{")
    assert t.template(path) == templated


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
log_keys = st.sampled_from(
    [
        "request_method",
        "method",
        "request_uri",
        "path",
        "request",
        "status",
        "response_code",
        "body_bytes_sent",
        "remote_addr",
        "downstream_remote_address",
        "time_iso8601",
        "time_local",
        "start_time",
        "http_authorization",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(log_keys | st.text(max_size=8), json_values, max_size=6), min_size=1, max_size=4))
def test_access_log_reader_never_fails_but_with_input_error(
    tmp_path_factory: pytest.TempPathFactory, rows: list[Any]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "access.log"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    error: InputError | None = None
    observations = []
    try:
        observations = list(read_traffic(path, "access-log"))
    except InputError as exc:  # the only failure allowed, and it names the file and line
        error = exc
    if error is not None:
        assert f"{path}:" in str(error)
    assert all(o.path.startswith("/") and o.method for o in observations)


har_entries = st.lists(
    st.fixed_dictionaries(
        {
            "request": st.fixed_dictionaries(
                {"method": st.sampled_from(["GET", "POST", "BREW"]) | json_values, "url": st.text(max_size=30)},
                optional={"headers": json_values, "postData": json_values},
            ),
        },
        optional={"response": json_values, "startedDateTime": json_values},
    )
    | json_values,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(har_entries)
def test_har_reader_never_fails_but_with_input_error(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Any]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "t.har"
    path.write_text(json.dumps({"log": {"entries": entries}}))
    error: InputError | None = None
    observations = []
    try:
        observations = list(read_traffic(path))
    except InputError as exc:
        error = exc
    if error is not None:
        assert str(path) in str(error)
        assert "/log/entries/" in str(error)
    assert all(o.method for o in observations)
