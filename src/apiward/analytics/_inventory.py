"""The inventory: every endpoint traffic reveals, with its parameters, schemas, auth coverage, sensitive data,
and how it stands against the description (documented, shadow, zombie)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from apiward.analytics._classify import Hit, category_of, classify_text, classify_value
from apiward.analytics._observation import Observation
from apiward.analytics._schema_infer import Shape, infer_scalar_schema
from apiward.analytics._templating import KIND_SCHEMA, Templater
from apiward.analytics._zombie import mark_superseded_versions
from apiward.core import HTTP_METHODS, is_secret_name
from apiward.spec import ApiModel

__all__ = ["Endpoint", "Inventory", "InventoryBuilder", "Parameter"]

#: Request headers that belong to HTTP, browsers and proxies rather than to the API.
_COMMON_HEADERS = frozenset(
    {
        "host",
        "user-agent",
        "accept",
        "accept-encoding",
        "accept-language",
        "accept-charset",
        "connection",
        "content-type",
        "content-length",
        "content-encoding",
        "cache-control",
        "pragma",
        "origin",
        "referer",
        "te",
        "upgrade",
        "dnt",
        "via",
        "forwarded",
        "expect",
        "priority",
        "keep-alive",
        "range",
        "upgrade-insecure-requests",
        "transfer-encoding",
        "x-requested-with",
        "x-real-ip",
        "true-client-ip",
    }
)
_COMMON_PREFIXES = ("sec-", "if-", "x-forwarded-", "access-control-request-", ":", "x-amzn-", "x-b3-", "traceparent")
_MAX_BODY = 1 << 20
_SAMPLES_PER_ENDPOINT = 200


@dataclass(slots=True)
class Parameter:
    name: str
    location: str  # path | query
    schema: dict[str, Any]
    required: bool
    seen: int


@dataclass(slots=True)
class Endpoint:
    method: str
    path: str
    hits: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    first_seen: float | None = None
    last_seen: float | None = None
    clients: set[str] = field(default_factory=set)
    authenticated: int = 0
    unauthenticated: int = 0
    anonymous_success: int = 0  # 2xx answers to requests without credentials
    auth_schemes: Counter[str] = field(default_factory=Counter)
    parameters: list[Parameter] = field(default_factory=list)
    request_body: dict[str, dict[str, Any]] = field(default_factory=dict)  # content type -> schema
    responses: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # status -> ct -> schema
    sensitive: dict[str, set[str]] = field(default_factory=dict)  # class -> {request:/ptr, response:/ptr}
    status: str = "observed"  # documented | shadow | zombie | observed (no spec given)
    notes: list[str] = field(default_factory=list)
    operation_id: str | None = None
    spec_requires_auth: bool | None = None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def auth(self) -> str:
        if self.authenticated and self.unauthenticated:
            return "mixed"
        return "always" if self.authenticated else "never"

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "operation_id": self.operation_id,
            "hits": self.hits,
            "responses_seen": {str(k): v for k, v in sorted(self.statuses.items())},
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "clients": len(self.clients),
            "auth": self.auth,
            "authenticated_hits": self.authenticated,
            "unauthenticated_hits": self.unauthenticated,
            "anonymous_success": self.anonymous_success,
            "spec_requires_auth": self.spec_requires_auth,
            "parameters": [
                {"name": p.name, "in": p.location, "required": p.required, "schema": p.schema, "seen": p.seen}
                for p in self.parameters
            ],
            "request_body": self.request_body,
            "responses": self.responses,
            "sensitive_data": {
                k: {"category": category_of(k), "where": sorted(v)} for k, v in sorted(self.sensitive.items())
            },
            "notes": self.notes,
        }


@dataclass(slots=True)
class Inventory:
    endpoints: list[Endpoint]
    observations: int
    sources: list[str]
    unseen_operations: list[str]  # documented but never seen in this traffic
    spec_title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        counts = Counter(e.status for e in self.endpoints)
        return {
            "observations": self.observations,
            "sources": self.sources,
            "spec": self.spec_title,
            "summary": {
                "endpoints": len(self.endpoints),
                "documented": counts.get("documented", 0),
                "shadow": counts.get("shadow", 0),
                "zombie": counts.get("zombie", 0),
                "unauthenticated": sum(1 for e in self.endpoints if e.unauthenticated),
                "with_sensitive_data": sum(1 for e in self.endpoints if e.sensitive),
                "unseen_documented_operations": len(self.unseen_operations),
            },
            "endpoints": [e.to_dict() for e in self.endpoints],
            "unseen_operations": self.unseen_operations,
        }


class _Acc:
    """Per-endpoint accumulators that do not belong in the report."""

    def __init__(self) -> None:
        self.query: dict[str, list[str]] = defaultdict(list)  # up to 100 sample values
        self.query_seen: Counter[str] = Counter()
        self.headers: dict[str, list[str]] = defaultdict(list)  # API-specific request headers, samples
        self.headers_seen: Counter[str] = Counter()
        self.path_params: dict[str, tuple[str, int]] = {}
        self.req_shapes: dict[str, Shape] = {}
        self.resp_shapes: dict[tuple[str, str], Shape] = {}
        self.samples = 0


def _media(content_type: str | None) -> str | None:
    return content_type.split(";", 1)[0].strip().lower() if content_type else None


def _json_body(body: bytes | None, content_type: str | None) -> Any:
    if not body or len(body) > _MAX_BODY:
        return None
    media = _media(content_type) or ""
    if "json" not in media and body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return None


def _auth_scheme(obs: Observation) -> str | None:
    for name, value in obs.request_headers:
        lowered = name.lower()
        if lowered == "authorization":
            scheme = value.split(" ", 1)[0].lower()
            return scheme if scheme in ("bearer", "basic", "digest") else "bearer"
        if lowered in ("x-api-key", "api-key"):
            return "apikey:" + name
        if lowered == "cookie":
            return "cookie"
    return "bearer" if obs.authenticated else None


class InventoryBuilder:
    """``add`` observations (any number of files), then ``build`` (optionally against the description)."""

    def __init__(self, *, fan_out: int = 20) -> None:
        self._observations: list[Observation] = []
        self._sources: list[str] = []
        self._fan_out = fan_out

    def add(self, observations: Iterable[Observation], source: str) -> int:
        """Add a file's observations; all or nothing (a malformed file adds none)."""
        batch = list(observations)
        self._observations.extend(batch)
        self._sources.append(source)
        return len(batch)

    def build(self, spec: ApiModel | None = None) -> Inventory:
        templater = Templater(fan_out=self._fan_out)
        unmatched = []
        routed: list[tuple[Observation, str, str, tuple[tuple[str, str, str], ...], Any]] = []
        other_method: dict[str, tuple[str, tuple[tuple[str, str, str], ...]] | None] = {}
        for obs in self._observations:
            match = spec.match(obs.method, obs.path) if spec is not None else None
            if match is not None:
                params = tuple((k, "spec", v) for k, v in match.path_params.items())
                routed.append((obs, match.operation.method, match.operation.path, params, match.operation))
                continue
            if spec is not None:
                # A method the description lacks on a path it has: keep the description's template, so
                # the export never holds two templates for one path (/users/{id} and /users/{userId}).
                if obs.path not in other_method:
                    other_method[obs.path] = _template_for_other_method(spec, obs.path)
                known = other_method[obs.path]
                if known is not None:
                    routed.append((obs, obs.method, known[0], known[1], None))
                    continue
            unmatched.append(obs)
        templater.learn(o.path for o in unmatched if o.template is None)
        for obs in unmatched:
            if obs.template is not None:
                routed.append((obs, obs.method, obs.template, (), None))
                continue
            templated = templater.template(obs.path)
            routed.append((obs, obs.method, templated.template, templated.params, None))

        endpoints: dict[tuple[str, str], Endpoint] = {}
        accs: dict[tuple[str, str], _Acc] = {}
        for obs, method, template, params, operation in routed:
            key = (method, template)
            ep = endpoints.get(key)
            if ep is None:
                ep = endpoints[key] = Endpoint(method=method, path=template)
                accs[key] = _Acc()
                if operation is not None:
                    ep.status = "zombie" if operation.deprecated else "documented"
                    ep.operation_id = operation.operation_id
                    ep.spec_requires_auth = operation.requires_auth
                    if operation.deprecated:
                        ep.notes.append("deprecated in the description but still receiving traffic")
                elif spec is not None:
                    ep.status = "shadow"
            self._observe(ep, accs[key], obs, params)
        for key, ep in endpoints.items():
            self._finish(ep, accs[key])
        mark_superseded_versions(endpoints, spec)
        unseen: list[str] = []
        if spec is not None:
            seen = {(ep.method, ep.path) for ep in endpoints.values()}
            unseen = sorted(f"{op.method} {op.path}" for op in spec.operations if (op.method, op.path) not in seen)
        ordered = sorted(endpoints.values(), key=lambda e: (e.path, e.method))
        return Inventory(
            endpoints=ordered,
            observations=len(self._observations),
            sources=self._sources,
            unseen_operations=unseen,
            spec_title=spec.title if spec is not None else None,
        )

    @staticmethod
    def _observe(ep: Endpoint, acc: _Acc, obs: Observation, params: tuple[tuple[str, str, str], ...]) -> None:
        ep.hits += 1
        if obs.status is not None:
            ep.statuses[obs.status] += 1
        if obs.timestamp is not None:
            ep.first_seen = obs.timestamp if ep.first_seen is None else min(ep.first_seen, obs.timestamp)
            ep.last_seen = obs.timestamp if ep.last_seen is None else max(ep.last_seen, obs.timestamp)
        if obs.client:
            ep.clients.add(obs.client)
        if obs.authenticated:
            ep.authenticated += 1
            scheme = _auth_scheme(obs)
            if scheme:
                ep.auth_schemes[scheme] += 1
        else:
            ep.unauthenticated += 1
            if obs.status is not None and 200 <= obs.status < 300:
                ep.anonymous_success += 1
        for name, kind, _value in params:
            seen_kind, count = acc.path_params.get(name, (kind, 0))
            acc.path_params[name] = (seen_kind, count + 1)
        for name, value in obs.request_headers:
            lowered = name.lower()
            if lowered in _COMMON_HEADERS or lowered.startswith(_COMMON_PREFIXES) or is_secret_name(lowered):
                continue  # protocol, browser and proxy headers; credentials are security schemes, not params
            if acc.headers_seen[lowered] < ep.hits:
                acc.headers_seen[lowered] += 1
                if len(acc.headers[lowered]) < 100:
                    acc.headers[lowered].append(value)
        for name, value in obs.query:
            values = acc.query[name]
            acc.query_seen[name] += 1
            if len(values) < 100:
                values.append(value)
            if is_secret_name(name):
                ep.sensitive.setdefault("secret", set()).add(f"request:query:{name}")
            else:
                _record(ep, classify_text(value, f"query:{name}"), "request")
        if acc.samples >= _SAMPLES_PER_ENDPOINT:
            return
        acc.samples += 1
        req = _json_body(obs.request_body, obs.request_content_type)
        if req is not None:
            media = _media(obs.request_content_type) or "application/json"
            acc.req_shapes.setdefault(media, Shape()).add(req)
            _record(ep, classify_value(req), "request:body")
        elif obs.request_body:
            _record(ep, classify_text(obs.request_body[:_MAX_BODY].decode("utf-8", "replace"), "/"), "request:body")
        resp = _json_body(obs.response_body, obs.response_content_type)
        status = str(obs.status) if obs.status is not None else "default"
        if resp is not None:
            media = _media(obs.response_content_type) or "application/json"
            acc.resp_shapes.setdefault((status, media), Shape()).add(resp)
            _record(ep, classify_value(resp), "response:body")
        elif obs.response_body:
            text = obs.response_body[:_MAX_BODY].decode("utf-8", "replace")
            _record(ep, classify_text(text, "/"), "response:body")

    @staticmethod
    def _finish(ep: Endpoint, acc: _Acc) -> None:
        for name, (kind, count) in acc.path_params.items():
            schema = dict(KIND_SCHEMA.get(kind, {"type": "string"}))
            ep.parameters.append(Parameter(name=name, location="path", schema=schema, required=True, seen=count))
        for name, values in sorted(acc.query.items()):
            ep.parameters.append(
                Parameter(
                    name=name,
                    location="query",
                    schema=infer_scalar_schema(values),
                    required=acc.query_seen[name] == ep.hits,
                    seen=acc.query_seen[name],
                )
            )
        for name, values in sorted(acc.headers.items()):
            ep.parameters.append(
                Parameter(
                    name=name,
                    location="header",
                    schema=infer_scalar_schema(values),
                    required=acc.headers_seen[name] == ep.hits,
                    seen=acc.headers_seen[name],
                )
            )
        ep.request_body = {media: shape.schema() for media, shape in acc.req_shapes.items()}
        for (status, media), shape in acc.resp_shapes.items():
            ep.responses.setdefault(status, {})[media] = shape.schema()
        for code in ep.statuses:
            ep.responses.setdefault(str(code), {})
        if ep.unauthenticated and (ep.spec_requires_auth or ep.authenticated):
            ep.notes.append(
                f"{ep.unauthenticated} request(s) without credentials ({ep.anonymous_success} answered 2xx)"
            )


def _template_for_other_method(spec: ApiModel, path: str) -> tuple[str, tuple[tuple[str, str, str], ...]] | None:
    for method in sorted(HTTP_METHODS):
        match = spec.match(method, path)
        if match is not None:
            return match.operation.path, tuple((k, "spec", v) for k, v in match.path_params.items())
    return None


def _record(ep: Endpoint, hits: Iterable[Hit], prefix: str) -> None:
    for hit in hits:
        ep.sensitive.setdefault(hit.data_class, set()).add(f"{prefix}:{hit.where}" if hit.where else prefix)
