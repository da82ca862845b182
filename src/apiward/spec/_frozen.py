"""``FrozenDict``: the read-only mapping the model is built from.

``types.MappingProxyType`` would be the obvious choice, but it cannot be pickled or deep-copied, and
a model has to cross process boundaries (multiprocessing workers, caches). A dict subclass whose
mutators raise keeps every dict fast path and pickles as a plain dict would.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["FrozenDict"]


class FrozenDict(dict[Any, Any]):
    """A dict that refuses to change after it is built."""

    __slots__ = ()

    def _readonly(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("the API model is immutable")

    __setitem__ = _readonly
    __delitem__ = _readonly
    __ior__ = _readonly
    clear = _readonly
    pop = _readonly
    popitem = _readonly
    setdefault = _readonly
    update = _readonly

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __copy__(self) -> FrozenDict:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenDict:
        import copy

        return FrozenDict(copy.deepcopy(dict(self), memo))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"
