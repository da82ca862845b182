"""``open_sink(url)``: one URL names a sink, its store and its options.

    jsonl:///var/log/apiward/events.jsonl?max_bytes=104857600&backups=5
    ecs+jsonl:///var/log/apiward/ecs.jsonl          ocsf+jsonl:///var/log/apiward/ocsf.jsonl
    sqlite:///var/lib/apiward/events.sqlite         postgresql://user@host/db?table=apiward_events
    syslog+udp://host:514?facility=authpriv         syslog+tcp://host:601
    syslog+tls://host:6514?ca=/ca.pem&cert=/client.pem&key=/client.key
    webhook+https://siem.example/hook?token_env=SIEM_TOKEN&ca=/ca.pem   (Authorization: Bearer $SIEM_TOKEN)

Options every sink takes: ``spool=DIR`` (or ``spool=off``), ``queue=N`` (in-memory queue bound),
``batch=N`` (max events per store write), ``fsync=1`` (fsync the spool per event).
"""

from __future__ import annotations

import hashlib
import os
import re
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from apiward.core import ConfigError, redact_url
from apiward.events._cef import FACILITIES
from apiward.events._ecs import to_ecs
from apiward.events._jsonl import JsonlWriter
from apiward.events._ocsf import to_ocsf
from apiward.events._postgres import PostgresWriter
from apiward.events._spooled import SpooledSink
from apiward.events._sqlite import SqliteWriter
from apiward.events._syslog import SyslogWriter
from apiward.events._webhook import WebhookWriter
from apiward.events._writer import BatchWriter

__all__ = ["SCHEMES", "default_spool_dir", "open_sink"]

SCHEMES = (
    "jsonl",
    "ecs+jsonl",
    "ocsf+jsonl",
    "sqlite",
    "postgresql",
    "postgres",
    "syslog+udp",
    "syslog+tcp",
    "syslog+tls",
    "webhook+http",
    "webhook+https",
)
_COMMON = ("spool", "queue", "batch", "fsync")


def default_spool_dir() -> Path:
    """``$APIWARD_SPOOL_DIR``, else ``$XDG_STATE_HOME/apiward/spool``, else ``~/.local/state/apiward/spool``."""
    if env := os.environ.get("APIWARD_SPOOL_DIR"):
        return Path(env)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "apiward" / "spool"


def _int(url: str, options: dict[str, str], key: str, default: int) -> int:
    raw = options.pop(key, None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"option {key}={raw!r} must be an integer", source=redact_url(url)) from None
    if value < 0:
        raise ConfigError(f"option {key}={raw!r} must not be negative", source=redact_url(url))
    return value


def _file_path(url: str, parts: SplitResult) -> Path:
    path = unquote(parts.path)
    if parts.netloc not in ("", "localhost") or not path:
        raise ConfigError("expected scheme:///absolute/path or scheme:relative/path", source=url)
    return Path(path)


def _tls_context(url: str, options: dict[str, str]) -> ssl.SSLContext:
    """Verifying client context; ``ca=`` adds a CA bundle, ``cert=``/``key=`` present a client certificate."""
    context = ssl.create_default_context()
    if ca := options.pop("ca", None):
        try:
            context.load_verify_locations(cafile=ca)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load CA file {ca!r}: {exc}", source=redact_url(url)) from exc
    cert, key = options.pop("cert", None), options.pop("key", None)
    if cert:
        try:
            context.load_cert_chain(cert, key)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load client certificate {cert!r}: {exc}", source=redact_url(url)) from exc
    elif key:
        raise ConfigError("key= needs cert=", source=redact_url(url))
    return context


def _port(url: str, parts: SplitResult, default: int) -> int:
    try:
        return parts.port or default
    except ValueError:
        raise ConfigError("invalid port", source=redact_url(url)) from None


