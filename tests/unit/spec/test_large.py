"""The large real-world descriptions load completely (origins and licences: tests/fixtures/specs/README.md)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from apiward.spec import ApiModel, load, walk_schema


@functools.cache
def _load(path: Path) -> ApiModel:
    return load(path)


LARGE = [
    # file, title, spec version, operations, component schemas, security schemes
    ("github-api.json.gz", "GitHub's official OpenAPI spec + Octokit extension", "3.0.3", 1223, 969, 0),
    ("kubernetes.json.gz", "Kubernetes", "3.0.0", 845, 547, 1),
    ("shipengine.json.gz", "ShipEngine API", "3.0.0", 76, 253, 1),
    ("stripe.json.gz", "Stripe API", "3.0.0", 452, 775, 2),
]


@pytest.mark.parametrize(("name", "title", "version", "operations", "schemas", "schemes"), LARGE)
def test_large_description_loads(
    fixtures: Path, name: str, title: str, version: str, operations: int, schemas: int, schemes: int
) -> None:
    path = fixtures / name
    assert path.stat().st_size > 100_000
    model = _load(path)
    assert (model.title, model.spec_version) == (title, version)
    assert len(model.operations) == operations
    assert len(model.schemas) == schemas
    assert len(model.security_schemes) == schemes
    assert len(model.router) == operations  # every operation is routable, no duplicate templates
    for op in model.operations:
        concrete = re.sub(r"\{[^}]+\}", "zq7x", op.path)  # a value no real template has as a literal
        found = model.match(op.method, concrete)
        assert found is not None
        assert found.operation is op, (op.method, op.path, found.operation.path)
        for response in op.responses.values():
            for media in response.content.values():
                if media.schema is not None:
                    assert next(walk_schema(media.schema))[1] is media.schema


def test_large_fixtures_are_large(fixtures: Path) -> None:
    import gzip

    for name, *_ in LARGE:
        assert len(gzip.decompress((fixtures / name).read_bytes())) >= 1_000_000


def test_github_routes(fixtures: Path) -> None:
    model = _load(fixtures / "github-api.json.gz")
    found = model.match("GET", "/repos/octocat/hello-world/issues/42")
    assert found is not None
    assert found.operation.operation_id == "issues/get"
    assert found.path_params == {"owner": "octocat", "repo": "hello-world", "issue_number": "42"}
    found = model.match("GET", "/user/repos")
    assert found is not None
    assert found.operation.operation_id == "repos/list-for-authenticated-user"
    assert sum(op.deprecated for op in model.operations) == 37


def test_okta_swagger_2_0(fixtures: Path) -> None:
    model = _load(fixtures / "okta-2.0.json.gz")
    assert (model.title, model.spec_version, len(model.operations), len(model.schemas)) == ("Okta API", "2.0", 340, 456)
    assert [s.url for s in model.servers] == ["https://your-subdomain.okta.com/"]
    assert all(op.requires_auth for op in model.operations)
    logo = model.operation("POST /api/v1/apps/{appId}/logo")
    assert logo is not None
    assert logo.request_body is not None
    (media,) = logo.request_body.content.values()
    assert media.media_type == "multipart/form-data"
    assert media.schema is not None
    assert any(p.get("format") == "binary" for p in media.schema["properties"].values())
