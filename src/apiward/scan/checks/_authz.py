"""Helpers for the authorisation checks: fresh resources owned by an identity, read-back, owner markers."""

from __future__ import annotations

from typing import Any

from apiward.scan._auth import Auth
from apiward.scan._context import Resource, Sample, ScanContext
from apiward.scan._jwt import Jwt
from apiward.scan._plan import collection_of, is_item_path
from apiward.scan._request import Exchange, RequestSpec

__all__ = ["fresh_resource", "item_reader", "owner_markers", "with_id"]


def with_id(spec: RequestSpec, rid: str, old: str | None = None) -> RequestSpec:
    """``spec`` aimed at resource ``rid``: replaces ``old`` (or the last path segment)."""
    segments = spec.path.rstrip("/").split("/")
    if old is not None and old in segments:
        segments[len(segments) - 1 - segments[::-1].index(old)] = rid
    else:
        segments[-1] = rid
    return spec.replace(path="/".join(segments))


async def fresh_resource(ctx: ScanContext, collection: str, owner: Auth | None) -> Resource | None:
    """Create a new resource in ``collection`` as ``owner`` by replaying the request that created one before."""
    template = next((r for r in ctx.store.resources if r.collection == collection), None)
    if template is None:
        return None
    spec = ctx.uniquify(template.spec)
    ex = await ctx.send(spec, owner)
    if not ex.ok:
        return None
    return ctx.add_resource(template.creator, spec, ex, owner)


def item_reader(ctx: ScanContext, collection: str) -> Sample | None:
    """A successful baseline GET of one item of ``collection`` (``GET /orders/{id}``)."""
    for sample in ctx.samples.values():
        if sample.op.method == "GET" and is_item_path(sample.op.path) and collection_of(sample.op.path) == collection:
            return sample
    return None


async def read_back(ctx: ScanContext, collection: str, rid: str, auth: Auth | None) -> Exchange | None:
    reader = item_reader(ctx, collection)
    if reader is None:
        return None
    return await ctx.send(with_id(reader.spec, rid), auth)


def owner_markers(ctx: ScanContext, auth: Auth | None) -> set[str]:
    """Strings that identify ``auth``'s own data: login username, email, token subject."""
    if auth is None:
        return set()
    found: set[str] = set()
    body: Any = auth.config.get("body") or auth.config.get("form") or {}
    if isinstance(body, dict):
        for key in ("username", "user", "email", "login", "name"):
            if isinstance(body.get(key), str):
                found.add(body[key])
    for key in ("username",):
        if auth.config.get(key):
            found.add(str(auth.config.get(key)))
    token = Jwt.parse(auth.token)
    if token is not None:
        for claim in ("sub", "email", "preferred_username", "username"):
            if isinstance(token.claims.get(claim), str | int):
                found.add(str(token.claims[claim]))
    return {m for m in found if len(m) >= 3}
