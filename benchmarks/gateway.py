"""Gateway throughput and added latency against nginx, with one load generator for every target.

Targets (all on loopback, one worker each, same upstream):
  direct  — the upstream itself (nginx answering a small JSON body from memory);
  nginx   — nginx ``proxy_pass`` with upstream keep-alive;
  apiward — ``apiward gateway`` (one process, uvloop) in each scenario:
            passthrough (no policies), jwt (+authn_jwt ES256), validation (+validate_request),
            waf (+threat), full (the default pipeline + jwt + authz + ratelimit + validation + threat
            + response policies + audit to a JSONL file + the behavioural analytics, on by default),
            full_no_analytics (the same with ``analytics: {enabled: false}``, to show their cost).

Load generator: ``wrk`` (Debian package) — throughput at --connections, and latency at 1 connection
(below saturation); "added" latency is apiward's percentile minus the direct upstream's.

    python benchmarks/gateway.py [--quick] [--json] [--duration S] [--connections N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jwt
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parents[1]
APIWARD = [sys.executable, "-c", "from apiward.cli import main; main()"]

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "bench", "version": "1"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 64}},
                ],
                "security": [{"bearer": []}],
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}
PATH = "/items/42?q=apples"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} did not open")


def nginx(tmp: Path, name: str, body: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    d = tmp / name
    d.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    conf = d / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes 1; daemon off; pid {d}/pid; error_log {d}/error.log error;
events {{ worker_connections 1024; }}
http {{ access_log off; client_body_temp_path {d}/b; proxy_temp_path {d}/p; fastcgi_temp_path {d}/f;
  uwsgi_temp_path {d}/u; scgi_temp_path {d}/s; keepalive_requests 1000000;
  {body.replace("PORT", str(port))} }}"""
    )
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen([nginx_bin, "-c", str(conf), "-p", str(d)], stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    return proc, port


def wrk(port: int, *, seconds: float, connections: int, token: str | None) -> dict[str, float]:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run([*cmd, f"http://127.0.0.1:{port}{PATH}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    lat = {}
    for pct in ("50", "99"):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)  # type: ignore[union-attr]
        lat[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return {"rps": rps, "p50_ms": lat["50"], "p99_ms": lat["99"], "errors": float(non2xx.group(1)) if non2xx else 0}


def measure(port: int, args: argparse.Namespace, token: str | None = None) -> dict[str, float]:
    wrk(port, seconds=1, connections=4, token=token)  # warm-up (connections, caches)
    tput = wrk(port, seconds=args.duration, connections=args.connections, token=token)
    lat = wrk(port, seconds=args.duration, connections=1, token=token)
    return {"rps": tput["rps"], "errors": tput["errors"], "p50_ms": lat["p50_ms"], "p99_ms": lat["p99_ms"]}


def scenarios(upstream: int, tmp: Path, pem: str) -> dict[str, dict[str, Any]]:
    off = {"mode": "off"}
    bare = {
        "hygiene": off,
        "blocklist": off,
        "threat": off,
        "response_headers": off,
        "audit": off,
        "validate_request": off,
    }
    jwt_policy = {
        "algorithms": ["ES256"],
        "keys": [{"kid": "k1", "pem": pem}],
        "issuer": "https://issuer.test",
        "audience": "bench",
    }
    base: dict[str, Any] = {
        "upstream": {"url": f"http://127.0.0.1:{upstream}"},
        "spec": str(tmp / "spec.yaml"),
        "reload": {"watch": False},
    }
    full_policies = {
        "authn_jwt": jwt_policy,
        "authz": {},
        "ratelimit": {"limits": [{"key": "identity", "requests": 10_000_000, "period_s": 60}]},
        "audit": {"sink": f"jsonl://{tmp}/events.jsonl?spool=off"},
    }
    return {
        "passthrough": {**base, "policies": bare},
        "jwt": {**base, "policies": {**bare, "authn_jwt": jwt_policy}},
        "validation": {**base, "policies": {**bare, "validate_request": {}}},
        "waf": {**base, "policies": {**bare, "threat": {}}},
        "full": {**base, "policies": full_policies},
        "full_no_analytics": {**base, "policies": full_policies, "analytics": {"enabled": False}},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short runs (about a minute in total)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--duration", type=float, default=None, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--only", help="comma-separated scenarios to run")
    args = parser.parse_args()
    args.duration = args.duration or (1 if args.quick else 5)
    if not shutil.which("wrk"):
        print("wrk is required (apt-get install wrk)", file=sys.stderr)
        return 2
    key = ec.generate_private_key(ec.SECP256R1())
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    now = int(time.time())
    token = jwt.encode(
        {"sub": "bench", "iss": "https://issuer.test", "aud": "bench", "iat": now, "exp": now + 3600},
        key,
        algorithm="ES256",
        headers={"kid": "k1"},
    )
    procs: list[subprocess.Popen[bytes]] = []
    result: dict[str, Any] = {
        "load_generator": "wrk",
        "connections": args.connections,
        "duration_s": args.duration,
        "scenarios": {},
    }
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        (tmp / "spec.yaml").write_text(yaml.safe_dump(SPEC))
        try:
            up, up_port = nginx(
                tmp,
                "upstream",
                "server { listen 127.0.0.1:PORT; location / { default_type "
                'application/json; return 200 \'{"id":42,"name":"apples"}\'; } }',
            )
            procs.append(up)
            px, px_port = nginx(
                tmp,
                "proxy",
                f"upstream up {{ server 127.0.0.1:{up_port}; keepalive 64; }} "
                "server { listen 127.0.0.1:PORT; location / { proxy_pass http://up; "
                'proxy_http_version 1.1; proxy_set_header Connection ""; } }',
            )
            procs.append(px)
            direct = measure(up_port, args)
            proxy = measure(px_port, args)
            result["direct"], result["nginx"] = direct, proxy
            wanted = set(args.only.split(",")) if args.only else None
            for scenario, config in scenarios(up_port, tmp, pem).items():
                if wanted and scenario not in wanted:
                    continue
                port = free_port()
                path = tmp / f"{scenario}.yaml"
                path.write_text(yaml.safe_dump({**config, "listen": {"host": "127.0.0.1", "port": port}}))
                gw = subprocess.Popen([*APIWARD, "gateway", "--config", str(path)], stderr=subprocess.DEVNULL)
                try:
                    wait_port(port, gw)
                    m = measure(port, args, token if scenario.startswith(("jwt", "full")) else None)
                finally:
                    gw.terminate()
                    gw.wait(timeout=30)
                result["scenarios"][scenario] = {
                    **m,
                    "ratio_to_nginx": round(m["rps"] / proxy["rps"], 3),
                    "p50_added_ms": round(m["p50_ms"] - direct["p50_ms"], 3),
                    "p99_added_ms": round(m["p99_ms"] - direct["p99_ms"], 3),
                }
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"load generator: wrk, {args.connections} connections (throughput), 1 connection (latency), "
        f"{args.duration:g} s each"
    )
    print(f"{'target':<14}{'req/s':>10}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}{'+p50':>8}{'+p99':>8}{'non-2xx':>9}")
    for label, m in (("direct", result["direct"]), ("nginx", result["nginx"])):
        print(f"{label:<14}{m['rps']:>10.0f}{m['rps'] / proxy['rps']:>8.2f}{m['p50_ms']:>9.3f}{m['p99_ms']:>9.3f}")
    for label, m in result["scenarios"].items():
        print(
            f"{'apiward ' + label:<14}{m['rps']:>10.0f}{m['ratio_to_nginx']:>8.2f}{m['p50_ms']:>9.3f}"
            f"{m['p99_ms']:>9.3f}{m['p50_added_ms']:>8.3f}{m['p99_added_ms']:>8.3f}{m['errors']:>9.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
