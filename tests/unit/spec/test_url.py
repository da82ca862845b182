"""Loading from http(s) URLs, against a real HTTP server on loopback; remote ``$ref``s."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from apiward.core import SpecError
from apiward.spec import load


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``(base URL, folder it serves)``: a real HTTP server on 127.0.0.1, port 0."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="spec-test-http", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _spec(schema_ref: str) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Remote", "version": "2"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": schema_ref}}}}
                    },
                }
            }
        },
    }


def test_load_from_url_with_relative_remote_refs(served: tuple[str, Path]) -> None:
    base, root = served
    (root / "defs").mkdir()
    (root / "defs" / "thing.yaml").write_text("Thing: {type: object, properties: {id: {type: string}}}\n")
    (root / "api.json").write_text(json.dumps(_spec("defs/thing.yaml#/Thing")))
    model = load(f"{base}/api.json")
    assert model.source == f"{base}/api.json"
    assert model.title == "Remote"
    found = model.match("GET", "/things/x1")
    assert found is not None
    schema = found.operation.responses["200"].content["application/json"].schema
    assert schema == {"type": "object", "properties": {"id": {"type": "string"}}}


def test_gzip_over_http_and_from_file(served: tuple[str, Path], write: Callable[..., Path]) -> None:
    base, root = served
    data = gzip.compress(json.dumps(_spec("#/components/schemas/X") | {"components": {"schemas": {"X": {}}}}).encode())
    (root / "api.json.gz").write_bytes(data)
    assert len(load(f"{base}/api.json.gz").operations) == 1
    assert len(load(write("local.json.gz", data)).operations) == 1


def test_http_errors_are_spec_errors(served: tuple[str, Path]) -> None:
    base, _ = served
    with pytest.raises(SpecError, match=r"/missing\.yaml: HTTP 404 when fetching the description$"):
        load(f"{base}/missing.yaml")


def test_unreachable_url_is_a_spec_error(served: tuple[str, Path]) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SpecError, match=r"cannot fetch: ConnectError"):
        load(f"http://127.0.0.1:{port}/api.yaml")


def test_a_remote_description_may_not_read_local_files(served: tuple[str, Path], write: Callable[..., Path]) -> None:
    base, root = served
    secret = write("secret.yaml", {"X": {"type": "string"}})
    (root / "api.json").write_text(json.dumps(_spec(f"{secret.as_uri()}#/X")))
    with pytest.raises(SpecError, match="a remote document may not reference local files"):
        load(f"{base}/api.json")


def test_local_description_with_remote_ref(served: tuple[str, Path], write: Callable[..., Path]) -> None:
    base, root = served
    (root / "common.yaml").write_text("Id: {type: integer}\n")
    path = write("api.yaml", _spec(f"{base}/common.yaml#/Id"))
    (op,) = load(path).operations
    assert op.responses["200"].content["application/json"].schema == {"type": "integer"}
    with pytest.raises(SpecError, match="remote references are off"):
        load(path, allow_remote_refs=False)


def test_secrets_in_urls_never_reach_messages_or_the_model(served: tuple[str, Path]) -> None:
    base, root = served
    (root / "api.json").write_text(json.dumps(_spec("#/components/schemas/X") | {"components": {"schemas": {"X": {}}}}))
    host = base.removeprefix("http://")
    model = load(f"http://user:hunter2@{host}/api.json?api_key=s3cr3t&v=1")
    assert "hunter2" not in model.source
    assert "s3cr3t" not in model.source
    assert "v=1" in model.source
    with pytest.raises(SpecError) as caught:
        load(f"{base}/missing.json?token=s3cr3t")
    assert "s3cr3t" not in str(caught.value)
