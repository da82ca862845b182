"""Webhook: each batch is POSTed as a JSON array (``{"events": [...]}``) to an HTTP(S) endpoint."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import httpx
import orjson

from apiward.core import SecurityEvent, redact_url

__all__ = ["WebhookWriter"]


class WebhookWriter:
    """Delivers batches; any non-2xx answer is a failure, so the batch is retried from the spool."""

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        verify: bool | str = True,
    ) -> None:
        self.url = url
        self.name = f"webhook:{redact_url(url)}"
        self._headers = {"content-type": "application/json", "user-agent": "apiward-events", **(headers or {})}
        self._timeout = timeout_s
        self._transport = transport
        self._verify = verify
        self._client: httpx.Client | None = None

    def open(self) -> None:
        self._open()

    def _open(self) -> httpx.Client:
        client = self._client = httpx.Client(timeout=self._timeout, transport=self._transport, verify=self._verify)
        return client

    def write(self, batch: Sequence[SecurityEvent], docs: Sequence[bytes] = ()) -> None:
        client = self._client if self._client is not None else self._open()
        if docs:
            body = b'{"events":[' + b",".join(docs) + b"]}"
        else:
            body = orjson.dumps({"events": [e.to_dict() for e in batch]}, option=orjson.OPT_NON_STR_KEYS)
        response = client.post(self.url, content=body, headers=self._headers)
        if not 200 <= response.status_code < 300:
            raise RuntimeError(f"webhook answered {response.status_code}")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
