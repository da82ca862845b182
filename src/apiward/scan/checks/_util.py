"""Helpers shared by checks: injection points, body comparison, response walking, operation selection."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import quote

from apiward.scan._context import Sample, ScanContext
from apiward.scan._request import Exchange, RequestSpec
from apiward.spec import ApiOperation, ParamLocation

__all__ = [
    "Point",
    "injection_points",
    "leaves",
    "response_schema",
    "same_content",
    "similarity",
]


@dataclass(frozen=True, slots=True)
class Point:
    """One place a value can be injected: ``where`` is path/query/header/cookie/body; ``name`` the key."""

    where: str
    name: str
    original: str

    @property
    def label(self) -> str:
        return f"{self.where}:{self.name}"

    def inject(self, sample: Sample, value: Any) -> RequestSpec:
        spec = sample.spec
        if self.where == "query":
            return spec.with_query(self.name, str(value))
        if self.where == "header":
            return spec.with_header(self.name, str(value))
        if self.where == "cookie":
            return spec.with_cookie(self.name, str(value))
        if self.where == "path":
            template = sample.op.path.strip("/").split("/")
            concrete = spec.path.strip("/").split("/")
            if len(template) == len(concrete):
                idx = template.index("{" + self.name + "}")
                concrete[idx] = quote(str(value), safe="")
            return spec.replace(path="/" + "/".join(concrete))
        if isinstance(spec.json, dict):
            return spec.replace(json={**spec.json, self.name: value})
        if spec.form is not None:
            return spec.replace(form=tuple((k, str(value) if k == self.name else v) for k, v in spec.form))
        return spec


def injection_points(sample: Sample, *, strings_only: bool = True) -> Iterator[Point]:
    """String-like parameters and top-level body fields of a sample request."""
    op, spec = sample.op, sample.spec
    template = op.path.strip("/").split("/")
    concrete = spec.path.strip("/").split("/")
    for p in op.parameters:
        kind = p.schema.get("type") if isinstance(p.schema, Mapping) else None
        if strings_only and kind not in (None, "string"):
            continue
        if p.location is ParamLocation.PATH and len(template) == len(concrete):
            seg = "{" + p.name + "}"
            if seg in template:
                yield Point("path", p.name, concrete[template.index(seg)])
        elif p.location is ParamLocation.QUERY:
            current = dict(spec.query).get(p.name)
            if current is None:  # optional parameters are attack surface too
                example = p.examples[0] if p.examples else (p.schema or {}).get("example", "apiward")
                current = str(example)
            yield Point("query", p.name, current)
        elif p.location is ParamLocation.HEADER:
            current = dict(spec.headers).get(p.name)
            if current is not None:
                yield Point("header", p.name, current)
        elif p.location is ParamLocation.COOKIE:
            current = dict(spec.cookies).get(p.name)
            if current is not None:
                yield Point("cookie", p.name, current)
    body: Mapping[str, Any] = spec.json if isinstance(spec.json, dict) else dict(spec.form or ())
    for key, value in body.items():
        if isinstance(value, str) or (not strings_only and isinstance(value, int | float)):
            yield Point("body", key, str(value))


def similarity(a: bytes, b: bytes) -> float:
    if a == b:
        return 1.0
    return SequenceMatcher(None, a[:4000], b[:4000], autojunk=False).ratio()


def same_content(a: Exchange, b: Exchange) -> bool:
    """The two responses carry the same data (JSON equal, or bodies ≥ 95 % similar)."""
    if a.data is not None and b.data is not None:
        return bool(a.data == b.data)
    return similarity(a.body, b.body) >= 0.95


def leaves(data: Any, prefix: str = "", depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """``(json_pointer, key, value)`` for every scalar in a JSON document (bounded depth)."""
    if depth > 8:
        return
    if isinstance(data, Mapping):
        for k, v in data.items():
            yield from (
                leaves(v, f"{prefix}/{k}", depth + 1)
                if isinstance(v, Mapping | list)
                else iter([(f"{prefix}/{k}", str(k), v)])
            )
    elif isinstance(data, list):
        for i, v in enumerate(data[:50]):
            if isinstance(v, Mapping | list):
                yield from leaves(v, f"{prefix}/{i}", depth + 1)


def response_schema(op: ApiOperation, status: int) -> Mapping[str, Any] | None:
    """The JSON schema declared for ``status`` (exact, ``NXX`` or ``default``)."""
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        resp = op.responses.get(key)
        if resp is None:
            continue
        for mt, media in resp.content.items():
            if "json" in mt and media.schema is not None:
                return media.schema
        return None
    return None


def samples_of(ctx: ScanContext, *methods: str) -> list[Sample]:
    return [s for s in ctx.samples.values() if not methods or s.op.method in methods]


ADMIN_HINT = re.compile(
    r"(?i)(^|[/_.\-\s])(admin|administrator|internal|manage|management|staff|superuser|ops)([/_.\-\s]|$)"
)


def looks_admin(op: ApiOperation) -> bool:
    if any(ADMIN_HINT.search(f" {t} ") for t in op.tags):
        return True
    text = " ".join(filter(None, (op.path, op.operation_id or "", op.summary or "")))
    if ADMIN_HINT.search(text) or re.search(r"(?i)admin", op.operation_id or ""):
        return True
    return any("admin" in scope for req in op.security for scopes in req.values() for scope in scopes)
