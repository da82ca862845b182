"""SCN-111 response-schema-mismatch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import ScanContext
from apiward.scan.checks._base import check
from apiward.scan.checks._util import response_schema


def _nullable(schema: Any, seen: dict[int, Any] | None = None) -> Any:
    """OpenAPI 3.0 ``nullable`` → JSON Schema ``type: [T, "null"]``; drop OpenAPI-only keys. Keeps cycles."""
    seen = {} if seen is None else seen
    if isinstance(schema, Mapping):
        if id(schema) in seen:
            return seen[id(schema)]
        out: dict[str, Any] = {}
        seen[id(schema)] = out
        for k, v in schema.items():
            if k in ("discriminator", "xml", "externalDocs", "example", "nullable", "readOnly", "writeOnly"):
                continue
            out[k] = _nullable(v, seen)
        if schema.get("nullable") is True and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(schema, list):
        return [_nullable(v, seen) for v in schema]
    return schema


def first_error(schema: Mapping[str, Any], data: Any) -> str | None:
    try:
        validator = jsonschema.Draft202012Validator(_nullable(schema))
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    except (jsonschema.exceptions.SchemaError, RecursionError, TypeError, ValueError):
        return None
    if error is None:
        return None
    where = "/" + "/".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message[:200]}"


@check(
    id="SCN-111",
    name="response-schema-mismatch",
    title="Response does not match its declared schema",
    owasp=OwaspApi2023.API8,
    cwe=1287,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    remediation="Fix the implementation or the description so that responses validate against their schemas.",
    category="reliability",
    wfc="200",
)
async def response_schema_mismatch(ctx: ScanContext) -> None:
    """A successful JSON response fails validation against the schema the description declares for its
    status (wrong types, missing required properties, values outside enums).

    Clients generated from the description break on such responses, and they often hint at data the
    server did not mean to send. One finding per operation, with the first validation error.
    """
    seen: set[str] = set()
    for op, ex, _phase in list(ctx.log):
        if op is None or not ex.ok or ex.data is None or op.ref.key in seen:
            continue
        schema = response_schema(op, ex.status)
        error = first_error(schema, ex.data) if schema else None
        if error is None or ex.spec is None:
            continue
        if op.method in ("GET", "HEAD"):  # reads are re-sent to confirm; writes are judged on their one answer
            again = await ctx.send(ex.spec, ctx.user)
            if not again.ok or schema is None or first_error(schema, again.data) is None:
                continue
            ex = again
        seen.add(op.ref.key)
        ctx.report(
            response_schema_mismatch.meta,
            operation=op,
            location=f"response:{ex.status}",
            message=f"{ex.status} response does not match its schema: {error}",
            proof=ex,
            extra={"error": error},
        )
