"""Shared test fixtures: real backing services (skip, or fail under APIWARD_REQUIRE_SERVICES=1), shared data."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REQUIRE_SERVICES = os.environ.get("APIWARD_REQUIRE_SERVICES") == "1"


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    """Skip (or fail when services are required) unless ``host:port`` accepts connections."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} and APIWARD_REQUIRE_SERVICES=1")
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    """A real Redis on loopback (database 15, flushed by the tests that use it)."""
    need_service("Redis", "127.0.0.1", 6379)
    return "redis://127.0.0.1:6379/15"


@pytest.fixture
def postgres_dsn() -> str:
    """A real PostgreSQL on loopback (database ``test``, trust auth)."""
    need_service("PostgreSQL", "127.0.0.1", 5432)
    return os.environ.get("APIWARD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def nginx_bin() -> str:
    """Path of a real nginx binary."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        if REQUIRE_SERVICES:
            pytest.fail("nginx is not installed and APIWARD_REQUIRE_SERVICES=1 (.ci/run installs it)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return found


@pytest.fixture
def shared_dir() -> Path:
    """The shared data folder beside the repository (corpora, fixtures)."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    return SHARED
