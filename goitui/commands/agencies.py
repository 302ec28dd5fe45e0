"""``goi agencies``: the agencies with their names; merge and rename fix what matching got wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from goitui.commands.common import (
    BomOption,
    DbOption,
    Format,
    FormatOption,
    TableFormat,
    TableFormatOption,
    archive,
    emit_json,
    emit_sheets,
    say,
)
from goitui.pipeline import merge_agencies
from goitui.render.display import pad
from goitui.text import visible

agencies_app = typer.Typer(help="List agencies and their names; merge or rename them.",
                           invoke_without_command=True, no_args_is_help=False)


@agencies_app.callback()
def agencies(ctx: typer.Context, db: DbOption = None,
             format: TableFormatOption = TableFormat.text, bom: BomOption = True) -> None:
    """List every agency with its names (aliases) and years."""
    # `goi agencies --db X merge …` works too
    ctx.obj = {"db": db, "format": Format.json if format == TableFormat.json else Format.text}
    if ctx.invoked_subcommand is not None:
        return
    with archive(db) as arch:
        rows = arch.agencies()
    if format == TableFormat.json:
        emit_json(rows)
        return
    if format != TableFormat.text:
        from goitui.export.records import agencies_sheet

        emit_sheets([agencies_sheet(rows)], format, bom)
        return
    for r in rows:
        years = ",".join(str(y) for y in r["years"]) or "-"
        others = [a for a in r["aliases"] if a != r["name"]]
        typer.echo(pad(visible(r["name"]), 32) + pad(years, 24)
                   + ("also: " + "、".join(visible(a) for a in others) if others else "")
                   + (f"  ({visible(r['note'])})" if r["note"] else ""))


def _inherit(ctx: typer.Context, db: Path | None, format: Format) -> tuple[Path | None, Format]:
    """Options given before the subcommand (``goi agencies --db X merge``) count as well."""
    parent = ctx.obj or {}
    return db or parent.get("db"), (format if format != Format.text else
                                     parent.get("format", Format.text))


def _print_agency(a: dict, format: Format) -> None:
    if format == Format.json:
        emit_json(a)
    else:
        typer.echo(f"{visible(a['name'])}  names: {'、'.join(visible(x) for x in a['aliases'])}  "
                   f"years: {','.join(str(y) for y in a['years']) or '-'}")


@agencies_app.command("merge")
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help="The agency to keep.")],
    other: Annotated[str, typer.Argument(help="The agency folded into it.")],
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Make two agencies one: OTHER's names and reports join KEEP.

    Where both have a report for a year, the one imported last is current; the other is kept
    as an earlier version.
    """
    db, format = _inherit(ctx, db, format)
    with archive(db) as arch:
        a = merge_agencies(arch, keep, other)
    say(f"merged {other!r} into {a['name']!r}")
    _print_agency(a, format)


@agencies_app.command("rename")
def rename(
    ctx: typer.Context,
    agency: Annotated[str, typer.Argument(help="The agency (any name or part).")],
    new_name: Annotated[str, typer.Argument(help="The name to show it under.")],
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show an agency under another name; its old names stay as aliases."""
    db, format = _inherit(ctx, db, format)
    with archive(db) as arch:
        a = arch.rename(agency, new_name)
    _print_agency(a, format)


def register(app: typer.Typer) -> None:
    app.add_typer(agencies_app, name="agencies")
