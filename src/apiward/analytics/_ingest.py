"""Readers from traffic files to :class:`Observation`: apiward event JSONL, HAR 1.2, nginx/Envoy JSON access logs.

Malformed input raises :class:`~apiward.core.InputError` naming ``file:line`` (or ``file`` and a JSON
pointer for HAR), so the CLI can say exactly where to look.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import orjson

from apiward.analytics._observation import Observation
from apiward.core import HTTP_METHODS, InputError, SecurityEvent, is_secret_name

__all__ = ["FORMATS", "detect_format", "read_access_log", "read_events", "read_har", "read_traffic"]

FORMATS = ("auto", "events", "events-sqlite", "har", "access-log")
_CRED_HEADERS = frozenset({"authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "proxy-authorization"})
#: access-log fields that, when not empty/"-", say the request carried credentials
_CRED_FIELDS = (
    "http_authorization",
    "authorization",
    "http_cookie",
    "remote_user",
    "jwt_sub",
    "http_x_api_key",
    "user",
)


def _has_credentials(headers: tuple[tuple[str, str], ...], query: tuple[tuple[str, str], ...]) -> bool:
    return any(k.lower() in _CRED_HEADERS and v for k, v in headers) or any(is_secret_name(k) for k, _ in query)


def _iso_ts(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    try:  # nginx $time_local: 10/Oct/2000:13:55:36 -0700
        return dt.datetime.strptime(value, "%d/%b/%Y:%H:%M:%S %z").timestamp()
    except ValueError:
        return None


def _split_target(target: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Request target -> (decoded path, query pairs). A path is never read as an authority (``//x``)."""
    path, _, query = target.partition("?")
    path = path.partition("#")[0]
    return unquote(path) or "/", tuple(parse_qsl(query.partition("#")[0], keep_blank_values=True))


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                yield lineno, orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc}", source=f"{path}:{lineno}") from exc


def read_events(path: Path) -> Iterator[Observation]:
    """apiward gateway events (JSON Lines, the native record); detections are skipped."""
    for lineno, data in _lines(path):
        where = f"{path}:{lineno}"
        if not isinstance(data, dict):
            raise InputError("expected a JSON object per line", source=where)
        try:
            event = SecurityEvent.from_dict(data)
        except (KeyError, ValueError, TypeError) as exc:
            raise InputError(f"not an apiward event: missing or invalid {exc}", source=where) from exc
        if event.kind != "request" or not event.method or not event.path:
            continue
        yield _observation_of(event, where)


def read_events_sqlite(path: Path) -> Iterator[Observation]:
    """The SQLite audit trail written by the ``sqlite://`` sink."""
    from apiward.events import EventQuery, open_store

    store = open_store(f"sqlite://{path.resolve()}")
    try:
        events = store.query(EventQuery(kind="request", limit=None))
    finally:
        store.close()
    for n, event in enumerate(events, 1):
        if event.method and event.path:
            yield _observation_of(event, f"{path}#{n}")


def _observation_of(event: SecurityEvent, where: str) -> Observation:
    ident = event.identity
    path_only, query = _split_target(event.path or "/")
    return Observation(
        method=(event.method or "GET").upper(),
        path=path_only,
        query=query,
        status=event.status,
        timestamp=event.timestamp,
        authenticated=ident is not None and not ident.is_anonymous,
        response_bytes=event.response_bytes,
        template=event.operation.path if event.operation else None,
        client=(ident.subject if ident and not ident.is_anonymous else event.client_ip),
        source=where,
    )


def _har_headers(items: Any, pointer: str, where: str) -> tuple[tuple[str, str], ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise InputError("expected a list of headers", source=where, pointer=pointer)
    out = []
    for i, h in enumerate(items):
        if not isinstance(h, dict) or not isinstance(h.get("name"), str):
            raise InputError("a header needs a 'name'", source=where, pointer=f"{pointer}/{i}")
        out.append((h["name"], str(h.get("value", ""))))
    return tuple(out)


def _har_body(content: Mapping[str, Any]) -> bytes | None:
    text = content.get("text")
    if not isinstance(text, str):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=False)
        except (binascii.Error, ValueError):
            return None
    return text.encode()


