"""The catalogue of flaws planted in the vulnerable demo API.

Every flaw has a stable id (never reused) and is switched on or off per app instance: the vulnerable
app has all of them, the secure twin none. Tests may build an app with a chosen subset to show one
flaw at a time. The comment beside each member names the scanner check it is planted for.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator

__all__ = ["ALL_FLAWS", "Flaw", "FlawSet"]


class Flaw(enum.Enum):
    """A deliberate weakness of the demo API. The value is its stable id."""

    BOLA = "bola"  # SCN-001/002/003: no ownership check on accounts, orders, invoices
    MISSING_AUTHENTICATION = "missing-authentication"  # SCN-010: some secured operations served anonymously
    INVALID_CREDENTIALS = "invalid-credentials"  # SCN-011: unknown or revoked API keys accepted
    JWT_ALG_NONE = "jwt-alg-none"  # SCN-012
    JWT_SIGNATURE_UNVERIFIED = "jwt-signature-unverified"  # SCN-013/014: bad signature -> claims used anyway
    JWT_WEAK_SECRET = "jwt-weak-secret"  # SCN-015: HS256 secret from a common wordlist
    JWT_KEY_CONFUSION = "jwt-key-confusion"  # SCN-016: HS256 verified with the RSA public key as secret
    JWT_KID_INJECTION = "jwt-kid-injection"  # SCN-017: kid header read as a file path
    JWT_JKU_JWK = "jwt-jku-jwk"  # SCN-018: jku / jwk header keys trusted
    JWT_EXPIRY_IGNORED = "jwt-expiry-ignored"  # SCN-019: exp / nbf not checked
    USER_ENUMERATION = "user-enumeration"  # SCN-020: login says whether the user exists
    NO_LOGIN_THROTTLE = "no-login-throttle"  # SCN-021
    MASS_ASSIGNMENT = "mass-assignment"  # SCN-030: role/isAdmin/balance accepted and persisted
    DATA_EXPOSURE = "data-exposure"  # SCN-031/032: password hash, api key, PII, undeclared fields
    NO_RATE_LIMIT = "no-rate-limit"  # SCN-040
    UNBOUNDED_PAGE_SIZE = "unbounded-page-size"  # SCN-041
    OVERSIZED_PAYLOAD = "oversized-payload"  # SCN-042
    REDOS = "redos"  # SCN-043: catastrophic regex on the username check
    BFLA = "bfla"  # SCN-050: admin operations only need a login
    SSRF = "ssrf"  # SCN-070: URL preview and webhook test fetch any loopback URL
    CORS_REFLECTION = "cors-reflection"  # SCN-080
    MISSING_SECURITY_HEADERS = "missing-security-headers"  # SCN-081
    VERBOSE_ERRORS = "verbose-errors"  # SCN-082: tracebacks and SQL errors in responses
    VERSION_DISCLOSURE = "version-disclosure"  # SCN-083
    UNDECLARED_METHODS = "undeclared-methods"  # SCN-084: TRACE echo, DELETE on a GET-only path
    UNDOCUMENTED_ENDPOINTS = "undocumented-endpoints"  # SCN-090: /debug, /actuator, /.env, /api/v1
    DEPRECATED_SERVED = "deprecated-served"  # SCN-091
    SQL_INJECTION = "sql-injection"  # SCN-100
    NOSQL_INJECTION = "nosql-injection"  # SCN-101
    COMMAND_INJECTION = "command-injection"  # SCN-102 (a simulated shell; nothing is executed)
    PATH_TRAVERSAL = "path-traversal"  # SCN-103 (a virtual file system; the real disk is never read)
    SSTI = "ssti"  # SCN-104 (Jinja2 sandbox)
    SERVER_ERROR = "server-error"  # SCN-110: unvalidated ids crash with 500
    SCHEMA_MISMATCH = "schema-mismatch"  # SCN-111/112: a value outside its enum, an undeclared status
    DELETE_NOT_EFFECTIVE = "delete-not-effective"  # SCN-113: deleted webhooks still served
    SLOW_RESPONSE = "slow-response"  # SCN-114: a slow statistics endpoint


ALL_FLAWS: frozenset[Flaw] = frozenset(Flaw)


class FlawSet:
    """The flaws switched on in one app instance (immutable)."""

    __slots__ = ("_on",)

    def __init__(self, flaws: Iterable[Flaw]) -> None:
        self._on = frozenset(flaws)

    def __contains__(self, flaw: object) -> bool:
        return flaw in self._on

    def __iter__(self) -> Iterator[Flaw]:
        return iter(sorted(self._on, key=lambda f: f.value))

    def __len__(self) -> int:
        return len(self._on)

    @property
    def secure(self) -> bool:
        return not self._on
