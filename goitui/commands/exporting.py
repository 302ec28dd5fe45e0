"""``goi export``: the archive, or a filter of it, as files other tools read (CSV, XLSX, Parquet)."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from goitui.commands.common import BomOption, DbOption, RegionOption, archive, say
from goitui.i18n import _


class ExportFormat(str, Enum):
    csv = "csv"
    tsv = "tsv"
    xlsx = "xlsx"
    parquet = "parquet"


class Shape(str, Enum):
    wide = "wide"
    long = "long"
    findings = "findings"
    all = "all"


class Headers(str, Enum):
    keys = "keys"
    labels = "labels"


def export_cmd(
    output: Annotated[Path, typer.Argument(help=_("File to write (.csv, .tsv, .xlsx, "
                                                  ".parquet); the format follows its suffix "
                                                  "unless --format is given."))],
    shape: Annotated[Shape, typer.Option("--shape", "-s", help=_(
        "wide: a row per report, a column per figure key; long: a row per figure (report, "
        "key, value, kind, raw, unit, source); findings: a row per finding with its review; "
        "all: the three (sheets of one XLSX, or three files)."))] = Shape.wide,
    format: Annotated[ExportFormat | None, typer.Option("--format", "-f", help=_(
        "csv, tsv, xlsx or parquet (default: from the file's suffix)."))] = None,
    headers: Annotated[Headers, typer.Option(help=_(
        "wide shape: column headers as canonical keys or as the template's labels."))] = Headers.keys,
    year: Annotated[int | None, typer.Option(help=_("Only reports of this year."))] = None,
    agency: Annotated[str | None, typer.Option(help=_("Only this agency."))] = None,
    region: RegionOption = None,
    db: DbOption = None,
    bom: BomOption = True,
) -> None:
    """Export current reports' figures and findings for Excel, pandas, DuckDB or Spark."""
    from goitui.export.archive import export_sheets
    from goitui.export.writers import write_file

    chosen = format.value if format else output.suffix.lower().lstrip(".")
    if chosen not in {f.value for f in ExportFormat}:
        raise typer.BadParameter(_("give --format (csv, tsv, xlsx, parquet) or a file ending "
                                   "in one of them"), param_hint="--format")
    with archive(db) as arch:
        sheets = export_sheets(arch, shape.value, headers=headers.value, year=year,
                               agency=agency, region=region)
    written = write_file(sheets, output, chosen, bom)
    for sheet in sheets:
        say(_("{sheet}: {rows} rows").format(sheet=sheet.name, rows=len(sheet.rows)))
    say(_("written: {files}").format(files=", ".join(str(p) for p in written)))


def register(app: typer.Typer) -> None:
    app.command("export")(export_cmd)
