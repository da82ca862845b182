"""The multi-pattern engine: every pattern rule compiled once into one Hyperscan database.

A request's decoded values are joined into one buffer (separated by ``\\n\\x01\\n``) and scanned in a single
call; each hit is mapped back to its value and confirmed on that value alone with RE2 (linear time), which also
yields the matched fragment. Hyperscan's literal-factor decomposition (FDR/Teddy) is the literal prefilter in front
of the automata. Hyperscan scratch space is per thread, so :meth:`RegexSet.scan` is thread-safe.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Sequence

import hyperscan
import re2

from apiward.core import ConfigError

__all__ = ["SEPARATOR", "RegexSet"]

SEPARATOR = "\n\x01\n"  # not \x00: the NUL-byte rule would match every separator
# MULTILINE: ``^``/``$`` match at value boundaries inside the joined buffer (and at line breaks inside a value).
_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_MULTILINE
_MAX_HITS = 4096
# Compiled databases by pattern list: engines built in one process (per paranoia level, per exclusion set) share
# one compilation, which takes seconds. Databases are immutable once compiled; scratch space stays per thread.
_CACHE: dict[tuple[str, ...], hyperscan.Database] = {}
_CACHE_LOCK = threading.Lock()


def _culprit(patterns: Sequence[str]) -> str:
    """Name the first pattern that fails on its own (the set-level error does not say which)."""
    for index, pattern in enumerate(patterns):
        try:
            hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[pattern.encode()], flags=_FLAGS)
        except hyperscan.error as exc:
            return f" (pattern {index}: {exc}: {pattern[:200]!r})"
    return ""


class RegexSet:
    """Compile ``patterns`` (index = id); ``scan(texts)`` returns ``{(text index, pattern id): fragment}``."""

    def __init__(self, patterns: Sequence[str]) -> None:
        self._patterns = list(patterns)
        options = re2.Options()
        options.case_sensitive = False
        options.dot_nl = True
        options.max_mem = 64 << 20
        self._confirm = []
        for index, pattern in enumerate(self._patterns):
            try:
                self._confirm.append(re2.compile("(?m)" + pattern, options))
            except re2.error as exc:
                raise ConfigError(f"pattern {index} does not compile in RE2: {exc}: {pattern!r}") from exc
        self._db: hyperscan.Database | None = None
        key = tuple(self._patterns)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            self._db = cached
        elif self._patterns:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            try:
                db.compile(
                    expressions=[p.encode("utf-8") for p in self._patterns],
                    ids=list(range(len(self._patterns))),
                    elements=len(self._patterns),
                    flags=[_FLAGS] * len(self._patterns),
                )
            except hyperscan.error as exc:
                raise ConfigError(
                    f"rule patterns do not compile in Hyperscan: {exc}{_culprit(self._patterns)}"
                ) from exc
            self._db = db
            with _CACHE_LOCK:
                _CACHE[key] = db
        self._local = threading.local()

    def _scratch(self) -> hyperscan.Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = hyperscan.Scratch(self._db)
            self._local.scratch = scratch
        return scratch

    def candidates(self, texts: Sequence[str]) -> set[tuple[int, int]]:
        """Hyperscan pass: the (text index, pattern id) pairs that may match (not yet confirmed)."""
        if self._db is None or not texts:
            return set()
        joined = SEPARATOR.join(texts)
        buffer = joined.encode("utf-8", "replace")
        starts: list[int]
        if len(buffer) == len(joined):
            # One byte per character (ASCII, the common case): offsets follow from the lengths, no per-text encoding.
            step = len(SEPARATOR)
            starts = [0, *itertools.accumulate(len(text) + step for text in texts[:-1])]
        else:
            starts = []
            chunks: list[bytes] = []
            offset = 0
            sep = SEPARATOR.encode()
            for text in texts:
                data = text.encode("utf-8", "replace")
                starts.append(offset)
                chunks.append(data)
                offset += len(data) + len(sep)
            buffer = sep.join(chunks)
        hits: set[tuple[int, int]] = set()

        def on_match(pattern_id: int, _start: int, end: int, _flags: int, _ctx: object) -> bool:
            index = bisect.bisect_right(starts, max(end - 1, 0)) - 1
            hits.add((index, pattern_id))
            return len(hits) >= _MAX_HITS

        try:
            self._db.scan(buffer, match_event_handler=on_match, scratch=self._scratch())
        except hyperscan.ScanTerminated:
            pass
        return hits

    def confirm(self, pattern_id: int, text: str) -> str | None:
        """RE2 on one value: the matched fragment, or ``None`` when the hit straddled a separator."""
        found = self._confirm[pattern_id].search(text)
        if found is None:
            return None
        return str(found.group(0))

    def scan(self, texts: Sequence[str]) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        for index, pattern_id in sorted(self.candidates(texts)):
            fragment = self.confirm(pattern_id, texts[index])
            if fragment is not None:
                out[(index, pattern_id)] = fragment
        return out
