"""What detectors read from an event: its principal, the object ids it touched, failed logins, time buckets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from apiward.analytics._detector import Principal
from apiward.core import SecurityEvent
from apiward.state import StateBackend

__all__ = [
    "LOGIN_PATH",
    "Windowed",
    "alert_due",
    "attempted_username",
    "bucket",
    "cooled_down",
    "is_failed_login",
    "is_login",
    "object_ids",
    "once",
    "principal_of",
]

LOGIN_PATH = re.compile(r"(?i)/(log-?in|sign-?in|auth(?:enticate)?|token|session|oauth2?/token)(?:/|$)")
_USERNAME_KEYS = ("username", "user", "login", "email", "attempted_username")


def principal_of(event: SecurityEvent) -> Principal | None:
    """The authenticated subject, else the token fingerprint, else the client IP."""
    ident = event.identity
    if ident is not None and not ident.is_anonymous:
        return Principal("identity", ident.subject)
    if ident is not None and ident.token_fingerprint:
        return Principal("token", ident.token_fingerprint)
    if event.client_ip:
        return Principal("ip", event.client_ip)
    return None


def object_ids(event: SecurityEvent) -> dict[str, str]:
    """Path parameters the request named: ``/users/{id}`` + ``/users/42`` -> ``{"id": "42"}``."""
    if event.operation is None or event.path is None or "{" not in event.operation.path:
        return {}
    template = event.operation.path.strip("/").split("/")
    concrete = event.path.split("?", 1)[0].strip("/").split("/")
    if len(template) != len(concrete):
        return {}
    return {t[1:-1]: c for t, c in zip(template, concrete, strict=True) if t.startswith("{") and t.endswith("}") and c}


def is_login(event: SecurityEvent) -> bool:
    path = event.operation.path if event.operation else (event.path or "")
    return (event.method or "").upper() == "POST" and bool(LOGIN_PATH.search(path))


def is_failed_login(event: SecurityEvent) -> bool:
    """A login endpoint answering 400/401/403/429, or the gateway saying authentication failed."""
    if event.detail.get("auth_failed") is True:
        return True
    return is_login(event) and event.status in (400, 401, 403)


def attempted_username(event: SecurityEvent) -> str | None:
    """The username a login attempt named, when the gateway recorded it (``detail.username``)."""
    for key in _USERNAME_KEYS:
        value = event.detail.get(key)
        if isinstance(value, str) and value:
            return value.lower()
    return None


def bucket(timestamp: float, window_s: float) -> int:
    """Fixed windows on *event* time, so replayed traffic is judged like live traffic."""
    return int(timestamp // window_s)


async def once(state: StateBackend, key: str, *, ttl_s: float) -> bool:
    """True the first time ``key`` is seen within ``ttl_s`` (across every instance sharing ``state``)."""
    return await state.incr(f"once:{key}", ttl_s=ttl_s) == 1


async def cooled_down(state: StateBackend, key: str, *, timestamp: float, cooldown_s: float) -> bool:
    """True unless ``key`` alerted less than ``cooldown_s`` ago in *event* time (then records this alert).

    Keeps one ongoing attack from raising an alert every window; a new episode after the cool-down
    alerts again. Read-then-write: two instances may both alert once at the same moment, never more.
    """
    last = await state.get(f"cool:{key}")
    if last is not None:
        try:
            if 0 <= timestamp - float(last) < cooldown_s:
                return False
        except ValueError:
            pass
    await state.set(f"cool:{key}", repr(timestamp), ttl_s=cooldown_s)
    return True


def sample(values: Iterable[str], n: int = 10) -> list[str]:
    return sorted(set(values))[:n]


class Windowed(Protocol):
    """Settings of a windowed detector: alert at most once per window, then stay quiet for the cool-down."""

    @property
    def window_s(self) -> float: ...

    @property
    def cooldown_s(self) -> float: ...


async def alert_due(state: StateBackend, detector_id: str, subject: str, timestamp: float, settings: Windowed) -> bool:
    """True for the first alert on ``subject`` in its current window, unless it alerted within the cool-down.

    The one gate every windowed detector passes before raising: :func:`once` per window, then
    :func:`cooled_down` across windows.
    """
    window_s = settings.window_s
    window = bucket(timestamp, window_s)
    return await once(state, f"{detector_id}:{subject}:{window}", ttl_s=window_s * 2) and await cooled_down(
        state, f"{detector_id}:{subject}", timestamp=timestamp, cooldown_s=settings.cooldown_s
    )
