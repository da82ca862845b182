"""`apiward inventory FILE...`: the real API surface from traffic (gateway events, HAR, nginx/Envoy JSON logs)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import orjson
import yaml
from rich.console import Console
from rich.table import Table

from apiward.analytics import InventoryBuilder, read_traffic, to_openapi
from apiward.analytics._ingest import FORMATS
from apiward.cli._common import EXIT_FINDINGS, handle_errors
from apiward.core import InputError

__all__ = ["inventory"]


def _console() -> Console:
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def _print_table(data: dict[str, Any]) -> None:
    console = _console()
    s = data["summary"]
    spec = f" against {data['spec']}" if data["spec"] else ""
    console.print(
        f"[bold]{s['endpoints']} endpoint(s)[/bold] from {data['observations']} request(s){spec}: "
        f"{s['documented']} documented, {s['shadow']} shadow, {s['zombie']} zombie; "
        f"{s['unauthenticated']} seen without credentials; {s['with_sensitive_data']} with sensitive data"
    )
    table = Table(header_style="bold")
    for col in ("method", "path", "status", "hits", "auth", "anon 2xx", "sensitive data", "notes"):
        table.add_column(col, overflow="fold")
    for ep in data["endpoints"]:
        style = {"shadow": "yellow", "zombie": "red"}.get(ep["status"])
        table.add_row(
            ep["method"],
            ep["path"],
            ep["status"],
            str(ep["hits"]),
            ep["auth"],
            str(ep["anonymous_success"]),
            ", ".join(ep["sensitive_data"]),
            "; ".join(ep["notes"]),
            style=style,
        )
    console.print(table)
    if data["unseen_operations"]:
        console.print(f"documented but not seen: {', '.join(data['unseen_operations'])}", highlight=False)


@click.command(name="inventory")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--spec", "spec_path", help="The API description to compare with (shadow and zombie endpoints).")
@click.option(
    "--input-format", type=click.Choice(FORMATS), default="auto", show_default=True, help="Format of the FILES."
)
@click.option(
    "--export-openapi", type=click.Path(path_type=Path, dir_okay=False), help="Write an inferred OpenAPI 3.1."
)
@click.option("--server", help="Server URL for the exported description (e.g. https://api.example.com).")
@click.option(
    "--fan-out",
    type=click.IntRange(min=2),
    default=20,
    show_default=True,
    help="Distinct values that make a segment a parameter.",
)
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--fail-on-shadow", is_flag=True, help="Exit 1 when shadow or zombie endpoints are found.")
@handle_errors
def inventory(
    files: tuple[Path, ...],
    spec_path: str | None,
    input_format: str,
    export_openapi: Path | None,
    server: str | None,
    fan_out: int,
    fmt: str,
    fail_on_shadow: bool,
) -> None:
    """Build an inventory from traffic FILES: endpoints, parameters, schemas, auth coverage, sensitive data.

    FILES are apiward gateway events (JSON Lines or the SQLite store), HAR files or nginx/Envoy JSON
    access logs (detected automatically). With --spec, endpoints missing from the description are
    shadow endpoints, and deprecated or superseded versions still in use are zombies.
    """
    builder = InventoryBuilder(fan_out=fan_out)
    for file in files:
        if not file.is_file():
            raise InputError("no such file", source=str(file))
        builder.add(read_traffic(file, input_format), str(file))
    model = None
    if spec_path:
        from apiward.spec import load

        model = load(spec_path)
    result = builder.build(model)
    data = result.to_dict()
    if export_openapi is not None:
        document = to_openapi(result, server=server)
        try:
            export_openapi.parent.mkdir(parents=True, exist_ok=True)
            if export_openapi.suffix.lower() == ".json":
                export_openapi.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
            else:
                export_openapi.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", source=str(export_openapi)) from exc
    if fmt == "json":
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())
    else:
        _print_table(data)
        if export_openapi is not None:
            click.echo(f"inferred OpenAPI 3.1 written to {export_openapi}")
    if fail_on_shadow and (data["summary"]["shadow"] or data["summary"]["zombie"]):
        sys.exit(EXIT_FINDINGS)
