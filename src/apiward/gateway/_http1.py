"""The client-facing HTTP/1.1 server: an asyncio ``Protocol`` with ``httptools`` (llhttp) parsing.

Keep-alive and pipelining are supported: requests are answered strictly in order, one at a time per
connection, and reading pauses while too many are queued. Everything is bounded — request line, each
header, header count, body, idle and header-read time — and every error the server answers itself is
``application/problem+json`` with no internals; a parse error always closes the connection.

llhttp already rejects, in its strict default mode: CL together with TE, duplicate or non-numeric
Content-Length, a chunked encoding that is not last, obs-fold, bare LF, NUL/CR in values, invalid
methods and header names. What it lets through (TE ``gzip, chunked``, HTTP/0.9, a missing or
repeated Host, ``Upgrade``) is checked here or by the hygiene policy.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

import httptools

from apiward.core import spawn
from apiward.gateway._problem import PROBLEM_TYPE, problem_body, reason_phrase

__all__ = ["Limits", "RawRequest", "RawResponse", "ServerProtocol"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    max_url_bytes: int = 8192
    max_header_bytes: int = 16384  # one header line (name + value)
    max_headers_total_bytes: int = 65536
    max_header_count: int = 100
    max_body_bytes: int = 10 * 1024 * 1024
    header_timeout_s: float = 10.0  # to receive a complete request, head and body (slow-loris)
    keepalive_timeout_s: float = 30.0
    max_pipelined: int = 16
    max_connections: int = 10000


@dataclass(slots=True)
class RawRequest:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    http_version: str
    keep_alive: bool
    client_ip: str | None
    tls: bool
    upgrade: bool = False


@dataclass(slots=True)
class RawResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    close: bool = False
    #: More body after ``body``, streamed with back-pressure (sent as-is when ``headers`` carry a
    #: Content-Length, chunked otherwise; close-delimited to HTTP/1.0 clients).
    stream: AsyncIterator[bytes] | None = None


Handler = Callable[[RawRequest], Awaitable[RawResponse]]

_date_cache: list[Any] = [0, ""]
#: Characters that may never appear in a header name or value we write (response splitting).
_UNSAFE = re.compile(r"[\r\n\x00]")


def _http_date() -> str:
    """The ``Date`` header line, formatted once per second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[0] = now
        _date_cache[1] = f"Date: {formatdate(now, usegmt=True)}\r\n"
    return str(_date_cache[1])


class _Reject(Exception):
    """Stop parsing and answer ``status`` (raised inside httptools callbacks)."""

    def __init__(self, status: int, title: str) -> None:
        super().__init__(title)
        self.status = status
        self.title = title


def _problem(status: int, title: str) -> RawResponse:
    return RawResponse(status, [("Content-Type", PROBLEM_TYPE)], problem_body(status, title), close=True)


