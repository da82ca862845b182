"""apiward's detection engine side by side with nginx + ModSecurity v3 + OWASP CRS (the open-source anchor).

Installs nginx, the ModSecurity nginx module and the Core Rule Set from Debian packages (unless --no-install),
starts nginx on loopback with CRS in blocking mode at the chosen paranoia level in front of a 200-answering
upstream, sends every corpus row through it byte for byte (blocked = HTTP 403), scores the same rows with
apiward's engine (blocked = inspection is an attack), and prints both tables.

    python benchmarks/detect_vs_modsecurity.py                      # dev set + 6,000 shipped benign rows, PL1
    python benchmarks/detect_vs_modsecurity.py --paranoia 2 --benign-limit 0
    python benchmarks/detect_vs_modsecurity.py --corpus extra.jsonl      # add any labelled corpus (.gz too)
"""

from __future__ import annotations

import argparse
import base64
import gzip
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from apiward.detect import Engine
from apiward.detect._eval import parse_corpus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEV = ROOT.parent / "shared" / "corpora" / "crs-regression.jsonl"
BENIGN = ROOT / "corpora" / "benign-api.jsonl.gz"
MODULE = Path("/usr/lib/nginx/modules/ngx_http_modsecurity_module.so")
CRS = Path("/usr/share/modsecurity-crs")
CRS_SETUP_DIR = Path("/etc/modsecurity/crs")
RECOMMENDED = Path("/etc/nginx/modsecurity.conf")
PACKAGES = ["nginx", "libnginx-mod-http-modsecurity", "modsecurity-crs"]


