"""Rewriting a (frozen) :class:`HttpResponse`: new body, headers added or removed, Content-Length kept true."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import orjson

from apiward.core import HttpResponse

__all__ = ["problem_body", "rewrite"]


def rewrite(
    response: HttpResponse,
    *,
    body: bytes | None = None,
    set_headers: Mapping[str, str] | None = None,
    add_headers: Iterable[tuple[str, str]] = (),
    remove: Iterable[str] = (),
) -> HttpResponse:
    """A copy of ``response``; ``set_headers`` replace same-named headers, ``remove`` drops names."""
    drop = {n.lower() for n in remove} | {n.lower() for n in (set_headers or {})}
    if body is not None:
        drop.add("content-length")
    headers = [(k, v) for k, v in response.headers if k.lower() not in drop]
    headers.extend((set_headers or {}).items())
    headers.extend(add_headers)
    if body is not None and any(k.lower() == "content-length" for k, _ in response.headers):
        headers.append(("Content-Length", str(len(body))))
    return dataclasses.replace(response, headers=tuple(headers), body=response.body if body is None else body)


def problem_body(status: int, title: str, detail: str | None = None) -> bytes:
    doc: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        doc["detail"] = detail
    return orjson.dumps(doc)
