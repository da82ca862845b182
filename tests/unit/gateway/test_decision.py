"""Decision-mode answers as plain functions (nginx auth_request and Envoy ext_authz flavours)."""

from __future__ import annotations

from apiward.core import HttpRequest, Identity
from apiward.gateway import Deny, Exchange
from apiward.gateway._decision import allow_answer, deny_answer, original_request

NGINX = [("X-Original-URI", "/items/1?x=1"), ("X-Original-Method", "delete")]


def test_original_request_by_flavour() -> None:
    assert original_request("GET", "/_auth", NGINX, flavor="auto") == ("DELETE", "/items/1?x=1", True)
    assert original_request("GET", "/_auth", NGINX, flavor="nginx") == ("DELETE", "/items/1?x=1", True)
    assert original_request("POST", "/items", NGINX, flavor="envoy") == ("POST", "/items", False)
    assert original_request("POST", "/items", [], flavor="auto") == ("POST", "/items", False)
    assert original_request("GET", "/_auth", [], flavor="nginx") == ("GET", "/_auth", True)


def _exchange() -> Exchange:
    ex = Exchange(request=HttpRequest(method="GET", path="/items"))
    ex.identity = Identity(subject="alice", kind="jwt", scopes=frozenset({"b", "a"}))
    ex.upstream_headers["Authorization"] = "Bearer phantom"
    ex.response_headers["RateLimit-Remaining"] = "4"
    return ex


def test_allow_answer_carries_what_to_forward() -> None:
    answer = allow_answer(_exchange())
    assert answer.status == 200
    assert dict(answer.headers) == {
        "X-Apiward-Decision": "allow",
        "X-Apiward-Subject": "alice",
        "X-Apiward-Scopes": "a b",
        "Authorization": "Bearer phantom",
        "RateLimit-Remaining": "4",
    }


def test_deny_answer_maps_statuses_for_nginx_only() -> None:
    limited = Deny(status=429, title="Too Many Requests", rule_id="GW-RATE-001", headers={"Retry-After": "3"})
    nginx = deny_answer(limited, _exchange(), nginx=True)
    assert nginx.status == 403
    assert dict(nginx.headers)["X-Apiward-Status"] == "429"
    assert dict(nginx.headers)["Retry-After"] == "3"
    assert deny_answer(limited, _exchange(), nginx=False).status == 429
    unauthenticated = Deny(
        status=401, title="Unauthorized", rule_id="GW-AUTHN-001", headers={"WWW-Authenticate": "Bearer"}
    )
    answer = deny_answer(unauthenticated, _exchange(), nginx=True)
    assert answer.status == 401
    assert dict(answer.headers)["WWW-Authenticate"] == "Bearer"
    assert b'"status":401' in answer.body


def test_edge_answers_pass_to_envoy_and_allow_for_nginx() -> None:
    preflight = Deny(
        status=204, title="CORS preflight", rule_id="GW-CORS-000", headers={"Access-Control-Allow-Origin": "https://a"}
    )
    envoy = deny_answer(preflight, _exchange(), nginx=False)
    assert envoy.status == 204
    assert envoy.body == b""
    assert "Content-Type" not in dict(envoy.headers)
    assert dict(envoy.headers)["Access-Control-Allow-Origin"] == "https://a"
    nginx = deny_answer(preflight, _exchange(), nginx=True)  # nginx knows only allow/deny: allow
    assert nginx.status == 200
    assert dict(nginx.headers)["X-Apiward-Decision"] == "allow"
