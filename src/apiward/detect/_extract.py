"""Request → the values to inspect, each with a location (``query:id``, ``body:/a/0/b``, ``header:referer``…).

Parsing uses the standard library and defusedxml; every parse error becomes an *anomaly* (a string the engine turns
into a protocol-anomaly match), never an exception. Work is bounded by :class:`~apiward.detect.Limits`.
"""

from __future__ import annotations

import email.header
import email.message
import email.parser
import email.policy
import email.utils
import re
from urllib.parse import unquote_to_bytes, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from apiward.core import HttpRequest
from apiward.detect._extract_json import parse_json
from apiward.detect._text import bytes_to_text
from apiward.detect._types import Limits
from apiward.detect._values import Collector, Extracted, Value

__all__ = ["Extracted", "Value", "extract", "is_plain_query"]

# Cookies are inspected as pairs (see :func:`_cookies`), not as the header.
_SKIP_HEADERS = frozenset({"cookie"})
# Credentials (RFC 9110 §11.4): a scheme, then a token68 (Bearer, Basic, a JWT) or auth-params (Digest, AWS
# SigV4, OAuth 1). Such a value is skipped — random base64 and hex are noisy to match and hold nothing to find.
# A value made of anything else (``Bearer ${jndi:…}``, quotes, ``<``, spaces inside a parameter) is inspected, and
# what fires there is shown redacted (:attr:`Match.shown`).
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})
_CREDENTIALS = re.compile(
    r"""[ 	]*[A-Za-z][\w!#%&*+.^|~-]*"""
    r"""(?:[ 	]+(?:[\w.~+/-]+=*"""
    r"""|[\w!#%&*+.^|~-]+[ 	]*=[ 	]*(?:[\w!#%&*+./:;^|~=-]+|"[\w !#%&*+,./:;=?@^|~-]*")"""
    r"""(?:[ 	]*,[ 	]*[\w!#%&*+.^|~-]+[ 	]*=[ 	]*(?:[\w!#%&*+./:;^|~=-]+|"[\w !#%&*+,./:;=?@^|~-]*"))*))?"""
    r"""[ 	]*""",
    re.ASCII,
)
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
    r"""[ \t]*(?:[\w.+*-]+/[\w.+*-]+|"""
    r"""multipart/[\w.+-]+[ \t]*;[ \t]*boundary=(?:[\w'()+,./:=?-]{1,70}|"[\w'()+,./:=? -]{1,70}"))"""
    r"""(?:[ \t]*;[ \t]*charset=(?:[\w.:-]+|"[\w.:-]+"))?[ \t]*""",
    re.ASCII | re.IGNORECASE,
)


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


def _form(col: Collector, text: str, prefix: str, *, keys: bool = True) -> list[tuple[str, str]]:
    pairs = _pairs(text)
    for name, value in pairs:
        if keys:
            col.add(f"{prefix}{name}", name, "key")
        col.add(f"{prefix}{name}", value)
    return pairs


def _xml(col: Collector, body: bytes, prefix: str) -> None:
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


# Delimiters of Content-Disposition parameters inside a part's name or file name (CRS 920120); the ';' that ends an
# HTML character reference (``&auml;``) does not count. A file name comes from the user's disk, so '=' is let pass.
_NAME_DELIMITERS = re.compile(r'[;="]')
_FILE_DELIMITERS = re.compile(r'[;"]')
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _disposition(part: email.message.Message) -> email.message.Message:
    """A message whose Content-Disposition parameters read as text: the parser keeps a header holding raw UTF-8 as
    undecoded bytes, and its parameters then read as U+FFFD (a fullwidth ``＜script＞`` file name lost the
    characters that fold to ``<script>``)."""
    header: object = part.get("content-disposition")  # a Header object when it holds raw bytes
    if not isinstance(header, email.header.Header):
        return part
    text = "".join(
        chunk.decode("utf-8", "replace") if isinstance(chunk, bytes) else chunk
        for chunk, _charset in email.header.decode_header(header)
    )
    decoded = email.message.Message()
    decoded["content-disposition"] = text
    return decoded


def _disposition_param(part: email.message.Message, key: str) -> str | None:
    """A Content-Disposition parameter as text, RFC 2231 forms included (``filename*=UTF-8''%27%20or…``, which the
    parser returns as a (charset, language, value) tuple: taken as ``None``, a payload there was never read)."""
    value = part.get_param(key, header="content-disposition")
    if isinstance(value, tuple):
        return email.utils.collapse_rfc2231_value(value)
    return value if isinstance(value, str) else None


