"""Shared CLI helpers: exit codes, ``--fail-on`` / ``--min-severity`` / ``--format`` / ``-o`` options, and the
translation of apiward errors into exit codes and one-line messages (never a traceback).

Exit codes (every command):

    0  clean: nothing at or above ``--fail-on``
    1  findings at or above ``--fail-on``
    2  usage, configuration, spec or input error
    3  runtime failure (target unreachable, backend down, unexpected error)
  141  the reader closed the output pipe early (`apiward … | head`); nothing is printed about it
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from apiward.core import (
    ApiwardError,
    BackendError,
    ConfigError,
    Finding,
    InputError,
    Severity,
    SpecError,
    TargetError,
)

__all__ = [
    "EXIT_CLEAN",
    "EXIT_FINDINGS",
    "EXIT_RUNTIME",
    "EXIT_USAGE",
    "SEVERITY_CHOICES",
    "baseline_option",
    "exit_code_for",
    "fail_on_option",
    "format_option",
    "handle_errors",
    "min_severity_option",
    "output_option",
    "parse_id_list",
    "resolve_format",
    "use_color",
    "write_output",
]

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_RUNTIME = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool killed by a closed pipe

SEVERITY_CHOICES = tuple(s.label for s in sorted(Severity, reverse=True))

_P = ParamSpec("_P")
_R = TypeVar("_R")
_F = TypeVar("_F", bound=Callable[..., Any])


def _to_severity(_ctx: click.Context | None, _param: click.Parameter | None, value: str | None) -> Severity | None:
    if value is None:
        return None
    return Severity.parse(value)  # type: ignore[return-value]


def fail_on_option(default: str = "high") -> Callable[[_F], _F]:
    """``--fail-on SEVERITY`` (parsed to :class:`Severity`): exit 1 when a finding is at or above it."""
    return click.option(
        "--fail-on",
        type=click.Choice(SEVERITY_CHOICES, case_sensitive=False),
        default=default,
        show_default=True,
        callback=_to_severity,
        help="Exit 1 when a finding is at or above this severity.",
    )


def min_severity_option(default: str = "info") -> Callable[[_F], _F]:
    """``--min-severity SEVERITY`` (parsed to :class:`Severity`): hide findings below it."""
    return click.option(
        "--min-severity",
        type=click.Choice(SEVERITY_CHOICES, case_sensitive=False),
        default=default,
        show_default=True,
        callback=_to_severity,
        help="Report only findings at or above this severity.",
    )


def format_option(
    choices: Iterable[str], default: str = "console", *, infer_from_output: bool = False
) -> Callable[[_F], _F]:
    """``--format/-f NAME`` limited to ``choices``, defaulting to ``default``.

    With ``infer_from_output`` the option is ``None`` when not given, and the command resolves it with
    :func:`resolve_format` (``-o report.sarif`` implies ``sarif``).
    """
    names = list(choices)
    if not infer_from_output:
        return click.option(
            "--format",
            "-f",
            "fmt",
            type=click.Choice(names, case_sensitive=False),
            default=default,
            show_default=True,
            help="Output format.",
        )
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(names, case_sensitive=False),
        default=None,
        help=f"Output format [default: implied by the -o suffix (.sarif, .json, .md, .html, .xml), else {default}].",
    )


#: ``-o`` suffix -> format, when ``--format`` is not given. Longest suffixes first.
_SUFFIX_FORMATS = {
    ".sarif.json": "sarif",
    ".sarif": "sarif",
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xml": "junit",
    ".txt": "console",
}


def resolve_format(fmt: str | None, output: Path | None, default: str = "console") -> str:
    """The format to use: ``--format`` if given, else the one ``-o``'s suffix implies, else ``default``."""
    if fmt:
        return fmt.lower()
    if output is not None:
        name = output.name.lower()
        for suffix, implied in _SUFFIX_FORMATS.items():
            if name.endswith(suffix):
                return implied
    return default


def output_option() -> Callable[[_F], _F]:
    """``-o/--output FILE``: write the report there instead of standard output."""
    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        default=None,
        help="Write the report to FILE instead of standard output.",
    )


def baseline_option() -> Callable[[_F], _F]:
    """``--baseline FILE``: a previous JSON or SARIF report; pair with :func:`apiward.report.load_baseline`."""
    return click.option(
        "--baseline",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="A previous JSON or SARIF report: report only findings that are not in it.",
    )


def parse_id_list(value: str | None) -> tuple[str, ...]:
    """``"AUD-001, aud-002"`` -> ``("AUD-001", "AUD-002")``; empty or ``None`` -> ``()``."""
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def exit_code_for(findings: Iterable[Finding], fail_on: Severity | None) -> int:
    """1 when any finding is at or above ``fail_on`` (``None`` never fails), else 0."""
    if fail_on is None:
        return EXIT_CLEAN
    return EXIT_FINDINGS if any(f.severity >= fail_on for f in findings) else EXIT_CLEAN


def use_color(output: Path | None) -> bool:
    """ANSI colour only for a terminal on standard output, and never when ``NO_COLOR`` is set (no-color.org)."""
    return output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def write_output(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output`` (UTF-8, created or replaced) or to standard output."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write report: {exc.strerror or exc}", source=str(output)) from exc


def _exit_code_of(error: ApiwardError) -> int:
    if isinstance(error, ConfigError | SpecError | InputError):
        return EXIT_USAGE
    if isinstance(error, TargetError | BackendError):
        return EXIT_RUNTIME
    return EXIT_RUNTIME


def handle_errors(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a click command: apiward errors become ``error: message`` on stderr and exit 2 or 3.

    Spec/config/input errors exit 2, target/backend failures 3. ``click`` usage errors keep their own
    handling (exit 2). Anything unexpected is reported in one line with exit 3 (set ``APIWARD_DEBUG=1``
    to see the traceback).
    """

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ApiwardError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(_exit_code_of(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_RUNTIME)
        except BrokenPipeError:
            # The reader went away (`apiward … | head`): not an error worth a message. Point stdout at /dev/null
            # so the interpreter's final flush does not raise again, and exit as a SIGPIPE-killed tool would.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:
            if os.environ.get("APIWARD_DEBUG") == "1":
                raise
            click.echo(f"error: unexpected {type(exc).__name__}: {exc} (set APIWARD_DEBUG=1 for details)", err=True)
            sys.exit(EXIT_RUNTIME)

    return wrapper
