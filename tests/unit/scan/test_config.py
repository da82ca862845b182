from __future__ import annotations

from pathlib import Path

import pytest

from apiward.core import ConfigError
from apiward.scan import ScanConfig


def _base() -> dict[str, object]:
    return {
        "identities": {
            "alice": {"role": "user", "auth": {"type": "bearer", "token": "${APIWARD_T_ALICE}"}},
            "bob": {"role": "user2", "auth": {"type": "api_key", "name": "X-Key", "in": "query", "value": "k"}},
            "anon": {"role": "anonymous"},
        }
    }


def test_mapping_with_env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIWARD_T_ALICE", "tok-123")
    cfg = ScanConfig.from_mapping(_base())
    alice = cfg.by_role("user")
    assert alice is not None
    assert alice.auth.get("token") == "tok-123"
    assert cfg.by_role("user2") is not None
    assert cfg.by_role("user2").auth.get("in") == "query"  # type: ignore[union-attr]


def test_missing_env_names_the_variable_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIWARD_T_ALICE", raising=False)
    with pytest.raises(ConfigError, match=r"identities\.alice\.auth.*APIWARD_T_ALICE"):
        ScanConfig.from_mapping(_base())


def test_env_default_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APIWARD_NOPE", raising=False)
    cfg = ScanConfig.from_mapping({"identities": {"a": {"auth": {"type": "bearer", "token": "${APIWARD_NOPE:-x}"}}}})
    assert cfg.identities[0].auth.get("token") == "x"


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"concurency": 3}, r"concurency.*did you mean 'concurrency'"),
        ({"identities": {"a": {"role": "admn"}}}, r"identities\.a\.role.*did you mean 'admin'"),
        ({"identities": {"a": {"auth": {"type": "bearr", "token": "t"}}}}, r"auth\.type.*did you mean 'bearer'"),
        ({"identities": {"a": {"auth": {"type": "basic", "username": "u"}}}}, r"auth\.password: required"),
        ({"identities": {"a": {"auth": {"type": "api_key", "name": "k", "value": "v", "in": "body"}}}}, r"auth\.in"),
        ({"concurrency": 0}, r"concurrency: expected a number >= 1"),
        ({"target": "ftp://x"}, r"target: expected an http\(s\) URL"),
        ({"throwaway": {"register": {}}}, r"throwaway\.register\.url: required"),
    ],
)
def test_errors_name_key_path(data: dict[str, object], pattern: str) -> None:
    with pytest.raises(ConfigError, match=pattern):
        ScanConfig.from_mapping(data)


def test_yaml_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "scan.yaml"
    bad.write_text("identities:\n  alice: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"scan\.yaml: line \d+"):
        ScanConfig.from_yaml(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        ScanConfig.from_yaml(tmp_path / "missing.yaml")


def test_every_auth_type_parses() -> None:
    cfg = ScanConfig.from_mapping(
        {
            "identities": {
                "a": {"auth": {"type": "basic", "username": "u", "password": "p"}},
                "b": {"role": "user2", "auth": {"type": "cookie", "name": "sid", "value": "s"}},
                "c": {
                    "role": "low",
                    "auth": {"type": "oauth2_client_credentials", "token_url": "/t", "client_id": "i"},
                },
                "d": {
                    "role": "admin",
                    "auth": {"type": "oauth2_password", "token_url": "/t", "username": "u", "password": "p"},
                },
                "e": {"role": "user", "auth": {"type": "login", "url": "/login", "body": {"u": 1}}},
            }
        }
    )
    assert [i.auth.type for i in cfg.identities] == [
        "basic",
        "cookie",
        "oauth2_client_credentials",
        "oauth2_password",
        "login",
    ]
    assert cfg.identities[-1].auth.get("token_pointer") == "/access_token"
