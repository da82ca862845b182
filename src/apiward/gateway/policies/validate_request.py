"""``validate_request``: the request must match the spec before it reaches the upstream.

Checked per operation, with validators compiled once at start-up: parameters (path, query, header,
cookie: required, type, enum, pattern, bounds; a non-array parameter given twice is refused), the
content type (``415`` unless the operation declares it), and the body — JSON against the operation's
schema (unknown properties refused where the schema closes the object; ``strict`` closes every open
object and refuses undeclared query parameters), JSON limits (size, depth, keys, string and array
length) checked before the validator runs, XML parsed without DTDs, entities or external references
(defusedxml), ``multipart/form-data`` limits (parts, part size, filenames), and form fields.
Requests to paths the spec does not know (when the gateway lets them through) still get the limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._jsonlimits import JsonLimitError, JsonLimits, parse_json
from apiward.gateway.policies._validation._multipart import MultipartError, MultipartLimits, read_parts
from apiward.gateway.policies._validation._options import object_schema, validate_options
from apiward.gateway.policies._validation._params import ParamCheck, coerce, compile_params
from apiward.gateway.policies._validation._schema import CompiledSchema, SchemaViolation, compile_schema
from apiward.spec import ApiOperation, ParamLocation

__all__ = ["NAME", "OPTIONS_SCHEMA", "RequestValidation", "build"]

NAME = "validate_request"
RULE_PARAM = "GW-VAL-001"
RULE_CONTENT_TYPE = "GW-VAL-002"
RULE_BODY = "GW-VAL-003"
RULE_JSON_LIMIT = "GW-VAL-004"
RULE_XML = "GW-VAL-005"
RULE_MULTIPART = "GW-VAL-006"
RULE_BODY_REQUIRED = "GW-VAL-007"
RULE_MALFORMED = "GW-VAL-008"

_INT = {"type": "integer", "minimum": 1}
OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "strict": {
            "type": "boolean",
            "default": False,
            "description": "Treat open objects as closed and refuse undeclared query parameters.",
        },
        "json": {
            "type": "object",
            "additionalProperties": False,
            "description": "JSON limits, checked before schema validation.",
            "properties": {
                "max_bytes": {**_INT, "default": 1_048_576},
                "max_depth": {**_INT, "default": 32},
                "max_keys": {**_INT, "default": 1000},
                "max_string": {**_INT, "default": 65_536},
                "max_array": {**_INT, "default": 10_000},
                "max_nodes": {**_INT, "default": 100_000},
            },
        },
        "multipart": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max_parts": {**_INT, "default": 100},
                "max_part_bytes": {**_INT, "default": 10_485_760},
                "max_filename": {**_INT, "default": 255},
                "allowed_extensions": {"type": "array", "items": {"type": "string"}},
            },
        },
        "xml": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max_bytes": {**_INT, "default": 1_048_576}},
        },
        "max_form_fields": {**_INT, "default": 1000},
        "unknown_content_types": {
            "enum": ["reject", "allow"],
            "default": "reject",
            "description": "A body whose content type the operation does not declare: 415, or let it through.",
        },
    },
    description="Validate parameters, content type and body against the spec, with JSON/XML/multipart limits.",
)


@dataclass(frozen=True, slots=True)
class _Body:
    media: str
    compiled: CompiledSchema | None
    props: Mapping[str, Any]
    required: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    params: tuple[ParamCheck, ...]
    known_query: frozenset[str]
    bodies: tuple[_Body, ...]
    body_required: bool
    strict: bool
    json: JsonLimits
    multipart: MultipartLimits
    xml_max: int
    max_fields: int
    reject_unknown_ct: bool


def _limits(opts: Mapping[str, Any]) -> tuple[JsonLimits, MultipartLimits, int]:
    j = opts.get("json", {})
    m = opts.get("multipart", {})
    json_limits = JsonLimits(**j)
    multipart = MultipartLimits(
        max_parts=m.get("max_parts", 100),
        max_part_bytes=m.get("max_part_bytes", 10_485_760),
        max_filename=m.get("max_filename", 255),
        allowed_extensions=frozenset(e.lower().lstrip(".") for e in m.get("allowed_extensions", ())),
    )
    return json_limits, multipart, int(opts.get("xml", {}).get("max_bytes", 1_048_576))


def _plan(op: ApiOperation | None, opts: Mapping[str, Any]) -> _Plan:
    strict = bool(opts.get("strict", False))
    json_limits, multipart, xml_max = _limits(opts)
    bodies: list[_Body] = []
    params: tuple[ParamCheck, ...] = ()
    required = False
    if op is not None:
        params = compile_params(op.parameters)
        if op.request_body is not None:
            required = op.request_body.required
            for key, media in op.request_body.content.items():
                schema = media.schema
                compiled = compile_schema(schema, strict=strict) if schema else None
                props = schema.get("properties", {}) if schema else {}
                req = tuple(schema.get("required", ())) if schema else ()
                bodies.append(_Body(key.split(";", 1)[0].strip().lower(), compiled, props, req))
    return _Plan(
        params=params,
        known_query=frozenset(p.name for p in params if p.location is ParamLocation.QUERY),
        bodies=tuple(bodies),
        body_required=required,
        strict=strict,
        json=json_limits,
        multipart=multipart,
        xml_max=xml_max,
        max_fields=int(opts.get("max_form_fields", 1000)),
        reject_unknown_ct=opts.get("unknown_content_types", "reject") == "reject",
    )


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _is_xml(media: str) -> bool:
    return media in ("application/xml", "text/xml") or media.endswith("+xml")


def _match_body(plan: _Plan, media: str) -> _Body | None:
    for body in plan.bodies:
        if body.media == media:
            return body
    major = media.split("/", 1)[0] + "/*"
    for body in plan.bodies:
        if body.media in (major, "*/*"):
            return body
    return None


def _bad(status: int, title: str, rule: str, detail: str, **evidence: Any) -> Deny:
    return Deny(status=status, title=title, rule_id=rule, detail=detail, evidence=evidence)


class RequestValidation:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        if ctx.model is None:
            raise ConfigError("request validation needs a spec", pointer=f"policies.{NAME}")
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._plans: dict[str, _Plan] = {}
        by_key = {op.operation_id or f"{op.method} {op.path}": op for op in ctx.model.operations}
        for key, op in by_key.items():
            route = ctx.route_options.get(key)
            merged = opts
            if route:
                merged = {**opts, **validate_options(OPTIONS_SCHEMA, route, name=f"{NAME}.routes[{key}]")}
            try:
                self._plans[key] = _plan(op, merged)
            except (ValueError, TypeError, RecursionError) as exc:
                raise ConfigError(f"cannot compile the schemas of {key}: {exc}", source=ctx.model.source) from exc
        self._unknown = _plan(None, opts)

    async def on_request(self, exchange: Exchange) -> Deny | None:
        key = exchange.route_key
        plan = self._plans.get(key, self._unknown) if key is not None else self._unknown
        if exchange.operation is not None and plan is not self._unknown:
            deny = self._params(plan, exchange)
            if deny is not None:
                return deny
        if not exchange.request.body and exchange.notes.get("decision_mode") == "nginx":
            # nginx's auth_request subrequest never carries the body: nothing to check, and refusing for a
            # missing body would refuse every POST. The body is left to nginx's own limits.
            exchange.notes["body_unchecked"] = "decision mode"
            return None
        return self._body(plan, exchange.request, known=exchange.operation is not None)

    # -- parameters ------------------------------------------------------------------------------------
    def _params(self, plan: _Plan, exchange: Exchange) -> Deny | None:
        request = exchange.request
        query: dict[str, list[str]] = {}
        if request.query:
            for k, v in parse_qsl(request.query, keep_blank_values=True):
                query.setdefault(k, []).append(v)
        if plan.strict:
            unknown = sorted(set(query) - plan.known_query)
            if unknown:
                return _bad(400, "Invalid parameter", RULE_PARAM, f"query.{unknown[0][:64]} is not a parameter")
        cookies: dict[str, str] | None = None
        for check in plan.params:
            values: list[str] | None
            if check.location is ParamLocation.QUERY:
                values = query.get(check.name)
            elif check.location is ParamLocation.PATH:
                raw = exchange.path_params.get(check.name)
                values = [raw] if raw is not None else None  # the router percent-decoded it
            elif check.location is ParamLocation.HEADER:
                lowered = check.name.lower()
                values = [v for k, v in request.headers if k.lower() == lowered] or None
                if values and len(values) == 1 and check.is_array:
                    values = [v.strip() for v in values[0].split(",")]
            else:
                if cookies is None:
                    cookies = request.cookies
                found = cookies.get(check.name)
                values = [found] if found is not None else None
            try:
                check.check(values)
            except SchemaViolation as exc:
                return _bad(400, "Invalid parameter", RULE_PARAM, exc.message, where=exc.where, keyword=exc.rule)
        return None

    # -- body -------------------------------------------------------------------------------------------
    def _body(self, plan: _Plan, request: HttpRequest, *, known: bool) -> Deny | None:
        body = request.body
        media = request.content_type
        if not body:
            if known and plan.body_required:
                return _bad(400, "Request body required", RULE_BODY_REQUIRED, "this operation needs a request body")
            return None
        if media is None:
            if known and plan.bodies and plan.reject_unknown_ct:
                return _bad(415, "Unsupported media type", RULE_CONTENT_TYPE, "the body has no Content-Type")
            return None
        spec_body = _match_body(plan, media) if known else None
        if known and spec_body is None and plan.bodies and plan.reject_unknown_ct:
            allowed = ", ".join(b.media for b in plan.bodies)
            return _bad(415, "Unsupported media type", RULE_CONTENT_TYPE, f"expected one of: {allowed}", got=media)
        if _is_json(media):
            return self._json(plan, body, spec_body)
        if _is_xml(media):
            return self._xml(plan, body)
        if media == "multipart/form-data":
            return self._multipart(plan, body, request.header("content-type") or "", spec_body)
        if media == "application/x-www-form-urlencoded" and spec_body is not None:
            return self._form(plan, body, spec_body)
        return None

    def _json(self, plan: _Plan, body: bytes, spec_body: _Body | None) -> Deny | None:
        try:
            value = parse_json(body, plan.json)
        except JsonLimitError as exc:
            if exc.limit == "syntax":
                return _bad(400, "Malformed body", RULE_MALFORMED, exc.message)
            status = 413 if exc.limit == "size" else 400
            return _bad(status, "JSON limit exceeded", RULE_JSON_LIMIT, exc.message, limit=exc.limit)
        if spec_body is not None and spec_body.compiled is not None:
            try:
                spec_body.compiled.check(value)
            except SchemaViolation as exc:
                return _bad(400, "Invalid request body", RULE_BODY, exc.message, where=exc.where, keyword=exc.rule)
        return None

    def _xml(self, plan: _Plan, body: bytes) -> Deny | None:
        if len(body) > plan.xml_max:
            return _bad(413, "XML limit exceeded", RULE_XML, f"the XML body is larger than {plan.xml_max} bytes")
        try:
            defusedxml.ElementTree.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except defusedxml.DefusedXmlException as exc:
            detail = "XML with a DTD, entities or external references"
            return _bad(400, "Forbidden XML", RULE_XML, detail, kind=type(exc).__name__)
        except (ParseError, ValueError):
            return _bad(400, "Malformed body", RULE_MALFORMED, "the body is not well-formed XML")
        return None

    def _multipart(self, plan: _Plan, body: bytes, content_type: str, spec_body: _Body | None) -> Deny | None:
        try:
            parts = read_parts(body, content_type, plan.multipart)
        except MultipartError as exc:
            status = 413 if exc.limit in ("parts", "part_size") else 400
            return _bad(status, "Multipart limit exceeded", RULE_MULTIPART, exc.message, limit=exc.limit)
        if spec_body is not None:
            names = {p.name for p in parts}
            missing = [r for r in spec_body.required if r not in names]
            if missing:
                return _bad(400, "Invalid request body", RULE_BODY, f"body.{missing[0]} is required")
            if plan.strict and spec_body.props:
                extra = sorted(names - set(spec_body.props))
                if extra:
                    return _bad(400, "Invalid request body", RULE_BODY, f"body.{extra[0][:64]} is not a field")
        return None

    def _form(self, plan: _Plan, body: bytes, spec_body: _Body) -> Deny | None:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=plan.max_fields)
        except (UnicodeDecodeError, ValueError):
            return _bad(400, "Malformed body", RULE_MALFORMED, "the form body is malformed or has too many fields")
        fields: dict[str, list[str]] = {}
        for k, v in pairs:
            fields.setdefault(k, []).append(v)
        if spec_body.compiled is None:
            return None
        value = {k: coerce(v, spec_body.props.get(k, {})) for k, v in fields.items()}
        try:
            spec_body.compiled.check(value)
        except SchemaViolation as exc:
            return _bad(400, "Invalid request body", RULE_BODY, exc.message, where=exc.where)
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> RequestValidation:
    return RequestValidation(options, ctx)
