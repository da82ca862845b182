"""Config loading: schema errors with key paths and hints, ${ENV}, route keys, safe defaults, reference page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apiward.core import ConfigError
from apiward.gateway import config_schema, load_config, quick_config
from apiward.gateway._config import check_routes
from apiward.gateway._envsubst import substitute
from apiward.gateway._reference import render_reference
from apiward.spec._loader import load_document

ROOT = Path(__file__).resolve().parents[3]
UP = {"upstream": {"url": "http://127.0.0.1:9"}}


def test_minimal_config_gets_defaults() -> None:
    config = load_config(UP)
    assert config.mode == "proxy"
    assert config.section("listen")["host"] == "127.0.0.1"
    assert config.section("limits")["max_body_bytes"] == 10485760
    assert config.data["state"] == "memory://"
    assert len(config.version) == 12


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    path = tmp_path / "gw.yaml"
    path.write_text(
        "upstream: {url: 'http://127.0.0.1:9'}\npolicies:\n  ratelimit:\n    limits:\n"
        "      - {requests: 1, period_s: 1, brust: 3}\n"
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.source == str(path)
    assert err.value.pointer == "policies.ratelimit.limits[0].brust"
    assert "did you mean 'burst'?" in str(err.value)


@pytest.mark.parametrize(
    ("doc", "pointer", "text"),
    [
        ({**UP, "upstrem": {}}, "upstrem", "did you mean 'upstream'?"),
        ({**UP, "mode": "proxi"}, "mode", "did you mean 'proxy'?"),
        ({**UP, "listen": {"port": "eighty"}}, "listen.port", "is not of type 'integer'"),
        ({**UP, "policies": {"hygeine": {}}}, "policies.hygeine", "did you mean 'hygiene'?"),
        ({"mode": "proxy"}, "upstream", "needs 'upstream.url'"),
        ({**UP, "admin": {"port": 1, "token": "short"}}, "admin.token", "too short"),
    ],
)
def test_errors_name_the_key_path(doc: dict, pointer: str, text: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as err:
        load_config(doc)
    assert err.value.pointer == pointer
    assert text in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("upstream:\n  url: [unclosed\n")
    with pytest.raises(ConfigError, match="line"):
        load_config(path)


def test_env_substitution_and_secrets_not_quoted() -> None:
    env = {"ADMIN_TOKEN": "s3cr3t-s3cr3t-s3cr3t", "PORT": "x"}
    doc = {**UP, "admin": {"port": 0, "token": "${ADMIN_TOKEN}"}, "state": "${STATE:-memory://}"}
    config = load_config(doc, env=env)
    assert config.section("admin")["token"] == "s3cr3t-s3cr3t-s3cr3t"
    assert config.data["state"] == "memory://"
    with pytest.raises(ConfigError) as err:
        load_config({**UP, "admin": {"port": 0, "token": "${ADMIN_TOKEN}"}}, env={"ADMIN_TOKEN": "tiny-secret"})
    assert "tiny-secret" not in str(err.value)
    assert err.value.pointer == "admin.token"
    with pytest.raises(ConfigError, match="MISSING is not set") as err:
        load_config({**UP, "state": "${MISSING}"}, env={})
    assert err.value.pointer == "state"


@given(st.text(max_size=40))
def test_substitution_never_alters_text_without_variables(text: str) -> None:
    if "${" in text or "$$" in text:
        return
    assert substitute({"k": [text]}, env={})[0] == {"k": [text]}


def test_literal_dollar_brace() -> None:
    assert substitute("a $${HOME} b", env={"HOME": "x"})[0] == "a ${HOME} b"


def test_route_keys_must_name_operations() -> None:
    model = load_document(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/items": {"get": {"operationId": "listItems", "responses": {"200": {"description": "ok"}}}}},
        },
        source="inline",
    )
    check_routes(load_config({**UP, "routes": {"listItems": {}, "GET /items": {}}}), model)
    with pytest.raises(ConfigError, match="did you mean 'listItems'") as err:
        check_routes(load_config({**UP, "routes": {"listItem": {}}}), model)
    assert err.value.pointer == "routes.listItem"


def test_quick_config_is_safe_by_default() -> None:
    config = quick_config(None, "http://127.0.0.1:9")
    assert config.section("listen")["host"] == "127.0.0.1"
    assert "admin" not in config.data


def test_schema_is_valid_json_schema() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(config_schema())


def test_reference_page_is_current() -> None:
    page = ROOT / "docs" / "reference" / "gateway-config.md"
    assert page.read_text() == render_reference() + "\n", "regenerate: apiward gateway --reference > " + str(page)
