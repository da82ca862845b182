"""Planning: which operations create, read, change or delete what; in which order to run them; which are unsafe.

Producer → consumer relations are inferred from paths (``POST /orders`` produces the ``{id}`` of
``/orders/{id}``; ``orderId`` names the ``/orders`` collection) and taken from OpenAPI links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from apiward.spec import ApiOperation

__all__ = [
    "collection_of",
    "id_from_body",
    "is_id_name",
    "norm",
    "phase_of",
    "plan",
    "self_sensitive",
    "singular",
]

_PARAM = re.compile(r"^\{[^}]+\}$")
_SELF_WORDS = re.compile(
    r"(?i)(password|passwd|credential|role|permission|privilege|logout|log-out|signout|sign-out|deactivat|disable|"
    r"suspend|lock|mfa|2fa|totp|revoke)"
)
_SELF_PATHS = re.compile(r"(?i)/(me|self|account|profile|current[-_]?user)(/|$)")
_USERISH = re.compile(r"(?i)/(users?|accounts?|members?|customers?)(/\{[^}]+\})?$")


def norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_id_name(name: str) -> bool:
    if norm(name) in ("id", "uuid", "key", "slug"):
        return True
    return len(name) > 2 and (name.endswith(("Id", "ID", "Uuid")) or name.lower().endswith(("_id", "-id", "_uuid")))


def collection_of(path: str) -> str:
    """``/users/{uid}/orders/{id}`` → ``/users/{uid}/orders``; ``/orders`` → ``/orders``."""
    segments = path.rstrip("/").split("/")
    while segments and _PARAM.match(segments[-1]):
        segments.pop()
    return "/".join(segments) or "/"


def is_item_path(path: str) -> bool:
    return bool(_PARAM.match(path.rstrip("/").rsplit("/", 1)[-1]))


def phase_of(op: ApiOperation) -> int:
    """0 create, 1 read, 2 change/act, 3 delete."""
    if op.method == "POST" and not is_item_path(op.path):
        return 0
    if op.method in ("GET", "HEAD", "OPTIONS"):
        return 1
    if op.method == "DELETE":
        return 3
    return 2


def plan(operations: Iterable[ApiOperation]) -> list[list[ApiOperation]]:
    """Operations in waves: each wave may run concurrently; waves run in order (creators of parents first)."""
    waves: dict[tuple[int, int], list[ApiOperation]] = {}
    for op in operations:
        depth = op.path.count("{")
        waves.setdefault((phase_of(op), depth), []).append(op)
    return [sorted(waves[key], key=lambda o: o.path) for key in sorted(waves)]


def self_sensitive(op: ApiOperation) -> str | None:
    """Why running ``op`` as a scanning identity could lock it out (password/role/state change), or ``None``."""
    if op.method in ("GET", "HEAD", "OPTIONS"):
        return None
    text = " ".join(filter(None, (op.path, op.operation_id or "", op.summary or "")))
    if _SELF_WORDS.search(text):
        return f"{op.method} {op.path} may change an identity's password, role or session"
    if _SELF_PATHS.search(op.path) and op.method in ("PUT", "PATCH", "DELETE", "POST"):
        return f"{op.method} {op.path} changes the calling account itself"
    if op.method == "DELETE" and _USERISH.search(op.path):
        return f"{op.method} {op.path} deletes an account"
    if op.request_body is not None and op.method in ("PUT", "PATCH") and _USERISH.search(op.path):
        for media in op.request_body.content.values():
            props = (media.schema or {}).get("properties", {})
            if any(_SELF_WORDS.search(str(p)) for p in props):
                return f"{op.method} {op.path} can change an account's password or role"
    return None


def id_from_body(data: Any, collection: str) -> str | None:
    """The id of a created resource in a response body (``id``, ``<thing>_id``, ``<thing>Id``, ``uuid``)."""
    if isinstance(data, Mapping):
        thing = singular(collection.rstrip("/").rsplit("/", 1)[-1])
        for key in ("id", f"{thing}_id", f"{thing}Id", "uuid", "key", "slug"):
            value = data.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
        for wrapper in ("data", "item", "result", thing):
            if isinstance(data.get(wrapper), Mapping):
                return id_from_body(data[wrapper], collection)
    return None
