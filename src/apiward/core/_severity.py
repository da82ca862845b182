"""Ordered severities and confidences shared by findings, rules and events."""

from __future__ import annotations

import enum

__all__ = ["Confidence", "Severity"]


class _Ranked(enum.IntEnum):
    @classmethod
    def parse(cls, value: str | int | _Ranked) -> _Ranked:
        """Parse a name (case-insensitive) or a rank; raise ``ValueError`` naming the choices."""
        if isinstance(value, cls):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            choices = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown {cls.__name__.lower()} {value!r}; choose one of: {choices}") from None

    @property
    def label(self) -> str:
        return self.name.lower()

    def __str__(self) -> str:
        return self.label


class Severity(_Ranked):
    """How bad a finding or event is; compares in order (``Severity.HIGH > Severity.LOW``)."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class Confidence(_Ranked):
    """How sure apiward is that a finding is real (bandit's scale)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
