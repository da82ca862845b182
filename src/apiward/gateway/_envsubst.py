"""``${NAME}`` / ``${NAME:-default}`` substitution in config strings (``$${`` for a literal ``${``).

Substitution happens after YAML parsing, on string values only, so a secret can never change the
document's structure. The key paths that received a value are returned so errors about them never
quote the (possibly secret) value.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from apiward.core import ConfigError

__all__ = ["substitute"]

_VAR = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def _path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def substitute(
    value: Any, *, env: Mapping[str, str] | None = None, source: str | None = None
) -> tuple[Any, set[tuple[str | int, ...]]]:
    """A copy of ``value`` with variables replaced, and the set of key paths that were substituted."""
    environ = os.environ if env is None else env
    touched: set[tuple[str | int, ...]] = set()

    def text(s: str, path: tuple[str | int, ...]) -> str:
        if "$" not in s:
            return s

        def repl(m: re.Match[str]) -> str:
            if m.group(0) == "$${":
                return "${"
            name, default = m.group(1), m.group(2)
            touched.add(path)
            found = environ.get(name)
            if found is None or (found == "" and default is not None):
                if default is None:
                    raise ConfigError(f"environment variable {name} is not set", source=source, pointer=_path(path))
                return default
            return found

        return _VAR.sub(repl, s)

    def walk(v: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(v, str):
            return text(v, path)
        if isinstance(v, Mapping):
            return {k: walk(item, (*path, str(k))) for k, item in v.items()}
        if isinstance(v, list):
            return [walk(item, (*path, i)) for i, item in enumerate(v)]
        return v

    return walk(value, ()), touched
