"""Code detectors: rules whose ``detector`` names one of these instead of (only) a pattern.

- ``sqli.quoted`` / ``sqli.asis``: the rule's pattern is a regex over the SQL fingerprint (see ``_sqli``) in the
  quote-break contexts or the as-is (numeric) context.
- ``sqli.tautology``: a comparison of two literals that always holds (the pattern is unused).
- ``base64-of``: the rule's pattern is a ``|``-separated list of words; it becomes a regex matching the base64
  encoding of any of them at any of the three byte alignments (so a gadget class name hidden inside a base64 blob
  is seen without decoding the blob).
- ``anomaly``: the rule's pattern is an anomaly id reported by extraction (``json-invalid``, ``header-crlf``…).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

from apiward.detect._sqli import fingerprints, tautology

__all__ = ["DETECTORS", "base64_regex", "sqli_detector"]


def _b64_forms(word: bytes) -> list[str]:
    """The stable base64 characters of ``word`` at byte offsets 0, 1 and 2 (edge characters depend on neighbours)."""
    forms = []
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + word).decode("ascii").rstrip("=")
        start = {0: 0, 1: 2, 2: 3}[shift]
        tail = (shift + len(word)) % 3
        end = len(encoded) - (1 if tail else 0)
        forms.append(encoded[start:end])
    return forms


def base64_regex(words: str) -> str:
    parts: list[str] = []
    for word in words.split("|"):
        word = word.strip()
        if word:
            parts.extend(re.escape(f) for f in _b64_forms(word.encode()) if len(f) >= 8)
    return "(?-i:" + "|".join(sorted(set(parts))) + ")"


def sqli_detector(contexts: tuple[str, ...]) -> Callable[[re.Pattern[str], str], str | None]:
    def detect(shape: re.Pattern[str], text: str) -> str | None:
        for fp in fingerprints(text):
            if fp.context in contexts and shape.search(fp.shape):
                return f"[{fp.context} {fp.shape}] " + " ".join(fp.tokens)[:100]
        return None

    return detect


DETECTORS: dict[str, Callable[[re.Pattern[str], str], str | None]] = {
    "sqli.quoted": sqli_detector(("quote-single", "quote-double")),
    "sqli.asis": sqli_detector(("as-is",)),
    "sqli.tautology": lambda _shape, text: tautology(text),
}
