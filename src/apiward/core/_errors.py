"""The one exception tree of apiward.

    ApiwardError
    ├── ConfigError         a configuration file or option is invalid (CLI exit 2)
    ├── SpecError           an API description cannot be loaded or is invalid (CLI exit 2)
    ├── InputError          a corpus, HAR, log or other input file is malformed (CLI exit 2)
    ├── TargetError         the system under test / upstream cannot be reached or misbehaves (CLI exit 3)
    └── BackendError        a state or event backend (Redis, PostgreSQL, files) failed (CLI exit 3)

Third-party errors are translated at the boundary: ``raise SpecError(...) from exc``.
"""

from __future__ import annotations

__all__ = ["ApiwardError", "BackendError", "ConfigError", "InputError", "SpecError", "TargetError"]


class ApiwardError(Exception):
    """Root of every error apiward raises on purpose."""


class _LocatedError(ApiwardError):
    """An error about a place in a file: ``file: /json/pointer: message``."""

    def __init__(self, message: str, *, source: str | None = None, pointer: str | None = None) -> None:
        self.message = message
        self.source = source
        self.pointer = pointer
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.pointer) if p]
        return ": ".join([*parts, self.message])


class ConfigError(_LocatedError):
    """A configuration file or option is invalid. ``pointer`` is the key path (``gateway.rate_limits[0].rate``)."""


class SpecError(_LocatedError):
    """An API description cannot be read or is invalid. ``pointer`` is a JSON pointer."""


class InputError(_LocatedError):
    """An input file (corpus, HAR, access log) is malformed. ``pointer`` names the line or field."""


class TargetError(ApiwardError):
    """The target or upstream cannot be reached, or answered in a way that stops the job."""


class BackendError(ApiwardError):
    """A state or event backend failed (Redis, PostgreSQL, file system)."""
