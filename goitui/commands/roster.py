"""``goi roster`` and ``goi coverage``: who is expected to report, and who has not.

The library does the work (``goitui.archive.roster``); this module parses options and prints.
"""

from pathlib import Path
from typing import Annotated

import typer

from goitui.commands.common import (
    FINDINGS,
    OK,
    BomOption,
    DbOption,
    RegionOption,
    TableFormat,
    TableFormatOption,
    archive,
    emit_json,
    emit_sheets,
    fail,
    say,
)
from goitui.errors import GoiError
from goitui.i18n import _
from goitui.render.display import COVERAGE_MARK, coverage_summary, pad
from goitui.text import visible

roster_app = typer.Typer(help=_("The roster of agencies an office expects reports from."),
                         invoke_without_command=True, no_args_is_help=False)


@roster_app.callback()
def roster_list(ctx: typer.Context, region: RegionOption = None, db: DbOption = None,
                format: TableFormatOption = TableFormat.text, bom: BomOption = True) -> None:
    """List the roster: each expected agency, its region, and the archive agency it matches."""
    from goitui.archive import roster as roster_lib

    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    with archive(db) as arch:
        entries = roster_lib.roster(arch, region)
    if format == TableFormat.json:
        emit_json([e.to_dict() for e in entries])
        return
    if format != TableFormat.text:
        from goitui.export.writers import Sheet

        columns = ["name", "region", "level", "agency"]
        emit_sheets([Sheet("roster", columns, [[getattr(e, c) for c in columns]
                                               for e in entries])], format, bom)
        return
    if not entries:  # a message, not data: stdout stays empty for a pipe
        typer.echo(_("no roster yet: goi roster import FILE (CSV or XLSX) adds one")
                   if region is None else _("no roster entry in region {region}").format(
                       region=visible(region)), err=True)
        return
    for e in entries:
        match = (visible(e.agency) if e.agency else
                 _("no report yet") + (" · " + _("near: ") + "、".join(map(visible, e.near))
                                       if e.near else ""))
        typer.echo(pad(visible(e.name), 30) + pad(visible(e.region or "-"), 20) + match)


@roster_app.command("import")
def roster_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("CSV or XLSX: a header row with a name column "
                                                "(名称/单位/name), optionally region (上级/所属) "
                                                "and level (层级)."))],
    replace: Annotated[bool, typer.Option("--replace", help=_("Replace the whole roster "
                                                              "instead of adding to it."))] = False,
    db: DbOption = None,
) -> None:
    """Load the roster from a sheet; every name is matched to the archive's agencies."""
    from goitui.archive import roster as roster_lib

    db = db or (ctx.obj or {}).get("db")
    try:
        entries = roster_lib.read_roster_file(file)
    except GoiError as error:
        fail(str(error))
    with archive(db, write=True) as arch:  # only goi import creates an archive
        count = roster_lib.store_roster(arch, entries, replace=replace)
        matched = roster_lib.roster(arch)
    known = {e.name: e for e in matched}
    for e in entries:
        m = known.get(e.name)
        if m and not m.agency and m.near:
            say(_("{name}: no agency of this name yet; near: {near} (not joined)").format(
                name=visible(e.name), near="、".join(map(visible, m.near))))
    say(_("{count} roster rows stored; {matched} match an archived agency").format(
        count=count, matched=sum(1 for e in matched if e.agency)))


def coverage_cmd(
    years: Annotated[list[int] | None, typer.Option("--year", "-y", help=_(
        "Only these years (repeatable; default: every year archived)."))] = None,
    region: RegionOption = None,
    db: DbOption = None,
    format: TableFormatOption = TableFormat.text,
    bom: BomOption = True,
) -> None:
    """Who submitted which year: agencies × years (✓ pass, ! warn, ✗ fail, — missing).

    Rows are the roster's agencies (``goi roster import``), else every archived agency.
    Exit code 1 when any report is missing.
    """
    from goitui.archive import roster as roster_lib

    with archive(db) as arch:
        cov = roster_lib.coverage(arch, years, region)
    if format == TableFormat.json:
        emit_json(cov.to_dict())
    elif format != TableFormat.text:
        from goitui.export.records import coverage_sheet

        emit_sheets([coverage_sheet(cov.to_dict(), COVERAGE_MARK)], format, bom)
    else:
        typer.echo(pad(_("agency"), 30) + "".join(pad(str(y), 6) for y in cov.years))
        for row in cov.rows:
            typer.echo(pad(visible(row["agency"]), 30)
                       + "".join(pad(COVERAGE_MARK[row["cells"][y]], 6) for y in cov.years))
        say(coverage_summary(cov))
    raise typer.Exit(FINDINGS if cov.missing_count() else OK)


def register(app: typer.Typer) -> None:
    app.add_typer(roster_app, name="roster")
    app.command("coverage")(coverage_cmd)
