"""Names that mark sensitive data (secrets, personal data) and privileged fields (roles, admin flags).

Names are compared in normalised form (lower case, letters and digits only), so ``is_admin``,
``isAdmin`` and ``Is-Admin`` are the same name.
"""

from __future__ import annotations

from apiward.audit._schema import norm

__all__ = ["is_error_detail", "is_personal", "is_privileged", "is_secret", "is_token"]

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
_ERROR_DETAIL_NAMES = frozenset({"stack", "stacktrace", "trace", "traceback", "exception", "backtrace", "sql"})


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
