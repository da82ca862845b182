"""The disk spool: an append-only file of serialised events plus a committed-offset file.

An event is appended with one ``write(2)`` before ``emit`` returns, so it survives a ``kill -9`` of the
process (the kernel keeps the page); with ``fsync=True`` it also survives a power cut, at a cost per event.
The writer commits the offset of the last event the store has accepted; on start everything after the
committed offset is replayed.

An exclusive ``flock`` keeps two writers off one spool file. A second sink for the same store (a
gateway reload builds the new pipeline while the old one drains; two processes on one host) takes the
next free *slot* (``name~1.spool``, ...), and a sink that starts adopts the unlocked slots that still
hold undelivered events, so nothing spooled is stranded.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from apiward.core import BackendError

__all__ = ["Spool", "SpoolLocked", "acquire_spool", "orphan_spools"]

_OFFSET_WIDTH = 20
_MAX_SLOTS = 64


class SpoolLocked(BackendError):
    """The spool file is held by another sink (in this process or another)."""


class Spool:
    """Append-only spool file ``<dir>/<name>.spool`` with its offset file ``<name>.offset``."""

    def __init__(self, directory: Path, name: str, *, fsync: bool = False) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise BackendError(f"cannot create the event spool directory {directory}: {exc}") from exc
        self.path = directory / f"{name}.spool"
        self.offset_path = directory / f"{name}.offset"
        self._fsync = fsync
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise BackendError(f"cannot open the event spool {self.path}: {exc}") from exc
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._fd)
            raise SpoolLocked(f"the event spool {self.path} is in use by another sink") from exc
        self._offset_fd = os.open(self.offset_path, os.O_RDWR | os.O_CREAT, 0o600)
        self.size = os.fstat(self._fd).st_size
        self.committed = min(self._read_offset(), self.size)
        self._drop_torn_tail()

    def _read_offset(self) -> int:
        raw = os.pread(self._offset_fd, _OFFSET_WIDTH + 1, 0).strip()
        return int(raw) if raw.isdigit() else 0

    def _drop_torn_tail(self) -> None:
        """A line cut short by a crash is cut off, so replay never sees half an event."""
        if self.size <= self.committed:
            return
        tail = os.pread(
            self._fd, min(self.size - self.committed, 1 << 20), self.size - min(self.size - self.committed, 1 << 20)
        )
        if tail.endswith(b"\n"):
            return
        cut = tail.rfind(b"\n")
        new_size = self.size - len(tail) + cut + 1 if cut >= 0 else self.committed
        os.ftruncate(self._fd, new_size)
        self.size = new_size

    @property
    def pending(self) -> bool:
        return self.size > self.committed

    def append(self, data: bytes) -> int:
        """Append serialised events; return the end offset. Raises ``OSError`` (the caller counts it)."""
        written = os.write(self._fd, data)
        if written != len(data):  # a short write on a full disk: cut it off so the file stays line-aligned
            os.ftruncate(self._fd, self.size)
            raise OSError("short write to the event spool")
        if self._fsync:
            os.fsync(self._fd)
        self.size += written
        return self.size

    def read(self, start: int, max_bytes: int = 1 << 20) -> tuple[list[bytes], int]:
        """Complete lines from ``start`` (at most about ``max_bytes``) and the offset after the last one."""
        end = min(self.size, start + max_bytes)
        chunk = os.pread(self._fd, end - start, start)
        cut = chunk.rfind(b"\n")
        if cut < 0:
            if end < self.size:  # one line longer than max_bytes: read it whole
                return self.read(start, max_bytes * 4)
            return [], start
        return chunk[: cut + 1].splitlines(), start + cut + 1

    def commit(self, offset: int) -> None:
        """Record that everything before ``offset`` is in the store."""
        self.committed = offset
        os.pwrite(self._offset_fd, b"%0*d\n" % (_OFFSET_WIDTH, offset), 0)

    def compact(self) -> None:
        """Empty the spool once everything in it is committed (caller holds the sink lock)."""
        if self.size and self.committed >= self.size:
            os.ftruncate(self._fd, 0)
            self.size = 0
            self.commit(0)

    def close(self) -> None:
        for fd in (self._fd, self._offset_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def _slot_name(name: str, slot: int) -> str:
    return name if slot == 0 else f"{name}~{slot}"


def acquire_spool(directory: Path, name: str, *, fsync: bool = False) -> Spool:
    """The first free slot of ``name``'s spool."""
    for slot in range(_MAX_SLOTS):
        try:
            return Spool(directory, _slot_name(name, slot), fsync=fsync)
        except SpoolLocked:
            continue
    raise BackendError(f"all {_MAX_SLOTS} event spool slots of {directory / name} are in use")


def orphan_spools(directory: Path, name: str, *, fsync: bool = False) -> list[Spool]:
    """Free slots of ``name`` that still hold undelivered events (left by a crash); the caller replays them."""
    found: list[Spool] = []
    for path in [*sorted(directory.glob(f"{name}~*.spool")), directory / f"{name}.spool"]:
        if not path.exists():
            continue
        try:
            spool = Spool(directory, path.name[: -len(".spool")], fsync=fsync)
        except SpoolLocked:
            continue
        if spool.pending:
            found.append(spool)
        else:
            spool.compact()
            spool.close()
    return found
