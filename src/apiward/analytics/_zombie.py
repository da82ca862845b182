"""Zombie endpoints by version: ``/v1/x`` still receiving traffic when ``/v2/x`` (or newer) exists."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from apiward.spec import ApiModel

if TYPE_CHECKING:
    from apiward.analytics._inventory import Endpoint

__all__ = ["mark_superseded_versions"]

_VERSION = re.compile(r"^v(\d+)$", re.IGNORECASE)


def mark_superseded_versions(endpoints: Mapping[tuple[str, str], Endpoint], spec: ApiModel | None) -> None:
    """``/v1/x`` is a zombie when ``/v2/x`` (or newer) exists in traffic or in the description."""
    known = {(m, p) for m, p in endpoints}
    if spec is not None:
        known |= {(op.method, op.path) for op in spec.operations}
    newest: dict[tuple[str, str], int] = {}
    for method, path in known:
        segments = path.split("/")
        for i, seg in enumerate(segments):
            if m := _VERSION.match(seg):
                rest = "/".join([*segments[:i], "*", *segments[i + 1 :]])
                newest[(method, rest)] = max(newest.get((method, rest), 0), int(m.group(1)))
    for (method, path), ep in endpoints.items():
        segments = path.split("/")
        for i, seg in enumerate(segments):
            if (m := _VERSION.match(seg)) and newest.get(
                (method, "/".join([*segments[:i], "*", *segments[i + 1 :]])), 0
            ) > int(m.group(1)):
                ep.status = "zombie"
                ep.notes.append(f"older API version {seg} still receiving traffic")
                break
