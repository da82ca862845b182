"""Layer 0 — the shared vocabulary of apiward: operations, findings, events, taxonomy, errors, redaction."""

from apiward.core._checksums import iban_valid, luhn_valid
from apiward.core._errors import ApiwardError, BackendError, ConfigError, InputError, SpecError, TargetError
from apiward.core._event import (
    ANONYMOUS,
    EVENT_FORMAT_VERSION,
    Decision,
    Identity,
    SecurityEvent,
    token_fingerprint,
)
from apiward.core._finding import FINDING_FORMAT_VERSION, Finding
from apiward.core._http import HttpRequest, HttpResponse
from apiward.core._operation import HTTP_METHODS, Operation
from apiward.core._redact import REDACTED, is_secret_name, redact_headers, redact_mapping, redact_text, redact_url
from apiward.core._severity import Confidence, Severity
from apiward.core._tasks import spawn
from apiward.core._taxonomy import Cwe, OwaspApi2023

__all__ = [
    "ANONYMOUS",
    "EVENT_FORMAT_VERSION",
    "FINDING_FORMAT_VERSION",
    "HTTP_METHODS",
    "REDACTED",
    "ApiwardError",
    "BackendError",
    "Confidence",
    "ConfigError",
    "Cwe",
    "Decision",
    "Finding",
    "HttpRequest",
    "HttpResponse",
    "Identity",
    "InputError",
    "Operation",
    "OwaspApi2023",
    "SecurityEvent",
    "Severity",
    "SpecError",
    "TargetError",
    "iban_valid",
    "is_secret_name",
    "luhn_valid",
    "redact_headers",
    "redact_mapping",
    "redact_text",
    "redact_url",
    "spawn",
    "token_fingerprint",
]