def _writer(url: str, scheme: str, parts: SplitResult, options: dict[str, str]) -> tuple[BatchWriter, Path | None]:
    """The store writer and, for file stores, the directory the store lives in."""
    if scheme.endswith("jsonl"):
        path = _file_path(url, parts)
        render: Callable[..., dict[str, Any]] | None = {"ecs+jsonl": to_ecs, "ocsf+jsonl": to_ocsf}.get(scheme)
        max_bytes = _int(url, options, "max_bytes", 100 << 20)
        backups = _int(url, options, "backups", 5)
        return JsonlWriter(path, render=render, max_bytes=max_bytes, backups=backups, label=scheme), path.parent
    if scheme == "sqlite":
        path = _file_path(url, parts)
        return SqliteWriter(path), path.parent
    if scheme in ("postgresql", "postgres"):
        table = options.pop("table", "apiward_events")
        rest = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (*_COMMON, "table")]
        dsn = urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(rest), ""))
        options.clear()  # libpq options (sslmode, ...) stay in the DSN
        return PostgresWriter(
            dsn, table=table, display=redact_url(urlunsplit(("postgresql", parts.netloc, parts.path, "", "")))
        ), None
    if scheme.startswith("syslog+"):
        transport = scheme.split("+", 1)[1]
        if not parts.hostname:
            raise ConfigError("syslog needs a host: syslog+udp://host:514", source=redact_url(url))
        facility_name = options.pop("facility", "authpriv")
        if facility_name not in FACILITIES:
            raise ConfigError(
                f"unknown syslog facility {facility_name!r}; choose one of: {', '.join(FACILITIES)}",
                source=redact_url(url),
            )
        default_port = {"udp": 514, "tcp": 601, "tls": 6514}[transport]
        context = _tls_context(url, options) if transport == "tls" else None
        writer = SyslogWriter(
            parts.hostname,
            _port(url, parts, default_port),
            transport=transport,
            facility=FACILITIES[facility_name],
            tls_context=context,
        )
        return writer, None
    target = url.split("+", 1)[1]
    target_parts = urlsplit(target)
    _port(url, target_parts, 443)
    own = ("token_env", "ca")
    rest = [(k, v) for k, v in parse_qsl(target_parts.query, keep_blank_values=True) if k not in (*_COMMON, *own)]
    headers: dict[str, str] = {}
    if env := options.pop("token_env", None):
        token = os.environ.get(env)
        if not token:
            raise ConfigError(f"environment variable {env} (token_env) is not set", source=redact_url(url))
        headers["authorization"] = f"Bearer {token}"
    ca = options.pop("ca", None)
    verify: bool | str = ca if ca else True
    options.clear()  # the target's own query parameters stay in its URL
    return WebhookWriter(urlunsplit(target_parts._replace(query=urlencode(rest))), headers=headers, verify=verify), None


def open_sink(url: str, *, spool_dir: Path | str | None = "auto", **tuning: Any) -> SpooledSink:
    """Build the sink ``url`` names (not started: ``await sink.start()``). Raises :class:`ConfigError`.

    ``spool_dir``: ``"auto"`` (beside a file store, else :func:`default_spool_dir`), a directory, or
    ``None`` for no spool (events in the queue are lost on a crash). ``tuning`` is passed to
    :class:`SpooledSink` (``max_queue``, ``batch_size``, ``flush_interval_s``, ...).
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ConfigError(
            f"unknown event sink scheme {scheme!r}; choose one of: {', '.join(SCHEMES)}", source=redact_url(url)
        )
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    spool_opt = options.pop("spool", None)
    max_queue = _int(url, options, "queue", int(tuning.pop("max_queue", 10_000)))
    batch_size = _int(url, options, "batch", int(tuning.pop("batch_size", 2_000)))
    fsync = options.pop("fsync", "0") in ("1", "true", "yes")
    writer, home = _writer(url, scheme, parts, options)
    if options:
        raise ConfigError(f"unknown option(s) {', '.join(sorted(options))} for {scheme}", source=redact_url(url))
    if spool_opt is not None:
        spool_dir = None if spool_opt in ("off", "none", "") else Path(spool_opt)
    if spool_dir == "auto":
        spool_dir = home / ".apiward-spool" if home is not None else default_spool_dir()
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    spool_name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{scheme}-{digest}")
    return SpooledSink(
        writer,
        spool_dir=Path(spool_dir) if spool_dir is not None else None,
        spool_name=spool_name,
        max_queue=max_queue,
        batch_size=batch_size,
        fsync=fsync,
        **tuning,
    )
