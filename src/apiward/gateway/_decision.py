"""Decision mode (sans-IO): nginx ``auth_request`` and Envoy ``ext_authz`` (HTTP service) answers.

nginx describes the original request in ``X-Original-Method`` / ``X-Original-URI`` and understands only
2xx, 401 and 403 from the decision service; Envoy sends the original method and path as the request
itself and passes any status and body on to the client. An allowed request is answered 200 with the
headers to forward (decision, subject, scopes, headers policies want upstream such as a phantom-token
JWT, ``RateLimit-*``); a denied one with the policy's problem answer plus ``X-Apiward-Status`` and
``X-Apiward-Rule``.
"""

from __future__ import annotations

from collections.abc import Sequence

from apiward.gateway._exchange import Exchange
from apiward.gateway._http1 import RawResponse
from apiward.gateway._policy import Deny
from apiward.gateway._problem import PROBLEM_TYPE, problem_body

__all__ = ["allow_answer", "deny_answer", "original_request"]


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def original_request(
    method: str, target: str, headers: Sequence[tuple[str, str]], *, flavor: str
) -> tuple[str, str, bool]:
    """``(method, target, nginx?)`` of the request being decided about."""
    original_uri = _header(headers, "x-original-uri")
    nginx = flavor == "nginx" or (flavor == "auto" and original_uri is not None)
    if not nginx:
        return method, target, False
    return (_header(headers, "x-original-method") or method).upper(), original_uri or target, True


def allow_answer(exchange: Exchange) -> RawResponse:
    headers = [("X-Apiward-Decision", "log" if exchange.notes.get("log_only") else "allow")]
    identity = exchange.identity
    if identity is not None:
        headers.append(("X-Apiward-Subject", identity.subject))
        if identity.scopes:
            headers.append(("X-Apiward-Scopes", " ".join(sorted(identity.scopes))))
    headers.extend(exchange.upstream_headers.items())
    forwarded = {k.lower() for k in exchange.upstream_headers}
    headers.extend((k, v) for k, v in exchange.response_headers.items() if k.lower() not in forwarded)
    return RawResponse(200, headers)


def deny_answer(deny: Deny, exchange: Exchange, *, nginx: bool) -> RawResponse:
    if deny.is_answer:
        # An edge answer (a CORS preflight's 204): Envoy passes it on to the client as it is; nginx only
        # knows allow (2xx) or deny, so there it is an allow and the proxied location answers.
        if nginx:
            return allow_answer(exchange)
        return RawResponse(deny.status, [*exchange.response_headers.items(), *deny.headers.items()])
    headers = [("Content-Type", PROBLEM_TYPE), *exchange.response_headers.items(), *deny.headers.items()]
    headers += [("X-Apiward-Status", str(deny.status)), ("X-Apiward-Rule", deny.rule_id)]
    status = deny.status if not nginx or deny.status in (401, 403) else 403  # nginx: only 401/403 deny
    return RawResponse(status, headers, problem_body(deny.status, deny.title, detail=deny.detail))
