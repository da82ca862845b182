"""The demo binds loopback only, its OpenAPI description matches its routes, the twin honours its schemas,
and the scan config it hands out is accepted by the scanner and logs every identity in."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import jsonschema
import pytest
from starlette.routing import Route

from apiward.core import ConfigError
from apiward.demo import SEEDED_USERS, create_app, demo_scan_config, openapi_text, serve
from apiward.demo._app import create_app as _create_app
from apiward.scan import ScanConfig
from apiward.spec import ApiModel, load


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> ApiModel:
    path = tmp_path_factory.mktemp("spec") / "openapi.yaml"
    path.write_text(openapi_text(), encoding="utf-8")
    return load(path)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "localhost", "127.0.0.2"])
def test_serve_refuses_anything_but_loopback(host: str) -> None:
    with pytest.raises(ConfigError, match=r"127\.0\.0\.1"):
        serve(create_app(secure=False), host=host)


@pytest.mark.parametrize("secure", [False, True])
def test_both_apps_listen_on_loopback_only(secure: bool) -> None:
    with serve(create_app(secure=secure)) as handle:
        assert handle.url == f"http://127.0.0.1:{handle.port}"
        assert handle._server.servers[0].sockets[0].getsockname()[0] == "127.0.0.1"
        with socket.create_connection(("127.0.0.1", handle.port), timeout=5):
            pass
        assert httpx.get(f"{handle.url}/openapi.yaml", trust_env=False).text == openapi_text()
    assert not handle.running


def _app_routes(secure: bool) -> set[tuple[str, str]]:
    out = set()
    for route in _create_app(secure=secure).routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method != "HEAD" and route.path != "/openapi.yaml":
                out.add((method, route.path))
    return out


def test_the_description_documents_exactly_the_twins_operations(model: ApiModel) -> None:
    documented = {(op.method, op.path) for op in model.operations}
    assert documented == _app_routes(secure=True)


def test_the_vulnerable_app_serves_more_than_it_documents(model: ApiModel) -> None:
    documented = {(op.method, op.path) for op in model.operations}
    extra = _app_routes(secure=False) - documented
    assert ("GET", "/debug") in extra
    assert ("DELETE", "/api/v2/products/{productId}") in extra
    assert documented <= _app_routes(secure=False)


def test_the_description_declares_schemes_links_and_deprecations(model: ApiModel) -> None:
    assert {"bearerAuth", "apiKey"} <= set(model.security_schemes)
    ops = {op.operation_id: op for op in model.operations}
    assert ops["exportOrders"].deprecated
    assert set(ops["createOrder"].responses["201"].links) >= {"GetOrder", "UpdateOrder", "DeleteOrder"}
    assert "admin" in ops["adminListUsers"].tags


def _validate(model: ApiModel, method: str, path: str, response: httpx.Response) -> None:
    op = next(o for o in model.operations if o.method == method and o.path == path)
    declared = op.responses.get(str(response.status_code)) or op.responses.get(f"{str(response.status_code)[0]}XX")
    assert declared is not None, f"{method} {path} answered undeclared {response.status_code}"
    media = declared.content.get("application/json")
    if media is not None and media.schema is not None:
        jsonschema.validate(response.json(), dict(media.schema))


def test_the_twin_answers_what_its_description_promises(model: ApiModel) -> None:
    with serve(create_app(secure=True)) as handle, httpx.Client(base_url=handle.url, trust_env=False) as c:
        token = c.post("/api/v2/auth/login", json={"username": "alice", "password": SEEDED_USERS[0].password})
        _validate(model, "POST", "/api/v2/auth/login", token)
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        calls: list[tuple[str, str, str, dict[str, Any] | None]] = [
            ("GET", "/api/v2/users/me", "/api/v2/users/me", None),
            ("PATCH", "/api/v2/users/me", "/api/v2/users/me", {"display_name": "Alice A."}),
            ("GET", "/api/v2/accounts", "/api/v2/accounts", None),
            ("POST", "/api/v2/accounts", "/api/v2/accounts", {"name": "Savings"}),
            ("GET", "/api/v2/accounts/{accountId}", "/api/v2/accounts/1", None),
            ("POST", "/api/v2/orders", "/api/v2/orders", {"item": "Blue mug", "quantity": 2}),
            ("GET", "/api/v2/orders", "/api/v2/orders?page_size=5", None),
            ("GET", "/api/v2/orders/{orderId}", "/api/v2/orders/1001", None),
            ("PUT", "/api/v2/orders/{orderId}", "/api/v2/orders/1001", {"quantity": 3}),
            ("GET", "/api/v2/orders/export", "/api/v2/orders/export", None),
            ("GET", "/api/v2/invoices", "/api/v2/invoices", None),
            ("POST", "/api/v2/invoices", "/api/v2/invoices", {"order_id": 1001}),
            ("GET", "/api/v2/invoices/{invoiceId}", "/api/v2/invoices/5001", None),
            ("GET", "/api/v2/invoices/lookup", "/api/v2/invoices/lookup?invoiceId=5001", None),
            ("POST", "/api/v2/invoices/query", "/api/v2/invoices/query", {"invoice_id": 5001}),
            ("GET", "/api/v2/products", "/api/v2/products?category=books", None),
            ("POST", "/api/v2/products/find", "/api/v2/products/find", {"name": "Blue mug"}),
            ("GET", "/api/v2/products/{productId}", "/api/v2/products/1", None),
            ("POST", "/api/v2/products/{productId}/comments", "/api/v2/products/1/comments", {"text": "ok"}),
            ("GET", "/api/v2/products/{productId}/comments", "/api/v2/products/1/comments", None),
            ("POST", "/api/v2/webhooks", "/api/v2/webhooks", {"url": "https://hooks.example.com/x"}),
            ("GET", "/api/v2/webhooks", "/api/v2/webhooks", None),
            ("GET", "/api/v2/webhooks/{webhookId}", "/api/v2/webhooks/1", None),
            ("POST", "/api/v2/preview", "/api/v2/preview", {"url": "http://127.0.0.1:1/"}),
            ("POST", "/api/v2/tools/ping", "/api/v2/tools/ping", {"host": "localhost"}),
            ("POST", "/api/v2/reports", "/api/v2/reports", {"title": "Q1", "period": "2024-03"}),
            ("GET", "/api/v2/reports/{reportId}", "/api/v2/reports/1", None),
            ("GET", "/api/v2/stats", "/api/v2/stats", None),
            ("GET", "/api/v2/users/check-username", "/api/v2/users/check-username?username=dave", None),
            ("GET", "/api/v2/admin/users", "/api/v2/admin/users", None),
            ("GET", "/.well-known/jwks.json", "/.well-known/jwks.json", None),
            ("GET", "/api/v2/orders/{orderId}", "/api/v2/orders/abc", None),
        ]
        for method, template, url, body in calls:
            response = c.request(method, url, json=body, headers=auth)
            assert response.status_code < 500, (method, url, response.text)
            _validate(model, method, template, response)


def test_demo_scan_config_is_accepted_and_every_identity_logs_in() -> None:
    with serve(create_app(secure=True)) as handle:
        raw = demo_scan_config(handle.url)
        config = ScanConfig.from_mapping(raw)
        assert {i.role for i in config.identities} == {"user", "user2", "low", "admin", "anonymous"}
        with httpx.Client(base_url=handle.url, trust_env=False) as c:
            for identity in config.identities:
                if identity.auth.type != "login":
                    continue
                r = c.post(identity.auth.get("url"), json=dict(identity.auth.get("body")))
                assert r.status_code == 200, identity.name
                me = c.get("/api/v2/users/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
                assert me.json()["username"] == identity.name


def test_the_tutorial_lists_every_flaw() -> None:
    from pathlib import Path

    from apiward.demo import Flaw

    tutorial = (Path(__file__).resolve().parents[3] / "docs" / "tutorials" / "demo.md").read_text(encoding="utf-8")
    missing = [flaw.value for flaw in Flaw if f"| `{flaw.value}` |" not in tutorial]
    assert missing == []


def test_the_tutorials_python_samples_run(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    from pathlib import Path

    tutorial = (Path(__file__).resolve().parents[3] / "docs" / "tutorials" / "demo.md").read_text(encoding="utf-8")
    samples = re.findall(r"```python\n(.*?)```", tutorial, re.S)
    assert samples
    for sample in samples:
        exec(compile(sample, "docs/tutorials/demo.md", "exec"), {})
    assert "http://127.0.0.1:" in capsys.readouterr().out
