"""Placing a payload in a request, in the CRS-regression JSONL row format.

A :class:`Payload` is one attack string with its family and provenance. :func:`place` puts it where API traffic
carries values: a query parameter, a JSON field (top level or nested in objects and arrays), a form field, a header
(``User-Agent``, ``Referer``, ``X-Forwarded-For``) or, for a whole XML document, the body. Payloads a tool writes
already URL-encoded (``%0d%0a``, ``%2e%2e``) are meant for the URL and go raw into the query string, a form body or
``Referer``; a payload with control characters never goes into a header.
"""

from __future__ import annotations

import base64
import json
import random
import urllib.parse
from dataclasses import dataclass
from typing import Any

__all__ = ["PLACES", "Payload", "choices", "place"]

PLACES = ("query", "json", "json-nested", "form", "header")
_HEADERS = ("User-Agent", "Referer", "X-Forwarded-For")
_PARAMS = ("id", "q", "name", "search", "file", "url", "page", "user", "cmd", "host", "redirect", "template", "filter")
_BASE = {"Host": "api.example.com", "Accept": "application/json"}


@dataclass(frozen=True, slots=True)
class Payload:
    text: str
    family: str  # the row's category
    source: str  # tool and list it came from
    encoded: bool = False  # written by the tool already URL-encoded, for the URL


def _b64(data: str) -> str:
    return base64.b64encode(data.encode("utf-8", "surrogatepass")).decode("ascii")


def _nested(param: str, text: str, rng: random.Random) -> dict[str, Any]:
    shape = rng.randrange(3)
    if shape == 0:
        return {"data": {"attributes": {param: text, "locale": "en"}}, "meta": {"v": 2}}
    if shape == 1:
        return {"items": [{"sku": "A-1", "qty": 1}, {"sku": "B-2", param: text}], "currency": "EUR"}
    return {"filter": {"and": [{"field": param, "value": text}]}, "limit": 20}


def _has_controls(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def choices(p: Payload) -> list[str]:
    if p.text.lstrip().startswith(("<?xml", "<!DOCTYPE", "<!ENTITY")):
        return ["xml", "json", "form"]
    if p.encoded:
        return ["query", "form", "header"]
    return [pl for pl in PLACES if pl != "header" or not _has_controls(p.text)]


def place(p: Payload, row_id: str, rng: random.Random, where: str | None = None) -> dict[str, Any]:
    """One corpus row carrying ``p`` at ``where`` (a :func:`choices` place; chosen at random when ``None``)."""
    where = where or rng.choice(choices(p))
    param = rng.choice(_PARAMS)
    headers = dict(_BASE)
    method, uri, body = "GET", f"/api/v1/{rng.choice(('items', 'users', 'search', 'reports', 'files'))}", ""
    value = p.text if p.encoded else urllib.parse.quote(p.text, safe="")
    if where == "query":
        uri += f"?page=1&{param}={value}"
    elif where in ("json", "json-nested"):
        method = "POST"
        headers["Content-Type"] = "application/json"
        doc = {param: p.text, "lang": "en"} if where == "json" else _nested(param, p.text, rng)
        body = json.dumps(doc, ensure_ascii=rng.random() < 0.5)
    elif where == "form":
        method = "POST"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = f"csrf=8f14e45f&{param}={value}"
    elif where == "xml":
        method = "POST"
        headers["Content-Type"] = "application/xml"
        body = p.text
    else:
        name = "Referer" if p.encoded else rng.choice(_HEADERS)
        if name == "Referer" and not p.encoded:
            headers[name] = f"https://shop.example.com/cart?{param}={p.text}" if rng.random() < 0.5 else p.text
        else:
            headers[name] = p.text
        where = f"header {name}"
    return {
        "id": row_id,
        "source": p.source,
        "category": p.family,
        "label": "attack",
        "desc": f"{p.source}, in {where}",
        "request": {"method": method, "uri": uri, "headers": headers, "body_b64": _b64(body)},
    }
