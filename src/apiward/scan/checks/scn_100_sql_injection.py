"""SCN-100 sql-injection."""

from __future__ import annotations

import re

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange
from apiward.scan.checks._base import check
from apiward.scan.checks._inject import each_point
from apiward.scan.checks._util import Point, similarity

SQL_ERRORS = re.compile(
    r"(?i)(SQL syntax.*?MySQL|Warning.*?\Wmysqli?_|valid MySQL result|sqlite3?\.\w*Error|SQLITE_ERROR|"
    r"unrecognized token:|near \".*?\": syntax error|unterminated quoted string|syntax error at or near|"
    r"PG::SyntaxError|psycopg2?\.errors|ORA-0\d{4}|quoted string not properly terminated|"
    r"Unclosed quotation mark after the character string|Microsoft OLE DB Provider for SQL Server|SQLSTATE\[)"
)
_BOOLEAN = (
    ("' OR '1'='1", "' OR '1'='2"),
    (" OR 1=1", " OR 1=2"),
    ("' OR 1=1-- ", "' OR 1=2-- "),
)
_TIME = ("' AND 1=(SELECT 1 FROM pg_sleep({s}))-- ", "' AND SLEEP({s})-- ", "'; WAITFOR DELAY '0:0:{s}'-- ")


def _differs(a: Exchange, b: Exchange) -> bool:
    return a.status != b.status or similarity(a.body, b.body) < 0.9


async def _oracle(ctx: ScanContext, sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
    user = ctx.user
    base = sample.exchange
    # error-based: a quote makes the database complain, the control does not
    broken = await ctx.send(point.inject(sample, point.original + "'"), user)
    match = SQL_ERRORS.search(broken.text[:20000])
    if match and not SQL_ERRORS.search(base.text[:20000]):
        again = await ctx.send(point.inject(sample, point.original + "'"), user)
        if SQL_ERRORS.search(again.text[:20000]):
            return (
                again,
                f"{point.label}: a single quote produced a database error",
                {"oracle": "error", "error": match.group(0)},
            )
    # boolean differential: true and false conditions answer differently, each stable on repeat
    for true_sfx, false_sfx in _BOOLEAN:
        t1 = await ctx.send(point.inject(sample, point.original + true_sfx), user)
        f1 = await ctx.send(point.inject(sample, point.original + false_sfx), user)
        if not (t1.ok and _differs(t1, f1)):
            continue
        t2 = await ctx.send(point.inject(sample, point.original + true_sfx), user)
        f2 = await ctx.send(point.inject(sample, point.original + false_sfx), user)
        if not _differs(t1, t2) and not _differs(f1, f2) and _differs(t2, f2):
            return (
                t2,
                f"{point.label}: boolean conditions change the result ({true_sfx!r} vs {false_sfx!r})",
                {"oracle": "boolean", "true": true_sfx, "false": false_sfx},
            )
    # time-based: a sleep of s seconds delays the answer by about s, twice
    seconds = int(ctx.option("sqli_sleep_s", 2))
    delay_ms = seconds * 1000
    for template in _TIME:
        payload = point.original + template.format(s=seconds)
        slow = await ctx.send(point.inject(sample, payload), user)
        if slow.elapsed_ms < 0.9 * delay_ms or slow.elapsed_ms - base.elapsed_ms < 0.8 * delay_ms:
            continue
        again = await ctx.send(point.inject(sample, payload), user)
        control = await ctx.send(point.inject(sample, point.original + template.format(s=0)), user)
        if again.elapsed_ms >= 0.9 * delay_ms and control.elapsed_ms < 0.5 * delay_ms:
            return again, f"{point.label}: a {seconds} s SQL sleep delayed the response twice", {"oracle": "time"}
    return None


@check(
    id="SCN-100",
    name="sql-injection",
    title="SQL injection",
    owasp=OwaspApi2023.API8,
    cwe=89,
    severity=Severity.CRITICAL,
    confidence=Confidence.HIGH,
    remediation="Use parameterised queries / prepared statements; never build SQL from request values.",
    category="injection",
)
async def sql_injection(ctx: ScanContext) -> None:
    """A request value reaches a SQL statement unescaped, proven by an oracle — never by a 5xx alone:

    * **error-based**: a trailing quote produces database error text the baseline does not contain (twice);
    * **boolean differential**: ``' OR '1'='1`` and ``' OR '1'='2`` give different answers, each stable on repeat;
    * **time-based**: ``pg_sleep``/``SLEEP``/``WAITFOR`` of *s* seconds delays the answer twice, a 0 s control does not.

    Tried on every string-like path, query, header and cookie parameter and top-level body field.
    """

    async def oracle(sample: Sample, point: Point) -> tuple[object, str, dict[str, object]] | None:
        return await _oracle(ctx, sample, point)

    await each_point(ctx, sql_injection.meta, oracle)
