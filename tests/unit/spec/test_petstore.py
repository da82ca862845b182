"""Petstore 2.0, 3.0 and 3.1 (the same 20 operations) load into the same model."""

from __future__ import annotations

from pathlib import Path

import pytest

from apiward.spec import ApiModel, ParamLocation, load

PETSTORES = ("petstore-2.0.json", "petstore-3.0.yaml", "petstore-3.1.yaml")


@pytest.fixture(params=PETSTORES)
def model(request: pytest.FixtureRequest, fixtures: Path) -> ApiModel:
    return load(fixtures / request.param)


def test_info_servers_and_counts(model: ApiModel) -> None:
    assert model.title == "Swagger Petstore"
    assert model.version == "1.0.0"
    assert model.spec_version in ("2.0", "3.0.0", "3.1.0")
    assert [s.url for s in model.servers] == ["http://petstore.swagger.io/v2"]
    assert len(model.operations) == 20
    assert len(model.router) == 20
    assert set(model.schemas) == {"ApiResponse", "Category", "Pet", "Tag", "Order", "User"}


def test_operations_tags_and_deprecated(model: ApiModel) -> None:
    op = model.operation("getPetById")
    assert op is not None
    assert (op.method, op.path, op.tags) == ("GET", "/pet/{petId}", ("pet",))
    assert op.pointer == "/paths/~1pet~1{petId}/get"
    assert [o.operation_id for o in model.operations if o.deprecated] == ["findPetsByTags"]
    assert model.operation("PUT /pet") is not None


def test_parameters(model: ApiModel) -> None:
    op = model.operation("getPetById")
    assert op is not None
    (param,) = op.parameters
    assert (param.name, param.location, param.required) == ("petId", ParamLocation.PATH, True)
    assert param.schema == {"type": "integer", "format": "int64"}
    assert param.style == "simple"
    assert param.pointer == "/paths/~1pet~1{petId}/get/parameters/0"
    find = model.operation("findPetsByStatus")
    assert find is not None
    (status,) = find.params(ParamLocation.QUERY)
    assert status.required
    assert status.schema["type"] == "array"
    assert status.schema["items"]["enum"] == ["available", "pending", "sold"]
    assert (status.style, status.explode) == ("form", True)
    delete = model.operation("deletePet")
    assert delete is not None
    assert [(p.name, p.location) for p in delete.parameters] == [
        ("api_key", ParamLocation.HEADER),
        ("petId", ParamLocation.PATH),
    ]


def test_request_bodies(model: ApiModel) -> None:
    add = model.operation("addPet")
    assert add is not None
    assert add.request_body is not None
    assert add.request_body.required
    body_at = "/parameters/0" if model.spec_version == "2.0" else "/requestBody"
    assert add.request_body.pointer == "/paths/~1pet/post" + body_at
    assert set(add.request_body.content) == {"application/json", "application/xml"}
    schema = add.request_body.content["application/json"].schema
    assert schema is not None
    assert schema is model.schemas["Pet"]
    assert schema["required"] == ["name", "photoUrls"]
    assert schema["properties"]["category"] is model.schemas["Category"]
    form = model.operation("updatePetWithForm")
    assert form is not None
    assert form.request_body is not None
    (media,) = form.request_body.content.values()
    assert media.media_type == "application/x-www-form-urlencoded"
    assert media.schema is not None
    assert set(media.schema["properties"]) == {"name", "status"}


def test_responses_with_schemas_and_headers(model: ApiModel) -> None:
    login = model.operation("loginUser")
    assert login is not None
    ok = login.responses["200"]
    assert set(ok.content) == {"application/xml", "application/json"}
    assert ok.content["application/json"].schema == {"type": "string"}
    assert set(ok.headers) == {"X-Rate-Limit", "X-Expires-After"}
    assert ok.headers["X-Rate-Limit"].location is ParamLocation.HEADER
    assert ok.headers["X-Rate-Limit"].schema == {"type": "integer", "format": "int32"}
    assert ok.headers["X-Rate-Limit"].pointer == "/paths/~1user~1login/get/responses/200/headers/X-Rate-Limit"
    assert ok.pointer == "/paths/~1user~1login/get/responses/200"
    assert "400" in login.responses
    get = model.operation("getPetById")
    assert get is not None
    assert get.responses["200"].content["application/json"].schema is model.schemas["Pet"]


