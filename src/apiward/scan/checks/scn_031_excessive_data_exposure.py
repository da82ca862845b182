"""SCN-031 excessive-data-exposure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._util import response_schema


def _extra(schema: Mapping[str, Any], data: Any, path: str = "", depth: int = 0) -> list[str]:
    """Pointers of object properties present in ``data`` but not declared by ``schema``."""
    if depth > 6 or not isinstance(schema, Mapping):
        return []
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list):
            return []
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {"properties": {}}
        for part in schema["allOf"]:
            if isinstance(part, Mapping):
                merged["properties"].update(part.get("properties", {}))
        schema = merged
    if isinstance(data, list) and isinstance(schema.get("items"), Mapping):
        found: list[str] = []
        for item in data[:20]:
            found += [p for p in _extra(schema["items"], item, f"{path}/*", depth + 1) if p not in found]
        return found
    props = schema.get("properties")
    if not isinstance(data, Mapping) or not isinstance(props, Mapping) or not props:
        return []
    if schema.get("additionalProperties") not in (None, False):
        return []
    out = [f"{path}/{k}" for k in data if k not in props]
    for k, v in data.items():
        if k in props and isinstance(v, Mapping | list):
            out += _extra(props[k], v, f"{path}/{k}", depth + 1)
    return out


@check(
    id="SCN-031",
    name="excessive-data-exposure",
    title="Response carries properties its schema does not declare",
    owasp=OwaspApi2023.API3,
    cwe=213,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    remediation="Serialise responses through an explicit output model that lists the fields clients may see.",
    category="data-exposure",
)
async def excessive_data_exposure(ctx: ScanContext) -> None:
    """A successful JSON response contains object properties that its declared response schema does not list.

    Undeclared fields are how internal data (hashes, flags, other users' details) leaks to clients that
    filter it in the UI. Judged on every 2xx JSON response seen during the scan, against schemas that list
    ``properties`` and do not allow additional ones; re-checked on a fresh request.
    """
    seen: set[str] = set()
    for op, ex, _phase in list(ctx.log):
        if op is None or not ex.ok or ex.data is None or op.ref.key in seen:
            continue
        schema = response_schema(op, ex.status)
        extra = _extra(schema, ex.data) if schema else []
        if not extra or ex.spec is None:
            continue
        again = await ctx.send(ex.spec, ctx.user)
        if not again.ok or not _extra(schema or {}, again.data):
            continue
        seen.add(op.ref.key)
        ctx.report(
            excessive_data_exposure.meta,
            operation=op,
            location=f"response:{ex.status}:{','.join(sorted(extra)[:5])}",
            message=f"undeclared properties in the {ex.status} response: {', '.join(sorted(extra)[:10])}",
            proof=again,
            extra={"undeclared": sorted(extra)[:50]},
        )
