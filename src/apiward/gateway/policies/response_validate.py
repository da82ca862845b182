"""``response_validate``: upstream responses must match the spec (OWASP API3:2023 — excessive data exposure).

For JSON responses of a documented status (exact, ``2XX``-style range, then ``default``), the body
is checked against that response's schema (converted at start-up, compiled on first use, then reused).
Members the schema does not declare are ``strip``ped (default), ``block``ed (``502``) or ``allow``ed; a body that still
does not match is ``block``ed (default) or only logged. Undocumented statuses and content types are
logged, or blocked with ``undocumented: block``. Log-only mode records and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson

from apiward.core import ConfigError
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Deny, Mode
from apiward.gateway.policies._validation._options import RouteModes, object_schema, validate_options
from apiward.gateway.policies._validation._rewrite import rewrite
from apiward.gateway.policies._validation._schema import LazySchema, SchemaViolation, to_json_schema
from apiward.gateway.policies._validation._strip import strip_undocumented
from apiward.spec import ApiOperation

__all__ = ["NAME", "OPTIONS_SCHEMA", "ResponseValidation", "build"]

NAME = "response_validate"
RULE_INVALID = "GW-RESP-001"
RULE_UNDOCUMENTED_FIELD = "GW-RESP-002"
RULE_UNDOCUMENTED_RESPONSE = "GW-RESP-003"

OPTIONS_SCHEMA: dict[str, Any] = object_schema(
    {
        "undocumented_fields": {"enum": ["strip", "block", "allow"], "default": "strip"},
        "invalid": {"enum": ["block", "log"], "default": "block", "description": "A body that breaks its schema."},
        "undocumented": {
            "enum": ["log", "block"],
            "default": "log",
            "description": "A status or content type the operation does not document.",
        },
        "max_bytes": {"type": "integer", "minimum": 1024, "default": 4_194_304},
    },
    description="Validate responses against the spec; strip or block undocumented fields.",
)


@dataclass(frozen=True, slots=True)
class _Media:
    schema: Mapping[str, Any]
    compiled: LazySchema


@dataclass(frozen=True, slots=True)
class _Settings:
    fields: str
    invalid: str
    undocumented: str


def _compile(op: ApiOperation) -> dict[str, dict[str, _Media | None]]:
    out: dict[str, dict[str, _Media | None]] = {}
    for status, response in op.responses.items():
        medias: dict[str, _Media | None] = {}
        for media_type, media in response.content.items():
            key = media_type.split(";", 1)[0].strip().lower()
            schema = media.schema
            # Converted now (errors surface at start-up), compiled on first use (see LazySchema).
            if schema:
                to_json_schema(schema, direction="response")
            medias[key] = (
                _Media(schema, LazySchema(schema, direction="response", strict=False, prefix="body"))
                if schema
                else None
            )
        out[status.upper()] = medias
    return out


def _for_status(table: Mapping[str, dict[str, _Media | None]], status: int) -> dict[str, _Media | None] | None:
    return table.get(str(status)) or table.get(f"{status // 100}XX") or table.get("DEFAULT")


def _bad_gateway(rule: str, detail: str, **evidence: Any) -> Deny:
    return Deny(status=502, title="Bad Gateway", rule_id=rule, detail=detail, evidence=evidence)


class ResponseValidation:
    name: ClassVar[str] = NAME

    def __init__(self, options: Mapping[str, Any], ctx: PolicyContext) -> None:
        opts = validate_options(OPTIONS_SCHEMA, options, name=NAME)
        self.mode = Mode(opts.get("mode", ctx.mode.value))
        self._modes = RouteModes(self.mode, ctx)
        self._max = int(opts.get("max_bytes", 4_194_304))
        self._default = self._settings(opts)
        self._tables: dict[str, dict[str, dict[str, _Media | None]]] = {}
        self._route_settings: dict[str, _Settings] = {}
        if ctx.model is not None:
            for op in ctx.model.operations:
                key = op.operation_id or f"{op.method} {op.path}"
                try:
                    self._tables[key] = _compile(op)
                except (ValueError, TypeError, RecursionError) as exc:
                    raise ConfigError(
                        f"cannot compile the response schemas of {key}: {exc}", source=ctx.model.source
                    ) from exc
        for key, route in ctx.route_options.items():
            merged = {**opts, **validate_options(OPTIONS_SCHEMA, route, name=f"{NAME}.routes[{key}]")}
            self._route_settings[key] = self._settings(merged)

    @staticmethod
    def _settings(opts: Mapping[str, Any]) -> _Settings:
        return _Settings(
            fields=opts.get("undocumented_fields", "strip"),
            invalid=opts.get("invalid", "block"),
            undocumented=opts.get("undocumented", "log"),
        )

    async def on_response(self, exchange: Exchange) -> Deny | None:
        response = exchange.response
        key = exchange.route_key
        if response is None or key is None or key not in self._tables:
            return None
        settings = self._route_settings.get(key, self._default)
        medias = _for_status(self._tables[key], response.status)
        if medias is None:
            return self._undocumented(exchange, settings, f"status {response.status} is not documented")
        if not medias or not response.body:
            return None
        media_type = response.content_type or ""
        if media_type not in medias:
            if media_type == "application/problem+json" and response.status >= 400:
                return None
            return self._undocumented(exchange, settings, f"content type {media_type or 'none'} is not documented")
        media = medias[media_type]
        if media is None or not (media_type == "application/json" or media_type.endswith("+json")):
            return None
        if len(response.body) > self._max or response.header("content-encoding") not in (None, "identity"):
            exchange.notes["response_validation_skipped"] = True
            return None
        try:
            value = orjson.loads(response.body)
        except orjson.JSONDecodeError:
            if settings.invalid == "block":
                return _bad_gateway(RULE_INVALID, "the upstream answered malformed JSON")
            exchange.matched_rules.append(RULE_INVALID)
            return None
        extra = strip_undocumented(value, media.schema, remove=settings.fields == "strip")
        if extra:
            exchange.notes["undocumented_fields"] = extra[:20]
            if settings.fields == "block":
                detail = "the response holds undocumented fields"
                return _bad_gateway(RULE_UNDOCUMENTED_FIELD, detail, fields=extra[:20])
            exchange.matched_rules.append(RULE_UNDOCUMENTED_FIELD)
        try:
            media.compiled.check(value)
        except SchemaViolation as exc:
            exchange.notes["response_violation"] = exc.message
            if settings.invalid == "block":
                return _bad_gateway(
                    RULE_INVALID,
                    "the upstream response does not match the API description",
                    where=exc.where,
                    message=exc.message,
                )
            exchange.matched_rules.append(RULE_INVALID)
        if extra and settings.fields == "strip" and self._modes.enforcing(exchange):
            exchange.response = rewrite(response, body=orjson.dumps(value), remove=("ETag", "Content-MD5", "Digest"))
        return None

    @staticmethod
    def _undocumented(exchange: Exchange, settings: _Settings, why: str) -> Deny | None:
        exchange.notes["undocumented_response"] = why
        if settings.undocumented == "block":
            return _bad_gateway(RULE_UNDOCUMENTED_RESPONSE, "the upstream response is not documented", why=why)
        exchange.matched_rules.append(RULE_UNDOCUMENTED_RESPONSE)
        return None


def build(options: Mapping[str, Any], ctx: PolicyContext) -> ResponseValidation:
    return ResponseValidation(options, ctx)
