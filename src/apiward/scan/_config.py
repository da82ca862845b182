"""``ScanConfig``: the validated scan configuration (YAML or a mapping), with ``${ENV}`` secrets.

Errors name the file, the key path and, for unknown keys, the closest known one ("did you mean …?").
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from apiward.core import ConfigError

__all__ = ["AUTH_TYPES", "ROLES", "AuthConfig", "IdentityConfig", "LoginConfig", "ScanConfig", "ThrowawayConfig"]

ROLES = ("user", "user2", "low", "admin", "anonymous")
AUTH_TYPES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "none": frozenset(),
        "bearer": frozenset({"token", "header", "prefix"}),
        "api_key": frozenset({"name", "in", "value"}),
        "basic": frozenset({"username", "password"}),
        "cookie": frozenset({"name", "value"}),
        "oauth2_client_credentials": frozenset({"token_url", "client_id", "client_secret", "scope"}),
        "oauth2_password": frozenset({"token_url", "username", "password", "client_id", "client_secret", "scope"}),
        "login": frozenset(
            {"url", "method", "body", "form", "token_pointer", "token_header", "token_cookie", "header", "prefix"}
        ),
    }
)
_REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "bearer": ("token",),
        "api_key": ("name", "value"),
        "basic": ("username", "password"),
        "cookie": ("name", "value"),
        "oauth2_client_credentials": ("token_url", "client_id"),
        "oauth2_password": ("token_url", "username", "password"),
        "login": ("url",),
    }
)
_TOP_KEYS = frozenset(
    {
        "target",
        "identities",
        "throwaway",
        "login",
        "concurrency",
        "rate_limit",
        "timeout",
        "retries",
        "max_requests",
        "max_seconds",
        "checks",
        "exclude_checks",
        "skip_operations",
        "headers",
        "options",
    }
)
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthConfig:
    """How one identity authenticates: ``type`` (see :data:`AUTH_TYPES`) and its options."""

    type: str = "none"
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentityConfig:
    name: str
    role: str
    auth: AuthConfig = field(default_factory=AuthConfig)


@dataclass(frozen=True, slots=True, kw_only=True)
class ThrowawayConfig:
    """How the scanner registers accounts of its own (``{name}``/``{password}`` are substituted)."""

    register_url: str
    register_body: Mapping[str, Any]
    login: AuthConfig


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginConfig:
    url: str
    username_field: str = "username"
    password_field: str = "password"  # noqa: S105 - a field name, not a secret
    known_user: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanConfig:
    """Everything a scan needs besides the model and the target. Build with :meth:`from_yaml`/:meth:`from_mapping`."""

    target: str | None = None
    identities: tuple[IdentityConfig, ...] = ()
    throwaway: ThrowawayConfig | None = None
    login: LoginConfig | None = None
    concurrency: int = 8
    rate_limit: float = 0.0  # requests per second over the whole scan; 0 = unlimited
    timeout: float = 10.0
    retries: int = 2
    max_requests: int = 20000
    max_seconds: float = 600.0
    checks: tuple[str, ...] = ()  # empty = all
    exclude_checks: tuple[str, ...] = ()
    skip_operations: tuple[str, ...] = ()
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def by_role(self, role: str) -> IdentityConfig | None:
        return next((i for i in self.identities if i.role == role), None)

    @classmethod
    def from_yaml(cls, path: str | Path) -> ScanConfig:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read: {exc.strerror or exc}", source=source) from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
            raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", source=source, pointer=where) from exc
        return cls.from_mapping(data if data is not None else {}, source=source)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str | None = None) -> ScanConfig:
        return _Parser(source).parse(data)


class _Parser:
    def __init__(self, source: str | None) -> None:
        self.source = source

    def fail(self, path: str, message: str) -> ConfigError:
        return ConfigError(message, source=self.source, pointer=path or None)

    def keys(self, data: Any, path: str, allowed: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(data, Mapping):
            raise self.fail(path, f"expected a mapping, got {type(data).__name__}")
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(sorted(allowed))}"
                raise self.fail(_join(path, str(key)), f"unknown key {key!r}{hint}")
        return data

    def env(self, value: Any, path: str) -> Any:
        if isinstance(value, str):

            def sub(m: re.Match[str]) -> str:
                found = os.environ.get(m.group(1), m.group(2))
                if found is None:
                    raise self.fail(path, f"environment variable {m.group(1)} is not set")
                return found

            return _ENV.sub(sub, value)
        if isinstance(value, Mapping):
            return {k: self.env(v, _join(path, str(k))) for k, v in value.items()}
        if isinstance(value, list):
            return [self.env(v, f"{path}[{i}]") for i, v in enumerate(value)]
        return value

    def number(self, data: Mapping[str, Any], key: str, default: float, *, minimum: float = 0) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
            raise self.fail(key, f"expected a number >= {minimum:g}, got {value!r}")
        return float(value)

    def strings(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return tuple(value)

    def auth(self, data: Any, path: str) -> AuthConfig:
        if data is None:
            return AuthConfig()
        if not isinstance(data, Mapping):
            raise self.fail(path, "expected a mapping with a 'type'")
        kind = str(data.get("type"))
        if kind not in AUTH_TYPES:
            close = difflib.get_close_matches(str(kind), list(AUTH_TYPES), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; choose one of: {', '.join(AUTH_TYPES)}"
            raise self.fail(_join(path, "type"), f"unknown auth type {kind!r}{hint}")
        options = dict(self.keys(data, path, AUTH_TYPES[kind] | {"type"}))
        options.pop("type")
        for req in _REQUIRED.get(kind, ()):
            if req not in options:
                raise self.fail(_join(path, req), f"required for auth type {kind!r}")
        if kind == "api_key" and options.get("in", "header") not in ("header", "query", "cookie"):
            raise self.fail(_join(path, "in"), "expected one of: header, query, cookie")
        if kind == "login" and not any(k in options for k in ("token_pointer", "token_header", "token_cookie")):
            options["token_pointer"] = "/access_token"  # noqa: S105 - a JSON pointer
        return AuthConfig(type=kind, options=MappingProxyType(self.env(options, path)))

    def parse(self, raw: Any) -> ScanConfig:
        data = self.keys(raw, "", _TOP_KEYS)
        idents: list[IdentityConfig] = []
        raw_ids = data.get("identities", {})
        if not isinstance(raw_ids, Mapping):
            raise self.fail("identities", "expected a mapping of name -> {role, auth}")
        for name, spec in raw_ids.items():
            path = f"identities.{name}"
            spec = self.keys(spec, path, frozenset({"role", "auth"}))
            role = spec.get("role", "user")
            if role not in ROLES:
                close = difflib.get_close_matches(str(role), ROLES, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; choose one of: {', '.join(ROLES)}"
                raise self.fail(f"{path}.role", f"unknown role {role!r}{hint}")
            idents.append(IdentityConfig(name=str(name), role=role, auth=self.auth(spec.get("auth"), f"{path}.auth")))
        throwaway = None
        if "throwaway" in data:
            t = self.keys(data["throwaway"], "throwaway", frozenset({"register", "login"}))
            reg = self.keys(t.get("register"), "throwaway.register", frozenset({"url", "body"}))
            if "url" not in reg:
                raise self.fail("throwaway.register.url", "required")
            login = dict(t.get("login") or {})
            login.setdefault("type", "login")
            throwaway = ThrowawayConfig(
                register_url=str(reg["url"]),
                register_body=MappingProxyType(dict(reg.get("body") or {})),
                login=self.auth(login, "throwaway.login"),
            )
        login_cfg = None
        if "login" in data:
            lg = self.keys(data["login"], "login", frozenset({"url", "username_field", "password_field", "known_user"}))
            if "url" not in lg:
                raise self.fail("login.url", "required")
            login_cfg = LoginConfig(
                url=str(lg["url"]),
                username_field=str(lg.get("username_field", "username")),
                password_field=str(lg.get("password_field", "password")),
                known_user=lg.get("known_user"),
            )
        headers = data.get("headers", {})
        if not isinstance(headers, Mapping):
            raise self.fail("headers", "expected a mapping of header -> value")
        options = data.get("options", {})
        if not isinstance(options, Mapping):
            raise self.fail("options", "expected a mapping")
        target = data.get("target")
        if target is not None and not (isinstance(target, str) and target.startswith(("http://", "https://"))):
            raise self.fail("target", f"expected an http(s) URL, got {target!r}")
        return ScanConfig(
            target=target,
            identities=tuple(idents),
            throwaway=throwaway,
            login=login_cfg,
            concurrency=int(self.number(data, "concurrency", 8, minimum=1)),
            rate_limit=self.number(data, "rate_limit", 0),
            timeout=self.number(data, "timeout", 10, minimum=0.1),
            retries=int(self.number(data, "retries", 2)),
            max_requests=int(self.number(data, "max_requests", 20000, minimum=1)),
            max_seconds=self.number(data, "max_seconds", 600, minimum=1),
            checks=self.strings(data, "checks"),
            exclude_checks=self.strings(data, "exclude_checks"),
            skip_operations=self.strings(data, "skip_operations"),
            headers=MappingProxyType({str(k): str(v) for k, v in self.env(dict(headers), "headers").items()}),
            options=MappingProxyType(dict(options)),
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
