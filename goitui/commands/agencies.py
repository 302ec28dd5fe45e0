"""``goi agencies``: the agencies with their names; merge and rename fix what matching got wrong."""

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
    YesOption,
    archive,
    confirmed,
    emit_json,
    emit_sheets,
    say,
)
from goitui.i18n import _, listing
from goitui.render.display import pad, width
from goitui.text import visible

agencies_app = typer.Typer(help=_("List agencies and their names; merge or rename them."),
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
    typer.echo(pad(_("agency"), 32) + pad(_("years"), 24) + _("other names"))
    for r in rows:
        years = listing(r["years"]) or "-"
        others = [a for a in r["aliases"] if a != r["name"]]
        typer.echo(pad(visible(r["name"]), 32) + pad(years, max(24, width(years) + 2))
                   + (_("also: {names}").format(names="、".join(visible(a) for a in others))
                      if others else "")
                   + (f"  ({visible(note_shown(r['note']))})" if r["note"] else ""))


def note_shown(note: str) -> str:
    """An agency's note (``near: 青石镇``, stored in English) in the active language."""
    head, colon, rest = note.partition(": ")
    known = {"near": _("near: {agencies}"),
             "matches several agencies": _("matches several agencies: {agencies}")}
    return known[head].format(agencies=rest) if colon and head in known else note


def _inherit(ctx: typer.Context, db: Path | None, format: Format) -> tuple[Path | None, Format]:
    """Options given before the subcommand (``goi agencies --db X merge``) count as well."""
    parent = ctx.obj or {}
    return db or parent.get("db"), (format if format != Format.text else
                                     parent.get("format", Format.text))


def _print_agency(a: dict, format: Format) -> None:
    if format == Format.json:
        emit_json(a)
    else:
        typer.echo(_("{agency}  names: {names}  years: {years}").format(
            agency=visible(a["name"]), names="、".join(visible(x) for x in a["aliases"]),
            years=listing(a["years"]) or "-"))


@agencies_app.command("merge")
def merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(help=_("The agency to keep."))],
    other: Annotated[str, typer.Argument(help=_("The agency folded into it."))],
    yes: YesOption = False,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Make two agencies one: OTHER's names and reports join KEEP.

    Shows what it will do first, and needs --yes (or a yes at the terminal). Where both have
    a report for a year, the one imported last is current; the other is kept as an earlier
    version. Reviews are kept. Undone by goi agencies split OTHER (or goi undo).
    """
    from goitui import repair

    db, format = _inherit(ctx, db, format)
    with archive(db, write=True) as arch:
        for line in repair.merge_plan(arch, keep, other).lines():
            say(visible(line))
        confirmed(yes, _("merge them?"))
        a = repair.merge(arch, keep, other)
    say(_("merged {other!r} into {agency!r}").format(other=other, agency=a["name"]))
    _print_agency(a, format)


@agencies_app.command("split", help=_(
    "Undo a merge: the agency merged away comes back with its names, reports, versions and "
    "reviews as they were."))
def split(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("A name of the agency that was merged away."))],
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    from goitui import repair

    db, format = _inherit(ctx, db, format)
    with archive(db, write=True) as arch:
        a = repair.split(arch, name)
    say(_("split {name} off again").format(name=visible(a["name"])))
    _print_agency(a, format)


@agencies_app.command("rename")
def rename(
    ctx: typer.Context,
    agency: Annotated[str, typer.Argument(help=_("The agency (any name or part)."))],
    new_name: Annotated[str, typer.Argument(help=_("The name to show it under."))],
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Show an agency under another name; its old names stay as aliases."""
    db, format = _inherit(ctx, db, format)
    with archive(db, write=True) as arch:
        a = arch.rename(agency, new_name)
    _print_agency(a, format)


def register(app: typer.Typer) -> None:
    app.add_typer(agencies_app, name="agencies")
