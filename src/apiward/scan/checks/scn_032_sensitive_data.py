"""SCN-032 sensitive-data-in-response."""

from __future__ import annotations

import re
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity, luhn_valid
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._util import leaves

_NAMES = re.compile(
    r"(?i)^(password|passwd|pwd|password_?hash|hashed_?password|pass_?hash|secret|client_?secret|api_?key|"
    r"private_?key|ssn|social_?security(_number)?|card_?number|credit_?card|cvv|cvc|pin|mfa_?secret|totp_?secret|"
    r"reset_?token|refresh_?token)$"
)
_VALUES = (
    ("password hash (bcrypt)", re.compile(r"^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$")),
    ("password hash (argon2)", re.compile(r"^\$argon2(id|i|d)\$")),
    ("password hash (crypt)", re.compile(r"^\$[156]\$[./A-Za-z0-9]{1,16}\$")),
    ("password hash (pbkdf2)", re.compile(r"^pbkdf2[_:$]")),
    ("US social security number", re.compile(r"^\d{3}-\d{2}-\d{4}$")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
)
_TOKEN_ISSUERS = re.compile(r"(?i)(login|token|auth|signin|sign-in|register|signup|api-?keys?)")


def _classify(key: str, value: Any) -> str | None:
    if value in (None, "", [], {}) or isinstance(value, bool):
        return None
    if isinstance(value, str):
        for label, pattern in _VALUES:
            if pattern.search(value):
                return label
        if (
            re.fullmatch(r"[\d -]{13,23}", value)
            and 13 <= sum(c.isdigit() for c in value) <= 19
            and luhn_valid(value)
            and re.search(r"(?i)card|pan|number", key)
        ):
            return "payment card number"
    if _NAMES.match(key):
        return f"secret field {key!r}"
    return None


@check(
    id="SCN-032",
    name="sensitive-data-in-response",
    title="Secrets or personal data in responses",
    owasp=OwaspApi2023.API3,
    cwe=200,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Never serialise credentials, hashes or secrets; mask personal data the client does not need.",
    category="data-exposure",
)
async def sensitive_data(ctx: ScanContext) -> None:
    """A successful response carries passwords, password hashes (bcrypt/argon2/crypt/PBKDF2), API keys,
    client secrets, private keys, social security or payment card numbers.

    Matched by field name and by value shape on every 2xx JSON response of the scan. The responses of
    login/token/registration operations may carry the caller's own new token and are judged on hashes and
    personal data only. Values are redacted in the report.
    """
    seen: set[str] = set()
    for op, ex, _phase in list(ctx.log):
        if op is None or not ex.ok or ex.data is None or op.ref.key in seen:
            continue
        issuer = bool(_TOKEN_ISSUERS.search(op.path)) and op.method == "POST"
        hits: dict[str, str] = {}
        for pointer, key, value in leaves(ex.data):
            label = _classify(key, value)
            if label is None or (issuer and label.startswith("secret field")):
                continue
            hits.setdefault(pointer, label)
        if not hits or ex.spec is None:
            continue
        if op.method in ("GET", "HEAD"):  # confirm on a fresh read; writes are not replayed
            again = await ctx.send(ex.spec, ctx.user)
            if not again.ok or not any(_classify(k, v) for _, k, v in leaves(again.data)):
                continue
            ex = again
        seen.add(op.ref.key)
        ctx.report(
            sensitive_data.meta,
            operation=op,
            location=f"response:{ex.status}:{sorted(hits)[0]}",
            message=f"{len(hits)} sensitive value(s) in the response: "
            + ", ".join(f"{p} ({lbl})" for p, lbl in sorted(hits.items())[:5]),
            proof=ex,
            extra={"fields": dict(sorted(hits.items())[:50])},
        )
