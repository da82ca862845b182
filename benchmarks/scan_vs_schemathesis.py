"""apiward scan vs Schemathesis against the vulnerable demo API, in one run.

    python benchmarks/scan_vs_schemathesis.py [--max-examples 10] [--venv DIR]

Schemathesis is installed in the benchmark's own virtual environment (created on first use, outside the
project's environment) and run as a CLI with the first demo user's bearer token — it tests as one user.
apiward runs with the demo's scan config (two users, a low-privilege user, admin, anonymous).

Both tools hit the same vulnerable app (one instance each), wrapped in a request counter, so the request
figures are measured identically. Prints requests, wall time, requests/s and which planted flaws each
found (a flaw counts as found when a finding maps to one of the checks it was planted for).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Any

import httpx

from apiward.demo import SEEDED_USERS, Flaw, create_app, demo_scan_config, openapi_text, serve
from apiward.scan import ScanConfig, Scanner
from apiward.spec import load

#: Which scanner checks each planted flaw is meant to trigger (from the demo's flaw catalogue).
FLAW_CHECKS: dict[Flaw, set[str]] = {
    Flaw.BOLA: {"SCN-001", "SCN-002", "SCN-003"},
    Flaw.MISSING_AUTHENTICATION: {"SCN-010"},
    Flaw.INVALID_CREDENTIALS: {"SCN-011"},
    Flaw.JWT_ALG_NONE: {"SCN-012"},
    Flaw.JWT_SIGNATURE_UNVERIFIED: {"SCN-013", "SCN-014"},
    Flaw.JWT_WEAK_SECRET: {"SCN-015"},
    Flaw.JWT_KEY_CONFUSION: {"SCN-016"},
    Flaw.JWT_KID_INJECTION: {"SCN-017"},
    Flaw.JWT_JKU_JWK: {"SCN-018"},
    Flaw.JWT_EXPIRY_IGNORED: {"SCN-019"},
    Flaw.USER_ENUMERATION: {"SCN-020"},
    Flaw.NO_LOGIN_THROTTLE: {"SCN-021"},
    Flaw.MASS_ASSIGNMENT: {"SCN-030"},
    Flaw.DATA_EXPOSURE: {"SCN-031", "SCN-032"},
    Flaw.NO_RATE_LIMIT: {"SCN-040"},
    Flaw.UNBOUNDED_PAGE_SIZE: {"SCN-041"},
    Flaw.OVERSIZED_PAYLOAD: {"SCN-042"},
    Flaw.REDOS: {"SCN-043"},
    Flaw.BFLA: {"SCN-050"},
    Flaw.SSRF: {"SCN-070"},
    Flaw.CORS_REFLECTION: {"SCN-080"},
    Flaw.MISSING_SECURITY_HEADERS: {"SCN-081"},
    Flaw.VERBOSE_ERRORS: {"SCN-082"},
    Flaw.VERSION_DISCLOSURE: {"SCN-083"},
    Flaw.UNDECLARED_METHODS: {"SCN-084"},
    Flaw.UNDOCUMENTED_ENDPOINTS: {"SCN-090"},
    Flaw.DEPRECATED_SERVED: {"SCN-091"},
    Flaw.SQL_INJECTION: {"SCN-100"},
    Flaw.NOSQL_INJECTION: {"SCN-101"},
    Flaw.COMMAND_INJECTION: {"SCN-102"},
    Flaw.PATH_TRAVERSAL: {"SCN-103"},
    Flaw.SSTI: {"SCN-104"},
    Flaw.SERVER_ERROR: {"SCN-110"},
    Flaw.SCHEMA_MISMATCH: {"SCN-111", "SCN-112"},
    Flaw.DELETE_NOT_EFFECTIVE: {"SCN-113"},
    Flaw.SLOW_RESPONSE: {"SCN-114"},
}

#: Schemathesis failure types (JSON report) mapped onto the equivalent apiward check.
SCHEMATHESIS_TYPES = {
    "ServerError": "SCN-110",
    "JsonSchemaError": "SCN-111",
    "UndefinedStatusCode": "SCN-112",
    "UnsupportedMethodResponse": "SCN-084",
    "ResponseTimeExceeded": "SCN-114",
    "UseAfterFree": "SCN-113",
    "IgnoredAuth": "SCN-011",
}


class Counter:
    """ASGI wrapper counting HTTP requests the app receives."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


