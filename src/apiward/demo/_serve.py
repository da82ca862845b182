"""Run an ASGI app with uvicorn on 127.0.0.1 in a background thread (tests, the CLI, the quickstart)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

import uvicorn
from starlette.types import ASGIApp

from apiward.core import ConfigError, TargetError

__all__ = ["LOOPBACK", "ServerHandle", "check_loopback", "serve"]

LOOPBACK = "127.0.0.1"
_START_TIMEOUT_S = 20.0


def check_loopback(host: str) -> None:
    """The demo APIs are deliberately vulnerable: they never bind anything but 127.0.0.1."""
    if host != LOOPBACK:
        raise ConfigError(f"the demo API binds {LOOPBACK} only, not {host!r}", pointer="host")


@dataclass(slots=True)
class ServerHandle:
    """A running server: ``url`` (``http://127.0.0.1:PORT``), ``port``, and ``close()`` (idempotent)."""

    url: str
    port: int
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._server.should_exit

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(app: ASGIApp, port: int = 0, *, host: str = LOOPBACK) -> ServerHandle:
    """Start ``app`` on ``host:port`` (port 0 = a free port) in a daemon thread and wait until it accepts."""
    check_loopback(host)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="off",
        log_level="warning",
        access_log=False,
        server_header=False,
        loop="asyncio",
        http="h11",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve())
        except BaseException as exc:  # reported to the caller below
            errors.append(exc)

    thread = threading.Thread(target=run, name=f"apiward-demo-{port}", daemon=True)
    thread.start()
    if not _wait_started(server, thread) or errors:
        server.should_exit = True
        thread.join(timeout=5)
        if not errors:
            why = "it did not start in time"
        elif isinstance(errors[0], SystemExit):  # uvicorn exits when it cannot bind
            why = "the address is in use or not permitted"
        else:
            why = str(errors[0])
        raise TargetError(f"the demo server could not start on {host}:{port}: {why}")
    bound = server.servers[0].sockets[0].getsockname()[1]
    return ServerHandle(url=f"http://{host}:{bound}", port=bound, _server=server, _thread=thread)


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> bool:
    stop = threading.Event()
    waited = 0.0
    while not server.started:
        if not thread.is_alive() or waited > _START_TIMEOUT_S:
            return False
        stop.wait(0.02)
        waited += 0.02
    return True
