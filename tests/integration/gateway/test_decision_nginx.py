"""Decision mode behind a REAL nginx (auth_request), and as an Envoy ext_authz (HTTP) service."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from apiward.gateway import Gateway

pytestmark = pytest.mark.nginx

NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location = /_apiward {{
      internal;
      proxy_pass http://127.0.0.1:{gateway};
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Original-URI $request_uri;
      proxy_set_header X-Original-Method $request_method;
      proxy_set_header X-Forwarded-For $remote_addr;
    }}
    location / {{
      auth_request /_apiward;
      auth_request_set $apiward_decision $upstream_http_x_apiward_decision;
      proxy_set_header X-Apiward-Decision $apiward_decision;
      proxy_pass http://127.0.0.1:{upstream};
    }}
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nginx_factory(nginx_bin: str, tmp_path: Path) -> Iterator[object]:
    procs: list[subprocess.Popen[bytes]] = []

    async def start(gateway_port: int, upstream_port: int) -> int:
        port = _free_port()
        conf = tmp_path / "nginx.conf"
        user = "user root;" if os.geteuid() == 0 else ""
        conf.write_text(
            NGINX_CONF.format(user=user, tmp=tmp_path, port=port, gateway=gateway_port, upstream=upstream_port)
        )
        proc = subprocess.Popen([nginx_bin, "-c", str(conf), "-p", str(tmp_path)], stderr=subprocess.DEVNULL)  # noqa: ASYNC220
        procs.append(proc)
        for _ in range(200):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                return port
            except OSError:
                if proc.poll() is not None:
                    log = tmp_path / "error.log"
                    raise RuntimeError(log.read_text() if log.exists() else "nginx failed") from None
                await asyncio.sleep(0.05)
        raise RuntimeError("nginx did not start")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
async def decision_gateway(make_gateway) -> Gateway:  # type: ignore[no-untyped-def]
    return await make_gateway(
        {
            "mode": "decision",
            "policies": {"ratelimit": {"limits": [{"key": "ip", "requests": 3, "period_s": 3600}]}},
        }
    )


async def test_nginx_auth_request_allows_and_denies(decision_gateway, upstream, nginx_factory) -> None:  # type: ignore[no-untyped-def]
    port = await nginx_factory(decision_gateway.port, upstream.port)  # type: ignore[operator]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        r = await client.get("/items/5?x=1")
        assert r.status_code == 200
        headers = dict(r.json()["headers"])
        assert headers["x-apiward-decision"] == "allow"
        assert r.json()["path"] == "/items/5"
        # unknown path: hygiene says 404, nginx may only be told 401/403
        assert (await client.get("/admin/../etc")).status_code in (400, 403)
        assert (await client.get("/nope")).status_code == 403
        assert (await client.put("/items/1")).status_code == 403
        # the rate limit (3 per IP; 1 used above) counts the client address nginx passes on
        statuses = [(await client.get("/items")).status_code for _ in range(3)]
        assert statuses == [200, 200, 403]


async def test_envoy_style_decisions_keep_the_status(decision_gateway) -> None:  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{decision_gateway.port}"
    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.get("/items/1")
        assert r.status_code == 200
        assert r.headers["x-apiward-decision"] == "allow"
        assert r.headers["ratelimit-remaining"] == "2"
        r = await client.get("/nope")
        assert r.status_code == 404
        assert r.headers["x-apiward-rule"] == "GW-HYG-007"
        assert r.headers["content-type"] == "application/problem+json"
        r = await client.get("/nope", headers={"X-Original-URI": "/items", "X-Original-Method": "GET"})
        assert r.status_code == 200  # nginx flavour: the original request is described in headers


class _SplittingIdentity:
    """A stand-in authentication policy whose identity carries CR/LF (as a hostile token claim could)."""

    name = "authn_jwt"

    def __init__(self) -> None:
        from apiward.gateway import Mode

        self.mode = Mode.ENFORCE

    async def on_request(self, exchange):  # type: ignore[no-untyped-def]
        from apiward.core import Identity

        exchange.identity = Identity(subject="bob\r\nX-Evil: 1", kind="jwt")
        exchange.upstream_headers["X-Claim"] = "a\nSet-Cookie: x=1"


async def test_header_values_cannot_split_the_answer(make_gateway, raw) -> None:  # type: ignore[no-untyped-def]
    gateway = await make_gateway({"mode": "decision"}, policy_overrides={"authn_jwt": _SplittingIdentity()})
    answer = await raw(gateway.port, b"GET /items HTTP/1.1\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"X-Evil" not in answer
    assert b"Set-Cookie" not in answer
    proxy = await make_gateway(policy_overrides={"authn_jwt": _SplittingIdentity()})
    answer = await raw(proxy.port, b"GET /items HTTP/1.1\r\nHost: a\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"set-cookie" not in answer.lower()


BODY_SPEC = """
openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      parameters: [{name: dry, in: query, schema: {type: boolean}}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses: {"201": {description: created}}
"""


async def test_nginx_subrequests_without_a_body_are_not_refused_for_it(  # type: ignore[no-untyped-def]
    make_gateway, upstream, nginx_factory, tmp_path: Path
) -> None:
    spec = tmp_path / "body.yaml"
    spec.write_text(BODY_SPEC)
    gateway: Gateway = await make_gateway({"mode": "decision", "spec": str(spec)})
    port = await nginx_factory(gateway.port, upstream.port)  # type: ignore[operator]
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        r = await client.post("/items", json={"name": "pen"})
        assert r.status_code == 201  # auth_request never carries the body: body checks are skipped
        assert r.json()["body"] == '{"name":"pen"}'
        # parameters are still checked on the subrequest
        assert (await client.post("/items?dry=maybe", json={"name": "pen"})).status_code == 403