def ensure_schemathesis(venv_dir: Path) -> Path:
    st = venv_dir / "bin" / "st"
    if not st.exists():
        print(f"creating {venv_dir} and installing schemathesis (first run only)…", flush=True)
        venv.create(venv_dir, with_pip=True)
        subprocess.run([str(venv_dir / "bin" / "pip"), "install", "-q", "schemathesis"], check=True)
    return st


def found_flaws(check_ids: set[str]) -> list[str]:
    return sorted(f.value for f, ids in FLAW_CHECKS.items() if ids & check_ids)


def run_apiward(spec: Path) -> dict[str, Any]:
    counter = Counter(create_app(secure=False))
    with serve(counter) as handle:
        config = ScanConfig.from_mapping(demo_scan_config(handle.url))
        started = time.perf_counter()
        result = asyncio.run(Scanner(load(str(spec)), target=handle.url, config=config).run())
        elapsed = time.perf_counter() - started
    ids = {f.check_id for f in result.findings}
    return {"requests": counter.requests, "seconds": elapsed, "checks": ids, "flaws": found_flaws(ids)}


def run_schemathesis(st: Path, spec: Path, max_examples: int, workdir: Path) -> dict[str, Any]:
    counter = Counter(create_app(secure=False))
    alice = next(u for u in SEEDED_USERS if u.role == "user")
    report = workdir / "schemathesis.json"
    with serve(counter) as handle:
        token = httpx.post(
            f"{handle.url}/api/v2/auth/login", json={"username": alice.username, "password": alice.password}
        ).json()["access_token"]
        counter.requests = 0
        command = [
            str(st),
            "run",
            str(spec),
            "--url",
            handle.url,
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--max-examples",
            str(max_examples),
            "--max-response-time",
            "1",
            "--report",
            "json",
            "--report-json-path",
            str(report),
            "--no-color",
            "--workers",
            "4",
        ]
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
    doc = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {"failures": []}
    ids: set[str] = set()
    for failure in doc.get("failures", []):
        kind, title = failure.get("type"), str(failure.get("title", ""))
        if kind == "IgnoredAuth" and "without authentication" in title:
            ids.add("SCN-010")
        elif kind in SCHEMATHESIS_TYPES:
            ids.add(SCHEMATHESIS_TYPES[kind])
    return {
        "requests": counter.requests,
        "seconds": elapsed,
        "checks": ids,
        "flaws": found_flaws(ids),
        "version": doc.get("schemathesis_version"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--max-examples", type=int, default=10, help="Schemathesis examples per operation")
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "apiward-bench-schemathesis")
    args = parser.parse_args()
    st = ensure_schemathesis(args.venv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        spec = workdir / "openapi.yaml"
        spec.write_text(openapi_text(), encoding="utf-8")
        apiward = run_apiward(spec)
        schemathesis = run_schemathesis(st, spec, args.max_examples, workdir)
    planted = len(FLAW_CHECKS)
    print(f"\n{'tool':<22} {'requests':>9} {'seconds':>8} {'req/s':>7} {'flaws found':>12}")
    for name, r in ((f"apiward {''}", apiward), (f"schemathesis {schemathesis.get('version')}", schemathesis)):
        rate = r["requests"] / r["seconds"] if r["seconds"] else 0.0
        print(f"{name:<22} {r['requests']:>9} {r['seconds']:>8.1f} {rate:>7.1f} {len(r['flaws']):>6}/{planted}")
    print(f"\nplanted flaws found by apiward only: {sorted(set(apiward['flaws']) - set(schemathesis['flaws']))}")
    print(f"planted flaws found by schemathesis only: {sorted(set(schemathesis['flaws']) - set(apiward['flaws']))}")
    print(f"found by both: {sorted(set(apiward['flaws']) & set(schemathesis['flaws']))}")
    missed = sorted(f.value for f in FLAW_CHECKS if f.value not in apiward["flaws"])
    print(f"missed by apiward: {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
