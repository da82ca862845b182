"""Report headings rendered with Jinja2's sandbox, with arithmetic bounded so ``'a' * 10**9`` cannot eat memory."""

from __future__ import annotations

import operator
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["render_heading", "sandbox"]

_MAX_RESULT = 10_000
_MAX_OUTPUT = 2_000


class _BoundedSandbox(SandboxedEnvironment):
    """The sandbox blocks attribute escapes; this also bounds ``*`` and ``**`` results."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if not isinstance(right, int) or abs(right) > 64:
                raise SecurityError("exponent too large")
            return operator.pow(left, right)
        if isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            count = right if isinstance(right, int) else left
            if not isinstance(count, int) or count > _MAX_RESULT:
                raise SecurityError("repetition too large")
        return operator.mul(left, right)


def sandbox() -> SandboxedEnvironment:
    return _BoundedSandbox(autoescape=False)


def render_heading(env: SandboxedEnvironment, source: str, **values: Any) -> str:
    """Render ``source`` as a template (the SSTI flaw when ``source`` contains user input)."""
    return env.from_string(source).render(**values)[:_MAX_OUTPUT]