class ServerProtocol(asyncio.Protocol):
    """One client connection."""

    def __init__(
        self,
        handler: Handler,
        limits: Limits,
        *,
        tls: bool = False,
        server_header: str = "",
        refuse: bool = False,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self._handler = handler
        self._refuse = refuse  # over the connection limit: answer 503 and close
        self._on_lost = on_lost
        self._limits = limits
        self._tls = tls
        self._server_header = server_header
        self._transport: asyncio.Transport | None = None
        self._client_ip: str | None = None
        self._parser = httptools.HttpRequestParser(self)
        self._queue: deque[RawRequest | RawResponse] = deque()
        self._worker: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._closing = False
        self._paused = False
        self._writable = asyncio.Event()
        self._writable.set()
        self._reset()

    # -- connection --------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # a stream server gives a Transport
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and peer:
            self._client_ip = str(peer[0])
        elif peer is not None:
            self._client_ip = "unix"
        if self._refuse:
            self._fail(503, "Service Unavailable")
            return
        self._arm_timer(self._limits.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._on_lost is not None:
            self._on_lost()
            self._on_lost = None
        self._closing = True
        self._cancel_timer()
        if self._worker is not None and not self._worker.done():
            self._worker.cancel()

    def shutdown(self) -> None:
        """Stop taking requests: close now when idle, else after the queued answers."""
        self._closing = True
        if self._transport is None or self._transport.is_closing():
            return
        self._transport.pause_reading()
        if (self._worker is None or self._worker.done()) and not self._queue:
            self._transport.close()

    def abort(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.abort()

    def _arm_timer(self, seconds: float) -> None:
        self._cancel_timer()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(seconds, self._on_timeout)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _on_timeout(self) -> None:
        self._timer = None
        if self._worker is not None and not self._worker.done():
            self._arm_timer(self._limits.header_timeout_s)  # busy answering: look again later
            return
        if self._in_message:
            self._enqueue(_problem(408, "Request Timeout"))
        elif self._transport is not None:
            self._transport.close()

    def _reset(self) -> None:
        self._url = bytearray()
        self._headers: list[tuple[str, str]] = []
        self._headers_bytes = 0
        self._body: list[bytes] = []
        self._body_size = 0
        self._in_message = False

    # -- parsing -----------------------------------------------------------------------------------
    def data_received(self, data: bytes) -> None:
        if self._closing:
            return
        try:
            self._parser.feed_data(data)
        except _Reject as exc:
            self._fail(exc.status, exc.title)
        except httptools.HttpParserUpgrade:
            self._on_upgrade()
        except httptools.HttpParserError as exc:
            # A _Reject raised inside a callback comes back wrapped by httptools.
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, _Reject):
                self._fail(cause.status, cause.title)
            else:
                self._fail(400, "Bad Request")

    def _fail(self, status: int, title: str) -> None:
        self._closing = True  # stop reading: the stream can no longer be framed
        if self._transport is not None:
            self._transport.pause_reading()
        self._enqueue(_problem(status, title))

    def _on_upgrade(self) -> None:
        method = self._parser.get_method().decode("ascii", "replace")
        if method == "CONNECT":
            self._fail(405, "Method Not Allowed")
            return
        # Upgrade (e.g. WebSocket) is not proxied: the request was answered as plain HTTP by
        # on_message_complete (Upgrade is hop-by-hop and stripped); stop reading afterwards.
        if self._queue and isinstance(self._queue[-1], RawRequest):
            self._queue[-1].keep_alive = False
            self._queue[-1].upgrade = True
            self._closing = True
            if self._transport is not None:
                self._transport.pause_reading()
        else:
            self._fail(400, "Bad Request")

    def on_message_begin(self) -> None:
        self._in_message = True
        if self._timer is None or self._queue:
            return  # the first request's timer is already running; pipelined ones are checked later
        self._arm_timer(self._limits.header_timeout_s)  # a new request on a kept-alive connection

    def on_url(self, url: bytes) -> None:
        self._url += url
        if len(self._url) > self._limits.max_url_bytes:
            raise _Reject(414, "URI Too Long")

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value)
        self._headers_bytes += size
        if size > self._limits.max_header_bytes or self._headers_bytes > self._limits.max_headers_total_bytes:
            raise _Reject(431, "Request Header Fields Too Large")
        if len(self._headers) >= self._limits.max_header_count:
            raise _Reject(431, "Request Header Fields Too Large")
        self._headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        version = self._parser.get_http_version()
        if version not in ("1.1", "1.0"):
            raise _Reject(505, "HTTP Version Not Supported")
        expect = False
        for k, v in self._headers:
            low = k.lower()
            if low == "content-length" and int(v) > self._limits.max_body_bytes:
                raise _Reject(413, "Content Too Large")
            if low == "expect":
                if v.strip().lower() != "100-continue":
                    raise _Reject(417, "Expectation Failed")
                expect = version == "1.1"
        # Answer "100 Continue" only when nothing is queued before this request (answers stay in order).
        idle = (self._worker is None or self._worker.done()) and not self._queue
        if expect and idle and self._transport is not None:
            self._transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, body: bytes) -> None:
        self._body_size += len(body)
        if self._body_size > self._limits.max_body_bytes:
            raise _Reject(413, "Content Too Large")
        self._body.append(body)

    def on_message_complete(self) -> None:
        parser = self._parser
        request = RawRequest(
            method=parser.get_method().decode("ascii"),
            target=self._url.decode("latin-1"),
            headers=self._headers,
            body=b"".join(self._body),
            http_version=parser.get_http_version(),
            keep_alive=parser.should_keep_alive(),
            client_ip=self._client_ip,
            tls=self._tls,
        )
        self._reset()
        self._cancel_timer()
        self._enqueue(request)

    # -- answering ---------------------------------------------------------------------------------
    def _enqueue(self, item: RawRequest | RawResponse) -> None:
        self._queue.append(item)
        if len(self._queue) >= self._limits.max_pipelined and self._transport is not None and not self._paused:
            self._paused = True
            self._transport.pause_reading()
        if self._worker is None or self._worker.done():
            self._worker = spawn(self._drain(), name="apiward-gateway-connection")

    async def _drain(self) -> None:
        transport = self._transport
        while self._queue and transport is not None and not transport.is_closing():
            item = self._queue.popleft()
            if isinstance(item, RawResponse):
                self._write(item, keep_alive=False, head=False)
                transport.close()
                return
            try:
                response = await self._handler(item)
            except asyncio.CancelledError:
                raise
            except Exception:  # the handler fails closed; the client never sees internals
                response = _problem(500, "Internal Server Error")
            keep_alive = item.keep_alive and not response.close and not self._closing_after(item)
            if response.stream is not None:
                keep_alive = await self._write_streamed(response, keep_alive=keep_alive, version=item.http_version)
            else:
                self._write(response, keep_alive=keep_alive, head=item.method == "HEAD", version=item.http_version)
            if not keep_alive:
                transport.close()
                return
            if self._paused and len(self._queue) < self._limits.max_pipelined // 2:
                self._paused = False
                transport.resume_reading()
        if transport is not None and not transport.is_closing():
            timeout = self._limits.header_timeout_s if self._in_message else self._limits.keepalive_timeout_s
            self._arm_timer(timeout)

    # -- streamed bodies -------------------------------------------------------------------------------
    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    async def _write_streamed(self, response: RawResponse, *, keep_alive: bool, version: str) -> bool:
        """Send head + ``body`` + the stream; returns whether the connection may stay open."""
        stream = response.stream
        transport = self._transport
        if stream is None or transport is None:  # pragma: no cover - the caller checked
            return False
        sized = any(k.lower() == "content-length" for k, _ in response.headers)
        chunked = not sized and version == "1.1"
        if not sized and not chunked:
            keep_alive = False  # HTTP/1.0 without a length: the close ends the body
        headers = list(response.headers)
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        self._write(RawResponse(response.status, headers), keep_alive=keep_alive, head=True, version=version)

        def frame(data: bytes) -> bytes:
            return b"%x\r\n%b\r\n" % (len(data), data) if chunked else data

        try:
            if response.body:
                transport.write(frame(response.body))
            async for chunk in stream:
                if not chunk:
                    continue
                transport.write(frame(chunk))
                if not self._writable.is_set():
                    await self._writable.wait()
                if transport.is_closing():
                    return False
            if chunked:
                transport.write(b"0\r\n\r\n")
        except Exception:  # the upstream failed mid-body: the client must not take a truncated body as whole
            transport.abort()
            return False
        finally:
            await stream.aclose()  # type: ignore[attr-defined]  # an async generator
        return keep_alive

    def _closing_after(self, item: RawRequest) -> bool:
        return item.upgrade or (self._closing and not self._queue)

    def _write(self, response: RawResponse, *, keep_alive: bool, head: bool, version: str = "1.1") -> None:
        if self._transport is None:
            return
        status = response.status
        lines = [f"HTTP/{version} {status} {reason_phrase(status)}\r\n"]
        has_length = has_date = False
        for k, v in response.headers:
            if "\r" in v or "\n" in v or "\x00" in v or _UNSAFE.search(k):
                continue  # never let a value (e.g. a token claim) split the header block
            lines.append(f"{k}: {v}\r\n")
            low = k.lower()
            if low == "content-length":
                has_length = True
            elif low == "date":
                has_date = True
        if not has_date:
            lines.append(_http_date())
        if status >= 200 and status not in (204, 304) and not head and not has_length:
            lines.append(f"Content-Length: {len(response.body)}\r\n")
        if self._server_header:
            lines.append(f"Server: {self._server_header}\r\n")
        if not keep_alive:
            lines.append("Connection: close\r\n")
        elif version == "1.0":
            lines.append("Connection: keep-alive\r\n")
        lines.append("\r\n")
        head_bytes = "".join(lines).encode("latin-1", "replace")
        if head or status in (204, 304) or not response.body:
            self._transport.write(head_bytes)
        else:
            self._transport.writelines((head_bytes, response.body))
