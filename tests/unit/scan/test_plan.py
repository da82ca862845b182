from __future__ import annotations

from apiward.scan._plan import collection_of, id_from_body, is_id_name, phase_of, plan, self_sensitive
from apiward.spec import ApiOperation


def _op(method: str, path: str, **kw: object) -> ApiOperation:
    return ApiOperation(method=method, path=path, **kw)  # type: ignore[arg-type]


def test_collections_and_ids() -> None:
    assert collection_of("/users/{uid}/orders/{id}") == "/users/{uid}/orders"
    assert collection_of("/orders") == "/orders"
    assert id_from_body({"id": 7}, "/orders") == "7"
    assert id_from_body({"order_id": "a"}, "/orders") == "a"
    assert id_from_body({"data": {"id": 3}}, "/orders") == "3"
    assert is_id_name("orderId")
    assert is_id_name("id")
    assert not is_id_name("valid")


def test_plan_creates_before_reads_before_deletes() -> None:
    ops = [_op("DELETE", "/o/{id}"), _op("GET", "/o/{id}"), _op("POST", "/o"), _op("PUT", "/o/{id}")]
    order = [op.method for wave in plan(ops) for op in wave]
    assert order == ["POST", "GET", "PUT", "DELETE"]
    assert phase_of(_op("POST", "/o/{id}")) == 2
    assert phase_of(_op("POST", "/o/{id}/items")) == 0


def test_self_sensitive_operations() -> None:
    assert self_sensitive(_op("PUT", "/users/me/password"))
    assert self_sensitive(_op("POST", "/auth/logout"))
    assert self_sensitive(_op("DELETE", "/users/{id}"))
    assert self_sensitive(_op("PATCH", "/me"))
    assert self_sensitive(_op("GET", "/users/me/password")) is None
    assert self_sensitive(_op("POST", "/orders")) is None
