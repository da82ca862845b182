"""``application/problem+json`` answers (RFC 9457) for every error the gateway produces itself.

Bodies carry a status, a fixed title and, at most, a short detail written by apiward — never an
exception message, stack trace, upstream body or internal name.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus

import orjson

__all__ = ["PROBLEM_TYPE", "problem_body", "reason_phrase"]

PROBLEM_TYPE = "application/problem+json"


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def problem_body(
    status: int, title: str | None = None, *, detail: str | None = None, extra: Mapping[str, object] | None = None
) -> bytes:
    """The JSON body of a problem answer."""
    doc: dict[str, object] = {"type": "about:blank", "title": title or reason_phrase(status), "status": status}
    if detail:
        doc["detail"] = detail
    if extra:
        doc.update(extra)
    return orjson.dumps(doc)
