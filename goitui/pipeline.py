"""The steps that cross stages: validate a report and store it, re-validate after a change.

The archive only writes what it is given and validation never touches SQL; here the two
meet, in the order data flows. A report is validated before it is written, so its row goes
in once, with its status; the year after it is re-validated against it (X rules compare
neighbouring years). Reports stored in a batch are kept by the Archive object (``remember``)
so that importing many years in a row does not read each previous year back.
"""

from __future__ import annotations

from collections.abc import Iterable

from goitui.archive.store import Archive, Stored
from goitui.model import Report
from goitui.validate.report import Alone, validate_report


def store_report(archive: Archive, report: Report, *, path: str, sha: str,
                 size: int, file_sha: str | None = None, alone: Alone | None = None) -> Stored:
    """Archive a parsed report in one transaction, validated against the year before; an
    earlier version of its year stays, not current; the year after is re-validated.
    ``file_sha``: the file's sha256 when it holds several reports (``sha`` is the report's);
    ``alone``: the findings of the rules that need no other year, found already (a worker
    process of ``goi import --jobs`` runs them): only the X rules run here."""
    assert report.agency and report.year is not None
    with archive.transaction():
        known = archive.q(  # again, under the lock: another goi may have archived it
            "SELECT r.id, r.agency_id, r.version, a.name AS agency FROM reports r JOIN agencies "
            "a ON a.id = r.agency_id WHERE r.sha256 = ?", [sha])
        if known:
            k = known[0]
            return Stored(k["id"], k["agency_id"], k["agency"], k["version"], "", "existing", {},
                          existing=True)
        joined = archive.file_report(report)
        assert report.agency_id is not None
        previous = archive.current(report.agency_id, report.year - 1)
        found = (validate_report(report, previous) if alone is None
                 else validate_report(report, previous, alone))
        report.findings = [f for f in report.findings if f.origin != "validate"] + found
        stored = archive.write_report(report, path=path, sha=sha, size=size, joined=joined,
                                      file_sha=file_sha)
        following = archive.current(report.agency_id, report.year + 1)
        if following is not None:
            revalidate_report(archive, following, report)
    archive.remember(report)
    return stored


def revalidate_report(archive: Archive, report: Report, previous: Report | None) -> None:
    """Run the rules again on a stored report and store what they find."""
    archive.replace_findings(report, validate_report(report, previous))


def revalidate_agency(archive: Archive, agency_id: int) -> None:
    """Re-validate an agency's current reports, each against the year before (X rules)."""
    known: dict[int, Report | None] = {}
    for year in archive.current_years(agency_id):
        target = archive.current(agency_id, year)
        if target is None or target.id is None:
            continue
        prev = known[year - 1] if year - 1 in known else archive.current(agency_id, year - 1)
        known[year] = target
        revalidate_report(archive, target, prev)


def recheck_agencies(archive: Archive, agency_ids: Iterable[int]) -> None:
    """Run the rules again on every current report of these agencies, and store the result."""
    for agency_id in agency_ids:
        with archive.transaction():
            revalidate_agency(archive, agency_id)


def recheck(archive: Archive, *, agency: str | None = None, year: int | None = None) -> None:
    """Run the rules again on the agencies of the reports a question selects (``goi
    validate --recheck``: after an upgrade of goi, say)."""
    where, params = ["r.is_current = 1"], []
    if agency is not None:
        where.append("r.agency_id = ?")
        params.append(archive.find_agency(agency)["id"])
    if year is not None:
        where.append("r.year = ?")
        params.append(year)
    rows = archive.q(f"SELECT DISTINCT r.agency_id FROM reports r WHERE {' AND '.join(where)}",
                     params)
    recheck_agencies(archive, [r["agency_id"] for r in rows])
