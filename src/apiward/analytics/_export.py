"""An inventory written as an OpenAPI 3.1 description (to review, to diff against the official one, to scan)."""

from __future__ import annotations

import re
from typing import Any

from apiward._version import __version__
from apiward.analytics._classify import category_of
from apiward.analytics._inventory import Endpoint, Inventory

__all__ = ["to_openapi"]

_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "basic": {"type": "http", "scheme": "basic"},
    "digest": {"type": "http", "scheme": "digest"},
    "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
}


def _scheme_name(scheme: str) -> tuple[str, dict[str, Any]]:
    if scheme.startswith("apikey:"):
        header = scheme.split(":", 1)[1]
        return "apiKey_" + re.sub(r"\W", "_", header), {"type": "apiKey", "in": "header", "name": header}
    return scheme + "Auth", _SCHEMES.get(scheme, _SCHEMES["bearer"])


def _operation_id(ep: Endpoint, used: set[str]) -> str:
    base = ep.operation_id or re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9]+", "_", f"{ep.method.lower()}_{ep.path}")).strip(
        "_"
    )
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def _responses(ep: Endpoint) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for status, contents in sorted(ep.responses.items()):
        key = status if re.fullmatch(r"[1-5]\d\d", status) else "default"
        seen = ep.statuses.get(int(status), 0) if status.isdigit() else 0
        entry: dict[str, Any] = {"description": f"Observed {seen} time(s)"}
        if contents:
            entry["content"] = {
                media: {"schema": schema} if schema else {} for media, schema in sorted(contents.items())
            }
        out[key] = entry
    return out or {"default": {"description": "No response observed"}}


def to_openapi(inventory: Inventory, *, title: str = "Inferred API", server: str | None = None) -> dict[str, Any]:
    """OpenAPI 3.1 with ``x-apiward`` extensions (hits, auth coverage, sensitive data, status vs the description)."""
    paths: dict[str, dict[str, Any]] = {}
    schemes: dict[str, dict[str, Any]] = {}
    used: set[str] = set()
    for ep in inventory.endpoints:
        op: dict[str, Any] = {
            "operationId": _operation_id(ep, used),
            "summary": f"{ep.method} {ep.path} (seen {ep.hits} time(s))",
        }
        if ep.status == "zombie":
            op["deprecated"] = True
        params = [
            {"name": p.name, "in": p.location, "required": p.required or p.location == "path", "schema": p.schema}
            for p in ep.parameters
        ]
        if params:
            op["parameters"] = params
        if ep.request_body:
            op["requestBody"] = {
                "required": True,
                "content": {media: {"schema": schema} for media, schema in sorted(ep.request_body.items())},
            }
        op["responses"] = _responses(ep)
        if ep.auth_schemes:
            requirements: list[dict[str, list[str]]] = []
            for scheme, _ in ep.auth_schemes.most_common():
                name, definition = _scheme_name(scheme)
                schemes[name] = definition
                requirements.append({name: []})
            if ep.unauthenticated:
                requirements.append({})  # seen without credentials too
            op["security"] = requirements
        else:
            op["security"] = []
        op["x-apiward"] = {
            "status": ep.status,
            "hits": ep.hits,
            "auth": ep.auth,
            "anonymous_success": ep.anonymous_success,
            "clients": len(ep.clients),
            "sensitive_data": {k: category_of(k) for k in sorted(ep.sensitive)},
            "notes": ep.notes,
        }
        paths.setdefault(ep.path, {})[ep.method.lower()] = op
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": "0.0.0-inferred",
            "description": f"Inferred by apiward {__version__} from {inventory.observations} observed request(s).",
        },
        "paths": dict(sorted(paths.items())),
    }
    if server:
        doc["servers"] = [{"url": server}]
    if schemes:
        doc["components"] = {"securitySchemes": dict(sorted(schemes.items()))}
    return doc
