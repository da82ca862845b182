"""Sensitive-data classification of request and response content.

Each class has a pattern and, where the data carries one, a validity check that cuts false positives:
card numbers pass Luhn, IBANs pass ISO 13616 mod-97, US SSNs avoid the never-issued ranges. Values are
never kept — only the class and where it was seen (a JSON pointer, ``query:name`` or ``header:name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from apiward.core import iban_valid, is_secret_name, luhn_valid

__all__ = ["CLASSES", "DataClass", "Hit", "category_of", "classify_text", "classify_value"]


def _card(match: str) -> bool:
    """13-19 digits passing the Luhn check."""
    digits = re.sub(r"[ -]", "", match)
    return 13 <= len(digits) <= 19 and luhn_valid(digits) and len(set(digits)) > 1


def _ssn(match: str) -> bool:
    """Not in the never-issued ranges (area 000, 666, 9xx; group 00; serial 0000)."""
    area, group, serial = match.split("-")
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def _phone(match: str) -> bool:
    """International (+CC) or (area) form, 8-15 digits."""
    digits = re.sub(r"\D", "", match)
    return 8 <= len(digits) <= 15 and len(set(digits)) > 2


@dataclass(frozen=True, slots=True)
class DataClass:
    name: str
    category: str  # pii | financial | credential
    pattern: re.Pattern[str]
    valid: Callable[[str], bool] | None = None


CLASSES: tuple[DataClass, ...] = (
    DataClass("email", "pii", re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b")),
    DataClass(
        "phone",
        "pii",
        # international (+CC) or (area) forms only: bare digit groups are too often amounts and ids
        re.compile(
            r"(?<![\w.+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}|\(\d{2,4}\))"
            r"[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\w.])"
        ),
        _phone,
    ),
    DataClass("card_number", "financial", re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"), _card),
    DataClass(
        "iban",
        "financial",
        re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"),
        iban_valid,
    ),
    DataClass("us_ssn", "pii", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), _ssn),
    DataClass("uk_nino", "pii", re.compile(r"\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]\b")),
    DataClass("jwt", "credential", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")),
    DataClass(
        "api_key",
        "credential",
        re.compile(
            r"\b(?:AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}"
            r"|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
            r"|glpat-[A-Za-z0-9_-]{20,})\b"
        ),
    ),
    DataClass("private_key", "credential", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
)
_BY_NAME = {c.name: c for c in CLASSES}
#: Field names that say what a value is, for values too plain to recognise by shape (a local phone number).
_KEY_HINTS = (
    (
        re.compile(r"(?i)^(?:phone|mobile|tel|telephone|msisdn|phone_?number|mobile_?number)$"),
        "phone",
        re.compile(r"\d{6,}"),
    ),
    (
        re.compile(r"(?i)^(?:ssn|social_?security(?:_?number)?|national_?id|nino|tax_?id)$"),
        "national_id",
        re.compile(r"\w{6,}"),
    ),
)


@dataclass(frozen=True, slots=True)
class Hit:
    data_class: str
    where: str  # JSON pointer, query:name, header:name


def classify_text(text: str, where: str = "") -> Iterator[Hit]:
    """Every class found in ``text`` (each class at most once per text)."""
    if len(text) < 6:
        return
    for cls in CLASSES:
        for m in cls.pattern.finditer(text):
            if cls.valid is None or cls.valid(m.group(0)):
                yield Hit(cls.name, where)
                break


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def classify_value(value: Any, where: str = "", *, _depth: int = 0) -> Iterator[Hit]:
    """Walk JSON-like data; strings are classified, and a long value under a secret-looking key is a secret."""
    if _depth > 32:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            pointer = f"{where}/{_escape(str(key))}"
            if isinstance(item, str) and is_secret_name(str(key)) and len(item) >= 12 and " " not in item:
                yield Hit("secret", pointer)
                continue
            if isinstance(item, str | int) and not isinstance(item, bool):
                text = re.sub(r"[ ().+-]", "", str(item))
                hinted = [
                    name for key_re, name, value_re in _KEY_HINTS if key_re.match(str(key)) and value_re.search(text)
                ]
                if hinted:
                    by_shape = list(classify_text(str(item), pointer))
                    yield from by_shape or [Hit(hinted[0], pointer)]
                    continue
            yield from classify_value(item, pointer, _depth=_depth + 1)
    elif isinstance(value, list):
        for item in value[:200]:
            # one pointer per array: /items/*/email, so a list of 500 users is one finding
            yield from classify_value(item, f"{where}/*", _depth=_depth + 1)
    elif isinstance(value, str):
        yield from classify_text(value, where or "/")
    elif isinstance(value, int) and not isinstance(value, bool) and 13 <= len(str(abs(value))) <= 19:
        yield from classify_text(str(value), where or "/")


def category_of(name: str) -> str:
    return _BY_NAME[name].category if name in _BY_NAME else "credential"
