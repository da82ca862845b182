"""``response_scrub``: stack traces and verbose errors never leave the gateway.

An error response (``5xx`` by default, ``4xx`` too with ``statuses: [4xx, 5xx]``) whose body shows a
stack trace, a debugger page or a database error (Python, Java, .NET, Node, Go, PHP, Ruby; SQL errors
of MySQL, PostgreSQL, Oracle, SQL Server, SQLite) is replaced by a plain ``application/problem+json``
with the same status. With ``replace_all_5xx`` every 5xx body is replaced, leak or not. Only the first
``max_scan_bytes`` of a body are scanned. Log-only mode records what it found and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, ClassVar

import re2

from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._options import RouteModes, object_schema, validate_options
from apiward.gateway.policies._validation._rewrite import problem_body, rewrite

__all__ = ["LEAK_PATTERNS", "NAME", "OPTIONS_SCHEMA", "ErrorScrubber", "build"]

NAME = "response_scrub"
RULE_LEAK = "GW-RESP-020"

#: (name, pattern): what a leaked stack trace or verbose error looks like. Ordered; each is one concept.
LEAK_PATTERNS: tuple[tuple[str, str], ...] = (
    ("python-traceback", r"Traceback \(most recent call last\):"),
    ("python-frame", r'File "[^"\n]{1,300}", line \d+, in '),
    ("java-frame", r"\bat (?:[a-zA-Z_$][\w$]*\.){2,}[\w$<>]+\((?:[\w$]+\.java:\d+|Native Method|Unknown Source)\)"),
    ("java-exception", r"\b(?:java|javax|org\.springframework|org\.hibernate)\.[\w.]+(?:Exception|Error)\b"),
    ("dotnet-frame", r"\bat System\.[\w.`]+\(|\bSystem\.[\w.]+Exception:|--- End of inner exception stack trace ---"),
    ("node-frame", r"\bat (?:[\w$.<>]+ )?\(?(?:/|[A-Za-z]:\\)[^()\n]{1,300}\.(?:js|mjs|cjs|ts):\d+:\d+\)?"),
    ("go-panic", r"\bgoroutine \d+ \[running\]:|\bpanic: runtime error:"),
    ("php-error", r"\b(?:Fatal error|Parse error|Warning|Notice|Deprecated)</?b?>?: .{1,300} on line <?b?>?\d+"),
    ("php-trace", r"Stack trace:\s*#0 "),
    ("ruby-frame", r"\.rb:\d+:in `"),
    ("debug-page", r"Werkzeug Debugger|Whitelabel Error Page|Action Controller: Exception caught|DEBUG = True"),
    ("sql-mysql", r"You have an error in your SQL syntax|\bmysqli?_[a-z_]+\(\)|SQLSTATE\[\w+\]"),
    ("sql-postgres", r"\bPG::[A-Z]\w+|\bpsycopg2?\.errors\.|ERROR:\s+syntax error at or near"),
    ("sql-oracle", r"\bORA-\d{5}\b"),
    ("sql-mssql", r"Unclosed quotation mark after the character string|\bMicrosoft OLE DB Provider for SQL Server\b"),
    ("sql-sqlite", r"\bsqlite3\.OperationalError\b|\bSQLITE_ERROR\b"),
    ("sql-generic", r"\b(?:SQLException|JDBCException|SqlException)\b"),
)

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "statuses": {
            "type": "array",
            "items": {"enum": ["4xx", "5xx"]},
            "default": ["5xx"],
            "description": "Which error responses are scanned.",
        },
        "replace_all_5xx": {"type": "boolean", "default": False},
        "max_scan_bytes": {"type": "integer", "minimum": 1024, "default": 65_536},
    },
    description="Replace stack traces and verbose errors with a problem+json.",
)


class ErrorScrubber:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._modes = RouteModes(self.mode, ctx)
        self._classes = frozenset(int(s[0]) for s in opts.get("statuses", ["5xx"]))
        self._all_5xx = bool(opts.get("replace_all_5xx", False))
        self._max = int(opts.get("max_scan_bytes", 65_536))
        # RE2: linear time whatever the upstream sends (an error body is not trusted input).
        self._pattern = re2.compile("|".join(f"(?P<{n.replace('-', '_')}>{p})" for n, p in LEAK_PATTERNS))

    def leak(self, body: bytes) -> str | None:
        """The name of the first leak pattern found in ``body``, or ``None``."""
        found = self._pattern.search(body[: self._max].decode("utf-8", "replace"))
        return found.lastgroup.replace("_", "-") if found is not None and found.lastgroup else None

    async def on_response(self, exchange: Exchange) -> Deny | None:
        response = exchange.response
        if response is None or response.status // 100 not in self._classes:
            return None
        leak = self.leak(response.body) if response.body else None
        if leak is None and not (self._all_5xx and response.status >= 500):
            return None
        if leak is not None:
            exchange.matched_rules.append(RULE_LEAK)
            exchange.notes["scrubbed"] = leak
        if not self._modes.enforcing(exchange):
            return None
        try:
            title = HTTPStatus(response.status).phrase
        except ValueError:
            title = "Error"
        exchange.response = rewrite(
            response,
            body=problem_body(response.status, title),
            set_headers={"Content-Type": "application/problem+json"},
            remove=("Content-Encoding", "ETag", "Last-Modified"),
        )
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> ErrorScrubber:
    return ErrorScrubber(options, ctx)
