"""Decoding and normalisation: one raw value → the few forms an attacker's payload could take after the backend
decodes it (URL incl. double, %u, HTML entities, ``\\u``/``\\x`` escapes, base64 that looks like base64, overlong
UTF-8), plus a folded form (comments and whitespace runs collapsed) for the pattern rules.

Every step is bounded: at most ``rounds`` passes, output capped at ``max_len`` characters, at most 12 variants.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import html
import html.entities
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import re2

from apiward.detect._text import bytes_to_text

__all__ = ["Step", "busy_indexes", "decode_steps", "fold", "variants"]

_MAX_VARIANTS = 12
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|x([0-9a-fA-F]{2})|([0-7]{3}))")
_HEX_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_HEX_BYTE = re.compile(r"\\x([0-9a-fA-F]{2})")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}|[A-Za-z0-9_-]{16,}={0,2}")
# ``html.unescape``'s reference pattern and names.
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_HTML5 = html.entities.html5
_IE_ENTITY = re.compile(r"&(tab|newline|colon|lpar|rpar|sol|quot|apos|lt|gt);", re.IGNORECASE)
_IE_NAMES = {
    "tab": "\t",
    "newline": "\n",
    "colon": ":",
    "lpar": "(",
    "rpar": ")",
    "sol": "/",
    "quot": '"',
    "apos": "'",
    "lt": "<",
    "gt": ">",
}
_WIDE = re.compile(r"[\uff00-\uffef\u2024\u2025\u2026\u2215\u2216\ufe60-\ufe6b\u2460-\u24ff\u3002]")
_CONTROLS = re.compile(r"[\t\r\n\x0b\x0c]+")
_CONTROL_IN_WORD = re.compile(r"\w[\t\r\n\x0b\x0c]+\w")
# Every alternative of ``_SHELL_GATE`` holds one of these characters: a text without them skips the (slower) gate.
_SHELL_CHARS = re.compile(r"[\\^\[\]$`'\"<]")
_SHELL_GATE = re.compile(r"\w[\\^\[\]$`]|[\\^\[\]$`]\w|''|\"\"|\w['\"]\w+['\"]\w|(?:^|[\s;|&])['\"]\w+['\"]|\$[({]|<\(")
_IFS = re.compile(r"\$\{?IFS\}?(?:\$\d)?")
_SHELL_NOISE = re.compile(r"\$\(\s*\)|\$\{\s*\}|``|<\(\s*\)|\$[@*#?$!-]")
_POSIX_ESCAPE = re.compile(r"\\(?=[\w/.\-])")
_CARET_IN_WORD = re.compile(r"\w\^\w")
# Unset variables that split a word: ``$u``, ``${xyz}`` (``c${xyz}at /e${xyz}tc/passwd``).
_SHELL_VAR = re.compile(r"\$[a-z_]\w{0,2}(?![\w({])|\$\{[A-Za-z_]\w{0,15}\}")
_SHELL_QUOTES = re.compile(r"['\"^\[\]]")
_SLASHES = re.compile(r"/{2,}")
_ASSIGNMENT = re.compile(r"[\w.\[\]-]{1,40}=(?!=)(.+)", re.DOTALL)
_MYSQL_COMMENT = re.compile(r"/\*!\d*|\*/")
_GLUED_COMMENT = re.compile(r"(\w)/\*[^*]{0,64}\*/(\w)")
_HEXISH = re.compile(r"[0-9a-fA-F-]+")
_BASE64_GATE = re.compile(r"[A-Za-z0-9+/_-]{16}")
# One cheap pre-check: a text none of the decoders can change skips them all (most API values).
_ANY_DECODER = re.compile(
    r"[%&\\+$`^\[\]¼¾]|''|\"\"|\w['\"]\w+['\"]\w|(?:^|[\s;|&])['\"]\w+['\"]|[A-Za-z0-9+/_-]{16}|"
    r"[\uff00-\uffef\u2024-\u2026\u2215\u2216\ufe60-\ufe6b\u2460-\u24ff\u3002]|"
    r"\w[\t\r\n\x0b\x0c]+\w|/\*|<\(|^[\w.\[\]-]{1,40}=[^=]"
)
_NEEDS_FOLD = re.compile(r"\s\s|[\t\r\n\x0b\x0c\x00]|/\*|<!--|^\s|\s$")
# ``_ANY_DECODER`` or ``_NEEDS_FOLD`` over a request's values joined by ``_JOIN`` (neither a word character nor
# whitespace), with ``^``/``$`` rewritten to value boundaries: one search per request instead of two per value. It
# may flag a value that needs nothing (the separator can complete ``name=``), which costs a decode attempt, never a
# miss. The base64 trigger asks for 16 base64 characters that are not all hex digits: ids, digests and UUIDs are
# never decoded (the base64 decoder would reject them anyway, after more work). RE2, not ``re``: Python's engine
# tries every alternative at every position (100+ µs per KB here), RE2's DFA runs in a few µs. RE2 has no
# lookahead, so "16 base64 characters, not all hex" is spelled out by where the first non-hex character stands:
# after k hex characters, followed by 15 - k more base64 ones (or after 15 or more hex characters). Each branch's
# prefix is hex only, so the DFA tracks one run length. (Spelling it as "any of the 16 places" makes the DFA track
# which of the last 16 characters were hex, 2^16 states: RE2 then ran out of DFA memory on ordinary API values —
# URL paths, emails with '+', ids with '_' — and searched at a tenth of the speed.)
_JOIN = "\x01"
_B64 = "[A-Za-z0-9+/_-]"
_HEX = "[0-9A-Fa-f-]"  # the characters of ids, digests and UUIDs, which the base64 decoder refuses
_NOT_HEX = "[G-Zg-z+/_]"
_B64_NOT_HEX = "|".join(f"{_HEX}{{{k}}}{_NOT_HEX}{_B64}{{{15 - k}}}" for k in range(15)) + f"|{_HEX}{{15,}}{_NOT_HEX}"
_BUSY_OPTIONS = re2.Options()
_BUSY_OPTIONS.max_mem = 64 << 20  # room for the DFA of a pattern with this many branches (RE2's default is 8 MB)
_BUSY = re2.compile(
    r"[%&\\+$`^\[\]¼¾]|''|\"\"|\w['\"]\w+['\"]\w|(?:^|[\x01\s;|&])['\"]\w+['\"]|" + _B64_NOT_HEX + "|"
    r"[\x{ff00}-\x{ffef}\x{2024}-\x{2026}\x{2215}\x{2216}\x{fe60}-\x{fe6b}\x{2460}-\x{24ff}\x{3002}]|"
    r"\w[\t\r\n\x0b\x0c]+\w|/\*|<\(|(?:^|\x01)[\w.\[\]-]{1,40}=[^=]|"
    r"\s\s|[\t\r\n\x0b\x0c\x00]|<!--|(?:^|\x01)\s|\s(?:\x01|$)",
    _BUSY_OPTIONS,
)
_COMMENT = re.compile(r"/\*.*?\*/|<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Step:
    """One decoding step: its name and what it produced (for ``apiward detect explain``)."""

    name: str
    text: str


def _url(text: str) -> str | None:
    if "%" not in text or not (_PERCENT.search(text) or _PERCENT_U.search(text)):
        return None
    if " " not in text and "+" in text:
        text = text.replace("+", " ")  # form encoding: no literal spaces, so '+' stood for one
    text = _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)
    try:
        raw = unquote_to_bytes(text.encode("utf-8", "surrogatepass"))
    except UnicodeEncodeError:  # pragma: no cover - surrogatepass accepts every str
        return None
    return bytes_to_text(raw)[0]


def _escape_char(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2) or m.group(3)
    value = int(code, 16) if code else int(m.group(4), 8)
    return chr(value) if value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF else "\ufffd"


def _hex_run(m: re.Match[str]) -> str:
    raw = bytes(int(h, 16) for h in _HEX_BYTE.findall(m.group(0)))
    try:
        return raw.decode("utf-8")  # \xd0\xbc is one UTF-8 character, not two Latin-1 ones
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _escapes(text: str) -> str | None:
    if "\\" not in text or not _ESCAPE.search(text):
        return None
    return _ESCAPE.sub(_escape_char, _HEX_RUN.sub(_hex_run, text))


def _unescape_changes(text: str) -> bool:
    """Whether ``html.unescape`` changes ``text`` (its reference pattern and longest-known-prefix rule, without
    building the result): ``&page=2`` in a query string is no reference, ``&para=2`` is."""
    for m in _CHARREF.finditer(text):
        name = m.group(1)
        if name[0] == "#" or name in _HTML5:
            return True  # a numeric reference is always replaced (by one character or none)
        for size in range(len(name) - 1, 1, -1):
            if name[:size] in _HTML5:
                return True
    return False


def _entities(text: str) -> str | None:
    if "&" not in text or not _ENTITY.search(text):
        return None
    if not _IE_ENTITY.search(text) and not _unescape_changes(text):
        return None  # the same text again (which the caller would drop as already seen)
    # Old IE also knew &tab; &newline; &colon; in lower case, which html.unescape does not.
    return html.unescape(_IE_ENTITY.sub(lambda m: _IE_NAMES[m.group(1).lower()], text))


def _nfkc(text: str) -> str | None:
    """Fullwidth and compatibility forms (＜script＞) → their ASCII equivalents, as lenient back-ends fold them."""
    if text.isascii() or not _WIDE.search(text):
        return None
    return unicodedata.normalize("NFKC", text).replace("\u3002", ".").replace("\uff61", ".")


_UTF7_RUN = re.compile(r"\+[A-Za-z0-9+/]+-?")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e\t\r\n]*")


def _utf7(text: str) -> str | None:
    """UTF-7 (``+ADw-script+AD4-``), which some charsets-sniffing parsers still honour."""
    if "+AD" not in text and "+ACI" not in text:
        return None
    # Base64 blobs hold '+AD…' by chance. UTF-7 smuggling encodes ASCII markup and quotes, so a text whose encoded
    # runs decode to anything but printable ASCII is not UTF-7 (decoding it would only make binary noise, NULs).
    try:
        for run in _UTF7_RUN.finditer(text):
            if not _PRINTABLE_ASCII.fullmatch(run.group(0).encode("ascii", "ignore").decode("utf-7")):
                return None
        return text.encode("ascii", "ignore").decode("utf-7")
    except UnicodeDecodeError:
        return None


def _seven_bit(text: str) -> str | None:
    """US-ASCII with the high bit set (``¼script¾`` is ``<script>`` once bit 7 is dropped)."""
    if "¼" not in text and "¾" not in text:
        return None
    return "".join(chr(ord(c) & 0x7F) if 0x80 <= ord(c) <= 0xFF else c for c in text)


def _shell(text: str) -> str | None:
    """What a POSIX shell or cmd.exe would run once quoting tricks are undone: quotes, backslashes, carets,
    empty substitutions (``$()``, backticks, ``<()``), unset variables (``$@``, ``$u``), ``${IFS}`` and glob
    brackets removed or folded. Only tried when the text has such characters next to word characters."""
    if not _SHELL_CHARS.search(text) or not _SHELL_GATE.search(text):
        return None
    out = _IFS.sub(" ", text)
    # cmd.exe's caret escapes and POSIX backslash escapes do not mix: where carets split words
    # (``t^y^p^e C:\w^i^n^d^o^w^s\win.ini``), backslashes are Windows path separators and stay.
    out = _SHELL_NOISE.sub("", out)
    if not _CARET_IN_WORD.search(out):
        out = _POSIX_ESCAPE.sub("", out)
    out = _SHELL_VAR.sub("", out)
    out = _SHELL_QUOTES.sub("", out)
    out = _SLASHES.sub("/", out)
    return out.replace("+", " ") if " " not in out and "+" in out else out


def _mysql_comments(text: str) -> str | None:
    """MySQL executable comments opened up (``/*!50000UNION*/`` runs ``UNION``)."""
    if "/*!" not in text:
        return None
    return _MYSQL_COMMENT.sub(" ", text)


def _glued_comments(text: str) -> str | None:
    """Inline comments inside a word removed (``UN/**/ION`` → ``UNION``), as some filters and parsers do."""
    if "/*" not in text or not _GLUED_COMMENT.search(text):
        return None
    return _GLUED_COMMENT.sub(lambda m: m.group(1) + m.group(2), text)


def _assignment(text: str) -> str | None:
    """The right-hand side of a leading ``name=value`` (an encoded form body or cookie seen as one value)."""
    m = _ASSIGNMENT.match(text) if "=" in text else None
    return m.group(1) if m else None


def _controls(text: str) -> str | None:
    """Tabs and line breaks removed (browsers drop them inside URL schemes: ``ja\tvascript:``)."""
    if not _CONTROLS.search(text) or not _CONTROL_IN_WORD.search(text):
        return None
    return _CONTROLS.sub("", text)


def _printable_share(text: str) -> float:
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return good / len(text)


def _base64(text: str) -> str | None:
    """Decode the longest base64-looking run if it decodes to mostly printable UTF-8 (else it was not base64)."""
    if len(text) < 16 or _BASE64_GATE.search(text) is None:
        return None
    runs = _BASE64.findall(text)
    if not runs:
        return None
    run = max(runs, key=len)
    decoded = _base64_run(run)
    if decoded is None and "/" in run:
        # '/' is a base64 character, so a URL path is one run; the payload is then one of its segments
        # (``/api/files/MScgb3IgJzEnPScx``).
        decoded = _base64_run(max(run.split("/"), key=len))
    return decoded


def _base64_run(run: str) -> str | None:
    if len(run) < 16 or run.isalpha() or run.isdigit() or _HEXISH.fullmatch(run):
        return None  # words, numbers, hex digests and UUIDs are not base64 payloads
    padded = run + "=" * (-len(run) % 4)
    try:
        raw = base64.b64decode(padded, altchars=b"-_" if ("-" in run or "_" in run) else None, validate=False)
    except (binascii.Error, ValueError):
        return None
    try:
        decoded = raw.decode("utf-8")  # base64 of text is valid UTF-8; random bytes almost never are
    except UnicodeDecodeError:
        return None
    if _printable_share(decoded) < 0.9:
        return None
    return decoded


_DECODERS = (
    ("url", _url),
    ("escapes", _escapes),
    ("html-entities", _entities),
    ("base64", _base64),
    ("nfkc", _nfkc),
    ("utf7", _utf7),
    ("7bit", _seven_bit),
    ("shell", _shell),
    ("mysql-comments", _mysql_comments),
    ("uncomment", _glued_comments),
    ("assignment", _assignment),
    ("controls", _controls),
)


def fold(text: str) -> str:
    """Comments → a space (``/*…*/``, ``<!--…-->``, and ``#…`` or ``--…`` up to a line break: sqlmap's
    space2hash and space2dash write ``1'#qwe\nor#qwe\n'1'='1``), whitespace runs → one space, NUL removed."""
    out = text.replace("\x00", "")
    if "/*" in out or "<!--" in out:
        out = _COMMENT.sub(" ", out)
    if "\n" in out and ("#" in out or "--" in out):
        # Line by line, not a regex: ``(?:#|--)[^\n]*\n`` rescans the rest of the line from every '#' (quadratic
        # on a line of them).
        lines = out.split("\n")
        out = " ".join([*map(_before_comment, lines[:-1]), lines[-1]])
    return _SPACE.sub(" ", out).strip()


def _before_comment(line: str) -> str:
    """``line`` up to its first ``#`` or ``--``."""
    cut = min((i for i in (line.find("#"), line.find("--")) if i >= 0), default=len(line))
    return line[:cut]