def install() -> None:
    if MODULE.exists() and (CRS / "rules").is_dir() and shutil.which("nginx"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_nginx(prefix: Path, paranoia: int) -> tuple[subprocess.Popen[bytes], int]:
    port, upstream = free_port(), free_port()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    # The recommended file, switched from DetectionOnly to blocking; unicode.mapping must sit beside it.
    recommended = prefix / "modsecurity.conf"
    recommended.write_text(RECOMMENDED.read_text().replace("SecRuleEngine DetectionOnly", "SecRuleEngine On"))
    shutil.copy(RECOMMENDED.parent / "unicode.mapping", prefix / "unicode.mapping")
    crs = prefix / "crs"
    crs.mkdir(exist_ok=True)
    shutil.copy(CRS_SETUP_DIR / "crs-setup.conf", crs / "crs-setup.conf")
    (crs / "rules").symlink_to(CRS / "rules") if not (crs / "rules").exists() else None
    main = (HERE / "modsecurity" / "modsec-main.conf.template").read_text()
    (prefix / "modsec-main.conf").write_text(main.format(recommended=recommended, crs=crs, paranoia=paranoia))
    conf = (HERE / "modsecurity" / "nginx.conf.template").read_text()
    (prefix / "nginx.conf").write_text(conf.format(module=MODULE, prefix=prefix, port=port, upstream_port=upstream))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")], capture_output=True)
    if check.returncode != 0:
        sys.exit(f"nginx configuration failed:\n{check.stderr.decode()}")
    proc = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("nginx did not start")


def raw_request(row: dict[str, object]) -> bytes:
    req = row["request"]
    assert isinstance(req, dict)
    body = base64.b64decode(req.get("body_b64") or "")
    lines = [f"{req.get('method', 'GET')} {req.get('uri', '/')} HTTP/1.1"]
    headers = {str(k): str(v) for k, v in (req.get("headers") or {}).items()}
    if not any(k.lower() == "host" for k in headers):
        headers["Host"] = "localhost"
    for k, v in headers.items():
        if k.lower() not in ("content-length", "transfer-encoding", "connection"):
            lines.append(f"{k}: {v}")
    if body or req.get("method", "GET") not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def send(port: int, data: bytes) -> int:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(data)
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
        return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    except (OSError, ValueError, IndexError):
        return 0


def _read(path: Path) -> list[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def rows(benign_limit: int, extra: list[Path]) -> list[dict[str, object]]:
    out = _read(DEV) if DEV.exists() else []
    if benign_limit:
        with gzip.open(BENIGN, "rt", encoding="utf-8") as fh:
            out += [json.loads(line) for line in itertools.islice(fh, benign_limit)]
    for path in extra:
        out += _read(path)
    return [r for r in out if r.get("label") in ("attack", "benign")]


def table(title: str, verdicts: dict[str, list[tuple[str, bool]]]) -> dict[str, tuple[float | None, float | None]]:
    print(f"\n{title}")
    print(f"{'family':<18} {'attacks':>7} {'benign':>7} {'TPR':>7} {'TNR':>7} {'bal.acc':>7}")
    rates: dict[str, tuple[float | None, float | None]] = {}
    allv = [v for vs in verdicts.values() for v in vs]
    for name, vs in [*sorted(verdicts.items()), ("OVERALL", allv)]:
        att = [b for label, b in vs if label == "attack"]
        ben = [b for label, b in vs if label == "benign"]
        tpr = sum(att) / len(att) if att else None
        tnr = (len(ben) - sum(ben)) / len(ben) if ben else None
        bal = [x for x in (tpr, tnr) if x is not None]
        f = lambda x: "   —  " if x is None else f"{x:6.4f}"  # noqa: E731
        balanced = sum(bal) / len(bal) if bal else None
        print(f"{name:<18} {len(att):>7} {len(ben):>7} {f(tpr):>7} {f(tnr):>7} {f(balanced):>7}")
        rates[name] = (tpr, tnr)
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paranoia", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--benign-limit", type=int, default=6000, help="shipped benign rows to add (0: none)")
    parser.add_argument("--no-install", action="store_true", help="do not apt-get install the packages")
    parser.add_argument(
        "--corpus", type=Path, action="append", default=[], help="another labelled JSONL corpus to add (repeatable)"
    )
    args = parser.parse_args()
    missing = [str(p) for p in args.corpus if not p.is_file()]
    if missing:
        sys.exit(f"corpus not found: {', '.join(missing)}")
    if not args.no_install:
        install()
    data = rows(args.benign_limit, args.corpus)
    extra = f", plus {', '.join(p.name for p in args.corpus)}" if args.corpus else ""
    dev = "present" if DEV.exists() else "absent"
    print(f"{len(data)} rows (dev set {dev}, {args.benign_limit} benign rows{extra})")

    engine = Engine(paranoia=args.paranoia)
    samples = list(parse_corpus((json.dumps(r) for r in data), source="bench", skip_bad=True))
    t0 = time.perf_counter()
    ours: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for s in samples:
        ours[s.category].append((s.label, engine.inspect(s.request).is_attack))
    ours_s = time.perf_counter() - t0

    theirs: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    with tempfile.TemporaryDirectory(prefix="apiward-modsec-") as tmp:
        proc, port = start_nginx(Path(tmp), args.paranoia)
        try:
            t0 = time.perf_counter()
            for r in data:
                status = send(port, raw_request(r))
                statuses[status] += 1
                theirs[str(r.get("category"))].append((str(r["label"]), status == 403))
            theirs_s = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    a = table(f"apiward detect, paranoia {args.paranoia} (blocked = is_attack)", ours)
    b = table(f"nginx + ModSecurity + CRS, paranoia {args.paranoia} (blocked = 403)", theirs)
    print(f"\nnginx statuses: {dict(sorted(statuses.items()))} (0 = connection error/closed)")
    print(f"time: apiward {ours_s:.1f} s in-process; nginx+ModSecurity {theirs_s:.1f} s over loopback")
    print("\nTPR/TNR delta (apiward - ModSecurity):")
    for name in a:
        if name in b:
            (t1, n1), (t2, n2) = a[name], b[name]
            d = lambda x, y: "   —  " if x is None or y is None else f"{x - y:+.4f}"  # noqa: E731
            print(f"  {name:<18} TPR {d(t1, t2)}  TNR {d(n1, n2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
