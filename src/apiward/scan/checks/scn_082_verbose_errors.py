"""SCN-082 verbose-errors."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check

LEAKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Python traceback", re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")),
    ("Java stack trace", re.compile(r"\bat [\w$.]+\([\w$]+\.java:\d+\)|java\.lang\.\w+(Exception|Error)")),
    (".NET stack trace", re.compile(r"System\.\w+Exception|\bat [\w.]+\(.*\) in .*:line \d+")),
    ("Node.js stack trace", re.compile(r"\bat [\w.<>]+ \(/[^)]+\.js:\d+:\d+\)")),
    ("PHP error", re.compile(r"(Fatal error|Warning|Parse error)</b>?:? .* on line \d+|\.php on line \d+")),
    ("Ruby stack trace", re.compile(r"\.rb:\d+:in `")),
    ("Go panic", re.compile(r"goroutine \d+ \[running\]|panic: ")),
    (
        "SQL error",
        re.compile(
            r"(?i)(SQL syntax.*MySQL|sqlite3?\.\w*Error|SQLITE_ERROR|psycopg2?\.|PG::\w+Error|SQLSTATE\[|ORA-\d{5}|"
            r"unterminated quoted string|syntax error at or near|Microsoft OLE DB|ODBC SQL Server Driver)"
        ),
    ),
    (
        "framework debug page",
        re.compile(
            r"(?i)Werkzeug Debugger|Whitelabel Error Page|DisallowedHost|"
            r"<title>.*(Exception|Error) at /"
        ),
    ),
)


def leak_of(text: str) -> str | None:
    for label, pattern in LEAKS:
        if pattern.search(text):
            return label
    return None


@check(
    id="SCN-082",
    name="verbose-errors",
    title="Stack traces or internal errors disclosed",
    owasp=OwaspApi2023.API8,
    cwe=209,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Return generic error bodies (RFC 9457 problem details) and log the details server-side.",
    category="misconfiguration",
)
async def verbose_errors(ctx: ScanContext) -> None:
    """A response carries a stack trace, source file paths with line numbers, SQL/driver error text or a
    framework debug page.

    Judged on every response of the scan (malformed and negative requests included), then re-sent once to
    confirm before reporting. One finding per operation.
    """
    seen: set[str] = set()
    for op, ex, _phase in list(ctx.log):
        if op is None or op.ref.key in seen or ex.spec is None:
            continue
        label = leak_of(ex.text[:20000])
        if label is None:
            continue
        again = await ctx.send(ex.spec, ctx.user)
        if leak_of(again.text[:20000]) != label:
            continue
        seen.add(op.ref.key)
        ctx.report(
            verbose_errors.meta,
            operation=op,
            location=f"response:{again.status}",
            message=f"{label} in a {again.status} response",
            proof=again,
            extra={"leak": label},
        )
