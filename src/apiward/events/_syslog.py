"""Syslog (RFC 5424) carrying CEF, over UDP (RFC 5426), TCP (RFC 6587 octet counting) or TLS (RFC 5425)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Sequence

from apiward.core import SecurityEvent
from apiward.events._cef import syslog_message

__all__ = ["SyslogWriter"]

_UDP_MAX = 65_000


class SyslogWriter:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        transport: str = "udp",
        facility: int = 10,
        tls_context: ssl.SSLContext | None = None,
        timeout_s: float = 5.0,
    ) -> None:
        if transport not in ("udp", "tcp", "tls"):
            raise ValueError(f"unknown syslog transport {transport!r}")
        self.name = f"syslog+{transport}://{host}:{port}"
        self._addr = (host, port)
        self._transport = transport
        self._facility = facility
        self._tls = tls_context
        self._timeout = timeout_s
        self._sock: socket.socket | None = None

    def open(self) -> None:
        self._open()

    def _open(self) -> socket.socket:
        if self._transport == "udp":
            sock = socket.socket(socket.AF_INET6 if ":" in self._addr[0] else socket.AF_INET, socket.SOCK_DGRAM)
            sock.connect(self._addr)
        else:
            sock = socket.create_connection(self._addr, timeout=self._timeout)
            if self._transport == "tls":
                context = self._tls or ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=self._addr[0])
        self._sock = sock
        return sock

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        sock = self._sock if self._sock is not None else self._open()
        messages = [syslog_message(e, facility=self._facility) for e in batch]
        if self._transport == "udp":
            for msg in messages:
                sock.send(msg[:_UDP_MAX])
        else:
            sock.sendall(b"".join(b"%d %s" % (len(m), m) for m in messages))

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
