"""threat: attacks are refused, clean traffic passes, exclusions and paranoia per route."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from apiward.core import ConfigError, HttpRequest
from apiward.gateway._context import PolicyContext
from apiward.gateway._exchange import Exchange
from apiward.gateway._policy import Mode
from apiward.gateway.policies import threat
from apiward.spec import ApiModel, ApiOperation
from apiward.state import MemoryBackend

OPS = (
    ApiOperation(method="GET", path="/search", operation_id="search"),
    ApiOperation(method="POST", path="/comments", operation_id="comment"),
    ApiOperation(method="GET", path="/items/{id}"),
)
MODEL = ApiModel(title="t", version="1", source="mem", spec_version="3.1.0", operations=OPS)


def policy(mode: Mode = Mode.ENFORCE, routes: dict[str, Any] | None = None, **options: Any) -> Any:
    ctx = PolicyContext(
        mode=mode, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient(), route_options=routes or {}
    )
    return threat.build(options, ctx)


def exchange(
    op_key: str | None, *, query: str = "", body: bytes = b"", method: str = "GET", path: str = "/x"
) -> Exchange:
    op = MODEL.operation(op_key) if op_key else None
    headers = (("Content-Type", "application/json"),) if body else ()
    request = HttpRequest(method=op.method if op else method, path=path, query=query, headers=headers, body=body)
    return Exchange(request=request, operation=op)


ATTACKS = [
    exchange("search", query="q=1%27%20or%201%3D1--"),
    exchange("search", query="q=%3Cscript%3Ealert(1)%3C/script%3E"),
    exchange("comment", body=b'{"text": "; cat /etc/passwd"}'),
    exchange("GET /items/{id}", query="file=../../../../etc/passwd"),
    exchange(None, query="q=union%20select%20password%20from%20users"),
]
CLEAN = [
    exchange("search", query="q=blue+shoes&page=2"),
    exchange("comment", body=b'{"text": "I liked it, thanks! Will order again."}'),
    exchange("GET /items/{id}"),
]


@pytest.fixture(scope="module")
def engines() -> dict[Mode, Any]:
    return {mode: policy(mode) for mode in (Mode.ENFORCE, Mode.LOG_ONLY)}


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("ex", ATTACKS, ids=range(len(ATTACKS)))
async def test_attacks_are_refused(engines: dict[Mode, Any], ex: Exchange, mode: Mode) -> None:
    deny = await engines[mode].on_request(ex)
    assert deny is not None
    assert (deny.status, deny.rule_id) == (403, "GW-THREAT-001")
    assert deny.evidence["families"]
    assert ex.matched_rules


@pytest.mark.parametrize("mode", [Mode.ENFORCE, Mode.LOG_ONLY])
@pytest.mark.parametrize("ex", CLEAN, ids=range(len(CLEAN)))
async def test_clean_requests_pass(engines: dict[Mode, Any], ex: Exchange, mode: Mode) -> None:
    assert await engines[mode].on_request(ex) is None


async def test_route_exclusion_by_family_and_location() -> None:
    sqli = "q=1%27%20or%201%3D1--"
    p = policy(routes={"search": {"exclusions": [{"families": ["sqli"], "location": "query:q"}]}})
    assert await p.on_request(exchange("search", query=sqli)) is None
    # only that location, only that route
    assert await p.on_request(exchange("search", query="other=1%27%20or%201%3D1--")) is not None
    assert await p.on_request(exchange("GET /items/{id}", query=sqli)) is not None


async def test_global_exclusion_by_route_template() -> None:
    p = policy(exclusions=[{"route": "POST /comments", "location": "body:*"}])
    assert await p.on_request(exchange("comment", body=b'{"text": "; cat /etc/passwd"}')) is None
    assert await p.on_request(exchange("search", query="q=%3Cscript%3Ealert(1)%3C/script%3E")) is not None


async def test_per_route_paranoia() -> None:
    p = policy(routes={"search": {"paranoia": 2}})
    assert p._engines.keys() == {1, 2}
    # the stricter level applies to that route only
    assert p._route_paranoia == {"search": 2}
    assert await p.on_request(exchange("search", query="q=blue+shoes")) is None


def test_bad_options() -> None:
    with pytest.raises(ConfigError) as info:
        policy(paranoia=7)
    assert info.value.pointer == "policies.threat.paranoia"
    with pytest.raises(ConfigError) as info:
        policy(exclusions=[{"families": ["nope"]}])
    assert info.value.pointer == "policies.threat.exclusions[0].families[0]"


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (b'{"password": "x\' or 1=1-- "}', "[REDACTED]"),
        (b'{"user": {"api_token": "<script>alert(1)</script>"}}', "[REDACTED]"),
        (b'{"text": "x\' or 1=1-- "}', None),
    ],
)
async def test_evidence_never_shows_a_secret_field(engines: dict[Mode, Any], body: bytes, shown: str | None) -> None:
    deny = await engines[Mode.ENFORCE].on_request(exchange("comment", body=body))
    assert deny is not None
    fragments = {m["fragment"] for m in deny.evidence["matches"]}
    if shown is None:  # an ordinary field: the evidence shows what matched
        assert "[REDACTED]" not in fragments
        assert any("or 1 = 1" in f for f in fragments)
    else:
        assert fragments == {shown}


async def test_evidence_from_a_cookie_is_redacted(engines: dict[Mode, Any]) -> None:
    request = HttpRequest(
        method="GET", path="/search", headers=(("Cookie", "sid=1' union select password from users--"),)
    )
    deny = await engines[Mode.ENFORCE].on_request(Exchange(request=request, operation=MODEL.operation("search")))
    assert deny is not None
    assert {m["fragment"] for m in deny.evidence["matches"]} == {"[REDACTED]"}


CUSTOM = """\
- id: LOCAL-010
  family: sqli
  paranoia: 1
  confidence: high
  description: "Virtual patch: the search page size is a number."
  targets: ["query:size"]
  pattern: '[^0-9]'
  examples:
    fire: ["10 or 1=1", "1;"]
    pass: ["25", "100"]
"""


def _with_rules(tmp_path: Path, text: str) -> Any:
    (tmp_path / "rules").mkdir(exist_ok=True)
    (tmp_path / "rules" / "local.yaml").write_text(text, encoding="utf-8")
    ctx = PolicyContext(
        mode=Mode.ENFORCE, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient(), config_dir=str(tmp_path)
    )
    return threat.build({"rules": ["rules/local.yaml"]}, ctx)


async def test_custom_rules_from_the_configuration_folder_are_enforced(tmp_path: Path) -> None:
    p = _with_rules(tmp_path, CUSTOM)
    deny = await p.on_request(exchange("search", query="q=shoes&size=10x"))
    assert deny is not None
    assert deny.evidence["matches"][0]["rule"] == "LOCAL-010"
    assert await p.on_request(exchange("search", query="q=shoes&size=10")) is None


def test_custom_rules_whose_examples_fail_stop_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="LOCAL-010 fires on its 'pass' example '1 0'") as caught:
        _with_rules(tmp_path, CUSTOM.replace('"100"', '"1 0"'))
    assert caught.value.pointer == "policies.threat.rules"


def test_an_unreadable_rule_file_is_named(tmp_path: Path) -> None:
    ctx = PolicyContext(mode=Mode.ENFORCE, model=MODEL, state=MemoryBackend(), http=httpx.AsyncClient())
    with pytest.raises(ConfigError, match=r"missing\.yaml: cannot read the rule file"):
        threat.build({"rules": [str(tmp_path / "missing.yaml")]}, ctx)
