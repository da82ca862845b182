"""TLS termination: a server ``SSLContext`` with TLS >= 1.2 and HTTP/1.1 ALPN."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apiward.core import ConfigError

__all__ = ["server_context"]


def server_context(tls: Mapping[str, Any], *, config_dir: str = ".") -> ssl.SSLContext:
    def resolve(name: str) -> str:
        path = Path(str(tls[name]))
        return str(path if path.is_absolute() else Path(config_dir) / path)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3 if tls.get("min_version") == "1.3" else ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(["http/1.1"])
    context.options |= ssl.OP_NO_COMPRESSION
    try:
        context.load_cert_chain(resolve("cert"), resolve("key"))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"cannot load the TLS certificate/key: {exc}", pointer="listen.tls") from exc
    return context
