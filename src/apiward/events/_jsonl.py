"""JSON Lines files, rotated by size — the native record, or ECS / OCSF documents for a log shipper."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from apiward.core import SecurityEvent

__all__ = ["JsonlWriter"]


class JsonlWriter:
    """Appends one JSON document per line; at ``max_bytes`` renames ``f`` to ``f.1`` (… ``f.N``) and starts anew.

    Hand-written rather than ``logging.handlers.RotatingFileHandler``: that handler formats and locks per
    record, while this writes a whole batch with one ``write`` and rotates only between batches.
    """

    def __init__(
        self,
        path: Path,
        *,
        render: Callable[[SecurityEvent], dict[str, Any]] | None = None,
        max_bytes: int = 100 << 20,
        backups: int = 5,
        label: str = "jsonl",
    ) -> None:
        self.path = path
        self.name = f"{label}:{path}"
        self._render = render
        self._max_bytes = max_bytes
        self._backups = backups
        self._fd: int | None = None
        self._size = 0

    def open(self) -> None:
        self._open()

    def _open(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._size = os.fstat(fd).st_size
        return fd

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        fd = self._fd if self._fd is not None else self._open()
        render = self._render
        if render is None and docs:  # the native record is the spool line: no second serialisation
            data = b"\n".join(docs) + b"\n"
        else:
            to_doc = render or (lambda e: e.to_dict())
            data = b"".join(orjson.dumps(to_doc(e), option=orjson.OPT_NON_STR_KEYS) + b"\n" for e in batch)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        self._size += len(data)
        if self._max_bytes and self._size >= self._max_bytes:
            self._rotate()

    def _rotate(self) -> None:
        self.close()
        if self._backups > 0:
            for i in range(self._backups - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.{i}")
                if older.exists():
                    older.replace(self.path.with_name(f"{self.path.name}.{i + 1}"))
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink(missing_ok=True)
        self.open()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