def _multipart(col: Collector, body: bytes, content_type: str) -> None:
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
        disposition = _disposition(part)
        name = _disposition_param(disposition, "name")
        filename = _disposition_param(disposition, "filename")
        label = str(name) if isinstance(name, str) else str(index)
        for hname, hvalue in part.items():
            if hname.lower() not in ("content-type", "content-disposition", "content-transfer-encoding"):
                col.add(f"body:{label}#header:{hname.lower()}", str(hvalue), "header")
        if isinstance(name, str):
            col.add(f"body:{label}#name", name, "key")
        if isinstance(filename, str):
            col.add(f"body:{label}#filename", filename, "filename")
        for param, text, delimiters in (("name", name, _NAME_DELIMITERS), ("filename", filename, _FILE_DELIMITERS)):
            if isinstance(text, str) and delimiters.search(_ENTITY.sub("", text)):
                col.anomaly("multipart-name-confusion", f"body:{label}#{param}", f"{param} {text[:60]!r}")
        raw = part.get_payload(decode=True)
        data = raw if isinstance(raw, bytes) else b""
        ctype = part.get_content_type()
        if ctype.endswith("json") and parse_json(col, data, f"body:{label}"):
            continue
        if filename is not None and ctype not in ("text/plain",):
            # File content: only the first bytes, where markers (PHP tags, serialized objects) live.
            col.add(f"body:{label}", bytes_to_text(data[:4096])[0], "file")
            continue
        col.add(f"body:{label}", bytes_to_text(data)[0])


def _body(col: Collector, request: HttpRequest, *, lazy: bool) -> None:
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
        if not parse_json(col, body, "body:", lazy=lazy):
            col.anomaly("json-invalid", "body", "body declared as JSON does not parse")
            col.add("body", bytes_to_text(body)[0], "body")
        return
    if ctype == "application/x-www-form-urlencoded" or (not ctype and b"=" in body and b"\n" not in body):
        text, invalid = bytes_to_text(body)
        if invalid:
            col.anomaly("invalid-utf8", "body", "form body is not valid UTF-8")
        if "%" in text:
            _overlong(col, "body", text)
        if "%" in text and not is_plain_query(text):
            # The raw body too, as the raw query string is: a payload with escapes no form decoder accepts
            # (``%c1%8s``, ``%%32%%66``) keeps its shape only there.
            index = len(col.out.texts)
            col.add("body", text, "uri")
            col.out.containers.extend(range(index, len(col.out.texts)))
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
    next-auth.session-token __secure-next-auth.session-token __host-next-auth.session-token meteor_login_token
    rack.session play_session sails.sid cakephp ci_session cfid cftoken cfsid _session_id _rails_session koa.sess
    koa:sess phpsession zend_session_id jservsession jwsession weblogicsession shiny-token""".split()
)


def _session_fixation(col: Collector, request: HttpRequest, pairs: list[tuple[str, str]]) -> None:
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


def _framing(col: Collector, request: HttpRequest) -> None:
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


# Percent-encoded overlong UTF-8: an ASCII character in two bytes (C0/C1), or in three (E0 80–9F) or four
# (F0 80–8F) where fewer suffice. No conforming encoder produces them; lenient decoders turn %c0%af into '/'.
_OVERLONG = re.compile(
    r"%c[01]%[89ab][0-9a-f]|%e0%[89][0-9a-f]%[89ab][0-9a-f]|%f0%8[0-9a-f](?:%[89ab][0-9a-f]){2}", re.I
)


def _overlong(col: Collector, location: str, raw: str) -> None:
    found = _OVERLONG.search(raw)
    if found:
        col.anomaly("overlong-utf8", location, f"overlong UTF-8 {found.group(0)!r}")


# A line break in a decoded path, or still percent-encoded in it (a backend that decodes the path twice).
_LINE_BREAK = re.compile(r"[\r\n]|%0[ad]", re.IGNORECASE)


def extract(request: HttpRequest, limits: Limits, *, lazy: bool = True) -> Extracted:
    """Every value of ``request`` worth inspecting, in a stable order: path, query, headers, cookies, body.

    ``lazy=False`` builds every location up front (the reference for the on-demand JSON locations).
    """
    col = Collector(limits)
    path = request.path
    if "%" not in path and path.isascii():
        path_text, invalid = path, False
    else:
        path_text, invalid = bytes_to_text(unquote_to_bytes(path))
    if invalid:
        col.anomaly("invalid-utf8", "path", "path is not valid UTF-8 after percent-decoding")
    if _LINE_BREAK.search(path_text):
        # Told here, not by a pattern: a line break in a pattern also matches the joined buffer's separators, so a
        # pattern for it would hit every request's path and cost each one the candidate pass.
        col.anomaly("path-crlf", "path", f"line break in the path {path_text[:80]!r}")
    if path_text not in ("", "/"):
        col.add("path", request.path, "path")
        if "+" in request.path:
            col.add("path", request.path.replace("+", " "), "path")  # many servers decode '+' in paths too
    for location, raw in (("path", path), ("query", request.query)):
        if "%" in raw:
            _overlong(col, location, raw)
    if request.query:
        index = len(col.out.texts)
        col.add("query", request.query, "uri")
        col.out.containers.extend(range(index, len(col.out.texts)))
        if len(col.out.texts) > index and is_plain_query(request.query):
            col.out.plain_query = index
        _session_fixation(col, request, _form(col, request.query, "query:"))
    for name, value in request.headers:
        lowered = name.lower()
        if "\r" in value or "\n" in value or "\r" in name or "\n" in name or ":" in name:
            col.anomaly("header-crlf", f"header:{lowered}", "CR or LF inside a header")
        if lowered in _SKIP_HEADERS or (lowered in _STRUCTURAL_HEADERS and _STRUCTURAL_VALUE.fullmatch(value)):
            continue
        if lowered in _CREDENTIAL_HEADERS and _CREDENTIALS.fullmatch(value):
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
