"""A simulated POSIX shell for the command-injection flaw. Nothing is ever executed.

The vulnerable "ping" tool builds ``ping -c 1 <host>`` and hands it to :func:`simulate`, which
interprets a small, safe subset of shell syntax in pure Python: ``;``, ``&&``, ``||``, ``|``, ``&``,
``$(…)`` and backtick substitution, ``$((…))`` integer arithmetic, and the commands ``ping``,
``echo``, ``id``, ``whoami``, ``uname``, ``hostname``, ``pwd``, ``ls``, ``cat`` (on the virtual file
system), ``sleep`` (capped) and ``true``/``false``. Anything else answers "command not found".
"""

from __future__ import annotations

import ast
import operator
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from apiward.demo._vfs import VirtualFileSystem

__all__ = ["MAX_SLEEP_S", "ShellResult", "simulate"]

#: Longest total sleep one simulated command line may ask for.
MAX_SLEEP_S = 5.0
_MAX_INPUT = 2048
_MAX_DEPTH = 4

_ARITH = re.compile(r"\$\(\(([0-9+\-*/%() \t]{1,200})\)\)")
_SUBST = re.compile(r"\$\(([^()]*)\)|`([^`]*)`")
_SPLIT = re.compile(r"(\|\||&&|;|\||&|\n)")

_OPS: dict[type[ast.AST], Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Div: operator.floordiv,
    ast.Mod: operator.mod,
}


@dataclass(slots=True)
class ShellResult:
    output: str = ""
    sleep_s: float = 0.0
    status: int = 0


def _arith(expression: str) -> str:
    """Integer arithmetic as the shell does it; hand-written because no library evaluates it safely."""

    def ev(node: ast.AST) -> int:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left, right = ev(node.left), ev(node.right)
            if abs(left) > 10**12 or abs(right) > 10**12:
                raise ValueError("overflow")
            if isinstance(node.op, ast.FloorDiv | ast.Div | ast.Mod) and right == 0:
                raise ValueError("division by 0")
            return _OPS[type(node.op)](left, right)
        raise ValueError("syntax error")

    try:
        return str(ev(ast.parse(expression.strip(), mode="eval").body))
    except (SyntaxError, ValueError, RecursionError):
        return "0"


class _Shell:
    def __init__(self, vfs: VirtualFileSystem) -> None:
        self.vfs = vfs
        self.sleep_s = 0.0

    def run_line(self, line: str, depth: int = 0) -> tuple[str, int]:
        if depth > _MAX_DEPTH:
            return "", 1
        line = _ARITH.sub(lambda m: _arith(m.group(1)), line)
        line = _SUBST.sub(lambda m: self.run_line(m.group(1) or m.group(2) or "", depth + 1)[0].strip(), line)
        parts = _SPLIT.split(line)
        out: list[str] = []
        status = 0
        stdin: str | None = None
        op = ";"
        for i in range(0, len(parts), 2):
            command = parts[i].strip()
            run = op in (";", "&", "\n", "|") or (op == "&&" and status == 0) or (op == "||" and status != 0)
            next_op = parts[i + 1] if i + 1 < len(parts) else ";"
            if run and command:
                text, status = self.command(command, stdin)
                if next_op == "|":
                    stdin = text
                else:
                    stdin = None
                    out.append(text)
            op = next_op
        return "".join(out), status

    def command(self, command: str, stdin: str | None) -> tuple[str, int]:
        try:
            argv = shlex.split(command)
        except ValueError:
            argv = command.split()
        if not argv:
            return "", 0
        name, args = argv[0], argv[1:]
        if name == "echo":
            return " ".join(a for a in args if a != "-n") + ("" if "-n" in args else "\n"), 0
        if name == "id":
            return "uid=33(www-data) gid=33(www-data) groups=33(www-data)\n", 0
        if name == "whoami":
            return "www-data\n", 0
        if name == "uname":
            return ("Linux demo-shop-01 6.1.0-demo x86_64 GNU/Linux\n" if "-a" in args else "Linux\n"), 0
        if name == "hostname":
            return "demo-shop-01\n", 0
        if name == "pwd":
            return "/srv/apiward-demo\n", 0
        if name in ("true", ":"):
            return "", 0
        if name == "false":
            return "", 1
        if name == "ls":
            return "".join(f"{n}\n" for n in self.vfs.listdir(args[-1] if args else "/srv/apiward-demo")), 0
        if name == "cat":
            files = [a for a in args if not a.startswith("-")]
            if not files:
                return stdin or "", 0
            chunks: list[str] = []
            for path in files:
                data = self.vfs.read(path if path.startswith("/") else f"/srv/apiward-demo/{path}")
                if data is None:
                    return "".join(chunks) + f"cat: {path}: No such file or directory\n", 1
                chunks.append(data.decode("utf-8", "replace"))
            return "".join(chunks), 0
        if name == "sleep":
            try:
                seconds = float(args[0]) if args else 0.0
            except ValueError:
                return f"sleep: invalid time interval '{args[0]}'\n", 1
            self.sleep_s = min(MAX_SLEEP_S, self.sleep_s + max(0.0, seconds))
            return "", 0
        if name == "ping":
            host = args[-1] if args else ""
            if not host or host.startswith("-"):
                return "ping: usage error: Destination address required\n", 1
            return (
                f"PING {host} (127.0.0.1) 56(84) bytes of data.\n"
                f"64 bytes from {host} (127.0.0.1): icmp_seq=1 ttl=64 time=0.042 ms\n\n"
                f"--- {host} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n"
            ), 0
        return f"sh: 1: {name}: not found\n", 127


def simulate(command_line: str, vfs: VirtualFileSystem) -> ShellResult:
    """Interpret ``command_line`` as ``/bin/sh -c`` would, without running anything."""
    shell = _Shell(vfs)
    output, status = shell.run_line(command_line[:_MAX_INPUT])
    return ShellResult(output=output, sleep_s=shell.sleep_s, status=status)
