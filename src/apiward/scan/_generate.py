"""Values from JSON Schemas: examples first, then enums, formats, bounds and patterns; plus negative variants.

Deterministic (seeded) so that a scan is reproducible. Recursive schemas are cut at a fixed depth.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["Generator", "negative_values"]

_MAX_DEPTH = 6
_FORMATS: Mapping[str, str] = {
    "email": "apiward.scan@example.test",
    "uuid": "3f2c1e6a-6c1b-4bde-9a4e-5b8f2d7c9a10",
    "date": "2024-01-15",
    "date-time": "2024-01-15T10:20:30Z",
    "time": "10:20:30Z",
    "uri": "https://example.test/apiward",
    "url": "https://example.test/apiward",
    "hostname": "example.test",
    "ipv4": "192.0.2.10",
    "ipv6": "2001:db8::10",
    "byte": "YXBpd2FyZA==",
    "password": "Apiward-Scan-1!",
    "phone": "+15555550100",
}


def _merge_all_of(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    props: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in parts:
        if isinstance(part, Mapping):
            part = _merge_all_of(part)
            props.update(part.get("properties", {}))
            required += list(part.get("required", []))
            for k, v in part.items():
                if k not in ("properties", "required"):
                    merged.setdefault(k, v)
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = required
    return merged


def schema_type(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None:
        if "properties" in schema:
            return "object"
        if "items" in schema:
            return "array"
    return kind if isinstance(kind, str) else None


class Generator:
    """Builds one valid-looking value per schema. ``overrides`` maps property names to values (chaining)."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - test data, not cryptography

    def value(self, schema: Mapping[str, Any] | None, name: str = "", *, depth: int = 0, full: bool = False) -> Any:
        """A value for ``schema``. ``full`` also fills optional properties."""
        if not schema or depth > _MAX_DEPTH:
            return self._by_name(name)
        schema = _merge_all_of(schema)
        for key in ("example", "default"):
            if key in schema and schema[key] is not None:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((e for e in enum if e is not None), enum[0])
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self.value(options[0], name, depth=depth + 1, full=full)
        kind = schema_type(schema)
        if kind == "object":
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            out: dict[str, Any] = {}
            for prop, sub in props.items():
                if not isinstance(sub, Mapping) or sub.get("readOnly"):
                    continue
                if full or prop in required or depth == 0:
                    out[prop] = self.value(sub, prop, depth=depth + 1, full=full)
            return out
        if kind == "array":
            items = schema.get("items")
            count = max(int(schema.get("minItems", 1)), 1)
            return [
                self.value(items if isinstance(items, Mapping) else None, name, depth=depth + 1) for _ in range(count)
            ]
        if kind == "integer":
            return int(self._number(schema, integer=True))
        if kind == "number":
            return self._number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return self._string(schema, name)

    def _number(self, schema: Mapping[str, Any], *, integer: bool) -> float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        if isinstance(schema.get("exclusiveMinimum"), int | float):
            low = schema["exclusiveMinimum"] + (1 if integer else 0.5)
        if isinstance(schema.get("exclusiveMaximum"), int | float):
            high = schema["exclusiveMaximum"] - (1 if integer else 0.5)
        low = 1 if low is None else low
        high = max(low, 10 if high is None else high)
        value = min(max(low, 1), high)
        multiple = schema.get("multipleOf")
        if isinstance(multiple, int | float) and multiple > 0:
            value = (int(value / multiple) + (1 if value % multiple else 0)) * multiple
        return value

    def _string(self, schema: Mapping[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt]
        else:
            text = self._by_name(name)
            if not isinstance(text, str):
                text = str(text)
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            text = self._from_pattern(pattern, text)
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        if len(text) < low:
            text = text + "a" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        return text

    def _from_pattern(self, pattern: str, fallback: str) -> str:
        """A string matching ``pattern``: tries the fallback, then a small regex-directed builder.

        Hand-written because the maintained generators (hypothesis ``from_regex``, rstr) are not runtime
        dependencies; the builder covers the literal/class/quantifier subset real API patterns use.
        """
        try:
            compiled = re.compile(pattern)
        except re.error:
            return fallback
        if compiled.search(fallback):
            return fallback
        for _ in range(20):
            candidate = _build_from_regex(pattern, self.rng)
            if candidate is not None and compiled.search(candidate):
                return candidate
        return fallback

    def _by_name(self, name: str) -> Any:
        lowered = name.lower()
        if "email" in lowered:
            return _FORMATS["email"]
        if lowered in ("url", "uri", "link", "website", "homepage") or lowered.endswith(("_url", "url")):
            return _FORMATS["url"]
        if "password" in lowered:
            return _FORMATS["password"]
        if "phone" in lowered:
            return _FORMATS["phone"]
        if "date" in lowered:
            return _FORMATS["date"]
        if lowered in ("id", "uuid") or lowered.endswith(("_id", "id")):
            return "1"
        if "name" in lowered:
            return "apiward-" + "".join(self.rng.choices(string.ascii_lowercase, k=6))
        return "apiward"


_CLASSES = {
    r"\d": string.digits,
    r"\w": string.ascii_letters + string.digits + "_",
    r"\s": " ",
    ".": string.ascii_letters,
}


def _build_from_regex(pattern: str, rng: random.Random) -> str | None:
    body = pattern.removeprefix("^").removesuffix("$")
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        pool: str
        if ch == "\\" and i + 1 < len(body):
            token = body[i : i + 2]
            pool = _CLASSES.get(token, body[i + 1])
            i += 2
        elif ch == "[":
            end = body.find("]", i)
            if end < 0:
                return None
            pool = _expand_class(body[i + 1 : end])
            i = end + 1
        elif ch in "()|":
            return None
        else:
            pool = _CLASSES.get(ch, ch)
            i += 1
        low, high = 1, 1
        if i < len(body) and body[i] in "*+?{":
            if body[i] == "{":
                end = body.find("}", i)
                spec = body[i + 1 : end].split(",")
                low = int(spec[0] or 0)
                high = int(spec[1]) if len(spec) > 1 and spec[1] else (low if len(spec) == 1 else low + 3)
                i = end + 1
            else:
                low, high = {"*": (0, 3), "+": (1, 4), "?": (0, 1)}[body[i]]
                i += 1
        out.extend(rng.choice(pool) for _ in range(rng.randint(low, high)))
    return "".join(out)


def _expand_class(spec: str) -> str:
    chars: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            chars.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        elif spec[i] == "\\" and i + 1 < len(spec):
            chars.extend(_CLASSES.get(spec[i : i + 2], spec[i + 1]))
            i += 2
        else:
            chars.append(spec[i])
            i += 1
    return "".join(chars) or "a"


def negative_values(schema: Mapping[str, Any] | None) -> Iterator[Any]:
    """Values that break ``schema`` (wrong type, out of bounds, not in enum, too long, bad format)."""
    schema = _merge_all_of(schema or {})
    kind = schema_type(schema)
    if kind in ("integer", "number"):
        yield "not-a-number"
        if isinstance(schema.get("maximum"), int | float):
            yield schema["maximum"] + 1
        if isinstance(schema.get("minimum"), int | float):
            yield schema["minimum"] - 1
        yield 2**63
    elif kind == "boolean":
        yield "maybe"
    elif kind == "object":
        yield "not-an-object"
        yield []
    elif kind == "array":
        yield "not-an-array"
    else:
        yield 12345
        if isinstance(schema.get("enum"), list):
            yield "apiward-not-in-enum"
        if isinstance(schema.get("maxLength"), int):
            yield "x" * (schema["maxLength"] + 1)
        if schema.get("format") in _FORMATS:
            yield "apiward-bad-format%%"
