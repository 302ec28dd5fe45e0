"""``goi diff``: two years of one agency, summary first, then tables and prose."""

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from goitui import labels
from goitui.commands.common import (
    FINDINGS,
    OK,
    AgencyArg,
    BomOption,
    DbOption,
    TableFormat,
    archive,
    emit_json,
    emit_sheets,
)
from goitui.i18n import _

if TYPE_CHECKING:
    from goitui.archive.store import Archive
    from goitui.model import Report


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    tsv = "tsv"
    xlsx = "xlsx"


Table = Enum("Table", {t: t for t in labels.TABLES}, type=str)  # type: ignore[misc]


def pick_years(arch: "Archive", agency: str, years: list[int]) -> "tuple[Report, Report]":
    """The two reports to compare (``choose_years``: the years given, or a year, default the
    latest, and the archived year before it)."""
    if len(years) > 2:
        raise typer.BadParameter(_("give at most two years"), param_hint="YEARS")
    if len(years) == 2 and years[0] == years[1]:
        raise typer.BadParameter(_("give two different years"), param_hint="YEARS")
    from goitui.diff.compare import choose_years

    found = arch.find_agency(agency) if len(years) < 2 else None
    old, new = choose_years(found["name"] if found else agency, found["years"] if found else [],
                            years)
    return arch.find_report(agency, old), arch.find_report(agency, new)


def diff(
    agency: AgencyArg,
    years: Annotated[list[int] | None, typer.Argument(
        help=_("Two years (old new); one year (against the archived year before it); none: the "
               "latest year against the one before."), show_default=False)] = None,
    table: Annotated[list[Table] | None, typer.Option(
        "--table", "-t", help=_("Only this table (repeatable); the prose is then left out."),
        show_default=False)] = None,
    changed_only: Annotated[bool, typer.Option(
        "--changed-only", help=_("Only what changed: leave out rows in one year only and "
                                 "repeated sentences."))] = False,
    db: DbOption = None,
    format: Annotated[DiffFormat, typer.Option(
        "--format", "-f", help=_("Output: text, json, markdown, or a row per changed figure "
                                 "as csv, tsv or xlsx."))] = DiffFormat.text,
    bom: BomOption = True,
) -> None:
    """Compare two years of one agency's report: figures, prose and cross-year findings.

    Exit code 0 when nothing differs, 1 when something does, 2 when a year is missing or
    the name is ambiguous (the candidates are listed).
    """
    from goitui.diff.compare import diff_reports
    from goitui.render.diff import diff_markdown, diff_text

    with archive(db) as arch:
        old, new = pick_years(arch, agency, years or [])
    d = diff_reports(old, new, tables=tuple(t.value for t in table) if table else None,
                     changed_only=changed_only)
    if format == DiffFormat.json:
        emit_json(d.to_dict())
    elif format in (DiffFormat.csv, DiffFormat.tsv, DiffFormat.xlsx):
        from goitui.export.records import diff_sheet

        emit_sheets([diff_sheet(d.to_dict())], TableFormat(format.value), bom)
    elif format == DiffFormat.markdown:
        sys.stdout.write(diff_markdown(d))
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        typer.echo(diff_text(d, color=color), color=color)
    raise typer.Exit(FINDINGS if d.differs else OK)




def register(app: typer.Typer) -> None:
    app.command("diff")(diff)
