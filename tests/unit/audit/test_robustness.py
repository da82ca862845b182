"""The audit terminates and never crashes on recursive or odd (but loadable) schemas."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apiward.audit import audit
from apiward.report import FORMATS, Report, render
from apiward.spec import load_document

T0 = datetime(2026, 1, 1, tzinfo=UTC)
_TYPES = st.sampled_from(["string", "integer", "number", "boolean", "object", "array", "null"])
_NAMES = st.sampled_from(["id", "password", "role", "url", "items", "secret_type", "isAdmin", "x", "token", "stack"])
_LEAF = st.fixed_dictionaries(
    {"type": _TYPES},
    optional={
        "maxLength": st.integers(0, 5),
        "format": st.sampled_from(["uuid", "binary", "uri", "password", "date"]),
        "enum": st.lists(st.text(max_size=3), min_size=1, max_size=2),
        "readOnly": st.booleans(),
        "writeOnly": st.booleans(),
        "minimum": st.integers(-5, 5),
    },
)
_SCHEMA = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.fixed_dictionaries({"type": st.just("object"), "properties": st.dictionaries(_NAMES, inner, max_size=3)}),
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
        st.fixed_dictionaries({"allOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"additionalProperties": inner, "type": st.just("object")}),
    ),
    max_leaves=8,
)


def _doc(request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "fuzz", "version": "1"},
        "paths": {
            "/things/{id}": {
                "post": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "requestBody": {"content": {"application/json": {"schema": request}}},
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": response}}}},
                }
            }
        },
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(request=_SCHEMA, response=_SCHEMA)
def test_audit_and_every_renderer_survive_generated_schemas(request: dict[str, Any], response: dict[str, Any]) -> None:
    model = load_document(_doc(request, response), source="fuzz.yaml")
    findings = audit(model)
    report = Report(
        kind="audit",
        tool_version="0",
        target="fuzz.yaml",
        findings=tuple(findings),
        started=T0,
        finished=T0,
    )
    for fmt in FORMATS:
        assert render(report, fmt)


def test_recursive_component_schemas_terminate() -> None:
    doc = _doc({"$ref": "#/components/schemas/Node"}, {"$ref": "#/components/schemas/Node"})
    doc["components"] = {
        "schemas": {
            "Node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "password": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "parent": {"$ref": "#/components/schemas/Node"},
                },
            }
        }
    }
    model = load_document(doc, source="tree.yaml")
    locations = {(f.check_id, f.location) for f in audit(model)}
    assert ("AUD-019", "schema:Node:/name") in locations
    assert ("AUD-023", "schema:Node:/password") in locations
    assert ("AUD-021", "schema:Node:/children") in locations
