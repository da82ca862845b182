"""Gateway integration fixtures: a real loopback upstream (uvicorn, an independent HTTP stack) and gateways."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import uvicorn

from apiward.gateway import Gateway, serve

SPEC = """
openapi: 3.0.3
info: {title: shop, version: "1"}
paths:
  /items:
    get: {operationId: listItems, responses: {"200": {description: ok}}}
    post: {operationId: createItem, responses: {"201": {description: created}}}
  /items/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get: {operationId: getItem, responses: {"200": {description: ok}}}
    delete: {operationId: deleteItem, responses: {"204": {description: gone}}}
  /slow:
    get: {operationId: slow, responses: {"200": {description: ok}}}
  /big:
    get: {operationId: big, responses: {"200": {description: ok}}}
  /stream:
    get: {operationId: stream, responses: {"200": {description: ok}}}
"""


async def echo_app(scope: dict[str, Any], receive: Callable[[], Awaitable[Any]], send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    query = scope["query_string"].decode()
    if path == "/slow":
        await asyncio.sleep(float(dict(p.split("=") for p in query.split("&") if "=" in p).get("s", "0.3")))
    if path == "/big":
        payload = b"x" * 200_000
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"200000")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
        return
    if path == "/stream":  # chunked, no length: 50 parts of 4 KiB
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for i in range(50):
            await send({"type": "http.response.body", "body": bytes([65 + i % 26]) * 4096, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    doc = {
        "method": scope["method"],
        "path": path,
        "query": query,
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "body": body.decode("latin-1"),
    }
    status = 201 if scope["method"] == "POST" else 200
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"connection", b"keep-alive, x-hop"),
                (b"x-hop", b"must-not-pass"),
                (b"x-upstream", b"yes"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": orjson.dumps(doc)})


class Upstream:
    def __init__(self, *, certfile: str | None = None, keyfile: str | None = None) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"{'https' if certfile else 'http'}://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            echo_app,
            lifespan="off",
            log_level="error",
            access_log=False,
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
        )
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]

    async def __aenter__(self) -> Upstream:
        self.task = asyncio.ensure_future(self.server.serve(sockets=[self.sock]))
        while not self.server.started:  # noqa: ASYNC110 - uvicorn exposes only a flag
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        await self.task
        self.sock.close()


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with Upstream() as running:
        yield running


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else gets it) but not listening."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield int(sock.getsockname()[1])
    sock.close()


@pytest.fixture
def upstream_class() -> type[Upstream]:
    return Upstream


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "openapi.yaml"
    path.write_text(SPEC)
    return path


GatewayFactory = Callable[..., Awaitable[Gateway]]


@pytest.fixture
async def make_gateway(upstream: Upstream, spec_file: Path) -> AsyncIterator[GatewayFactory]:
    started: list[Gateway] = []

    async def factory(doc: dict[str, Any] | None = None, *, spec: bool = True, **kwargs: Any) -> Gateway:
        config: dict[str, Any] = {"upstream": {"url": upstream.url}, "listen": {"port": 0}}
        if spec:
            config["spec"] = str(spec_file)
        doc = dict(doc or {})
        # The threat policy (another package) compiles its rule set at start-up; these tests are about the
        # server and the wire, so it is off unless a test turns it on.
        config["policies"] = {"threat": {"mode": "off"}, **doc.pop("policies", {})}
        config.update(doc)
        gateway = await serve(config, **kwargs)
        started.append(gateway)
        return gateway

    yield factory
    for gateway in started:
        await gateway.close()


def _one_response(buf: bytes) -> bool:
    head, sep, body = buf.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return True


async def raw_exchange(port: int, data: bytes, *, read_timeout: float = 5.0, until_close: bool = False) -> bytes:
    """Send raw bytes; read one complete response (or, with ``until_close``, until the server closes)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    chunks: list[bytes] = []
    try:
        while True:
            chunk = await asyncio.wait_for(reader.read(65536), read_timeout)
            if not chunk:
                break
            chunks.append(chunk)
            if not until_close and _one_response(b"".join(chunks)):
                break
    except (TimeoutError, ConnectionError):
        pass
    writer.close()
    try:
        await writer.wait_closed()
    except ConnectionError:
        pass
    return b"".join(chunks)


@pytest.fixture
def raw() -> Callable[..., Awaitable[bytes]]:
    return raw_exchange
