"""Names that mark sensitive data (secrets, personal data) and privileged fields (roles, admin flags).

Names are compared in normalised form (lower case, letters and digits only), so ``is_admin``,
``isAdmin`` and ``Is-Admin`` are the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.audit._schema import norm

__all__ = ["holds_value", "is_error_detail", "is_personal", "is_privileged", "is_secret", "is_token"]

#: Substrings that make a name a secret wherever they appear.
_SECRET_PARTS = ("password", "passwd", "secret", "apikey", "privatekey", "clientsecret", "passphrase")
#: Whole names that are secrets.
_SECRET_NAMES = frozenset({"pwd", "pin", "cvv", "cvc", "cvv2", "otp", "mfacode", "totp", "pass"})
_TOKEN_PARTS = ("token", "jwt")
_PERSONAL_PARTS = ("socialsecurity", "creditcard", "cardnumber", "cardno", "iban", "passportnumber")
_PERSONAL_NAMES = frozenset({"card", "pan", "taxid", "nationalid", "dob", "dateofbirth"})
_PRIVILEGED_NAMES = frozenset(
    {
        "isadmin",
        "admin",
        "issuperuser",
        "superuser",
        "isstaff",
        "role",
        "roles",
        "permission",
        "permissions",
        "privilege",
        "privileges",
        "accesslevel",
        "usertype",
        "isverified",
        "verified",
        "scopes",
        "groups",
        "isowner",
    }
)
_ERROR_DETAIL_NAMES = frozenset({"stacktrace", "traceback", "backtrace", "exception", "exceptiondetails", "debuginfo"})
#: Suffixes of names *about* a secret rather than holding one (``secret_type``, ``card_last4``, ``hide_secret``).
_METADATA_SUFFIXES = (
    "type", "types", "last4", "method", "methods", "status", "count", "at", "enabled", "scanning", "url", "id", "ids",
    "hint", "policy", "length", "expiry", "expiresat", "expiresin", "set", "required", "provided", "name", "link",
)  # fmt: skip
_METADATA_PREFIXES = ("hide", "exclude", "include", "has", "is", "send", "allow", "require")


def holds_value(name: str, schema: Mapping[str, Any]) -> bool:
    """True when ``name`` with ``schema`` can carry the secret itself: a string (or untyped) value without an
    ``enum``, whose name is not about the secret (``secret_type``, ``hide_password``, ``card_last4``)."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared) if isinstance(declared, list) else set()
    if (types and "string" not in types) or "enum" in schema or "const" in schema:
        return False
    if {"properties", "items", "anyOf", "oneOf", "allOf"} & set(schema) and not types:
        return False  # an object, an array or a composition: the secret would be inside, checked there
    n = norm(name)
    return not (n.endswith(_METADATA_SUFFIXES) or n.startswith(_METADATA_PREFIXES))


def is_secret(name: str) -> bool:
    n = norm(name)
    return n in _SECRET_NAMES or any(part in n for part in _SECRET_PARTS) or is_personal(name)


def is_token(name: str) -> bool:
    n = norm(name)
    return any(part in n for part in _TOKEN_PARTS)


def is_personal(name: str) -> bool:
    n = norm(name)
    # "ssn" only as a whole name or suffix ("customerSsn"): as a substring it matches "className".
    return n in _PERSONAL_NAMES or n.endswith("ssn") or any(part in n for part in _PERSONAL_PARTS)


def is_privileged(name: str) -> bool:
    return norm(name) in _PRIVILEGED_NAMES


def is_error_detail(name: str) -> bool:
    return norm(name) in _ERROR_DETAIL_NAMES