def test_security(model: ApiModel) -> None:
    oauth = model.security_schemes["petstore_auth"]
    assert oauth.type == "oauth2"
    (flow,) = oauth.flows.values()
    assert flow.kind == "implicit"
    assert flow.authorization_url == "http://petstore.swagger.io/oauth/dialog"
    assert set(flow.scopes) == {"write:pets", "read:pets"}
    key = model.security_schemes["api_key"]
    assert (key.type, key.location, key.param_name) == ("apiKey", "header", "api_key")
    section = "/securityDefinitions" if model.spec_version == "2.0" else "/components/securitySchemes"
    assert (key.pointer, oauth.pointer) == (f"{section}/api_key", f"{section}/petstore_auth")
    add = model.operation("addPet")
    assert add is not None
    assert [dict(r) for r in add.security] == [{"petstore_auth": ("write:pets", "read:pets")}]
    assert add.security_declared
    assert add.requires_auth
    by_id = model.operation("getPetById")
    assert by_id is not None
    assert [dict(r) for r in by_id.security] == [{"api_key": ()}]
    login = model.operation("loginUser")
    assert login is not None
    assert login.security == ()
    assert not login.requires_auth


def test_the_three_versions_agree(fixtures: Path) -> None:
    models = [load(fixtures / name) for name in PETSTORES]
    keys = [{(o.method, o.path, o.operation_id) for o in m.operations} for m in models]
    assert keys[0] == keys[1] == keys[2]
    params = [
        {(o.operation_id, p.name, p.location, p.required) for o in m.operations for p in o.parameters} for m in models
    ]
    assert params[0] == params[1] == params[2]
    auth = [{(o.operation_id, o.requires_auth) for o in m.operations} for m in models]
    assert auth[0] == auth[1] == auth[2]


def test_match_on_a_loaded_model(model: ApiModel) -> None:
    found = model.match("get", "/pet/findByStatus")
    assert found is not None
    assert found.operation.operation_id == "findPetsByStatus"
    found = model.match("GET", "/pet/12")
    assert found is not None
    assert found.operation.operation_id == "getPetById"
    assert found.path_params == {"petId": "12"}
    assert model.router.allowed_methods("/pet/12") == ("DELETE", "GET", "POST")


def test_base_paths(model: ApiModel) -> None:
    assert model.base_paths == ("/v2",)


def test_base_paths_with_variables_and_several_servers() -> None:
    from apiward.spec import Server

    servers = (
        Server(
            url="https://{region}.example.com/{base}/",
            variables={"region": {"default": "eu"}, "base": {"default": "api/v1"}},
        ),
        Server(url="/"),
        Server(url="//cdn.example.com/x"),
    )
    model = ApiModel(title="t", version="1", source="s", spec_version="3.0.3", servers=servers)
    assert model.base_paths == ("/api/v1", "/x", "")
    assert ApiModel(title="t", version="1", source="s", spec_version="3.0.3").base_paths == ("",)


def test_model_is_immutable_and_survives_pickle(model: ApiModel) -> None:
    import copy
    import pickle

    op = model.operation("addPet")
    assert op is not None
    with pytest.raises(TypeError, match="immutable"):
        op.responses["999"] = op.responses["405"]  # type: ignore[index]
    with pytest.raises(TypeError, match="immutable"):
        model.security_schemes.pop("api_key")  # type: ignore[attr-defined]
    clone = pickle.loads(pickle.dumps(model))
    assert clone == model
    body = clone.operation("addPet")
    assert body is not None
    assert body.request_body is not None
    assert body.request_body.content["application/json"].schema is clone.schemas["Pet"]
    assert copy.deepcopy(model) == model
    found = clone.match("GET", "/pet/7")
    assert found is not None
    assert found.path_params == {"petId": "7"}
