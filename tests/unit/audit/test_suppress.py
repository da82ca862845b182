"""``x-apiward-ignore`` in the description silences rules for the document or one operation."""

from __future__ import annotations

from typing import Any

import pytest

from apiward.audit import audit
from apiward.core import SpecError
from apiward.spec import load_document


def _doc(root_ignore: Any = None, op_ignore: Any = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"200": {"description": "ok"}}}
    if op_ignore is not None:
        op["x-apiward-ignore"] = op_ignore
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": op}, "/b": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    if root_ignore is not None:
        doc["x-apiward-ignore"] = root_ignore
    return doc


def _findings(doc: dict[str, Any], rule_id: str = "AUD-018") -> list[str]:
    return sorted(f.operation.key for f in audit(load_document(doc, source="s.yaml"), only=[rule_id]) if f.operation)


def test_without_ignores_both_operations_fire() -> None:
    assert _findings(_doc()) == ["GET /a", "GET /b"]


def test_operation_ignore_with_reasons() -> None:
    assert _findings(_doc(op_ignore={"AUD-018": "the gateway rate-limits"})) == ["GET /b"]


def test_document_ignore_list() -> None:
    assert _findings(_doc(root_ignore=["aud-018"])) == []


def test_suppress_false_returns_everything() -> None:
    model = load_document(_doc(root_ignore=["AUD-018"]), source="s.yaml")
    assert len(audit(model, only=["AUD-018"], suppress=False)) == 2


@pytest.mark.parametrize(
    ("doc", "pointer"),
    [
        (_doc(root_ignore=["AUD-999"]), "/x-apiward-ignore"),
        (_doc(op_ignore=["AUD-018", "AUD-9"]), "/paths/~1a/get/x-apiward-ignore"),
        (_doc(op_ignore=3), "/paths/~1a/get/x-apiward-ignore"),
    ],
)
def test_bad_ignores_are_spec_errors(doc: dict[str, Any], pointer: str) -> None:
    with pytest.raises(SpecError) as err:
        audit(load_document(doc, source="s.yaml"))
    assert err.value.pointer == pointer
    assert str(err.value).startswith("s.yaml: ")
