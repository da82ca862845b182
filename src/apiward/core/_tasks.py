"""Named background tasks that are kept referenced (a bare ``create_task`` can be garbage-collected)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["spawn"]

T = TypeVar("T")
_LIVE: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
    """Start ``coro`` as a named task and keep a strong reference until it finishes."""
    task = asyncio.create_task(coro, name=name)  # noqa: TID251 - the one sanctioned place
    _LIVE.add(task)
    task.add_done_callback(_LIVE.discard)
    return task
