"""Every server URL of a description (document and operation level), each once, with its pointer."""

from __future__ import annotations

from collections.abc import Iterator

from apiward.core import redact_url
from apiward.spec import ApiModel

__all__ = ["all_servers"]


def all_servers(model: ApiModel) -> Iterator[tuple[str, str]]:
    """``(url, json pointer)`` for each distinct server URL, document-level ones first.

    URLs come back with passwords and secret query parameters redacted: rules put them in messages and
    locations, which reach reports. (AUD-049 reports the embedded credentials themselves.)
    """
    seen: set[str] = set()
    for i, server in enumerate(model.servers):
        if server.url not in seen:
            seen.add(server.url)
            yield redact_url(server.url), f"/servers/{i}"
    for op in model.operations:
        for server in op.servers:
            if server.url not in seen:
                seen.add(server.url)
                yield redact_url(server.url), f"{op.pointer}/servers"
