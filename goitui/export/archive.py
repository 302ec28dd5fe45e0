"""The archive as sheets: current reports (optionally of a year, an agency or a region) in the
wide, long or findings shape. Reads only; every report is loaded through ``Archive.load``."""

from __future__ import annotations

from typing import Any

from goitui.archive.store import Archive
from goitui.export.records import figures_sheet, findings_sheet, wide_sheet
from goitui.export.writers import Sheet


def export_sheets(archive: Archive, shape: str, *, headers: str = "keys", year: int | None = None,
                  agency: str | None = None, region: str | None = None) -> list[Sheet]:
    """``shape``: ``wide``, ``long``, ``findings`` or ``all``. Raises ``NotFound`` for an
    unknown agency or region."""
    from goitui.archive.findings import check_archive

    rows = archive.list_reports(agency=agency, year=year)
    if region is not None:
        from goitui.archive.roster import region_agencies

        inside = region_agencies(archive, region)
        rows = [r for r in rows if r["agency_id"] in inside]
    sheets: list[Sheet] = []
    if shape in ("wide", "long", "all"):
        reports: list[dict[str, Any]] = [archive.load(r["id"]).to_dict() for r in rows]
        if shape in ("wide", "all"):
            sheets.append(wide_sheet(reports, headers))
        if shape in ("long", "all"):
            sheets.append(figures_sheet(reports))
    if shape in ("findings", "all"):
        wanted = {r["id"] for r in rows}
        result = check_archive(archive, agency=agency, year=year)
        result.reports = [r for r in result.reports if r.id in wanted]
        findings = result.to_dict()
        for report in findings["reports"]:  # reviewed findings are exported with their review
            report["findings"] = report["findings"] + report.get("reviewed", [])
        sheets.append(findings_sheet(findings))
    return sheets
