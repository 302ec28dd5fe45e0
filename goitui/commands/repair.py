"""``goi versions``, ``goi remove``, ``goi history``, ``goi undo``: repairing what was filed
wrongly, and seeing (and undoing) what every repair did."""

from typing import Annotated

import typer

from goitui.commands.common import (
    AgencyArg,
    DbOption,
    Format,
    FormatOption,
    YesOption,
    archive,
    confirmed,
    emit_json,
    say,
)
from goitui.i18n import Phrase, _, shown
from goitui.model import status_name
from goitui.render.display import pad
from goitui.text import visible

YearArg = Annotated[int, typer.Argument(help=_("Year of the report."))]


def versions_cmd(
    agency: AgencyArg,
    year: YearArg,
    make_current: Annotated[int | None, typer.Option(
        "--make-current", help=_("Make this version the current one (recorded; goi undo)."))] = None,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Every version of an agency's report for a year; --make-current N picks the current one."""
    from goitui import repair

    with archive(db, write=make_current is not None) as arch:
        if make_current is not None:
            repair.make_current(arch, agency, year, make_current)
            say(_("{agency} {year}: version {version} is current").format(
                agency=visible(agency), year=year, version=make_current))
        rows = repair.versions(arch, agency, year)
    if format == Format.json:
        emit_json(rows)
        return
    for r in rows:
        typer.echo(("* " if r["is_current"] else "  ") + pad(f"v{r['version']}", 5)
                   + pad(r["imported_at"], 27) + pad(status_name(r["status"]), 8)
                   + pad(r["sha256"][:12], 14) + visible(r["source_path"]))


def remove_cmd(
    agency: AgencyArg,
    year: YearArg,
    version: Annotated[int | None, typer.Option(help=_("This version (default: the current one)."))] = None,
    yes: YesOption = False,
    db: DbOption = None,
) -> None:
    """Remove a report filed by mistake (the next version becomes current); recorded in the
    history with a copy of the report, which goi undo brings back."""
    from goitui import repair

    with archive(db, write=True) as arch:
        row = repair._slot_row(arch, agency, year, version)
        say(_("remove {agency} {year} v{version} ({path})").format(
            agency=visible(row["agency"]), year=year, version=row["version"],
            path=visible(row["source_path"])))
        confirmed(yes, _("remove it?"))
        repair.remove(arch, agency, year, row["version"])
    say(_("removed"))


def history_cmd(
    limit: Annotated[int, typer.Option(help=_("At most this many, newest first."))] = 50,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """What merges, splits, renames, re-filings, removals, versions and reviews changed, newest
    first (the rows before and after are in --format json)."""
    from goitui import repair

    with archive(db) as arch:
        rows = repair.history(arch, limit)
    if format == Format.json:  # summary in English, summary_zh in Chinese, as a finding's message
        emit_json([{**r, "summary_zh": r["summary"].render("zh")
                    if isinstance(r["summary"], Phrase) else None} for r in rows])
        return
    for r in rows:
        undone = _("  (undone by #{id})").format(id=r["undone_by"]) if r["undone_by"] else ""
        typer.echo(pad(f"#{r['id']}", 6) + pad(r["at"], 27) + pad(repair.operation_name(r["operation"]), 14)
                   + visible(shown(r["summary"])) + undone)


def undo_cmd(
    entry: Annotated[int | None, typer.Argument(help=_("The history entry (default: the latest that can be undone)."))] = None,
    yes: YesOption = False,
    db: DbOption = None,
) -> None:
    """Undo the last merge, rename, re-filing, removal, change of version or review."""
    from goitui import repair

    with archive(db, write=True) as arch:
        candidates = [e for e in repair.history(arch) if not e["undone_by"]
                      and e["operation"] not in ("undo", "split")
                      and (entry is None or e["id"] == entry)]
        if candidates and candidates[0]["operation"] in repair.UNDOABLE:
            say(_("undo #{id}: {summary}").format(id=candidates[0]["id"],
                                                  summary=visible(shown(candidates[0]["summary"]))))
            confirmed(yes, _("undo it?"))
        done = repair.undo(arch, entry)
    say(_("undone: #{id}").format(id=done["id"]))


def register(app: typer.Typer) -> None:
    app.command("versions")(versions_cmd)
    app.command("remove")(remove_cmd)
    app.command("history")(history_cmd)
    app.command("undo")(undo_cmd)
