"""A document-store style matcher for the NoSQL-injection flaw: ``{"$ne": null}`` and friends.

Hand-written because the demo has no document database; it knows just enough operators
(``$eq $ne $gt $gte $lt $lte $in $nin $exists $regex``) to behave like a naive Mongo query.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["matches"]

_MAX_REGEX = 100


def _cmp(op: str, value: Any, arg: Any) -> bool:
    try:
        if op == "$gt":
            return bool(value > arg)
        if op == "$gte":
            return bool(value >= arg)
        if op == "$lt":
            return bool(value < arg)
        if op == "$lte":
            return bool(value <= arg)
    except TypeError:
        # Mongo compares across types by a fixed order; every string sorts above null and numbers.
        return op in ("$gt", "$gte") and (arg in (None, "") or isinstance(arg, int | float))
    return False


def matches(value: Any, condition: Any) -> bool:
    """Does ``value`` satisfy ``condition`` (a literal, or an object of operators)?"""
    if not isinstance(condition, dict) or not any(str(k).startswith("$") for k in condition):
        return bool(value == condition)
    for op, arg in condition.items():
        if op == "$eq":
            ok = value == arg
        elif op == "$ne":
            ok = value != arg
        elif op in ("$gt", "$gte", "$lt", "$lte"):
            ok = _cmp(op, value, arg)
        elif op == "$in":
            ok = isinstance(arg, list) and value in arg
        elif op == "$nin":
            ok = isinstance(arg, list) and value not in arg
        elif op == "$exists":
            ok = (value is not None) == bool(arg)
        elif op == "$regex":
            try:
                ok = isinstance(value, str) and re.search(str(arg)[:_MAX_REGEX], value) is not None
            except re.error:
                ok = False
        else:
            ok = False
        if not ok:
            return False
    return True
