"""The multi-pattern engine: every pattern rule compiled once into one Hyperscan database.

A request's decoded values are joined into one buffer (separated by ``\\n\\x01\\n``) and scanned in a single
call; each hit is mapped back to its value and confirmed on that value alone with RE2 (linear time), which also
yields the matched fragment. Hyperscan's literal-factor decomposition (FDR/Teddy) is the literal prefilter in front
of the automata. Hyperscan scratch space is per thread, so :meth:`RegexSet.scan` is thread-safe.

Compiling the database takes seconds, so the compiled form is kept in a cache file named by a hash of everything
it depends on (patterns, flags, Hyperscan version, platform), under ``$APIWARD_CACHE_DIR``, else
``$XDG_CACHE_HOME/apiward``, else ``~/.cache/apiward`` (``APIWARD_CACHE_DIR=`` set but empty turns it off). A
missing, unreadable or corrupt file means compiling as before (and rewriting the file); an unwritable directory
means no file. Files are written whole under a temporary name, then renamed.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import platform
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path

import hyperscan
import re2

from apiward.core import ConfigError

__all__ = ["SEPARATOR", "RegexSet"]

SEPARATOR = "\n\x01\n"  # not \x00: the NUL-byte rule would match every separator
# MULTILINE: ``^``/``$`` match at value boundaries inside the joined buffer (and at line breaks inside a value).
_FLAGS = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_MULTILINE
_MAX_HITS = 4096
# Compiled databases by the patterns Hyperscan scans for: engines built in one process (per paranoia level, per
# exclusion set) share one compilation, which takes seconds. Databases are immutable once compiled; scratch space
# stays per thread.
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


_MAGIC = b"apiward-hyperscan-1\n"
_KEEP = 8  # cached databases kept per directory


def _ignore(_id: int, _start: int, _end: int, _flags: int, _ctx: object) -> None:
    return None


def _cache_dir() -> Path | None:
    configured = os.environ.get("APIWARD_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "apiward"


def _cache_file(patterns: Sequence[str]) -> Path | None:
    folder = _cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256()
    for part in (
        _MAGIC.decode(),
        str(_FLAGS),
        str(getattr(hyperscan, "__version__", "unknown")),
        sys.platform,
        platform.machine(),
        sys.implementation.cache_tag or "",
        str(len(patterns)),
        *patterns,
    ):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return folder / f"hyperscan-{digest.hexdigest()[:32]}.db"


def _load(path: Path) -> hyperscan.Database | None:
    """The database cached in ``path``, or ``None`` when there is none or it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + 32
    if len(data) <= head or not data.startswith(_MAGIC):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(_MAGIC) : head]:
        return None
    try:
        db = hyperscan.loadb(payload, hyperscan.HS_MODE_BLOCK)
        # A database built for another CPU (a cache directory shared between machines) fails here, not later.
        db.scan(b"probe", match_event_handler=_ignore, scratch=hyperscan.Scratch(db))
    except Exception:
        return None
    return db


