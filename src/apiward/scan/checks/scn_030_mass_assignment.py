"""SCN-030 mass-assignment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from apiward.core import Confidence, OwaspApi2023, Severity
from apiward.scan._context import Sample, ScanContext
from apiward.scan._plan import collection_of, id_from_body, phase_of
from apiward.scan._request import Exchange
from apiward.scan.checks._authz import read_back
from apiward.scan.checks._base import check

#: Privileged properties and the value that would prove they were taken from the client.
_CANDIDATES: tuple[tuple[str, Any], ...] = (
    ("role", "admin"),
    ("isAdmin", True),
    ("is_admin", True),
    ("owner", "apiward-other-owner"),
    ("owner_id", "apiward-other-owner"),
    ("balance", 987654321),
    ("verified", True),
    ("status", "approved"),
    ("price", 0.01),
)


def _declared(sample: Sample) -> tuple[set[str], set[str]]:
    """(writable properties, readOnly properties) of the request body schema."""
    writable: set[str] = set()
    read_only: set[str] = set()
    body = sample.op.request_body
    for media in body.content.values() if body else ():
        props = (media.schema or {}).get("properties", {})
        for name, sub in props.items():
            (read_only if isinstance(sub, Mapping) and sub.get("readOnly") else writable).add(name)
    return writable, read_only


def _same(found: Any, value: Any) -> bool:
    if isinstance(value, bool) or isinstance(found, bool):
        return found is value
    if isinstance(value, int | float):
        try:
            return float(found) == float(value)
        except (TypeError, ValueError):
            return False
    return bool(found == value)


def _persisted(data: Any, name: str, value: Any) -> bool:
    if isinstance(data, Mapping):
        if name in data and _same(data[name], value):
            return True
        return any(_persisted(v, name, value) for v in data.values() if isinstance(v, Mapping))
    return False


@check(
    id="SCN-030",
    name="mass-assignment",
    title="Mass assignment: privileged property accepted and persisted",
    owasp=OwaspApi2023.API3,
    cwe=915,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    remediation="Bind request bodies to an explicit allow-list of writable fields; ignore or reject the rest.",
    category="authorization",
)
async def mass_assignment(ctx: ScanContext) -> None:
    """A create or update accepts a property the client must not set (``role``, ``isAdmin``, ``owner``,
    ``balance`` …) — undocumented or ``readOnly`` in the schema — **and stores it**.

    The scanner adds one such property at a time to a request that succeeded, then reads the object back
    (the item ``GET``, or the create response when there is none). It reports only when the read-back shows
    the injected value and the plain request (control) did not already produce it.
    """
    user = ctx.user
    samples = [
        s for s in ctx.samples.values() if s.op.method in ("POST", "PUT", "PATCH") and isinstance(s.spec.json, dict)
    ]

    async def attempt(sample: Sample, name: str, value: Any) -> Exchange | None:
        coll = collection_of(sample.op.path)
        creates = phase_of(sample.op) == 0

        async def probe() -> Exchange | None:
            base = ctx.uniquify(sample.spec) if creates else sample.spec
            spec = base.replace(json={**base.json, name: value})
            ex = await ctx.send(spec, user)
            if not ex.ok:
                return None
            rid = id_from_body(ex.data, coll) if creates else spec.path.rsplit("/", 1)[-1]
            back = await read_back(ctx, coll, rid, user) if rid else None
            data = back.data if back is not None and back.ok else ex.data
            return ex if _persisted(data, name, value) else None

        return await ctx.confirm(probe)

    jobs: list[tuple[Sample, str, Any]] = []
    for sample in samples:
        writable, read_only = _declared(sample)
        for name, value in _CANDIDATES:
            if (name in writable and name not in read_only) or _persisted(sample.exchange.data, name, value):
                continue
            jobs.append((sample, name, value))
    proofs = await ctx.gather(attempt(*job) for job in jobs)
    reported: set[str] = set()
    for (sample, name, value), proof in zip(jobs, proofs, strict=True):
        if proof is None or sample.op.ref.key in reported:
            continue
        reported.add(sample.op.ref.key)
        read_only = _declared(sample)[1]
        ctx.report(
            mass_assignment.meta,
            operation=sample.op,
            location=f"body:/{name}",
            message=f"property {name!r} ({'readOnly' if name in read_only else 'undocumented'}) was accepted "
            "and persisted with the client's value",
            proof=proof,
            extra={"property": name, "value": value},
        )
