"""``Registry[T]``: a tiny, ordered, duplicate-rejecting registry with validation at registration."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Items keyed by a stable id, kept in registration order.

    ``register`` works as a plain call or as a decorator. A duplicate id raises ``ValueError`` and an
    item that ``validate`` rejects raises there and then — problems show at import, not at first use.
    """

    def __init__(self, kind: str, *, key: Callable[[T], str], validate: Callable[[T], None] | None = None) -> None:
        self._kind = kind
        self._key = key
        self._validate = validate
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        if self._validate is not None:
            self._validate(item)
        ident = self._key(item)
        if ident in self._items:
            raise ValueError(f"duplicate {self._kind} id {ident!r}: ids are unique and never reused")
        self._items[ident] = item
        return item

    def get(self, ident: str) -> T | None:
        return self._items.get(ident)

    def ids(self) -> tuple[str, ...]:
        return tuple(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(tuple(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, ident: object) -> bool:
        return ident in self._items
