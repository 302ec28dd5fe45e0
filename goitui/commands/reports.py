"""``goi list`` and ``goi show``: what the archive holds, and one report in full."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from goitui.commands.common import (
    FINDINGS,
    OK,
    AgencyArg,
    BomOption,
    DbOption,
    RegionOption,
    TableFormat,
    TableFormatOption,
    archive,
    echo_lines,
    emit_json,
    emit_json_stream,
    emit_sheets,
    say,
)
from goitui.i18n import _
from goitui.model import status_name
from goitui.render.display import STATUS_MARK, pad, path_shower, report_text, width
from goitui.text import visible


def list_(
    agency: Annotated[str | None, typer.Option(help=_("Only this agency (any name or part)."))] = None,
    year: Annotated[int | None, typer.Option(help=_("Only this year."))] = None,
    status: Annotated[str | None, typer.Option(help=_("Only pass, warn or fail."))] = None,
    template: Annotated[str | None, typer.Option(help=_("Only 2019, 2021 or hybrid."))] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help=_("Earlier versions too."))] = False,
    missing: Annotated[int | None, typer.Option(
        "--missing", metavar="YEAR", help=_("Instead: the roster's agencies with no report for "
                                            "YEAR (exit code 1 when any)."))] = None,
    region: RegionOption = None,
    db: DbOption = None,
    format: TableFormatOption = TableFormat.text,
    bom: BomOption = True,
) -> None:
    """One row per report: agency, year, template, status, source."""
    if missing is not None:
        _list_missing(missing, region, db, format, bom)
        return
    with archive(db) as arch:  # rows printed as they are read: a long list starts at once
        rows = arch.iter_reports(agency=agency, year=year, status=status, template=template,
                                 all_versions=all_versions)
        if region is not None:
            from goitui.archive.roster import region_agencies

            inside = region_agencies(arch, region)
            rows = (r for r in rows if r["agency_id"] in inside)
        if format == TableFormat.json:
            emit_json_stream(rows)
        elif format != TableFormat.text:
            from goitui.export.records import reports_sheet

            emit_sheets([reports_sheet(list(rows))], format, bom)
        else:
            echo_lines(_report_lines(rows, arch.path, all_versions))


def _report_lines(rows: Iterable[dict[str, Any]], where: Path, all_versions: bool
                  ) -> Iterator[str]:
    """``goi list``'s text: a header, then a line per report."""
    yield (pad(_("agency"), 30) + pad(_("year"), 6) + pad(_("template"), 9) + pad(_("status"), 14)
           + _("source"))
    shown = path_shower(where)  # the folders resolved once, not for every row
    status_said = {s: f"{STATUS_MARK.get(s, '')} {status_name(s)}" for s in STATUS_MARK}
    for r in rows:
        said = status_said.get(r["status"]) or f" {status_name(r['status'])}"
        st = f"{said} {r['errors']}/{r['warnings']}"
        if r.get("dismissed"):  # a report whose errors were dismissed is not a clean one
            st += " · " + _("{count} dismissed").format(count=r["dismissed"])
        yield (pad(visible(r["agency"]), 30) + pad(str(r["year"]), 6)
               + pad(r["template"], 9) + pad(st, max(14, width(st) + 2)) + visible(shown(r["source"]))
               + (f"  (v{r['version']})" if all_versions or r["version"] > 1 else ""))


def _list_missing(year: int, region: str | None, db: DbOption, format: TableFormat,
                  bom: bool) -> None:
    """``goi list --missing YEAR``: who is expected (the roster) and has no report for YEAR."""
    from goitui.archive.roster import coverage

    with archive(db) as arch:
        rows = coverage(arch, [year], region).missing(year)
    records = [{"agency": r["agency"], "region": r["region"], "year": year,
                "matched": r["matched"], "near": r["near"]} for r in rows]
    if format == TableFormat.json:
        emit_json(records)
    elif format != TableFormat.text:
        from goitui.export.records import Sheet, table_rows

        columns = ["agency", "region", "year", "matched", "near"]
        emit_sheets([Sheet("missing", columns, table_rows(records, columns))], format, bom)
    else:
        for r in records:
            typer.echo(pad(visible(r["agency"]), 30) + visible(r["region"] or ""))
        say(_("{count} agencies have no report for {year}").format(count=len(records), year=year))
    raise typer.Exit(FINDINGS if records else OK)


def show(
    agency: AgencyArg,
    year: Annotated[int | None, typer.Argument(help=_("Year (default: the latest)."))] = None,
    version: Annotated[int | None, typer.Option(help=_("An earlier version (default: current)."))] = None,
    db: DbOption = None,
    format: TableFormatOption = TableFormat.text,
    bom: BomOption = True,
) -> None:
    """A report: its sections, the three tables, every figure and its findings.

    CSV/TSV/XLSX: the figures in long form (key, label, value, kind, raw, unit, source); XLSX
    adds a sheet of findings."""
    with archive(db) as arch:
        report = arch.find_report(agency, year, version)
        where = arch.path
    if format == TableFormat.json:
        emit_json(report.to_dict())
    elif format != TableFormat.text:
        from goitui.export.records import figures_sheet, report_findings_sheet

        data = report.to_dict()
        sheets = [figures_sheet([data])]
        if format == TableFormat.xlsx:
            sheets.append(report_findings_sheet(data))
        emit_sheets(sheets, format, bom)
    else:
        typer.echo(report_text(report, archive=where))


def register(app: typer.Typer) -> None:
    app.command("list")(
        list_)
    app.command("show")(show)
