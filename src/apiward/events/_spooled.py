"""``SpooledSink``: the non-blocking front of every sink — bounded queue, disk spool, writer thread.

A thread (not an asyncio task) does the store I/O, so ``emit`` is safe from any thread, and a slow store
(SQLite fsync, a PostgreSQL round trip, a TLS handshake) never stalls the gateway's event loop.
The back-pressure policy is stated in :mod:`apiward.events._sink`.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson

from apiward.core import SecurityEvent
from apiward.events._encode import encode
from apiward.events._spool import Spool, acquire_spool, orphan_spools
from apiward.events._writer import BatchWriter

__all__ = ["SinkStats", "SpooledSink"]

log = logging.getLogger("apiward.events")

_COMPACT_BYTES = 4 << 20


@dataclass(slots=True)
class SinkStats:
    """Counters of one sink (read them for metrics; they only grow)."""

    accepted: int = 0
    spilled: int = 0  # accepted while the queue was full: kept in the spool only
    dropped: int = 0  # lost: neither queued nor spooled
    written: int = 0  # delivered to the store (replayed events included)
    replayed: int = 0  # read back from the spool (after a restart or a full queue)
    write_errors: int = 0
    spool_errors: int = 0
    corrupt: int = 0  # unreadable spool lines skipped
    last_error: str | None = None


def _encode_or_empty(event: SecurityEvent) -> bytes:
    try:
        return encode(event)
    except Exception:  # unserialisable detail: store what can be stored
        return encode(SecurityEvent.from_dict({**event.to_dict(), "detail": {"unserialisable": True}}))


class SpooledSink:
    """Implements :class:`~apiward.events.EventSink` around a :class:`BatchWriter`."""

    def __init__(
        self,
        writer: BatchWriter,
        *,
        spool_dir: Path | None,
        spool_name: str,
        max_queue: int = 10_000,
        batch_size: int = 2_000,
        flush_interval_s: float = 0.2,
        max_spool_bytes: int = 1 << 30,
        fsync: bool = False,
        retry_max_s: float = 5.0,
    ) -> None:
        self.writer = writer
        self.stats = SinkStats()
        self._max_queue = max_queue
        self._batch_size = batch_size
        self._flush_interval_s = flush_interval_s
        self._max_spool_bytes = max_spool_bytes
        self._retry_max_s = retry_max_s
        self._spool: Spool | None = None
        self._orphans: list[Spool] = []
        if spool_dir is not None:
            self._spool = acquire_spool(spool_dir, spool_name, fsync=fsync)
            self._orphans = orphan_spools(spool_dir, spool_name, fsync=fsync)
        self._queue: collections.deque[tuple[int, SecurityEvent, bytes | None]] = collections.deque()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = False
        self._closed = False
        # Offset of the first spooled event the writer has not taken yet; a pending spool means replay first.
        self._next = self._spool.committed if self._spool else 0
        self._spill = bool(self._spool and self._spool.pending)

    @property
    def name(self) -> str:
        return self.writer.name

    @property
    def spool_path(self) -> Path | None:
        return self._spool.path if self._spool else None

    @property
    def queue_depth(self) -> int:
        """Events waiting in memory for the writer."""
        return len(self._queue)

    @property
    def spool_backlog_bytes(self) -> int:
        """Spooled bytes the store has not confirmed yet (the backlog a slow or down store builds up)."""
        spool = self._spool
        pending = sum(o.size - o.committed for o in self._orphans)
        return pending + (spool.size - spool.committed if spool is not None else 0)

    # -- producer side -------------------------------------------------------------------------------------

    def emit(self, event: SecurityEvent) -> None:
        """Spool and queue ``event``; never blocks on the store, never raises."""
        line: bytes | None = None
        if self._spool is not None:  # durable: serialise now, the spool line is the record of acceptance
            try:
                line = encode(event) + b"\n"
            except Exception as exc:  # an unserialisable detail value must not break the request path
                self.stats.dropped += 1
                self.stats.last_error = f"unserialisable event: {exc}"
                return
        with self._lock:
            if self._closed:
                self.stats.dropped += 1
                return
            spooled = False
            end = 0
            spool = self._spool
            if spool is not None and line is not None:
                if spool.size + len(line) <= self._max_spool_bytes:
                    try:
                        end = spool.append(line)
                        spooled = True
                    except OSError as exc:
                        self.stats.spool_errors += 1
                        self.stats.last_error = f"spool: {exc}"
                end = spool.size
            if self._spill and spooled:
                self.stats.spilled += 1
            elif not self._spill and len(self._queue) < self._max_queue:
                self._queue.append((end, event, line))
            elif spooled and not self._spill:
                self._spill = True
                self.stats.spilled += 1
            else:
                self.stats.dropped += 1
                return
            self.stats.accepted += 1
        self._wake.set()

    # -- lifecycle -----------------------------------------------------------------------------------------

    async def start(self) -> None:
        self.start_sync()

    def start_sync(self) -> None:
        """Start the writer thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"apiward-sink:{self.name}", daemon=True)
            self._thread.start()

    async def flush(self, timeout_s: float = 30.0) -> bool:
        return await asyncio.to_thread(self.flush_sync, timeout_s)

    def flush_sync(self, timeout_s: float = 30.0) -> bool:
        """Wait until everything accepted so far is in the store; False on timeout."""
        self._wake.set()
        deadline = time.monotonic() + timeout_s
        with self._idle:
            while self._queue or self._spill or self._busy or self._orphans:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None or not self._thread.is_alive():
                    return False
                self._wake.set()
                self._idle.wait(min(left, 0.05))
        return True

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def close(self, timeout_s: float = 10.0) -> None:
        """Flush (up to ``timeout_s``), stop the writer, close the store. Undelivered events stay spooled."""
        if self._thread is not None and self._thread.is_alive():
            self.flush_sync(timeout_s)
        with self._lock:
            self._closed = True
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                # Stuck in a store call: leave its files open rather than let a reused descriptor number
                # point the writer at someone else's file. Everything undelivered is in the spool.
                log.warning("event sink %s: writer still busy after %ss; spool left as is", self.name, timeout_s)
                return
        else:
            self._close_writer()
        if self._spool is not None:
            with self._lock:
                if not self._queue and not self._spill:
                    self._spool.compact()
            self._spool.close()
        for orphan in self._orphans:
            orphan.close()

    # -- writer thread -------------------------------------------------------------------------------------

    def _take(self) -> tuple[list[SecurityEvent], list[bytes], int | None]:
        with self._lock:
            if self._queue:
                n = min(self._batch_size, len(self._queue))
                items = [self._queue.popleft() for _ in range(n)]
                self._busy = True
                self._next = items[-1][0]
                events = [item[1] for item in items]
                docs = [item[2][:-1] if item[2] is not None else b"" for item in items]
                return events, docs, items[-1][0]
            spool = self._spool
            if not self._spill or spool is None:
                self._busy = False
                if spool is not None and spool.committed >= spool.size and spool.size > _COMPACT_BYTES:
                    spool.compact()
                    self._next = 0
                self._idle.notify_all()
                return [], [], None
            if self._next >= spool.size:
                self._spill = False
                self._busy = False
                self._idle.notify_all()
                return [], [], None
            self._busy = True
            start = self._next
        lines, end = spool.read(start, max_bytes=1 << 20)
        replayed: list[SecurityEvent] = []
        raw_docs: list[bytes] = []
        for raw in lines:
            try:
                replayed.append(SecurityEvent.from_dict(orjson.loads(raw)))
                raw_docs.append(raw)
            except Exception:  # a corrupt line must not wedge the sink: skip and count it
                self.stats.corrupt += 1
        with self._lock:
            self._next = end
        self.stats.replayed += len(replayed)
        return replayed, raw_docs, end

    def _replay_orphans(self) -> bool:
        """Deliver what crashed sinks left in other slots of this spool (older events: first)."""
        while self._orphans:
            orphan = self._orphans[0]
            while orphan.pending:
                lines, end = orphan.read(orphan.committed)
                batch: list[SecurityEvent] = []
                docs: list[bytes] = []
                for raw in lines:
                    try:
                        batch.append(SecurityEvent.from_dict(orjson.loads(raw)))
                        docs.append(raw)
                    except Exception:  # a corrupt line must not wedge the sink: skip and count it
                        self.stats.corrupt += 1
                if batch and not self._retry(
                    functools.partial(self.writer.write, batch, docs), what="write", reconnect=True
                ):
                    return False
                self.stats.replayed += len(batch)
                self.stats.written += len(batch)
                orphan.commit(end)
            orphan.compact()
            orphan.close()
            self._orphans.pop(0)
        return True

    def _run(self) -> None:
        opened = self._retry(self.writer.open, what="open") and self._replay_orphans()
        while opened:
            batch, docs, end = self._take()
            if end is None:
                if self._stopping.is_set():
                    break
                self._wake.wait(self._flush_interval_s)
                self._wake.clear()
                continue
            if any(not d for d in docs):  # not spooled: serialise here, off the request path
                docs = [d or _encode_or_empty(e) for e, d in zip(batch, docs, strict=True)]
            if batch and not self._retry(
                functools.partial(self.writer.write, batch, docs), what="write", reconnect=True
            ):
                break  # stopping with the store down: the batch stays in the spool
            self.stats.written += len(batch)
            if self._spool is not None:
                with self._lock:
                    self._spool.commit(end)
        with self._lock:
            self._busy = False
            self._idle.notify_all()
        self._close_writer()

    def _retry(self, action: Callable[[], object], *, what: str, reconnect: bool = False) -> bool:
        delay = 0.05
        while True:
            try:
                action()
                return True
            except Exception as exc:  # any store error: count, back off, retry; never reach the producer
                self.stats.write_errors += 1
                self.stats.last_error = f"{what}: {type(exc).__name__}: {exc}"
                log.warning("event sink %s: %s failed: %s", self.name, what, exc)
            if self._stopping.wait(delay):
                return False
            delay = min(delay * 2, self._retry_max_s)
            if reconnect:
                self._close_writer()
                try:
                    self.writer.open()
                except Exception as exc:  # still down: the next round retries
                    self.stats.last_error = f"reopen: {type(exc).__name__}: {exc}"

    def _close_writer(self) -> None:
        try:
            self.writer.close()
        except Exception as exc:  # closing a broken connection may fail too; nothing left to do about it
            log.debug("event sink %s: close failed: %s", self.name, exc)
