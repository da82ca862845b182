"""The check contract: metadata as types, a ``@check`` decorator, and a tiny registry that rejects duplicates."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from apiward.core import Confidence, Cwe, OwaspApi2023, Severity

if TYPE_CHECKING:
    from apiward.scan._context import ScanContext

__all__ = ["Check", "CheckMeta", "Registry", "check"]

_ID = re.compile(r"^SCN-\d{3}$")
CheckFn = Callable[["ScanContext"], Awaitable[None]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckMeta:
    """What a check is: stable id (never reused), name, taxonomy, default severity/confidence, documentation."""

    id: str
    name: str
    title: str
    owasp: OwaspApi2023
    cwe: Cwe
    severity: Severity
    confidence: Confidence
    remediation: str
    category: str  # "authorization", "authentication", "jwt", "injection", "reliability", ...
    #: Web Fuzzing Commons fault category code, where one exists (100 HTTP_STATUS_500, 113 HTTP_NONWORKING_DELETE,
    #: 200 SCHEMA_INVALID_RESPONSE, 310 SECURITY_HIDDEN_ACCESSIBLE_ENDPOINT, 311 SECURITY_DECLARED_AUTH_NOT_ENFORCED,
    #: 312 SECURITY_CALL_TIMEOUT).
    wfc: str | None = None
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Check:
    meta: CheckMeta
    run: CheckFn

    @property
    def id(self) -> str:
        return self.meta.id


def check(
    *,
    id: str,
    name: str,
    title: str,
    owasp: OwaspApi2023,
    cwe: int,
    severity: Severity,
    confidence: Confidence,
    remediation: str,
    category: str,
    wfc: str | None = None,
) -> Callable[[CheckFn], Check]:
    """Turn ``async def fn(ctx) -> None`` into a :class:`Check`; its docstring becomes the documentation page."""
    if not _ID.match(id):
        raise ValueError(f"check id {id!r} must look like SCN-nnn")

    def wrap(fn: CheckFn) -> Check:
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"check {id} must be an async function")
        params = list(inspect.signature(fn).parameters)
        if len(params) != 1:
            raise TypeError(f"check {id} must take exactly one parameter (the scan context)")
        doc = inspect.cleandoc(fn.__doc__ or "")
        if not doc:
            raise ValueError(f"check {id} needs a docstring: it is the documentation page")
        meta = CheckMeta(
            id=id,
            name=name,
            title=title,
            owasp=owasp,
            cwe=Cwe(cwe),
            severity=severity,
            confidence=confidence,
            remediation=remediation,
            category=category,
            wfc=wfc,
            doc=doc,
        )
        return Check(meta=meta, run=fn)

    return wrap


class Registry(Generic[T]):
    """Ordered id -> item mapping that refuses a second item under the same id."""

    def __init__(self, kind: str, items: Iterable[tuple[str, T]] = ()) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        for key, item in items:
            self.register(key, item)

    def register(self, key: str, item: T) -> None:
        if key in self._items:
            raise ValueError(f"duplicate {self.kind} id {key!r}")
        self._items[key] = item

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def ids(self) -> list[str]:
        return list(self._items)
