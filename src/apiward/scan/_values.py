"""Small value helpers for request building: media choice, text rendering, templates, links, fresh values."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from apiward.scan._auth import json_pointer
from apiward.scan._request import Exchange, RequestSpec

__all__ = ["as_text", "fill_template", "link_value", "pick_media", "uniquify", "with_callback_urls"]

_IDENTITY_FIELDS = frozenset({"username", "user", "login", "name", "title", "slug", "handle", "display_name"})


def pick_media(content: Mapping[str, Any]) -> tuple[str, Any]:
    for mt, media in content.items():
        if "json" in mt:
            return mt, media
    mt = next(iter(content))
    return mt, content[mt]


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(as_text(v) for v in value)
    return "" if value is None else str(value)


def fill_template(value: Any, name: str, password: str) -> Any:
    if isinstance(value, str):
        return value.replace("{name}", name).replace("{password}", password)
    if isinstance(value, Mapping):
        return {k: fill_template(v, name, password) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_template(v, name, password) for v in value]
    return value


def link_value(expr: Any, ex: Exchange) -> str | None:
    if not isinstance(expr, str):
        return None
    if expr.startswith("$response.body#"):
        found = json_pointer(ex.data, expr.split("#", 1)[1])
        return None if found is None or isinstance(found, dict | list) else str(found)
    if expr.startswith("$response.header."):
        return ex.header(expr.split(".", 2)[2])
    return None


def uniquify(spec: RequestSpec) -> RequestSpec:
    """``spec`` with fresh values in identity-like body fields (username, email, name, title)."""
    if not isinstance(spec.json, dict):
        return spec
    tag = secrets.token_hex(4)
    body = dict(spec.json)
    for key, value in body.items():
        if not isinstance(value, str):
            continue
        lowered = key.lower()
        if "email" in lowered and "@" in value:
            body[key] = f"aw{tag}@{value.split('@', 1)[1]}"
        elif lowered in _IDENTITY_FIELDS:
            body[key] = f"aw{tag}{value[:12]}".replace("-", "")
    return spec.replace(json=body)


def with_callback_urls(spec: RequestSpec, url: str) -> RequestSpec | None:
    """``spec`` with its URL-valued body fields set to ``url``, or ``None`` when it has none."""
    if not isinstance(spec.json, dict):
        return None
    body = {k: url if isinstance(v, str) and v.startswith(("http://", "https://")) else v for k, v in spec.json.items()}
    return spec.replace(json=body) if body != spec.json else None
