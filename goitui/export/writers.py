"""Sheets to files: CSV/TSV (csv module), XLSX (openpyxl), Parquet (pyarrow).

CSV is written as UTF-8 with a byte-order mark by default, so Excel opens Chinese text right;
``bom=False`` leaves it out for other tools. XLSX holds one worksheet per sheet; CSV, TSV and
Parquet hold the first sheet (``goi export`` writes one file per sheet where there are more).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from goitui.errors import BadFilter, GoiError, os_reason
from goitui.i18n import _

TEXT_FORMATS = ("csv", "tsv")
BINARY_FORMATS = ("xlsx", "parquet")
FORMATS = TEXT_FORMATS + BINARY_FORMATS


@dataclass
class Sheet:
    """A named table: ``columns`` (header words) and ``rows`` of plain cells (str, int, float,
    bool or None — None is an empty cell)."""

    name: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def cell(value: Any) -> Any:
    """A value as one spreadsheet cell: lists and mappings as JSON text, the rest as is."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


def to_bytes(sheets: Sequence[Sheet], format: str, bom: bool = True) -> bytes:
    """The file's bytes in ``format`` (csv, tsv, xlsx, parquet). Raises ``BadFilter`` for an
    unknown format."""
    if format in TEXT_FORMATS:
        return _delimited(sheets[0], "\t" if format == "tsv" else ",",
                          bom and format == "csv").encode("utf-8")
    stream = io.BytesIO()
    if format == "xlsx":
        write_xlsx(sheets, stream)
    elif format == "parquet":
        write_parquet(sheets[0], stream)
    else:
        raise BadFilter(_("unknown export format {format!r} (csv, tsv, xlsx, parquet)").format(
            format=format))
    return stream.getvalue()


def _delimited(sheet: Sheet, delimiter: str, bom: bool) -> str:
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(sheet.columns)
    writer.writerows([["" if value is None else value for value in row] for row in sheet.rows])
    return out.getvalue()


def write_xlsx(sheets: Sequence[Sheet], stream: BinaryIO) -> None:
    """One worksheet per sheet, header row bold and frozen, columns sized to their text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from wcwidth import wcswidth

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(_sheet_title(sheet.name))
        page.append(sheet.columns)
        for header in page[1]:
            header.font = Font(bold=True)
        for row in sheet.rows:
            page.append(row)
            for written in page[page.max_row]:
                if isinstance(written.value, str) and written.value.startswith("="):
                    written.data_type = "s"  # a report's text is data, never a formula
        page.freeze_panes = "A2"
        for column in page.iter_cols(max_row=min(page.max_row, 200)):
            widest = max((wcswidth(str(c.value)) for c in column if c.value is not None),
                         default=4)
            page.column_dimensions[column[0].column_letter].width = min(max(widest, 4) + 2, 60)
    book.save(stream)


def _sheet_title(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name)
    return cleaned[:31] or "sheet"


def write_parquet(sheet: Sheet, stream: BinaryIO) -> None:
    """A Parquet file of the sheet; a column's type is inferred, mixed columns become text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {}
    for index, name in enumerate(sheet.columns):
        values = [row[index] for row in sheet.rows]
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays[name] = pa.array([None if v is None else str(v) for v in values],
                                    type=pa.string())
    pq.write_table(pa.table(arrays) if arrays else pa.table({}), stream)


def write_file(sheets: Sequence[Sheet], path: Path, format: str, bom: bool = True) -> list[Path]:
    """Write ``sheets`` to ``path``; for CSV/TSV/Parquet with several sheets, one file each
    (``name-sheet.csv``). Returns the files written.

    A file that cannot be written (no such folder, no permission, a full disk) is a
    ``GoiError`` naming it and the reason, so every face tells it in one line."""
    if format == "xlsx" or len(sheets) == 1:
        return [_write(path, to_bytes(sheets, format, bom))]
    return [_write(path.with_name(f"{path.stem}-{sheet.name}{path.suffix}"),
                   to_bytes([sheet], format, bom)) for sheet in sheets]


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise GoiError(_("cannot write {path}: {reason}").format(
            path=path, reason=os_reason(e))) from e
    return path
