"""The upstream client: pooled keep-alive HTTP/1.1 connections with ``httptools`` response parsing.

Hand-written instead of httpx on purpose: the proxy's hot path sends already-framed bytes and needs
only status, headers and a bounded body; httpx's per-request model/transport layers cost several
times the whole proxy budget (see ``benchmarks/gateway.py``). Connections are reused only when the
response was read completely and the upstream kept the connection alive.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httptools

from apiward.core import ConfigError, TargetError

__all__ = ["UpstreamClient", "UpstreamResponse", "UpstreamTooLarge"]


_UNSAFE = re.compile(r"[\r\n\x00]")
_MAX_HEAD_BYTES = 65536
_MAX_HEADERS = 200


@dataclass(frozen=True, slots=True)
class UpstreamResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # the whole body, or — when ``stream`` is set — the part read before streaming began
    elapsed_ms: float
    #: The rest of a body larger than the buffer bound (only when the caller allowed streaming).
    stream: AsyncIterator[bytes] | None = None


class UpstreamTooLarge(TargetError):
    """The upstream response body exceeded the configured bound."""


class _Conn(asyncio.Protocol):
    """One upstream connection; parses one response at a time."""

    def __init__(self, max_body: int) -> None:
        self.transport: asyncio.Transport | None = None
        self.max_body = max_body
        self.closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._parser: httptools.HttpResponseParser | None = None
        self._headers: list[tuple[str, str]] = []
        self._body: list[bytes] = []
        self._size = 0
        self._head_bytes = 0
        self._headers_done = False
        self._has_length = False
        self._head = False
        self.reusable = False
        self._stream_ok = False
        self._queue: asyncio.Queue[bytes | Exception | None] | None = None
        self._reading_paused = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # create_connection gives a Transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._queue is not None:
            ended_by_close = self._headers_done and not self._has_length
            self._queue.put_nowait(None if ended_by_close else TargetError("upstream closed the connection"))
            return
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            if self._parser is not None and self._headers_done and not self._has_length:
                # Read-until-close framing: the close ends the body.
                waiter.set_result(None)
                return
            waiter.set_exception(TargetError("upstream closed the connection"))

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None:  # unsolicited data: the connection cannot be trusted any more
            self.reusable = False
            if self.transport is not None:
                self.transport.close()
            return
        try:
            parser.feed_data(data)
        except UpstreamTooLarge as exc:
            self._fail(exc)
        except httptools.HttpParserError as exc:
            cause = exc.__cause__ or exc.__context__  # httptools wraps errors raised in callbacks
            self._fail(
                cause
                if isinstance(cause, UpstreamTooLarge)
                else TargetError(f"upstream sent a malformed response: {exc}")
            )

    def _fail(self, exc: Exception) -> None:
        self.reusable = False
        if self._queue is not None:
            self._queue.put_nowait(exc)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value)
        if self._head_bytes > _MAX_HEAD_BYTES or len(self._headers) >= _MAX_HEADERS:
            raise UpstreamTooLarge("upstream response headers exceed the bound")
        self._headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self._headers_done = True
        self._has_length = any(k.lower() in ("content-length", "transfer-encoding") for k, _ in self._headers)
        if self._head:
            # A HEAD answer has no body whatever its Content-Length says; httptools cannot be told to skip
            # it, so finish here and do not reuse the connection.
            self.reusable = False
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_result(None)

    def on_body(self, body: bytes) -> None:
        self._size += len(body)
        queue = self._queue
        if queue is not None:
            queue.put_nowait(body)
            if queue.qsize() >= 32 and self.transport is not None and not self._reading_paused:
                self._reading_paused = True  # back-pressure: the client reads slower than the upstream sends
                self.transport.pause_reading()
            return
        if self._size > self.max_body:
            if not self._stream_ok:
                raise UpstreamTooLarge(f"upstream response body exceeds {self.max_body} bytes")
            # Hand the response over now (headers + what is buffered) and stream the rest.
            self._queue = asyncio.Queue()
            self._queue.put_nowait(body)
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_result(None)
            return
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._parser is None or self._head:
            return
        self.reusable = self._parser.should_keep_alive()
        if self._queue is not None:
            self._queue.put_nowait(None)
            return
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def chunks(self, timeout_s: float) -> AsyncIterator[bytes]:
        """The streamed rest of the current body; raises :class:`TargetError` if the upstream fails."""
        queue = self._queue
        if queue is None:  # pragma: no cover - only called for a streamed response
            return
        while True:
            async with asyncio.timeout(timeout_s):
                item = await queue.get()
            if self._reading_paused and queue.qsize() < 8 and self.transport is not None:
                self._reading_paused = False
                self.transport.resume_reading()
            if item is None:
                self._queue = self._parser = None
                return
            if isinstance(item, Exception):
                raise item
            yield item

    async def roundtrip(self, data: bytes, *, head: bool, stream_ok: bool = False) -> UpstreamResponse:
        if self.transport is None or self.closed:
            raise TargetError("upstream connection is closed")
        loop = asyncio.get_running_loop()
        self._waiter = loop.create_future()
        self._parser = httptools.HttpResponseParser(self)
        self._head = head
        self._stream_ok = stream_ok
        self._queue = None
        self._headers, self._body, self._size, self._head_bytes = [], [], 0, 0
        self._headers_done = self._has_length = False
        self.reusable = False
        started = time.perf_counter()
        self.transport.write(data)
        parser = self._parser
        try:
            await self._waiter
        finally:
            self._waiter = None
            if self._queue is None:
                self._parser = None
        status = parser.get_status_code()
        return UpstreamResponse(
            status, tuple(self._headers), b"".join(self._body), (time.perf_counter() - started) * 1000
        )


class UpstreamClient:
    """A keep-alive pool to one upstream origin (``http://`` or ``https://``)."""

    def __init__(
        self,
        url: str,
        *,
        max_idle: int = 64,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 30.0,
        max_body: int = 16 * 1024 * 1024,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"upstream must be an http:// or https:// URL, got {url!r}", pointer="upstream.url")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.base_path = parts.path.rstrip("/")
        default_port = self.port == (443 if parts.scheme == "https" else 80)
        self.host_header = parts.netloc.rsplit("@", 1)[-1] if not default_port else self.host
        self._ssl: ssl.SSLContext | None = None
        if parts.scheme == "https":
            self._ssl = ssl_context or ssl.create_default_context()
            self._ssl.minimum_version = ssl.TLSVersion.TLSv1_2
        self._idle: deque[_Conn] = deque()
        self._max_idle = max_idle
        self._connect_timeout = connect_timeout_s
        self._read_timeout = read_timeout_s
        self._max_body = max_body
        self._closed = False

    async def _connect(self) -> _Conn:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._connect_timeout):
                _, conn = await loop.create_connection(
                    lambda: _Conn(self._max_body),
                    self.host,
                    self.port,
                    ssl=self._ssl,
                    server_hostname=self.host if self._ssl else None,
                )
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            raise TargetError(f"cannot connect to upstream {self.host}:{self.port}: {type(exc).__name__}") from exc
        return conn

    async def request(
        self,
        method: str,
        target: str,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        stream_ok: bool = False,
        host: str | None = None,
    ) -> UpstreamResponse:
        """Send one request (``target`` is path + query) and read the response.

        A body over the bound raises :class:`UpstreamTooLarge`, unless ``stream_ok``: then the response
        comes back with what was buffered and a ``stream`` of the rest (which must be consumed or closed).
        """
        host_header = host if host and not _UNSAFE.search(host) else self.host_header
        head = [f"{method} {self.base_path}{target} HTTP/1.1\r\nHost: {host_header}\r\n"]
        # Values added by policies (e.g. identity claims) must not split the request head.
        head.extend(f"{k}: {v}\r\n" for k, v in headers if not (_UNSAFE.search(k) or _UNSAFE.search(v)))
        if body or method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            head.append(f"Content-Length: {len(body)}\r\n")
        head.append("\r\n")
        data = "".join(head).encode("latin-1") + body
        is_head = method == "HEAD"
        # A reused connection may have been closed by the upstream meanwhile: retry once on a fresh one
        # for idempotent methods only.
        for attempt in (0, 1):
            conn = self._take()
            fresh = conn is None
            if conn is None:
                conn = await self._connect()
            try:
                async with asyncio.timeout(self._read_timeout):
                    response = await conn.roundtrip(data, head=is_head, stream_ok=stream_ok)
            except TimeoutError as exc:
                conn.reusable = False
                if conn.transport is not None:
                    conn.transport.close()
                raise TargetError("upstream timed out") from exc
            except asyncio.CancelledError:  # the client went away mid-request: the answer is unread
                conn.reusable = False
                if conn.transport is not None:
                    conn.transport.close()
                raise
            except UpstreamTooLarge:
                raise
            except TargetError:
                if fresh or attempt or method not in ("GET", "HEAD", "OPTIONS", "PUT", "DELETE"):
                    raise
                continue
            if conn._queue is not None:
                return UpstreamResponse(
                    response.status,
                    response.headers,
                    response.body,
                    response.elapsed_ms,
                    stream=self._stream(conn),
                )
            self._give(conn)
            return response
        raise TargetError("upstream unavailable")  # pragma: no cover - the loop returns or raises

    async def _stream(self, conn: _Conn) -> AsyncIterator[bytes]:
        done = False
        try:
            async for chunk in conn.chunks(self._read_timeout):
                yield chunk
            done = True
        except TimeoutError as exc:
            raise TargetError("upstream timed out while streaming") from exc
        finally:
            if done:
                self._give(conn)
            else:  # abandoned or failed mid-body: the connection cannot be reused
                conn.reusable = False
                if conn.transport is not None:
                    conn.transport.close()

    def _take(self) -> _Conn | None:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn
        return None

    def _give(self, conn: _Conn) -> None:
        if conn.reusable and not conn.closed and not self._closed and len(self._idle) < self._max_idle:
            self._idle.append(conn)
        elif conn.transport is not None:
            conn.transport.close()

    async def aclose(self) -> None:
        self._closed = True
        while self._idle:
            conn = self._idle.pop()
            if conn.transport is not None:
                conn.transport.close()