def _decoded(text: str, rounds: int, max_len: int, *, decodable: bool | None = None) -> list[tuple[str, str]]:
    """:func:`decode_steps` as (name, text) pairs (``decodable``: whether ``_ANY_DECODER`` finds ``text``, when the
    caller already knows)."""
    first = text[:max_len]
    steps = [("raw", first)]
    seen = {first}
    if decodable is None:
        decodable = _ANY_DECODER.search(first) is not None
    frontier = steps[:] if decodable else []
    for _ in range(rounds if frontier else 0):
        nxt: list[tuple[str, str]] = []
        for step_name, step_text in frontier:
            for name, decoder in _DECODERS:
                if len(seen) >= _MAX_VARIANTS:
                    break
                out = decoder(step_text)
                if out is None:
                    continue
                out = out[:max_len]
                if out in seen:
                    continue
                seen.add(out)
                new = (name if step_name == "raw" else f"{step_name}+{name}", out)
                steps.append(new)
                nxt.append(new)
        frontier = nxt
        if not frontier:
            break
    folded: list[tuple[str, str]] = []
    for step_name, step_text in steps:
        if not _NEEDS_FOLD.search(step_text):
            continue
        text_folded = fold(step_text)
        if text_folded not in seen and len(steps) + len(folded) < _MAX_VARIANTS:
            seen.add(text_folded)
            folded.append((f"{step_name}+fold", text_folded))
    return steps + folded


