"""``ScanContext``: what checks see — identities by role, the model, baseline samples, created resources,
a request builder that chains ids, the recording ``send`` and ``report`` that turns proof into a ``Finding``.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from apiward.core import ApiwardError, Confidence, Finding, Operation, Severity, redact_mapping
from apiward.scan._auth import Auth
from apiward.scan._client import ScopedClient
from apiward.scan._config import AuthConfig, ScanConfig
from apiward.scan._evidence import curl_command, exchange_evidence
from apiward.scan._generate import Generator
from apiward.scan._plan import collection_of, id_from_body, is_id_name, norm, singular
from apiward.scan._request import Exchange, RequestSpec
from apiward.scan._result import Coverage, ScanEvent
from apiward.scan._values import as_text, fill_template, link_value, pick_media, uniquify, with_callback_urls
from apiward.spec import ApiModel, ApiOperation, ParamLocation

if TYPE_CHECKING:
    from apiward.scan._oob import CallbackServer
    from apiward.scan.checks._base import CheckMeta

__all__ = ["Resource", "Sample", "ScanContext"]

T = TypeVar("T")
_LOG_LIMIT = 4000
_ROLE_FALLBACK = {"low": "user"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """Something the scanner created in this scan (so it may change or delete it)."""

    collection: str
    id: str
    owner: str
    creator: ApiOperation
    spec: RequestSpec
    data: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """A baseline request of an operation that answered 2xx, and the resource id it used (if any)."""

    op: ApiOperation
    spec: RequestSpec
    exchange: Exchange
    resource: Resource | None = None


@dataclass(slots=True)
class _Store:
    resources: list[Resource] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    link_values: dict[tuple[str, str], str] = field(default_factory=dict)


class ScanContext:
    def __init__(
        self,
        model: ApiModel,
        client: ScopedClient,
        config: ScanConfig,
        auths: list[tuple[str, Auth]],
        *,
        emit: Callable[[ScanEvent], None],
    ) -> None:
        self.model = model
        self.client = client
        self.config = config
        self.auths = dict(auths)  # role -> Auth (first identity of each role)
        self.anonymous = self.auths.get("anonymous") or Auth("anonymous", AuthConfig())
        self.gen = Generator(seed=7)
        self.store = _Store()
        self.samples: dict[str, Sample] = {}
        self.log: list[tuple[ApiOperation | None, Exchange, str]] = []
        self.phase = "exercise"  # exercise | negative | check
        self.coverage: dict[str, Coverage] = {op.ref.key: Coverage(op.ref.key) for op in model.operations}
        self.not_tested: dict[str, str] = {}
        self.checks_not_run: dict[str, str] = {}
        self.findings: dict[str, Finding] = {}
        self.oob: CallbackServer | None = None
        self.cache: dict[str, Any] = {}  # shared results between checks (captured tokens, probes)
        self._emit = emit
        self._sem = asyncio.Semaphore(max(config.concurrency, 1))
        self._throwaway: Auth | None = None
        self._throwaway_lock = asyncio.Lock()

    # -- identities -------------------------------------------------------------------------------------------
    def role(self, name: str) -> Auth | None:
        found = self.auths.get(name)
        if found is None and name in _ROLE_FALLBACK:
            return self.auths.get(_ROLE_FALLBACK[name])
        return found

    @property
    def user(self) -> Auth | None:
        return self.auths.get("user") or next((a for r, a in self.auths.items() if r != "anonymous"), None)

    def option(self, key: str, default: T) -> T:
        value = self.config.options.get(key, default)
        return value if isinstance(value, type(default)) else default

    def operations(self) -> list[ApiOperation]:
        skip = set(self.config.skip_operations)
        return [op for op in self.model.operations if op.ref.key not in skip and op.operation_id not in skip]

    async def throwaway(self, *, fresh: bool = False) -> Auth | None:
        """An account the scanner registered itself (so it may break it), or ``None`` when the API has no recipe."""
        tw = self.config.throwaway
        if tw is None:
            return None
        async with self._throwaway_lock:
            if self._throwaway is not None and not fresh:
                return self._throwaway
            name = f"apiward{secrets.token_hex(4)}"
            password = f"Aw-{secrets.token_urlsafe(12)}-9!"
            body = fill_template(tw.register_body, name, password)
            ex = await self.send(RequestSpec(method="POST", path=tw.register_url, json=body), None)
            if not ex.ok:
                return None
            options = {k: fill_template(v, name, password) for k, v in tw.login.options.items()}
            auth = Auth(f"throwaway:{name}", AuthConfig(type=tw.login.type, options=options))
            auth.credentials = (name, password)
            try:
                await auth.ready(self.client)
            except ApiwardError:  # a throwaway that cannot log in is simply not available
                return None
            if not fresh:
                self._throwaway = auth
            return auth

    # -- requests ---------------------------------------------------------------------------------------------
    async def send(
        self, spec: RequestSpec, auth: Auth | None, *, record: bool = True, retry: bool = True, refresh: bool = True
    ) -> Exchange:
        """Send through the scoped client; record coverage, the exchange log (with the phase) and harvested ids."""
        ex = await self.client.send(spec, auth, retry=retry, refresh=refresh)
        op = spec.operation
        if record:
            if op is not None:
                cov = self.coverage.setdefault(op.ref.key, Coverage(op.ref.key))
                cov.requests += 1
                cov.statuses[ex.status] += 1
            if len(self.log) < _LOG_LIMIT:
                self.log.append((op, ex, self.phase))
            if ex.ok:
                self._harvest(op, ex)
        return ex

    async def gather(self, items: Iterable[Awaitable[T]]) -> list[T]:
        async def one(aw: Awaitable[T]) -> T:
            async with self._sem:
                return await aw

        return list(await asyncio.gather(*(one(a) for a in items)))

    async def confirm(self, probe: Callable[[], Awaitable[Exchange | None]], times: int = 2) -> Exchange | None:
        """Run ``probe`` ``times`` times; the last proof if every run proved the flaw, else ``None``."""
        proof: Exchange | None = None
        for _ in range(times):
            proof = await probe()
            if proof is None:
                return None
        return proof

    def _harvest(self, op: ApiOperation | None, ex: Exchange) -> None:
        data = ex.data
        coll = collection_of(op.path) if op else ""
        thing = singular(coll.rsplit("/", 1)[-1]) if coll else ""
        items = data if isinstance(data, list) else [data]
        if isinstance(data, Mapping):
            for wrapper in ("items", "data", "results"):
                if isinstance(data.get(wrapper), list):
                    items = [data, *data[wrapper]]
        for item in items[:20]:
            if not isinstance(item, Mapping):
                continue
            for key, value in item.items():
                if isinstance(value, str | int) and not isinstance(value, bool) and is_id_name(str(key)):
                    names = {norm(str(key))}
                    if norm(str(key)) == "id" and thing:
                        names.add(norm(thing + "id"))
                    for n in names:
                        bucket = self.store.values.setdefault(n, [])
                        if str(value) not in bucket:
                            bucket.append(str(value))
        if op is not None:
            for resp in op.responses.values():
                for link in resp.links.values():
                    if not isinstance(link, Mapping):
                        continue
                    target = link.get("operationId")
                    for pname, expr in (link.get("parameters") or {}).items():
                        value = link_value(expr, ex)
                        if target and value is not None:
                            self.store.link_values[(str(target), str(pname))] = value

    def add_resource(self, op: ApiOperation, spec: RequestSpec, ex: Exchange, owner: Auth | None) -> Resource | None:
        coll = collection_of(op.path)
        rid = id_from_body(ex.data, coll)
        if rid is None:
            location = ex.header("location")
            if location:
                rid = location.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
        if rid is None:
            return None
        res = Resource(collection=coll, id=rid, owner=owner.name if owner else "", creator=op, spec=spec, data=ex.data)
        self.store.resources.append(res)
        return res

    def owned(self, collection: str, owner: Auth | None) -> list[Resource]:
        name = owner.name if owner else ""
        return [r for r in self.store.resources if r.collection == collection and r.owner == name]

    def _param_value(self, op: ApiOperation, pname: str, auth: Auth | None, *, owned_only: bool) -> str | None:
        if op.operation_id and (op.operation_id, pname) in self.store.link_values:
            return self.store.link_values[(op.operation_id, pname)]
        before = op.path.split("{" + pname + "}", 1)[0].rstrip("/")
        coll = collection_of(before) if before else ""
        wanted = norm(pname)
        candidates = [r for r in self.store.resources if r.owner == (auth.name if auth else "")]
        for res in reversed(candidates):
            last = singular(res.collection.rsplit("/", 1)[-1])
            if (coll and res.collection == coll) or wanted in (norm(last + "id"), norm(last)):
                return res.id
        if owned_only:
            return None
        bucket = self.store.values.get(wanted)
        return bucket[-1] if bucket else None

    def build(self, op: ApiOperation, auth: Auth | None, *, full: bool = False) -> RequestSpec | None:
        """A request for ``op`` as ``auth``, chaining ids. ``None`` when a mutating call would hit a resource
        the scanner does not own (identity safety)."""
        mutating = op.method not in ("GET", "HEAD", "OPTIONS")
        path = op.path
        query: list[tuple[str, str]] = []
        headers: list[tuple[str, str]] = list(self.config.headers.items())
        cookies: list[tuple[str, str]] = []
        for p in op.parameters:
            if p.location is ParamLocation.PATH:
                # changing or deleting needs an object the scanner owns; POST under a parent only adds a child
                owned_only = mutating and op.method != "POST"
                value = self._param_value(op, p.name, auth, owned_only=owned_only)
                if value is None:
                    if owned_only:
                        return None
                    value = str(p.examples[0]) if p.examples else str(self.gen.value(p.schema, p.name))
                path = path.replace("{" + p.name + "}", quote(value, safe=""))
                continue
            if not (p.required or full):
                continue
            chained = self._param_value(op, p.name, auth, owned_only=False) if is_id_name(p.name) else None
            raw = (
                chained if chained is not None else (p.examples[0] if p.examples else self.gen.value(p.schema, p.name))
            )
            text = as_text(raw)
            if p.location is ParamLocation.QUERY:
                query.append((p.name, text))
            elif p.location is ParamLocation.HEADER:
                headers.append((p.name, text))
            else:
                cookies.append((p.name, text))
        spec = RequestSpec(
            method=op.method,
            path=path,
            query=tuple(query),
            headers=tuple(headers),
            cookies=tuple(cookies),
            operation=op,
        )
        body = op.request_body
        if body is None or not body.content:
            return spec
        media_type, media = pick_media(body.content)
        payload: Any
        if media.examples and not full:
            payload = media.examples[0]
        else:
            payload = self.gen.value(media.schema, full=full)
        if isinstance(payload, dict):
            payload = dict(payload)
            for key in list(payload):
                if is_id_name(key):
                    chained = self._param_value(op, key, auth, owned_only=False)
                    if chained is not None:
                        payload[key] = int(chained) if isinstance(payload[key], int) and chained.isdigit() else chained
        if "json" in media_type:
            return spec.replace(json=payload)
        if media_type == "application/x-www-form-urlencoded" and isinstance(payload, dict):
            return spec.replace(form=tuple((k, as_text(v)) for k, v in payload.items()))
        return spec.replace(content=as_text(payload).encode(), content_type=media_type)

    def uniquify(self, spec: RequestSpec) -> RequestSpec:
        """``spec`` with fresh identity-like body values, so a replayed create does not collide."""
        return uniquify(spec)

    def callback_urls(self, spec: RequestSpec) -> RequestSpec | None:
        """``spec`` with URL-valued body fields pointed at the scanner's loopback listener, or ``None``."""
        return with_callback_urls(spec, self.oob.url("exercise")) if self.oob is not None else None

    # -- findings ---------------------------------------------------------------------------------------------
    def report(
        self,
        meta: CheckMeta,
        *,
        operation: Operation | ApiOperation | None,
        location: str,
        message: str,
        proof: Exchange | None,
        control: Exchange | None = None,
        extra: Mapping[str, Any] | None = None,
        severity: Severity | None = None,
        confidence: Confidence | None = None,
    ) -> None:
        op = operation.ref if isinstance(operation, ApiOperation) else operation
        evidence: dict[str, Any] = {}
        if proof is not None:
            evidence.update(exchange_evidence(proof))
            evidence["curl"] = curl_command(proof)
        if control is not None:
            evidence["control"] = exchange_evidence(control)
        if extra:
            evidence["details"] = redact_mapping(dict(extra))
        if meta.wfc:
            evidence["wfc"] = meta.wfc
        finding = Finding(
            check_id=meta.id,
            title=meta.title,
            severity=severity or meta.severity,
            confidence=confidence or meta.confidence,
            owasp=meta.owasp,
            cwe=meta.cwe,
            message=message,
            remediation=meta.remediation,
            operation=op,
            location=location,
            evidence=evidence,
        )
        if finding.fingerprint in self.findings:
            return
        self.findings[finding.fingerprint] = finding
        self._emit(ScanEvent(kind="finding", message=f"{meta.id} {op.key if op else ''} {location}".strip()))

    def not_run(self, meta: CheckMeta, reason: str) -> None:
        """Record that a check could not run here (missing identity, token, recipe) — reported in the stats."""
        self.checks_not_run[meta.id] = reason

    def skip(self, op: ApiOperation, reason: str) -> None:
        self.not_tested[op.ref.key] = reason
        cov = self.coverage.setdefault(op.ref.key, Coverage(op.ref.key))
        cov.not_tested = reason
