"""Sensitive-data detectors and maskers for response bodies (value shapes and key names).

Card numbers are only masked when the digits pass the Luhn check (so order ids and phone numbers
of the same length survive); the last four digits stay, as PCI DSS allows for display.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import re2

from apiward.core import luhn_valid

__all__ = ["KINDS", "Masker"]

_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])([A-Za-z0-9._%+-]*)(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
_SSN = re.compile(r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b")
_PASSWORD_HASH = re.compile(
    r"\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?|[156])\$[./A-Za-z0-9$=,+-]{8,}|\{S?SHA\d*\}[A-Za-z0-9+/=]{20,}"
)
_SECRET = re.compile(
    r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z]+ )?PRIVATE KEY-----"
    r"|\bAKIA[0-9A-Z]{16}\b"
    r"|\bgh[pousr]_[A-Za-z0-9]{36,}\b"
    r"|\bxox[abprs]-[A-Za-z0-9-]{10,}\b"
    r"|\bsk_live_[A-Za-z0-9]{16,}\b"
    r"|\bAIza[0-9A-Za-z_-]{35}\b"
)


def _mask_card(m: re.Match[str]) -> str:
    text = m.group(0)
    digits = [c for c in text if c.isdigit()]
    if not 13 <= len(digits) <= 19 or not luhn_valid("".join(digits)):
        return text
    keep = len(digits) - 4
    out, seen = [], 0
    for c in text:
        if c.isdigit():
            out.append("*" if seen < keep else c)
            seen += 1
        else:
            out.append(c)
    return "".join(out)


def _mask_email(m: re.Match[str]) -> str:
    return f"{m.group(1)}***{m.group(3)}"


_REDACTED = "[REDACTED]"

#: kind -> (pattern, replacement). Explicit and ordered.
KINDS: dict[str, tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = {
    "card": (_CARD, _mask_card),
    "secret": (_SECRET, lambda _m: _REDACTED),
    "password_hash": (_PASSWORD_HASH, lambda _m: _REDACTED),
    "email": (_EMAIL, _mask_email),
    "ssn": (_SSN, lambda m: "***-**-" + m.group(0)[-4:]),
}

#: kind -> a looser, lookaround-free pattern for the RE2 screen (a superset of what the kind matches).
_SCREENS: dict[str, str] = {
    "card": r"(?:\d[ -]?){12,18}\d",
    "secret": r"PRIVATE KEY-----|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36}|xox[abprs]-[A-Za-z0-9-]{10}"
    r"|sk_live_[A-Za-z0-9]{16}|AIza[0-9A-Za-z_-]{35}",
    "password_hash": r"\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?|[156])\$[./A-Za-z0-9$=,+-]{8}"
    r"|\{S?SHA\d*\}[A-Za-z0-9+/=]{20}",
    "email": r"[A-Za-z0-9._%+-]@[A-Za-z0-9.-]+\.[A-Za-z]{2}",
    "ssn": r"\d{3}-\d{2}-\d{4}",
}


@dataclass(frozen=True, slots=True)
class Masker:
    kinds: tuple[str, ...]
    keys: frozenset[str]  # lower-cased JSON keys whose values are always redacted
    _screen: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # One linear-time RE2 pass over the whole body decides whether any detector or key can apply;
        # most responses hold nothing sensitive and are then never parsed (the stdlib engine tries every
        # alternative at every position and costs ~20x more here). JSON \\u-escaped digits would slip past
        # the screen: masking guards against accidental leaks by a trusted upstream, not a hostile one.
        parts = [_SCREENS[k] for k in self.kinds]
        if self.keys:
            parts.append('(?i:"(?:' + "|".join(re.escape(k) for k in sorted(self.keys)) + ')")')
        object.__setattr__(self, "_screen", re2.compile("|".join(f"(?:{p})" for p in parts) or "a^"))

    def may_apply(self, text: str) -> bool:
        return self._screen.search(text) is not None

    def text(self, value: str, hits: set[str]) -> str:
        for kind in self.kinds:
            pattern, replace = KINDS[kind]
            if pattern.search(value):
                new = pattern.sub(replace, value)
                if new != value:
                    hits.add(kind)
                    value = new
        return value

    def json(self, value: object, hits: set[str]) -> object:
        """A masked copy of a parsed JSON value (iterative: no recursion limit on deep documents)."""
        root: list[object] = [value]
        stack: list[tuple[list[object] | dict[str, object], int | str]] = [(root, 0)]
        while stack:
            container, key = stack.pop()
            node = container[key]  # type: ignore[index]
            if isinstance(node, str):
                new = self.text(node, hits)
                if new is not node:
                    container[key] = new  # type: ignore[index]
            elif isinstance(node, dict):
                copy = dict(node)
                container[key] = copy  # type: ignore[index]
                for k, v in copy.items():
                    if k.lower() in self.keys and v not in (None, ""):
                        copy[k] = _REDACTED
                        hits.add("key")
                    elif isinstance(v, str | dict | list):
                        stack.append((copy, k))
            elif isinstance(node, list):
                items = list(node)
                container[key] = items  # type: ignore[index]
                stack.extend((items, i) for i, v in enumerate(items) if isinstance(v, str | dict | list))
        return root[0]
