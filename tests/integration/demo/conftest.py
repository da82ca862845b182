"""Served demo apps for the demo tests: one vulnerable and one secure instance per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apiward.demo import ServerHandle, create_app, serve


@pytest.fixture(scope="module")
def vulnerable() -> Iterator[ServerHandle]:
    with serve(create_app(secure=False)) as handle:
        yield handle


@pytest.fixture(scope="module")
def secure() -> Iterator[ServerHandle]:
    with serve(create_app(secure=True)) as handle:
        yield handle