def decode_steps(text: str, *, rounds: int = 3, max_len: int = 65_536) -> list[Step]:
    """Every distinct form reached by repeatedly applying the decoders, in discovery order (the first is raw)."""
    return [Step(name, form) for name, form in _decoded(text, rounds, max_len)]


def _first_match(pattern: re2._Regexp) -> Callable[[bytes, int, int], int]:
    """Where ``pattern`` first matches in ``data[pos:end]`` (-1: nowhere). Calls RE2 directly when the binding
    allows: its Python search wrapper costs several µs per call, more than the search itself on short inputs."""
    raw = getattr(pattern, "_regexp", None)
    anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
    if raw is not None and anchor is not None and hasattr(raw, "Match"):
        match = raw.Match

        def direct(data: bytes, pos: int, end: int) -> int:
            return int(match(anchor, data, pos, end)[0][0])

        return direct

    def wrapped(data: bytes, pos: int, end: int) -> int:
        found = pattern.search(data, pos, end)
        return -1 if found is None else int(found.start())

    return wrapped


_busy_at = _first_match(_BUSY)


def busy_indexes(texts: list[str], max_len: int) -> set[int]:
    """Indexes of the texts that a decoder or the fold could change (a superset); the others decode to themselves."""
    joined = _JOIN.join(texts)
    busy = {i for i, t in enumerate(texts) if len(t) > max_len} if len(joined) > max_len else set()
    try:
        # Searched as UTF-8 bytes, encoded once: RE2 takes UTF-8 and would encode a str at every search call.
        data = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (from a \ud800 escape) cannot be encoded
        return set(range(len(texts)))  # rare: every text takes the per-text path, which handles them
    end = len(data)
    start = _busy_at(data, 0, end)
    if start < 0:
        return busy  # the common case: no value needs a decoder
    sep = _JOIN.encode()
    if data.count(sep) == len(texts) - 1:
        # No value holds the separator byte: a text's index is the number of separators before it.
        while start >= 0:
            # A match that starts on a separator is about the text after it (``(?:^|\x01)…``).
            index = data.count(sep, 0, start + 1)
            if index >= len(texts):
                return busy
            busy.add(index)
            pos = data.find(sep, start + 1 if data[start] == 1 else start)
            if pos < 0:
                return busy  # the last text: nothing after it
            start = _busy_at(data, pos, end)  # the rest of this text cannot change the verdict: resume at its end
        return busy
    sizes: Iterable[int] = map(len, texts) if len(data) == len(joined) else map(len, map(str.encode, texts))
    # Where the separator after each text is (len(data) for the last).
    ends = list(itertools.accumulate(map((1).__add__, sizes), initial=-1))
    del ends[0]
    while start >= 0:
        index = bisect.bisect_left(ends, start)
        if index < len(texts) and start == ends[index]:
            index += 1  # a match that starts on a separator is about the text after it (``(?:^|\x01)…``)
        if index >= len(texts):
            return busy
        busy.add(index)
        start = _busy_at(data, ends[index], end)  # the rest of this text cannot change the verdict
    return busy


def variants(text: str, *, rounds: int = 3, max_len: int = 65_536) -> list[str]:
    """The distinct decoded forms of ``text`` (raw first): :func:`decode_steps` without the step names."""
    raw = text[:max_len]
    if not _ANY_DECODER.search(raw):
        if not _NEEDS_FOLD.search(raw):
            return [raw]  # the common case: nothing to decode or fold
        folded = fold(raw)
        return [raw] if folded == raw else [raw, folded]
    return [form for _, form in _decoded(raw, rounds, max_len, decodable=True)]
