"""The demo's seeded people. Their passwords are known to the demo only (and to its scan config)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SEEDED_USERS", "DemoUser"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoUser:
    username: str
    password: str
    role: str  # "user", "viewer" (low privilege) or "admin"
    email: str
    display_name: str


SEEDED_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        username="alice", password="alice-Demo-2024!", role="user", email="alice@example.test", display_name="Alice"
    ),
    DemoUser(username="bob", password="bob-Demo-2024!", role="user", email="bob@example.test", display_name="Bob"),
    DemoUser(
        username="carol", password="carol-Demo-2024!", role="viewer", email="carol@example.test", display_name="Carol"
    ),
    DemoUser(
        username="admin", password="admin-Demo-2024!", role="admin", email="admin@example.test", display_name="Admin"
    ),
)
