"""A deliberately vulnerable demo API, its secure twin, and helpers to serve and scan them.

Both apps bind 127.0.0.1 only. Every planted flaw is simulated inside the process: the command
"shell", the file system and outbound fetches never touch the real machine beyond loopback.
"""

from apiward.demo._app import create_app, openapi_text
from apiward.demo._config import demo_scan_config
from apiward.demo._context import Settings
from apiward.demo._flaws import ALL_FLAWS, Flaw
from apiward.demo._identities import SEEDED_USERS, DemoUser
from apiward.demo._serve import LOOPBACK, ServerHandle, serve

__all__ = [
    "ALL_FLAWS",
    "LOOPBACK",
    "SEEDED_USERS",
    "DemoUser",
    "Flaw",
    "ServerHandle",
    "Settings",
    "create_app",
    "demo_scan_config",
    "openapi_text",
    "serve",
]
