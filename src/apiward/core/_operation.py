"""``Operation``: the key every part of apiward uses to name one API operation."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HTTP_METHODS", "Operation"]

HTTP_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation:
    """One operation: upper-case method + path template (``/users/{id}``), and its operationId if any.

    Equality and hashing use method and path only, so a scan finding, an audit finding and a
    gateway event about the same operation join even when one of them lacks the id.
    """

    method: str
    path: str
    operation_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())

    @property
    def key(self) -> str:
        """``"GET /users/{id}"`` — stable, human-readable and used in fingerprints."""
        return f"{self.method} {self.path}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Operation):
            return NotImplemented
        return (self.method, self.path) == (other.method, other.path)

    def __hash__(self) -> int:
        return hash((self.method, self.path))

    def __str__(self) -> str:
        return self.key

    def to_dict(self) -> dict[str, str | None]:
        return {"method": self.method, "path": self.path, "operation_id": self.operation_id}
