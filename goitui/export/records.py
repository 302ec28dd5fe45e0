"""Each command's result as sheets: the same records as its JSON output, flattened.

Column names are the JSON keys (``agency``, ``year``, ``rule``…), so a CSV column and a JSON
field are found by the same word; figure columns of the wide export are the canonical keys of
``spec/keys.md`` or, on request, the template's own labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from goitui import labels
from goitui.export.writers import Sheet, cell

REPORT_COLUMNS = ["id", "agency", "year", "version", "template", "status", "errors", "warnings",
                  "infos", "dismissed", "source", "printed_name"]
FINDING_COLUMNS = ["agency", "year", "version", "report_status", "rule", "severity", "message",
                   "message_zh", "where", "section", "keys", "expected", "actual", "review",
                   "note", "fingerprint", "source_file"]
#: a finding's own fields, as ``goi validate --format json`` gives them
FINDING_FIELDS = ("rule", "severity", "message", "message_zh", "keys", "section", "expected",
                  "actual", "source", "line", "origin", "review", "note", "fingerprint")
FIGURE_COLUMNS = ["report_id", "agency", "year", "key", "label", "value", "kind", "raw", "unit",
                  "source"]


def table_rows(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    return [[cell(record.get(column)) for column in columns] for record in records]


def reports_sheet(rows: Sequence[Mapping[str, Any]]) -> Sheet:
    """``goi list``: one row per report."""
    columns = [c for c in REPORT_COLUMNS if any(c in r for r in rows)] or REPORT_COLUMNS
    return Sheet("reports", list(columns), table_rows(rows, columns))


def findings_sheet(result: Mapping[str, Any]) -> Sheet:
    """``goi validate``: one row per finding, with its report, where it is and its review."""
    records = []
    for report in result.get("reports", []):
        for finding in report.get("findings", []):
            records.append({**finding, "agency": report.get("agency"), "year": report.get("year"),
                            "version": report.get("version"),
                            "report_status": report.get("status"),
                            "where": finding.get("source") or "",
                            "source_file": report.get("source")})
    columns = [c for c in FINDING_COLUMNS if c != "message_zh"
               or any("message_zh" in r for r in records)]
    return Sheet("findings", columns, table_rows(records, columns))


def listed_findings_sheet(rows: Iterable[Mapping[str, Any]]) -> Sheet:
    """The browser's findings list (rows of ``archive.queries.finding_rows``), in its order,
    as ``goi validate --format csv`` writes findings: each row is given as a report of one
    finding, so a list sorted across reports keeps its order. Expected and actual values are
    stored as JSON text: read back, so a number is a number cell as in the CLI's export."""
    def value(stored: Any) -> Any:
        return json.loads(stored) if isinstance(stored, str) else stored

    reports = [{"agency": r["agency"], "year": r["year"], "version": r.get("version"),
                "status": r.get("report_status"), "source": r.get("source_file"),
                "findings": [{**{k: r.get(k) for k in FINDING_FIELDS},
                              "expected": value(r.get("expected")),
                              "actual": value(r.get("actual"))}]} for r in rows]
    return findings_sheet({"reports": reports})


SEARCH_COLUMNS = ["report_id", "agency", "year", "template", "status", "matches", "offset",
                  "line", "snippet"]


def search_sheet(result: Mapping[str, Any]) -> Sheet:
    """``goi search --format json``'s hits (a result's ``to_dict``), one row per report found:
    where its first match is and the snippet around it."""
    return Sheet("search", SEARCH_COLUMNS, table_rows(result.get("hits", []), SEARCH_COLUMNS))


def agencies_sheet(rows: Sequence[Mapping[str, Any]]) -> Sheet:
    """``goi agencies``: one row per agency, its years and other names."""
    records = [{"id": r["id"], "name": r["name"], "years": ",".join(str(y) for y in r["years"]),
                "aliases": "、".join(a for a in r["aliases"] if a != r["name"]),
                "note": r.get("note")} for r in rows]
    columns = ["id", "name", "years", "aliases", "note"]
    return Sheet("agencies", columns, table_rows(records, columns))


def figures_sheet(reports: Iterable[Mapping[str, Any]]) -> Sheet:
    """Figures in long form (one row per report and key), from report dicts (``goi show``)."""
    records = []
    for report in reports:
        details = report.get("details", {})
        for key, value in report.get("figures", {}).items():
            detail = details.get(key, {})
            records.append({"report_id": report.get("id"), "agency": report.get("agency"),
                            "year": report.get("year"), "key": key,
                            "label": labels.label_of(key) if labels.is_known_key(key) else "",
                            "value": value, "kind": detail.get("kind"),
                            "raw": detail.get("raw"), "unit": detail.get("unit"),
                            "source": detail.get("source")})
    return Sheet("figures", FIGURE_COLUMNS, table_rows(records, FIGURE_COLUMNS))


def report_findings_sheet(report: Mapping[str, Any]) -> Sheet:
    """One report's findings (the second sheet of ``goi show --format xlsx``)."""
    return findings_sheet({"reports": [report]})


def diff_sheet(diff: Mapping[str, Any]) -> Sheet:
    """``goi diff``: one row per figure that differs — key, label, old, new, change."""
    def shown(side: Mapping[str, Any] | None) -> Any:
        if side is None:
            return None
        return side.get("value") if side.get("kind") == "number" else side.get("raw")
    records = [{"key": f["key"], "label": f.get("label"), "status": f.get("status"),
                "old": shown(f.get("old")), "new": shown(f.get("new")), "change": f.get("delta")}
               for f in diff.get("figures", []) if f.get("status") != "unchanged"]
    columns = ["key", "label", "status", "old", "new", "change"]
    return Sheet("diff", columns, table_rows(records, columns))


def coverage_sheet(coverage: Mapping[str, Any], marks: Mapping[str, str]) -> Sheet:
    """Coverage: a row per agency, a column per year, each cell a mark (``marks[status]``)."""
    years = [str(y) for y in coverage["years"]]
    columns = ["agency", "region", "matched"] + years
    rows = [[row["agency"], row.get("region"), row.get("matched")]
            + [marks.get(row["cells"][y], row["cells"][y]) for y in years]
            for row in coverage["rows"]]
    return Sheet("coverage", columns, rows)


def wide_sheet(reports: Iterable[Mapping[str, Any]], headers: str = "keys") -> Sheet:
    """One row per report, one column per figure key of either template (blank stays empty).

    ``headers``: ``keys`` (canonical keys) or ``labels`` (the template's labels)."""
    keys = list(dict.fromkeys(labels.keys_for(labels.T2021) + labels.keys_for(labels.T2019)))
    head = ["id", "agency", "year", "version", "template", "status"]
    rows = []
    for report in reports:
        figures = report.get("figures", {})
        rows.append([report.get(c) for c in head] + [figures.get(k) for k in keys])
    names = keys if headers == "keys" else [labels.label_of(k) for k in keys]
    return Sheet("reports", head + names, rows)