def read_har(path: Path) -> Iterator[Observation]:
    """HAR 1.2 (browser dev tools, proxies): requests, responses and bodies."""
    where = str(path)
    try:
        doc = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=where) from exc
    except orjson.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc}", source=where) from exc
    entries = doc.get("log", {}).get("entries") if isinstance(doc, dict) and isinstance(doc.get("log"), dict) else None
    if not isinstance(entries, list):
        raise InputError("not a HAR file: /log/entries must be a list", source=where, pointer="/log/entries")
    for i, entry in enumerate(entries):
        ptr = f"/log/entries/{i}"
        request = entry.get("request") if isinstance(entry, dict) else None
        if not isinstance(request, dict):
            raise InputError("an entry needs a 'request' object", source=where, pointer=ptr)
        method, url = request.get("method"), request.get("url")
        if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
            raise InputError(f"invalid method {method!r}", source=where, pointer=f"{ptr}/request/method")
        if not isinstance(url, str) or not url:
            raise InputError("a request needs a 'url'", source=where, pointer=f"{ptr}/request/url")
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError as exc:  # e.g. an unclosed IPv6 literal
            raise InputError(f"invalid URL: {exc}", source=where, pointer=f"{ptr}/request/url") from exc
        path_only, query = _split_target(url if not parts.scheme else parts._replace(scheme="", netloc="").geturl())
        headers = _har_headers(request.get("headers"), f"{ptr}/request/headers", where)
        response: dict[str, Any] = entry["response"] if isinstance(entry.get("response"), dict) else {}
        status = response.get("status")
        if status is not None and not isinstance(status, int):
            raise InputError(f"invalid status {status!r}", source=where, pointer=f"{ptr}/response/status")
        post: dict[str, Any] = request["postData"] if isinstance(request.get("postData"), dict) else {}
        content: dict[str, Any] = response["content"] if isinstance(response.get("content"), dict) else {}
        resp_body = _har_body(content)
        yield Observation(
            method=method.upper(),
            path=path_only,
            query=query,
            host=host,
            status=status if status else None,
            timestamp=_iso_ts(entry.get("startedDateTime")),
            authenticated=_has_credentials(headers, query),
            request_headers=headers,
            request_content_type=str(post.get("mimeType") or "") or None,
            request_body=post["text"].encode() if isinstance(post.get("text"), str) else None,
            response_content_type=str(content.get("mimeType") or "") or None,
            response_body=resp_body,
            response_bytes=len(resp_body) if resp_body is not None else None,
            source=f"{where}#{ptr}",
        )


def _first(data: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = data.get(key)
        if value not in (None, "", "-"):
            return value
    return None


def read_access_log(path: Path) -> Iterator[Observation]:
    """nginx (``log_format … escape=json``) or Envoy JSON access logs, one JSON object per line."""
    for lineno, data in _lines(path):
        where = f"{path}:{lineno}"
        if not isinstance(data, dict):
            raise InputError("expected a JSON object per line", source=where)
        method = _first(data, "request_method", "method", ":method")
        target = _first(data, "request_uri", "path", ":path", "uri", "x_envoy_original_path")
        request_line = _first(data, "request")
        if (method is None or target is None) and isinstance(request_line, str) and request_line.count(" ") >= 1:
            method, target = request_line.split(" ")[:2]
        if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
            raise InputError(f"no HTTP method (request_method, method or request) in {sorted(data)}", source=where)
        if not isinstance(target, str) or not target.startswith("/"):
            raise InputError("no request path (request_uri, path or request)", source=where)
        status_raw = _first(data, "status", "response_code", "status_code")
        try:
            status = int(status_raw) if status_raw is not None else None
        except (TypeError, ValueError):
            raise InputError(f"invalid status {status_raw!r}", source=where) from None
        path_only, query = _split_target(target)
        nbytes = _first(data, "body_bytes_sent", "bytes_sent", "response_bytes")
        client = _first(data, "remote_user", "jwt_sub", "remote_addr", "client_ip")
        if client is None and isinstance(peer := _first(data, "downstream_remote_address"), str):
            client = peer.rsplit(":", 1)[0]  # Envoy logs address:port
        yield Observation(
            method=method.upper(),
            path=path_only,
            query=query,
            host=_first(data, "host", "authority", ":authority", "http_host"),
            status=status,
            timestamp=_iso_ts(_first(data, "time_iso8601", "start_time", "timestamp", "time_local", "time")),
            authenticated=any(_first(data, f) is not None for f in _CRED_FIELDS) or _has_credentials((), query),
            response_bytes=int(nbytes) if isinstance(nbytes, int | str) and str(nbytes).isdigit() else None,
            client=str(client) if client is not None else None,
            source=where,
        )


def detect_format(path: Path) -> str:
    """``har`` for a JSON document with ``log.entries``; ``events`` when lines carry ``format_version`` and
    ``kind``; otherwise ``access-log``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=str(path)) from exc
    if head.startswith(b"SQLite format 3\x00"):
        return "events-sqlite"
    stripped = head.lstrip()
    if path.suffix.lower() == ".har" or (stripped.startswith(b"{") and b'"log"' in head and b"\n{" not in stripped):
        return "har"
    first = stripped.split(b"\n", 1)[0]
    if b'"format_version"' in first and b'"kind"' in first:
        return "events"
    return "access-log"


def read_traffic(path: Path, fmt: str = "auto") -> Iterator[Observation]:
    if fmt not in FORMATS:
        raise InputError(f"unknown traffic format {fmt!r}; choose one of: {', '.join(FORMATS)}", source=str(path))
    kind = detect_format(path) if fmt == "auto" else fmt
    reader = {
        "events": read_events,
        "events-sqlite": read_events_sqlite,
        "har": read_har,
        "access-log": read_access_log,
    }[kind]
    return reader(path)