def _store(path: Path, db: hyperscan.Database) -> None:
    try:
        payload = bytes(hyperscan.dumpb(db))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".hyperscan-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        # Rule sets change (upgrades, custom rules): keep the most recently written databases only.
        others = [p for p in path.parent.glob("hyperscan-*.db") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[_KEEP - 1 :]:
            stale.unlink(missing_ok=True)
    except Exception:
        return  # an unwritable cache only costs the next start a compilation


def _compile(patterns: Sequence[str]) -> hyperscan.Database:
    path = _cache_file(patterns)
    if path is not None:
        cached = _load(path)
        if cached is not None:
            return cached
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(
            expressions=[p.encode("utf-8") for p in patterns],
            ids=list(range(len(patterns))),
            elements=len(patterns),
            flags=[_FLAGS] * len(patterns),
        )
    except hyperscan.error as exc:
        raise ConfigError(f"rule patterns do not compile in Hyperscan: {exc}{_culprit(patterns)}") from exc
    if path is not None:
        _store(path, db)
    return db


def _utf8(text: str) -> bytes:
    """``text`` as UTF-8 for RE2. A lone surrogate (a ``\\ud800`` escape, bytes decoded with surrogateescape) has no
    UTF-8 form and is part of no attack token: it becomes ``?``, as in the Hyperscan buffer."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _searcher(pattern: re2._Regexp) -> Callable[[str], str | None]:
    """``pattern.search(text)``'s matched text. Calls RE2 directly when the binding allows: its Python search
    wrapper costs several µs per call, more than the search itself on most values."""
    raw = getattr(pattern, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if raw is not None and anchor is not None and hasattr(raw, "Match"):
        match = raw.Match

        def direct(text: str) -> str | None:
            data = _utf8(text)
            start, end = match(anchor, data, 0, len(data))[0]
            return None if start < 0 else data[start:end].decode("utf-8")

        return direct

    def wrapped(text: str) -> str | None:
        found = pattern.search(_utf8(text).decode("utf-8"))
        return None if found is None else str(found.group(0))

    return wrapped


def _starts(texts: Sequence[str], joined: str, buffer: bytes) -> list[int]:
    """The offset of each text in ``buffer`` (the texts joined by :data:`SEPARATOR`, UTF-8), then one past its end."""
    step = len(SEPARATOR)
    head = texts[:-1]
    # One byte per character (ASCII, the common case): offsets follow from the lengths, no per-text encoding.
    sizes: Iterable[int]
    if len(buffer) == len(joined):
        sizes = map(len, head)
    else:
        sizes = [len(t) if t.isascii() else len(t.encode("utf-8", "replace")) for t in head]
    starts = list(itertools.accumulate(map(step.__add__, sizes), initial=0))
    starts.append(len(buffer) + 1)
    return starts


_MARK = SEPARATOR[1]  # the byte only separators hold, unless a value holds it too
_MARK_BYTE = _MARK.encode()


def _locator(texts: Sequence[str], joined: str, buffer: bytes) -> Callable[[int], tuple[int, int, int]]:
    """A function from an offset in ``buffer`` to the index of the text it falls in (a separator belongs to the text
    before it), where that text starts, and where the next one starts.

    When no text holds the separator's middle byte, a text's index is the number of those bytes before it, counted in
    C; hits arrive in increasing offset order, so each count resumes where the last one stopped. Otherwise the offsets
    come from every text's encoded length.
    """
    if joined.count(_MARK) == len(texts) - 1:
        count, find, rfind = buffer.count, buffer.find, buffer.rfind
        tail = len(buffer) + 1
        cursor = [0, 0]  # an offset, and the number of marks before it

        def by_marks(offset: int) -> tuple[int, int, int]:
            # Text i and its separator span [start, start + len + 3), with the separator's mark at start + len + 1:
            # the marks before offset - 1 are those of the i separators before the text.
            stop = max(offset - 1, 0)
            since, index = cursor
            index = index + count(_MARK_BYTE, since, stop) if stop >= since else count(_MARK_BYTE, 0, stop)
            cursor[0], cursor[1] = stop, index
            start = rfind(_MARK_BYTE, 0, stop) + 2 if index else 0
            following = find(_MARK_BYTE, stop)
            return index, start, following + 2 if following >= 0 else tail

        return by_marks
    starts = _starts(texts, joined, buffer)

    def by_lengths(offset: int) -> tuple[int, int, int]:
        index = bisect.bisect_right(starts, offset) - 1
        return index, starts[index], starts[index + 1]

    return by_lengths


# Rules write ``\A`` and ``\z`` for the start and end of a value (what RE2 sees when it confirms on one value). In
# the joined scan buffer a value also starts after and ends before a SEPARATOR, so Hyperscan gets both forms.
_VALUE_START = re.compile(r"(?<!\\)((?:\\\\)*)\\A")
_VALUE_END = re.compile(r"(?<!\\)((?:\\\\)*)\\z")
_SEPARATOR_PATTERN = "".join(f"\\x{ord(c):02x}" for c in SEPARATOR)


def _in_buffer(pattern: str) -> str:
    """``pattern`` for the joined buffer: a value's start or end is the buffer's or a separator's."""
    pattern = _VALUE_START.sub(lambda m: f"{m.group(1)}(?:\\A|{_SEPARATOR_PATTERN})", pattern)
    return _VALUE_END.sub(lambda m: f"{m.group(1)}(?:\\z|{_SEPARATOR_PATTERN})", pattern)


# A pattern whose every match ends in an unbounded run of ``.`` or of a negated class (``[^;:]*``) matches again at
# every further character of the run, and Hyperscan reports each of those ends, each one a Python callback: a
# paranoia-4 rule counting two SQL meta-characters in a value reported a match at nearly every character of prose.
# Such a pattern is scanned for followed by the rest of its value: all its matches in a value then end at the
# separator after the value (or the buffer's end), and are reported once. RE2 still confirms the pattern itself.
_REST_OF_VALUE = "[^\\x01]*(?:\\x01|\\z)"
_GROUP = re.compile(r"\((?!\?)|\(\?(?::|[a-zA-Z]*-?[a-zA-Z]*:|P?<\w+>)")
_QUANTIFIER = re.compile(r"(?:([*+?])|\{(\d*)(,?)(\d*)\})[?+]?")


def _open_ended(pattern: str) -> bool:
    """Whether every match of ``pattern`` ends in an unbounded run of ``.`` or of a negated class, and the pattern
    has no end anchor (``$``, ``\\z``: nothing may follow them in Hyperscan). A construct it does not know means no."""
    try:
        open_ended, position = _alternation(pattern, 0)
    except ValueError:
        return False
    return open_ended and position == len(pattern)


def _alternation(pattern: str, position: int) -> tuple[bool, int]:
    """Whether every branch from ``position`` to the closing parenthesis (or the end) ends open; where it stopped."""
    every, last = True, False
    while position < len(pattern) and pattern[position] != ")":
        char = pattern[position]
        if char == "|":
            every, last, position = every and last, False, position + 1
            continue
        run = False
        group = False
        if char == "(":
            opening = _GROUP.match(pattern, position)
            if opening is None:
                raise ValueError("lookaround")
            group, position = _alternation(pattern, opening.end())
            if not pattern.startswith(")", position):
                raise ValueError("unbalanced")
            position += 1
        elif char == "[":
            end = position + 1 + pattern.startswith("^", position + 1)
            end += pattern.startswith("]", end)
            while pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            run, position = pattern.startswith("[^", position), end + 1
        elif char == "\\":
            if pattern[position + 1 : position + 2] in ("z", "Z"):
                raise ValueError("end anchor")
            position += 2
        elif char == "$":
            raise ValueError("end anchor")
        else:
            run, position = char == ".", position + 1
        quantifier = _QUANTIFIER.match(pattern, position)
        if quantifier is None:
            last = group
            continue
        position = quantifier.end()
        symbol, least, comma, most = quantifier.groups()
        unbounded = symbol in ("*", "+") or (symbol is None and comma == "," and not most)
        required = symbol == "+" or (symbol is None and int(least or 0) > 0)
        last = (run and unbounded) or (group and required)
    return every and last, position


def _branches(pattern: str) -> tuple[list[str], list[list[int]]]:
    """The top-level branches of ``pattern``, and in each the offsets of its end anchors (``$``, ``\\z``,
    ``\\Z``) outside character classes."""
    branches: list[str] = []
    anchors: list[list[int]] = [[]]
    depth = start = position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            if pattern[position + 1 : position + 2] in ("z", "Z"):
                anchors[-1].append(position - start)
            position += 2
            continue
        if char == "[":
            end = position + 1 + pattern.startswith("^", position + 1)
            end += pattern.startswith("]", end)
            while pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            position = end + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "$":
            anchors[-1].append(position - start)
        elif char == "|" and depth == 0:
            branches.append(pattern[start:position])
            anchors.append([])
            start = position + 1
        position += 1
    branches.append(pattern[start:])
    return branches, anchors


def _once_per_value(pattern: str) -> str | None:
    """``pattern`` for the joined buffer with every match followed by the rest of its value, so that all of a value's
    matches end at the separator after it (or the buffer's end) and are reported once; ``None`` when an end anchor
    stands elsewhere than at the end of a top-level branch (nothing may follow one in Hyperscan).

    A branch ending in ``$`` (a line's end in a value) takes the line break and the rest of the value instead. A match
    still ends in the text it ends in without the suffix, or in the one after it when it ends inside a separator
    (where RE2 rejects it): the (text, pattern) pairs that RE2 confirms are the same.
    """
    try:
        branches, anchors = _branches(pattern)
    except IndexError:
        return None
    forms = []
    for branch, ends in zip(branches, anchors, strict=True):
        if not ends:
            forms.append(f"(?:{_in_buffer(branch)}){_REST_OF_VALUE}")
        elif ends == [len(branch) - 1] and branch.endswith("$"):
            forms.append(f"(?:{_in_buffer(branch[:-1])})(?:\\n{_REST_OF_VALUE}|\\z)")
        else:
            return None
    return "|".join(forms)


def _scan_form(pattern: str, *, once: bool = False) -> str:
    """What Hyperscan scans for: ``pattern`` in the joined buffer, once per value when it would match all along or
    when ``once`` asks for it (and the pattern allows it, see :func:`_once_per_value`)."""
    in_buffer = _in_buffer(pattern)
    if _open_ended(pattern):
        return f"(?:{in_buffer}){_REST_OF_VALUE}"
    if once:
        return _once_per_value(pattern) or in_buffer
    return in_buffer


def _re2_options() -> re2.Options:
    """How RE2 confirms a rule's pattern: case-insensitive, ``.`` matching line breaks, bounded memory."""
    options = re2.Options()
    options.case_sensitive = False
    options.dot_nl = True
    options.max_mem = 64 << 20
    return options


class RegexSet:
    """Compile ``patterns`` (index = id); ``scan(texts)`` returns ``{(text index, pattern id): fragment}``.

    The patterns whose ids are in ``once`` are reported once per value (:func:`_once_per_value`): for patterns that
    match at nearly every character of some texts, each report being a Python callback.
    """

    def __init__(self, patterns: Sequence[str], *, once: Collection[int] = ()) -> None:
        self._patterns = list(patterns)
        options = _re2_options()
        self._confirm = []
        for index, pattern in enumerate(self._patterns):
            try:
                self._confirm.append(re2.compile("(?m)" + pattern, options))
            except re2.error as exc:
                raise ConfigError(f"pattern {index} does not compile in RE2: {exc}: {pattern!r}") from exc
        self._searchers = [_searcher(pattern) for pattern in self._confirm]
        self._db: hyperscan.Database | None = None
        key = tuple(_scan_form(p, once=index in once) for index, p in enumerate(self._patterns))
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            self._db = cached
        elif self._patterns:
            db = _compile(key)
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
        hits: set[tuple[int, int]] = set()
        # A pattern often matches at many offsets of one text (``.*`` tails, runs of a class): the span of the text
        # it last hit answers those without a search.
        seen: dict[int, tuple[int, int]] = {}
        # Which text an offset falls in, worked out at the first hit (most requests have none).
        locate: Callable[[int], tuple[int, int, int]] | None = None

        def on_match(pattern_id: int, _start: int, end: int, _flags: int, _ctx: object) -> bool:
            nonlocal locate
            last = max(end - 1, 0)
            span = seen.get(pattern_id)
            if span is not None and span[0] <= last < span[1]:
                return False
            if locate is None:
                locate = _locator(texts, joined, buffer)
            index, start, following = locate(last)
            seen[pattern_id] = (start, following)
            hits.add((index, pattern_id))
            return len(hits) >= _MAX_HITS

        try:
            self._db.scan(buffer, match_event_handler=on_match, scratch=self._scratch())
        except hyperscan.ScanTerminated:
            pass
        return hits

    def confirm(self, pattern_id: int, text: str) -> str | None:
        """RE2 on one value: the matched fragment, or ``None`` when the hit straddled a separator."""
        return self._searchers[pattern_id](text)

    def scan(self, texts: Sequence[str]) -> dict[tuple[int, int], str]:
        out: dict[tuple[int, int], str] = {}
        for index, pattern_id in sorted(self.candidates(texts)):
            fragment = self.confirm(pattern_id, texts[index])
            if fragment is not None:
                out[(index, pattern_id)] = fragment
        return out


def pattern_error(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a rule pattern — RE2 or Hyperscan refuses it — or ``None`` (for loading custom
    rules: the set-level errors of :class:`RegexSet` cannot name the rule file)."""
    try:
        re2.compile("(?m)" + pattern, _re2_options())
    except re2.error as exc:
        return f"RE2 refuses it: {exc}"
    try:
        form = _scan_form(pattern)
        hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK).compile(expressions=[form.encode()], flags=_FLAGS)
    except (hyperscan.error, ValueError) as exc:
        return f"Hyperscan refuses it: {exc}"
    return None
