"""Out-of-band proof: a loopback HTTP listener the target is tricked into calling (SSRF, ``jku``).

Each probe gets a unique token in the URL path; a hit on ``/<token>`` proves that the server itself
made the request. The listener also serves JWKS documents registered under a token (``jku`` injection).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

__all__ = ["CallbackServer"]


class CallbackServer:
    """A tiny asyncio HTTP/1.1 listener on 127.0.0.1 (port 0). Records which tokens were requested.

    Hand-written on ``asyncio.start_server`` because it must answer any method on any path, run inside the
    scan's event loop and record hits; a web framework adds nothing here.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.hits: dict[str, int] = {}
        self.documents: dict[str, bytes] = {}
        self._server: asyncio.Server | None = None

    async def start(self) -> CallbackServer:
        self._server = await asyncio.start_server(self._handle, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def new_token(self) -> str:
        return "aw" + secrets.token_hex(8)

    def url(self, token: str) -> str:
        return f"http://{self.host}:{self.port}/{token}"

    def serve_json(self, token: str, document: Any) -> str:
        self.documents[token] = json.dumps(document).encode()
        return self.url(token)

    def was_hit(self, token: str) -> bool:
        return self.hits.get(token, 0) > 0

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=5)
            while (await asyncio.wait_for(reader.readline(), timeout=5)) not in (b"\r\n", b"\n", b""):
                pass
            parts = line.decode("latin-1").split()
            path = parts[1] if len(parts) > 1 else "/"
            token = path.lstrip("/").split("?", 1)[0].split("/", 1)[0]
            self.hits[token] = self.hits.get(token, 0) + 1
            body = self.documents.get(token, b"ok")
            ctype = b"application/json" if token in self.documents else b"text/plain"
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: "
                + ctype
                + b"\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError, OSError):
            pass
        finally:
            writer.close()
