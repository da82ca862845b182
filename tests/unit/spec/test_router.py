"""The router: precedence, trailing slashes, percent-encoding, methods, and a Hypothesis property."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from apiward.spec import ApiOperation, Router


def _ops(*specs: str) -> list[ApiOperation]:
    out = []
    for spec in specs:
        method, path = spec.split(" ", 1)
        out.append(ApiOperation(method=method, path=path, operation_id=f"{method} {path}"))
    return out


ROUTER = Router(
    _ops(
        "GET /users",
        "POST /users",
        "GET /users/{id}",
        "DELETE /users/{id}",
        "GET /users/me",
        "GET /users/{userId}/posts/{postId}",
        "GET /files/{name}.{ext}",
        "GET /files/{name}",
        "POST /v1/{resource}:cancel",
        "GET /",
    )
)


def _hit(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    found = ROUTER.match(method, path)
    if found is None:
        return None
    return f"{found.operation.method} {found.operation.path}", dict(found.path_params)


def test_literal_segment_beats_template() -> None:
    assert _hit("GET", "/users/me") == ("GET /users/me", {})
    assert _hit("GET", "/users/42") == ("GET /users/{id}", {"id": "42"})


def test_falls_back_to_template_when_literal_lacks_the_method() -> None:
    assert _hit("DELETE", "/users/me") == ("DELETE /users/{id}", {"id": "me"})


def test_several_params_and_names_per_operation() -> None:
    assert _hit("GET", "/users/7/posts/9") == ("GET /users/{userId}/posts/{postId}", {"userId": "7", "postId": "9"})


def test_trailing_slash_query_and_fragment_are_tolerated() -> None:
    assert _hit("GET", "/users/42/") == ("GET /users/{id}", {"id": "42"})
    assert _hit("GET", "/users?limit=3") == ("GET /users", {})
    assert _hit("GET", "/users/me#top") == ("GET /users/me", {})
    assert _hit("GET", "/") == ("GET /", {})
    assert _hit("GET", "") == ("GET /", {})


def test_percent_encoding_is_decoded_but_never_splits_segments() -> None:
    assert _hit("GET", "/users/a%20b") == ("GET /users/{id}", {"id": "a b"})
    assert _hit("GET", "/users/a%2Fb") == ("GET /users/{id}", {"id": "a/b"})
    assert _hit("GET", "/users/a%2Fb/posts/1") == (
        "GET /users/{userId}/posts/{postId}",
        {"userId": "a/b", "postId": "1"},
    )
    assert _hit("GET", "/users/%6De") == ("GET /users/me", {})  # an encoded literal is still the literal


def test_method_is_case_insensitive() -> None:
    assert _hit("get", "/users") == ("GET /users", {})
    assert _hit("Post", "/users") == ("POST /users", {})


def test_mixed_segments() -> None:
    assert _hit("GET", "/files/report.pdf") == ("GET /files/{name}.{ext}", {"name": "report", "ext": "pdf"})
    assert _hit("GET", "/files/README") == ("GET /files/{name}", {"name": "README"})
    assert _hit("POST", "/v1/jobs:cancel") == ("POST /v1/{resource}:cancel", {"resource": "jobs"})
    assert _hit("GET", "/files/a%2Fb.txt") == ("GET /files/{name}.{ext}", {"name": "a/b", "ext": "txt"})
    assert _hit("GET", "/files/archive.tar.gz") == ("GET /files/{name}.{ext}", {"name": "archive", "ext": "tar.gz"})


def test_no_match() -> None:
    assert _hit("GET", "/nope") is None
    assert _hit("PUT", "/users") is None
    assert _hit("GET", "/users/1/posts") is None
    assert _hit("GET", "/users//posts/1") is None  # an empty segment is no parameter value


def test_allowed_methods_is_consistent_with_match() -> None:
    assert ROUTER.allowed_methods("/users") == ("GET", "POST")
    assert ROUTER.allowed_methods("/users/me") == ("DELETE", "GET")
    assert ROUTER.allowed_methods("/users/5/") == ("DELETE", "GET")
    assert ROUTER.allowed_methods("/nope") == ()
    for path in ("/users", "/users/me", "/users/5", "/files/a.b", "/nope"):
        for method in ("GET", "POST", "PUT", "DELETE"):
            assert (ROUTER.match(method, path) is not None) == (method in ROUTER.allowed_methods(path))


def test_first_of_equivalent_templates_wins() -> None:
    router = Router(_ops("GET /a/{x}", "GET /a/{y}"))
    found = router.match("GET", "/a/1")
    assert found is not None
    assert found.operation.path == "/a/{x}"
    assert dict(found.path_params) == {"x": "1"}
    assert len(router) == 1


# -- property: every concrete path generated from a template matches its own operation -----------------
_WORD = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=6)
_VALUE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=8,
)


@st.composite
def _templates(draw: st.DrawFn) -> list[tuple[str, bool]]:
    """Segments of a template: (literal text, False), (parameter name, True) or a parameter with text
    around it in one segment, written as ``"prefix{p3}suffix"`` with True."""
    n = draw(st.integers(min_value=1, max_value=5))
    segments = []
    for i in range(n):
        kind = draw(st.sampled_from(["literal", "param", "mixed"]))
        if kind == "param":
            segments.append((f"p{i}", True))
        elif kind == "mixed":
            prefix, suffix = draw(st.sampled_from([("v", ""), ("", ".json"), ("item-", ":run")]))
            segments.append((f"{prefix}{{p{i}}}{suffix}", True))
        else:
            segments.append((draw(_WORD), False))
    return segments


def _render(text: str, is_param: bool) -> str:
    return text if "{" in text else "{" + text + "}" if is_param else text


def _name(text: str) -> str:
    return text[text.index("{") + 1 : text.index("}")] if "{" in text else text


def _fill(text: str, value: str) -> str:
    if "{" not in text:
        return _quote(value)
    return text[: text.index("{")] + _quote(value) + text[text.index("}") + 1 :]


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


@settings(max_examples=300, deadline=None)
@given(template=_templates(), data=st.data())
def test_every_concrete_path_matches_its_template(template: list[tuple[str, bool]], data: st.DataObject) -> None:
    path = "/" + "/".join(_render(text, is_param) for text, is_param in template)
    siblings = []
    # literal siblings: the same template with one parameter replaced by a fixed word, and a longer one
    for i, (_, is_param) in enumerate(template):
        if is_param:
            alt = [_render(t, p) if j != i else "zzfixed" for j, (t, p) in enumerate(template)]
            siblings.append(ApiOperation(method="GET", path="/" + "/".join(alt)))
    siblings.append(ApiOperation(method="GET", path=path + "/extra"))
    own = ApiOperation(method="GET", path=path, operation_id="own")
    router = Router([*siblings, own] if data.draw(st.booleans()) else [own, *siblings])
    values = {
        _name(text): data.draw(_VALUE.filter(lambda v: v != "zzfixed")) for text, is_param in template if is_param
    }
    concrete = "/" + "/".join(_fill(text, values[_name(text)]) if is_param else text for text, is_param in template)
    if data.draw(st.booleans()):
        concrete += "/"
    found = router.match("get", concrete)
    assert found is not None
    assert found.operation is own
    assert dict(found.path_params) == values


def test_a_parameter_named_twice_in_a_template() -> None:
    router = Router(_ops("GET /groups/System.{location}/fabric/{location}"))
    found = router.match("GET", "/groups/System.west/fabric/west")
    assert found is not None
    assert dict(found.path_params) == {"location": "west"}


def test_a_plain_template_beats_a_pseudo_path_with_a_fragment_or_query() -> None:
    router = Router(_ops("POST /users#operation=suspend", "POST /users", "GET /items?list=2", "GET /items"))
    for path in ("/users", "/items"):
        found = router.match("POST" if path == "/users" else "GET", path)
        assert found is not None
        assert found.operation.path == path
    assert len(router) == 2
