"""A tiny in-memory file system for the file-download and ``kid`` endpoints.

The path-traversal flaw resolves user input against this tree only: the real disk is never read,
so ``../../etc/passwd`` returns the fake file below, never the host's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["FILES_ROOT", "VirtualFileSystem"]

FILES_ROOT = "/srv/apiward-demo/files"

_FAKE_PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
shop:x:1000:1000:Demo Shop,,,:/home/shop:/bin/bash
"""

_BASE: Mapping[str, bytes] = MappingProxyType(
    {
        "/etc/passwd": _FAKE_PASSWD.encode(),
        "/etc/hostname": b"demo-shop-01\n",
        "/etc/hosts": b"127.0.0.1 localhost\n127.0.1.1 demo-shop-01\n",
        "/dev/null": b"",
        "/proc/self/environ": b"DB_PASSWORD=not-a-real-password\x00JWT_SECRET=secret\x00",
        "/srv/apiward-demo/keys/current": b"apiward-demo-signing-key",
        "/srv/apiward-demo/.env": b"DEBUG=true\nDB_URL=sqlite:///:memory:\nJWT_SECRET=secret\n",
    }
)


class VirtualFileSystem:
    """Absolute POSIX paths -> bytes. Only what is put here can ever be read."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = dict(_BASE)

    def put(self, path: str, content: bytes) -> None:
        self._files[posixpath.normpath(path)] = content

    def read(self, path: str) -> bytes | None:
        """The file at ``path`` (normalised, so ``..`` walks up the virtual tree), or ``None``."""
        return self._files.get(posixpath.normpath("/" + path.lstrip("/")))

    def exists(self, path: str) -> bool:
        return self.read(path) is not None

    def listdir(self, directory: str) -> list[str]:
        prefix = posixpath.normpath(directory).rstrip("/") + "/"
        return sorted(p[len(prefix) :] for p in self._files if p.startswith(prefix) and "/" not in p[len(prefix) :])
