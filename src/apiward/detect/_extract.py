"""Request → the values to inspect, each with a location (``query:id``, ``body:/a/0/b``, ``header:referer``…).

Parsing uses the standard library and defusedxml; every parse error becomes an *anomaly* (a string the engine turns
into a protocol-anomaly match), never an exception. Work is bounded by :class:`~apiward.detect.Limits`.
"""

from __future__ import annotations

import bisect
import email.parser
import email.policy
import itertools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import orjson
from defusedxml import DefusedXmlException

from apiward.core import HttpRequest
from apiward.detect._text import bytes_to_text
from apiward.detect._types import Limits

__all__ = ["Extracted", "Value", "extract", "is_plain_query"]

# Headers never inspected as they are: credentials (``Authorization``) and cookies (split into pairs, see
# :func:`_cookies`).
_SKIP_HEADERS = frozenset({"authorization", "cookie"})
# Headers whose ordinary values are structural (media types, tokens, dates, numbers, host names, ETags, client
# hints): noisy to match and free of payloads. An attacker controls every header, so a value is skipped only when it
# is made of the characters of that grammar; one holding anything else (``${jndi:…}``, quotes, ``<``, ``%``, ``{``)
# is inspected like any header. ``Content-Type`` confusion tricks use ordinary characters, so its own grammar
# decides: a media type with at most a charset (and a boundary when multipart) is skipped, anything else inspected.
_STRUCTURAL_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "connection",
        "keep-alive",
        "proxy-connection",
        "content-length",
        "host",
        "if-none-match",
        "if-modified-since",
        "cache-control",
        "pragma",
        "upgrade-insecure-requests",
        "te",
        "sec-fetch-mode",
        "sec-fetch-site",
        "sec-fetch-dest",
        "sec-fetch-user",
        "sec-ch-ua",
        "sec-ch-ua-mobile",
        "sec-ch-ua-platform",
    }
)
_STRUCTURAL_VALUE = re.compile(r'[A-Za-z0-9 \t!*+,./:;=?_()"\[\]-]*')
_ORDINARY_CONTENT_TYPE = re.compile(
    r"""[ \t]*(?:[\w.+-]+/[\w.+-]+|"""
    r"""multipart/[\w.+-]+[ \t]*;[ \t]*boundary=(?:[\w'()+,./:=?-]{1,70}|"[\w'()+,./:=? -]{1,70}"))"""
    r"""(?:[ \t]*;[ \t]*charset=(?:[\w.:-]+|"[\w.:-]+"))?[ \t]*""",
    re.ASCII | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Value:
    """One value to inspect. ``kind`` is ``value``, ``key``, ``header``, ``path`` or ``body`` (unparsed body)."""

    location: str
    text: str
    kind: str = "value"


@dataclass(slots=True)
class Extracted:
    """The values of a request: their texts in order, and each one's location and kind on demand.

    Most values are stored as :class:`Value` when extracted. The leaves and keys of a JSON body, usually most of
    the values, are stored as texts only; :meth:`value` rebuilds their JSON-pointer locations when a rule fired on
    them (building a location string per leaf is the largest share of extraction time otherwise).
    """

    texts: list[str] = field(default_factory=list)
    anomalies: list[tuple[str, str, str]] = field(default_factory=list)  # (anomaly id, location, detail)
    limits_hit: set[str] = field(default_factory=set)
    # The index of the raw query string when it is plain (:func:`is_plain_query`): the engine scans it as it is.
    plain_query: int | None = None
    _eager: list[tuple[str, str]] = field(default_factory=list)  # (location, kind) of each value before the JSON ones
    _json: _JsonValues | None = None

    def add(self, value: Value) -> None:
        self.put(value.location, value.text, value.kind)

    def put(self, location: str, text: str, kind: str = "value") -> None:
        """:meth:`add` without building the :class:`Value` (built by :meth:`value` when a rule fired on it)."""
        self._eager.append((location, kind))
        self.texts.append(text)

    def value(self, index: int) -> Value:
        """The value at ``index`` (of :attr:`texts`), with its location and kind."""
        if index < len(self._eager) or self._json is None:
            location, kind = self._eager[index]
            return Value(location, self.texts[index], kind)
        return self._json.value(index)

    def json_kind(self, index: int) -> str | None:
        """The kind of a JSON body value, known without its location (``None``: not one; see :meth:`value`).
        Its location starts with ``body:/``."""
        if index < len(self._eager) or self._json is None:
            return None
        return self._json.kind(index)

    @property
    def values(self) -> list[Value]:
        """Every value with its location and kind (building them all: for tests and tools, not the hot path)."""
        eager = [self.value(index) for index in range(len(self._eager))]
        if self._json is None:
            return eager
        return [*eager, *self._json.values()]


class _Collector:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.out = Extracted()

    def add(self, location: str, text: str, kind: str = "value") -> None:
        if not text:
            return
        if len(self.out.texts) >= self.limits.max_values:
            self.out.limits_hit.add("max_values")
            return
        if len(text) > self.limits.max_value_length:
            self.out.limits_hit.add("max_value_length")
            text = text[: self.limits.max_value_length]
        self.out.put(location, text, kind)

    def anomaly(self, anomaly_id: str, location: str, detail: str) -> None:
        self.out.anomalies.append((anomaly_id, location, detail))


def _pointer_token(key: str) -> str:
    if "~" not in key and "/" not in key:
        return key
    return key.replace("~", "~0").replace("/", "~1")


def _walk_json(col: _Collector, node: Any, pointer: str, prefix: str) -> None:
    # Iterative walk: no recursion limit to hit on hostile nesting. ``_Collector.add`` is inlined (with local names
    # for what it reads): this loop runs once per JSON node and dominates extraction time on large bodies.
    limits = col.limits
    max_depth, max_values, max_len = limits.max_depth, limits.max_values, limits.max_value_length
    out = col.out
    values = out.texts
    limits_hit = out.limits_hit
    stack: list[tuple[Any, str, int]] = [(node, pointer, 0)]
    while stack:
        item, ptr, depth = stack.pop()
        if depth > max_depth:
            limits_hit.add("max_depth")
            col.anomaly("json-depth", f"{prefix}{ptr or '/'}", f"JSON nested deeper than {max_depth}")
            continue
        if isinstance(item, dict):
            children = []
            for k, v in item.items():
                key = str(k)
                child = f"{ptr}/{_pointer_token(key)}"
                if key:
                    if len(values) >= max_values:
                        limits_hit.add("max_values")
                        return
                    if len(key) > max_len:
                        limits_hit.add("max_value_length")
                        key = key[:max_len]
                    out.put(prefix + child, key, "key")
                children.append((v, child, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend((v, f"{ptr}/{i}", depth + 1) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, str):
            col.add(f"{prefix}{ptr or '/'}", item)
        elif item is not None and not isinstance(item, bool | int | float):
            col.add(f"{prefix}{ptr or '/'}", str(item))
        if len(values) >= max_values:
            limits_hit.add("max_values")
            return


class _Fallback(Exception):
    """The fast walk meets what only the full walk reports (a node past the depth limit, a foreign type)."""


class _Enough(Exception):
    """The fast walk has more values than the request may hold."""


# The fast walk recurses (one frame per container); deeper limits take the iterative full walk.
_FAST_MAX_DEPTH = 200


def _json_texts(doc: Any, texts: list[str], sizes: dict[int, int], keys: list[int], max_depth: int, cap: int) -> None:
    """Append the keys and string leaves of ``doc`` to ``texts`` in the order of :func:`_walk_json`.

    Records in ``sizes`` the number of texts under each fully walked container (by ``id``), which lets
    :class:`_JsonValues` skip subtrees when it rebuilds locations, and in ``keys`` where each run of object keys
    starts and ends (so a text's kind is known without its location). Raises :class:`_Fallback` where the full walk
    would report an anomaly, :class:`_Enough` once more than ``cap`` texts are collected.
    """
    append = texts.append

    def visit(node: dict[str, Any] | list[Any], depth: int) -> None:
        start = len(texts)
        children: Any
        if type(node) is dict:
            if "" in node:
                texts.extend([key for key in node if key])
            else:
                texts.extend(node)
            keys.extend((start, len(texts)))
            children = node.values()
        else:
            children = node
        if depth >= max_depth and children:
            raise _Fallback
        for child in children:
            kind = type(child)
            if kind is str:
                if child:
                    append(child)
            elif kind is dict or kind is list:
                visit(child, depth + 1)
            elif not (child is None or kind is int or kind is float or kind is bool):
                raise _Fallback
        sizes[id(node)] = len(texts) - start
        if len(texts) > cap:
            raise _Enough

    visit(doc, 0)


class _JsonValues:
    """Locations and kinds of the JSON texts of an :class:`Extracted`, rebuilt on demand by a walk that follows
    the fast walk's order and skips the subtrees that hold no wanted index."""

    __slots__ = ("_built", "_doc", "_keys", "_offsets", "_prefix", "_sizes", "_start", "_texts")

    def __init__(
        self, doc: Any, prefix: str, texts: list[str], start: int, sizes: dict[int, int], keys: list[int]
    ) -> None:
        self._doc = doc
        self._keys = keys
        self._prefix = prefix
        self._texts = texts
        self._start = start
        self._sizes = sizes
        self._built: dict[int, Value] = {}
        self._offsets: dict[int, list[int]] = {}

    def kind(self, index: int) -> str:
        return "key" if bisect.bisect_right(self._keys, index) % 2 else "value"

    def value(self, index: int) -> Value:
        found = self._built.get(index)
        if found is None:
            self._locate(index - self._start)
            found = self._built[index]
        return found

    def values(self) -> list[Value]:
        """All of them, in order, by one walk."""
        texts, start = self._texts, self._start
        count = len(texts) - start
        out: list[Value] = []
        if not count:
            return out
        if type(self._doc) is str:
            return [Value(f"{self._prefix}/", texts[start])]

        def visit(node: Any, pointer: str) -> None:
            items: Any
            if type(node) is dict:
                for key in node:
                    if key:
                        if len(out) == count:
                            return
                        location = f"{self._prefix}{pointer}/{_pointer_token(key)}"
                        out.append(Value(location, texts[start + len(out)], "key"))
                items = ((_pointer_token(key), child) for key, child in node.items())
            else:
                items = ((str(index), child) for index, child in enumerate(node))
            for token, child in items:
                if len(out) == count:
                    return
                if type(child) is str:
                    if child:
                        out.append(Value(f"{self._prefix}{pointer}/{token}", texts[start + len(out)]))
                elif type(child) is dict or type(child) is list:
                    visit(child, f"{pointer}/{token}")

        visit(self._doc, "")
        return out

    def _list_offsets(self, node: list[Any]) -> list[int]:
        """Where each item's texts start, relative to the list's first text."""
        sizes = self._sizes
        counts = [
            (1 if child else 0)
            if type(child) is str
            else sizes.get(id(child), 1 << 62)  # not recorded: the walk stopped inside it
            if type(child) is dict or type(child) is list
            else 0
            for child in node
        ]
        offsets = list(itertools.accumulate(counts, initial=0))
        del offsets[-1]
        return offsets

    def _locate(self, wanted: int) -> None:
        doc, prefix, texts, start = self._doc, self._prefix, self._texts, self._start
        if type(doc) is str:
            self._built[start] = Value(f"{prefix}/", texts[start])
            return
        node: Any = doc
        pointer = ""
        pos = 0  # index (relative to the JSON texts) of the next text the walk would append
        while True:
            if type(node) is dict:
                count = len(node) - ("" in node)  # the walk appends the non-empty keys first
                if wanted < pos + count:
                    key = [key for key in node if key][wanted - pos]
                    location = f"{prefix}{pointer}/{_pointer_token(key)}"
                    self._built[start + wanted] = Value(location, texts[start + wanted], "key")
                    return
                pos += count
                items: Any = node.items()
            else:
                offsets = self._offsets.get(id(node))
                if offsets is None:
                    offsets = self._offsets[id(node)] = self._list_offsets(node)
                index = bisect.bisect_right(offsets, wanted - pos) - 1  # long arrays: no walk over the items
                items = ((str(index), node[index]),)  # (a digit string is its own pointer token)
                pos += offsets[index]
            for token, child in items:
                kind = type(child)
                if kind is str:
                    if not child:
                        continue
                    if pos == wanted:
                        location = f"{prefix}{pointer}/{_pointer_token(token)}"
                        self._built[start + wanted] = Value(location, texts[start + wanted])
                        return
                    pos += 1
                elif kind is dict or kind is list:
                    size = self._sizes.get(id(child))  # None: the walk stopped inside it, so it holds the rest
                    if size is not None and wanted >= pos + size:
                        pos += size
                        continue
                    node = child
                    pointer = f"{pointer}/{_pointer_token(token)}"
                    break
            else:  # pragma: no cover - every index below len(texts) is reached by the walk
                raise IndexError(wanted)


def _json_lazy(col: _Collector, doc: Any, prefix: str) -> bool:
    """The fast path of :func:`_walk_json` for a whole JSON body: texts now, locations on demand. ``False``: the
    document needs the full walk (nothing was added)."""
    limits = col.limits
    out = col.out
    if out._json is not None or not 0 <= limits.max_depth <= _FAST_MAX_DEPTH:
        return False
    texts = out.texts
    start = len(texts)
    room = limits.max_values - start
    sizes: dict[int, int] = {}
    keys: list[int] = []
    try:
        if type(doc) is str:
            if doc:
                texts.append(doc)
        elif type(doc) is dict or type(doc) is list:
            _json_texts(doc, texts, sizes, keys, limits.max_depth, start + max(room, 0))
        elif not (doc is None or type(doc) is int or type(doc) is float or type(doc) is bool):
            raise _Fallback
    except _Enough:
        pass
    except _Fallback:
        del texts[start:]
        return False
    if len(texts) - start >= room:
        out.limits_hit.add("max_values")
        del texts[start + max(room, 0) :]
    max_len = limits.max_value_length
    if len(texts) > start and max(map(len, texts[start:])) > max_len:
        out.limits_hit.add("max_value_length")
        texts[start:] = [text[:max_len] for text in texts[start:]]
    out._json = _JsonValues(doc, prefix, texts, start, sizes, keys)
    return True


def _json(col: _Collector, body: bytes, prefix: str, *, lazy: bool = False) -> bool:
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        # orjson stops at 1024 levels: that is a depth anomaly, not a syntax error.
        if "depth" in str(exc).lower() or "recursion" in str(exc).lower():
            col.out.limits_hit.add("max_depth")
            col.anomaly("json-depth", f"{prefix}/", "JSON nested deeper than the parser allows")
            col.add(prefix.rstrip(":") or "body", bytes_to_text(body[: col.limits.max_value_length])[0], "body")
            return True
        return False
    if not (lazy and _json_lazy(col, doc, prefix)):
        _walk_json(col, doc, "", prefix)
    return True


# Unreserved characters (RFC 3986), '=' and '&'.
_PLAIN_QUERY = re.compile(r"[A-Za-z0-9._~=&-]*")


def is_plain_query(query: str) -> bool:
    """Whether a raw query string holds only unreserved characters, '=' and '&': its names and values are then
    exactly what the backend receives, with nothing percent- or form-encoded."""
    return _PLAIN_QUERY.fullmatch(query) is not None


def _unquote(text: str) -> str:
    """Percent-decoding as ``parse_qsl`` does it, except that bytes that are not valid UTF-8 go through
    :func:`bytes_to_text`: overlong forms (``%c0%af``) become the character a lenient decoder sees, not U+FFFD."""
    if "%" not in text:
        return text
    return bytes_to_text(unquote_to_bytes(text.encode("utf-8", "surrogatepass")))[0]


def _pairs(text: str) -> list[tuple[str, str]]:
    """``parse_qsl(text, keep_blank_values=True)``, with overlong UTF-8 folded (:func:`_unquote`) and without
    decoding work when there is nothing to decode."""
    pairs = []
    for piece in text.replace("+", " ").split("&") if "+" in text else text.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((_unquote(name), _unquote(value)))
    return pairs


def _form(col: _Collector, text: str, prefix: str, *, keys: bool = True) -> list[tuple[str, str]]:
    pairs = _pairs(text)
    for name, value in pairs:
        if keys:
            col.add(f"{prefix}{name}", name, "key")
        col.add(f"{prefix}{name}", value)
    return pairs


def _xml(col: _Collector, body: bytes, prefix: str) -> None:
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        col.anomaly(
            "xml-entities", f"{prefix}/", f"XML declares entities or external references ({type(exc).__name__})"
        )
        col.add(f"{prefix}", bytes_to_text(body)[0], "body")
        return
    except (ParseError, ValueError, SyntaxError):
        col.anomaly("xml-invalid", f"{prefix}/", "XML body does not parse")
        col.add(f"{prefix}", bytes_to_text(body)[0], "body")
        return
    stack: list[tuple[Element, str, int]] = [(root, "", 0)]
    while stack:
        el, parent, depth = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else "?"
        path = f"{parent}/{tag}"
        if depth > col.limits.max_depth:
            col.out.limits_hit.add("max_depth")
            continue
        for name, value in el.attrib.items():
            col.add(f"{prefix}{path}/@{name}", value)
        if el.text and el.text.strip():
            col.add(f"{prefix}{path}", el.text.strip())
        if el.tail and el.tail.strip():
            col.add(f"{prefix}{parent or '/'}", el.tail.strip())
        stack.extend((child, path, depth + 1) for child in reversed(list(el)))


def _multipart(col: _Collector, body: bytes, content_type: str) -> None:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    # Bodies often use bare \n; the email parser accepts both.
    message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(head + body)
    if not message.is_multipart():
        col.anomaly("multipart-invalid", "body", "multipart body has no parts for its boundary")
        col.add("body", bytes_to_text(body)[0], "body")
        return
    if message.defects:
        col.anomaly("multipart-invalid", "body", "; ".join(type(d).__name__ for d in message.defects)[:200])
    parts = message.get_payload()
    if not isinstance(parts, list):
        return
    for index, part in enumerate(parts):
        if not isinstance(part, email.message.Message):
            continue
        name = part.get_param("name", header="content-disposition")
        filename = part.get_param("filename", header="content-disposition")
        label = str(name) if isinstance(name, str) else str(index)
        for hname, hvalue in part.items():
            if hname.lower() not in ("content-type", "content-disposition", "content-transfer-encoding"):
                col.add(f"body:{label}#header:{hname.lower()}", str(hvalue), "header")
        if isinstance(name, str):
            col.add(f"body:{label}#name", name, "key")
        if isinstance(filename, str):
            col.add(f"body:{label}#filename", filename, "filename")
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        ctype = part.get_content_type()
        if ctype.endswith("json") and _json(col, data, f"body:{label}"):
            continue
        if filename is not None and ctype not in ("text/plain",):
            # File content: only the first bytes, where markers (PHP tags, serialized objects) live.
            col.add(f"body:{label}", bytes_to_text(data[:4096])[0], "file")
            continue
        col.add(f"body:{label}", bytes_to_text(data)[0])


def _body(col: _Collector, request: HttpRequest, *, lazy: bool) -> None:
    body = request.body
    if not body:
        return
    if len(body) > col.limits.max_body_bytes:
        col.out.limits_hit.add("max_body_bytes")
        body = body[: col.limits.max_body_bytes]
    ctype = request.content_type or ""
    raw_ctype = request.header("content-type") or ""
    stripped = body.lstrip()[:1]
    if ctype.endswith(("/json", "+json")) or (not ctype and stripped in (b"{", b"[")):
        if not _json(col, body, "body:", lazy=lazy):
            col.anomaly("json-invalid", "body", "body declared as JSON does not parse")
            col.add("body", bytes_to_text(body)[0], "body")
        return
    if ctype == "application/x-www-form-urlencoded" or (not ctype and b"=" in body and b"\n" not in body):
        text, invalid = bytes_to_text(body)
        if invalid:
            col.anomaly("invalid-utf8", "body", "form body is not valid UTF-8")
        _form(col, text, "body:")
        return
    if ctype.endswith(("/xml", "+xml")) or (not ctype and stripped == b"<"):
        _xml(col, body, "body:")
        col.add("body", bytes_to_text(body[:8192])[0], "xmlraw")
        return
    if ctype.startswith("multipart/"):
        _multipart(col, body, raw_ctype)
        return
    text, invalid = bytes_to_text(body)
    if invalid:
        col.anomaly("invalid-utf8", "body", "body is not valid UTF-8")
    col.add("body", text, "body")


# Session cookie names of common frameworks; seen as query parameters they are a session being planted.
_SESSION_NAMES = frozenset(
    """jsessionid phpsessid asp.net_sessionid aspsessionid laravel_session connect.sid _flask_session
    next-auth.session-token __secure-next-auth.session-token meteor_login_token rack.session play_session sails.sid
    cakephp ci_session cfid cftoken _session_id""".split()
)


def _session_fixation(col: _Collector, request: HttpRequest, pairs: list[tuple[str, str]]) -> None:
    """A session id in the query string, arriving without a Referer from the same host (CRS 943110/943120)."""
    names = [n for n, _ in pairs if n.lower() in _SESSION_NAMES]
    if not names:
        return
    referer = request.header("referer") or ""
    host = (request.header("host") or "").split(":")[0].lower()
    ref_host = (urlsplit(referer).hostname or "") if "//" in referer else ""
    if not ref_host or (host and ref_host != host and not ref_host.endswith("." + host)):
        col.anomaly(
            "session-fixation", f"query:{names[0]}", f"session id {names[0]!r} in the URL, referer {ref_host!r}"
        )


def _cookies(request: HttpRequest) -> list[tuple[str, str]]:
    """Every ``name=value`` pair of every Cookie header, split on ``;`` without validation.

    Hand-written: ``SimpleCookie`` silently drops a whole header when one pair is not RFC 6265-clean — exactly the
    pairs an attacker sends — so a lenient split is the safe choice for inspection.
    """
    out: list[tuple[str, str]] = []
    for name, value in request.headers:
        if name.lower() != "cookie":
            continue
        for pair in value.split(";"):
            key, sep, val = pair.strip().partition("=")
            if key or val:
                out.append((key, val.strip('"') if sep else ""))
    return out


_DECIMAL = re.compile(r"[0-9]+")


def _framing(col: _Collector, request: HttpRequest) -> None:
    """How the request delimits its body: a ``Content-Length`` that is not a decimal number (CRS 920160), and a GET
    or HEAD that carries a body or ``Transfer-Encoding`` (CRS 920170/920171) — request smuggling and cache
    poisoning setups. ``Content-Length: 0`` on a GET is not a body; body bytes without any framing header are
    reported apart (``get-body-unframed``): no HTTP/1 parser can read their length two ways."""
    lengths = [value for name, value in request.headers if name.lower() == "content-length"]
    for length in lengths:
        if not _DECIMAL.fullmatch(length.strip()):
            col.anomaly("content-length-invalid", "header:content-length", f"Content-Length {length[:40]!r}")
    method = request.method.upper()
    if method not in ("GET", "HEAD"):
        return
    if request.header("transfer-encoding") is not None:
        col.anomaly("get-transfer-encoding", "header:transfer-encoding", f"{method} request with Transfer-Encoding")
    if lengths:
        if any(length.strip().lstrip("0") for length in lengths):
            col.anomaly("get-body", "header:content-length", f"{method} request with Content-Length {lengths[0][:40]}")
    elif request.body:  # no framing header: HTTP/2 DATA frames, or framing headers dropped on the way
        col.anomaly("get-body-unframed", "body", f"{method} request with a {len(request.body)}-byte body")


def extract(request: HttpRequest, limits: Limits, *, lazy: bool = True) -> Extracted:
    """Every value of ``request`` worth inspecting, in a stable order: path, query, headers, cookies, body.

    ``lazy=False`` builds every location up front (the reference for the on-demand JSON locations).
    """
    col = _Collector(limits)
    path = request.path
    if "%" not in path and path.isascii():
        path_text, invalid = path, False
    else:
        path_text, invalid = bytes_to_text(unquote_to_bytes(path))
    if invalid:
        col.anomaly("invalid-utf8", "path", "path is not valid UTF-8 after percent-decoding")
    if path_text not in ("", "/"):
        col.add("path", request.path, "path")
        if "+" in request.path:
            col.add("path", request.path.replace("+", " "), "path")  # many servers decode '+' in paths too
    if request.query:
        index = len(col.out.texts)
        col.add("query", request.query, "uri")
        if len(col.out.texts) > index and is_plain_query(request.query):
            col.out.plain_query = index
        _session_fixation(col, request, _form(col, request.query, "query:"))
    for name, value in request.headers:
        lowered = name.lower()
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name or ":" in name:
            col.anomaly("header-crlf", f"header:{lowered}", "CR or LF inside a header")
        if lowered in _SKIP_HEADERS or (lowered in _STRUCTURAL_HEADERS and _STRUCTURAL_VALUE.fullmatch(value)):
            continue
        if lowered == "content-type" and _ORDINARY_CONTENT_TYPE.fullmatch(value):
            continue
        col.add(f"header:{lowered}", value, "header")
    _framing(col, request)
    for name, value in _cookies(request):
        col.add(f"cookie:{name}", name, "key")
        col.add(f"cookie:{name}", value)
    _body(col, request, lazy=lazy)
    return col.out
