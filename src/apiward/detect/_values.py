"""The values extracted from a request (:class:`Extracted`), and the collector that adds them within limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from apiward.detect._types import Limits

if TYPE_CHECKING:
    from apiward.detect._extract_json import JsonValues

__all__ = ["Collector", "Extracted", "Value"]


@dataclass(frozen=True, slots=True)
class Value:
    """One value to inspect. ``kind`` is ``value``, ``key``, ``header``, ``path`` or ``body`` (unparsed body)."""

    location: str
    text: str
    kind: str = "value"


@dataclass(slots=True)
class Extracted:
    """The values of a request: their texts in order, and each one's location and kind on demand.

    Most values are stored as :class:`Value` when extracted. The leaves and keys of a JSON body, usually most of
    the values, are stored as texts only; :meth:`value` rebuilds their JSON-pointer locations when a rule fired on
    them (building a location string per leaf is the largest share of extraction time otherwise).
    """

    texts: list[str] = field(default_factory=list)
    anomalies: list[tuple[str, str, str]] = field(default_factory=list)  # (anomaly id, location, detail)
    limits_hit: set[str] = field(default_factory=set)
    # The index of the raw query string when it is plain (:func:`is_plain_query`): the engine scans it as it is.
    plain_query: int | None = None
    # The indexes of the raw query string and of a raw form body (``a=1&b=%27x``): the SQL code rules do not read
    # them as they are (their percent escapes are no SQL), only their decoded forms and the parameters one by one.
    containers: list[int] = field(default_factory=list)
    _eager: list[tuple[str, str]] = field(default_factory=list)  # (location, kind) of each value before the JSON ones
    _json: JsonValues | None = None

    def add(self, value: Value) -> None:
        self.put(value.location, value.text, value.kind)

    def put(self, location: str, text: str, kind: str = "value") -> None:
        """:meth:`add` without building the :class:`Value` (built by :meth:`value` when a rule fired on it)."""
        self._eager.append((location, kind))
        self.texts.append(text)

    def value(self, index: int) -> Value:
        """The value at ``index`` (of :attr:`texts`), with its location and kind."""
        if index < len(self._eager) or self._json is None:
            location, kind = self._eager[index]
            return Value(location, self.texts[index], kind)
        return self._json.value(index)

    def json_kind(self, index: int) -> str | None:
        """The kind of a JSON body value, known without its location (``None``: not one; see :meth:`value`).
        Its location starts with ``body:/``."""
        if index < len(self._eager) or self._json is None:
            return None
        return self._json.kind(index)

    @property
    def values(self) -> list[Value]:
        """Every value with its location and kind (building them all: for tests and tools, not the hot path)."""
        eager = [self.value(index) for index in range(len(self._eager))]
        if self._json is None:
            return eager
        return [*eager, *self._json.values()]


class Collector:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.out = Extracted()

    def add(self, location: str, text: str, kind: str = "value") -> None:
        if not text:
            return
        if len(self.out.texts) >= self.limits.max_values:
            self.out.limits_hit.add("max_values")
            return
        if len(text) > self.limits.max_value_length:
            self.out.limits_hit.add("max_value_length")
            text = text[: self.limits.max_value_length]
        self.out.put(location, text, kind)

    def anomaly(self, anomaly_id: str, location: str, detail: str) -> None:
        self.out.anomalies.append((anomaly_id, location, detail))
