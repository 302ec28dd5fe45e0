"""``goi list`` and ``goi show``: what the archive holds, and one report in full."""

from __future__ import annotations

from typing import Annotated

import typer

from goitui.commands.common import AgencyArg, DbOption, Format, FormatOption, archive, emit_json
from goitui.render.display import STATUS_MARK, pad, report_text, shown_path
from goitui.text import visible


def list_(
    agency: Annotated[str | None, typer.Option(help="Only this agency (any name or part).")] = None,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    status: Annotated[str | None, typer.Option(help="Only pass, warn or fail.")] = None,
    template: Annotated[str | None, typer.Option(help="Only 2019, 2021 or hybrid.")] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="Earlier versions too.")] = False,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """One row per report: agency, year, template, status, source."""
    with archive(db) as arch:
        rows = arch.list_reports(agency=agency, year=year, status=status, template=template,
                                 all_versions=all_versions)
        where = arch.path
    if format == Format.json:
        emit_json(rows)
        return
    typer.echo(pad("agency", 30) + pad("year", 6) + pad("template", 9) + pad("status", 14)
               + "source")
    for r in rows:
        st = f"{STATUS_MARK.get(r['status'], '')} {r['status']} {r['errors']}/{r['warnings']}"
        typer.echo(pad(visible(r["agency"]), 30) + pad(str(r["year"]), 6)
                   + pad(r["template"], 9) + pad(st, 14) + visible(shown_path(r["source"], where))
                   + (f"  (v{r['version']})" if all_versions or r["version"] > 1 else ""))


def show(
    agency: AgencyArg,
    year: Annotated[int | None, typer.Argument(help="Year (default: the latest).")] = None,
    version: Annotated[int | None, typer.Option(help="An earlier version (default: current).")] = None,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """A report: its sections, the three tables, every figure and its findings."""
    with archive(db) as arch:
        report = arch.find_report(agency, year, version)
        where = arch.path
    if format == Format.json:
        emit_json(report.to_dict())
    else:
        typer.echo(report_text(report, archive=where))


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command("show")(show)
