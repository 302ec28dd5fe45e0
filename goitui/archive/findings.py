"""Stored findings read back with the reviews people made, and reviewing a finding.

The import validates and stores (``goitui.pipeline``); what ``goi validate`` and the browser
ask afterwards is answered from here, without running a rule: ``check_archive`` reads the
stored findings of the reports a question selects, filtered, as a ``ValidationResult`` (the
one object ``goi validate`` prints as text or as JSON). ``review_finding`` records a person's
verdict on a finding by its fingerprint: the CLI's ``goi review`` and the browser's review
keys both call it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from goitui.archive.store import Archive, from_json
from goitui.errors import BadFilter, NotFound
from goitui.i18n import _
from goitui.model import ERROR, SEVERITIES, WARNING, Finding, Report, severity_name
from goitui.validate.rules import BY_ID, RANK, select, sort_key

ACKNOWLEDGED, DISMISSED = "acknowledged", "dismissed"


@dataclass
class Filter:
    """Which findings a question is about; the status and exit code follow the selection."""

    rules: list[str] | None = None  # ids or groups: A-BALANCE, A, x-carry
    severity: str | None = None  # at least this severe: error ⊂ warning ⊂ info
    include_reviewed: bool = False  # reviewed findings count towards the status again

    def __post_init__(self) -> None:
        if self.severity is not None and self.severity not in SEVERITIES:
            raise BadFilter(_("severity must be one of {severities}").format(severities=', '.join(SEVERITIES)))
        self.rule_ids = {r.id for r in select(self.rules)} if self.rules else None

    def wants(self, f: Finding) -> bool:
        if self.rule_ids is not None and f.rule not in self.rule_ids:
            return False
        return self.severity is None or RANK[f.severity] <= RANK[self.severity]

    def to_dict(self) -> dict[str, Any]:
        return {"rules": sorted(self.rule_ids) if self.rule_ids else None,
                "severity": self.severity, "include_reviewed": self.include_reviewed}


@dataclass
class StoredFinding(Finding):
    """A finding read back from the archive, with the fingerprint it was stored under."""

    stored_fingerprint: str = ""

    @property
    def fingerprint(self) -> str:
        return self.stored_fingerprint or Finding.fingerprint.fget(self)  # type: ignore[attr-defined]


_FIELDS = ("rule", "severity", "message", "message_zh", "keys", "section", "expected", "actual", "source",
           "line", "origin", "review", "note", "words")


def finding_dict(f: Finding) -> dict[str, Any]:
    """``Finding.to_dict`` without its deep copy: the JSON of thousands of findings."""
    d = {k: getattr(f, k) for k in _FIELDS}
    d["fingerprint"] = f.fingerprint
    return d


@dataclass
class ReportResult:
    """One report's findings under a filter: live ones count, reviewed ones are kept apart."""

    id: int
    agency: str
    year: int
    version: int
    template: str
    source: str
    findings: list[Finding] = field(default_factory=list)
    reviewed: list[Finding] = field(default_factory=list)
    include_reviewed: bool = False

    @property
    def counted(self) -> list[Finding]:
        return self.findings + (self.reviewed if self.include_reviewed else [])

    @property
    def status(self) -> str:
        return _status(self.counts())

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in SEVERITIES}
        for f in self.counted:
            c[f.severity] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {"id": self.id, "agency": self.agency, "year": self.year,
                "version": self.version, "template": self.template, "source": self.source,
                "status": _status(counts), "counts": counts,
                "findings": [finding_dict(f) for f in self.findings],
                "reviewed": [finding_dict(f) for f in self.reviewed]}


def _status(counts: dict[str, int]) -> str:
    """The rule of spec/rules.md: fail with an error, warn with a warning, else pass."""
    return "fail" if counts[ERROR] else "warn" if counts[WARNING] else "pass"


@dataclass
class ValidationResult:
    """What ``goi validate`` answers: a summary, and every selected report with its findings."""

    filter: Filter
    reports: list[ReportResult]
    agency: str | None = None
    year: int | None = None

    def summary(self) -> dict[str, Any]:
        s: dict[str, Any] = {"reports": len(self.reports), "pass": 0, "warn": 0, "fail": 0,
                             "error": 0, "warning": 0, "info": 0, "reviewed": 0}
        for r in self.reports:
            counts = r.counts()
            s[_status(counts)] += 1
            for sev, n in counts.items():
                s[sev] += n
            s["reviewed"] += len(r.reviewed)
        return s

    @property
    def exit_code(self) -> int:
        """0 when no report has an error, 1 when any has."""
        return 1 if any(r.status == "fail" for r in self.reports) else 0

    def not_clean(self) -> list[ReportResult]:
        return [r for r in self.reports if r.status != "pass"]

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "year": self.year, "filter": self.filter.to_dict(),
                "summary": self.summary(), "exit_code": self.exit_code,
                "reports": [r.to_dict() for r in self.reports]}


def check_archive(arch: Archive, flt: Filter | None = None, *, agency: str | None = None,
                  year: int | None = None, report_id: int | None = None) -> ValidationResult:
    """The stored findings of every current report (or those of one agency, year, report).

    Reading stored findings is the fast path: the import re-validates on every change
    (``pipeline.recheck`` runs the rules again, after an upgrade of goi, say).
    """
    flt = flt or Filter()
    where, params = ["r.is_current"], []
    if report_id is not None:
        where, params = ["r.id = ?"], [report_id]
    if agency is not None:
        where.append("r.agency_id = ?")
        params.append(arch.find_agency(agency)["id"])
    if year is not None:
        where.append("r.year = ?")
        params.append(year)
    cond = " AND ".join(where)
    reports = {r["id"]: ReportResult(r["id"], r["agency"], r["year"], r["version"],
                                     r["template"], r["source_path"],
                                     include_reviewed=flt.include_reviewed)
               for r in arch.q("SELECT r.id, a.name AS agency, r.year, r.version, r.template, "
                               "r.source_path FROM reports r JOIN agencies a ON a.id = "
                               f"r.agency_id WHERE {cond} ORDER BY a.name, r.year, r.version",
                               params)}
    sql = ("SELECT f.*, v.state, v.note FROM findings f JOIN reports r ON r.id = f.report_id "
           "LEFT JOIN reviews v ON v.agency_id = r.agency_id AND v.year = r.year AND "
           f"v.fingerprint = f.fingerprint WHERE {cond}")
    fparams: list[Any] = list(params)
    if flt.rule_ids is not None:
        sql += f" AND f.rule IN ({','.join('?' * len(flt.rule_ids))})"
        fparams += sorted(flt.rule_ids)
    cur = arch.conn.execute(sql + " ORDER BY f.report_id, f.id", fparams)
    cols = [d[0] for d in cur.description]
    for row in cur:
        f = dict(zip(cols, row))
        finding = StoredFinding(f["rule"], f["severity"], f["message"], json.loads(f["keys"]),
                                f["section"], from_json(f["expected"]), from_json(f["actual"]),
                                f["source"] or "", f["line"], f["origin"], f["state"], f["note"],
                                f["message_zh"], from_json(f.get("words")) or [],
                                stored_fingerprint=f["fingerprint"])
        if not flt.wants(finding):
            continue
        rr = reports[f["report_id"]]
        (rr.reviewed if finding.review else rr.findings).append(finding)
    for rr in reports.values():
        rr.findings.sort(key=sort_key)
        rr.reviewed.sort(key=sort_key)
    return ValidationResult(flt, list(reports.values()), agency=agency, year=year)


def check_report(arch: Archive, agency: str, year: int | None = None, *,
                 version: int | None = None, flt: Filter | None = None) -> ValidationResult:
    """One report (the agency's latest year when none is given), every finding."""
    report = arch.find_report(agency, year, version)
    assert report.id is not None
    return check_archive(arch, flt, report_id=report.id)


class ReviewError(BadFilter):
    """A review that cannot be applied as asked; the message lists the candidates."""


def find_findings(report: Report, selector: str) -> list[Finding]:
    """Findings named by rule id (``C-INJECTED``) or by fingerprint (or its first characters)."""
    sel = selector.strip()
    by_rule = [f for f in report.findings if f.rule == sel.upper()]
    if by_rule:
        return by_rule
    return [f for f in report.findings if len(sel) >= 4 and f.fingerprint.startswith(sel.lower())]


def review_finding(arch: Archive, report: Report, selector: str, state: str | None,
                   note: str | None = None, *,
                   every: bool = False) -> tuple[Report, list[Finding]]:
    """Acknowledge, dismiss (``state``) or clear (``None``) findings of a stored report, named
    by rule id or fingerprint (``find_findings``); a rule with several findings needs
    ``every``. Returns the report as stored now, and the findings reviewed.

    The review is kept by the finding's fingerprint for the agency and year, so it survives
    re-importing and re-validating; the report's status is refreshed at once.
    """
    if state not in (ACKNOWLEDGED, DISMISSED, None):
        raise ValueError(f"state must be {ACKNOWLEDGED}, {DISMISSED} or None")
    found = find_findings(report, selector)
    name = f"{report.agency_canonical} {report.year}"
    if not found:
        known = "、".join(dict.fromkeys(f.rule for f in report.findings)) or _("none")
        if selector.strip().upper() not in BY_ID and len(selector.strip()) < 4:
            raise ReviewError(_("{selector!r} is neither a rule id nor a fingerprint").format(selector=selector))
        raise NotFound(_("{name} has no finding {selector!r} (its rules: {known})").format(name=name, selector=selector, known=known))
    if len({f.fingerprint for f in found}) > 1 and not every:
        lines = "; ".join(f"{f.fingerprint} {severity_name(f.severity)} {f.shown()[:50]}" for f in found)
        raise ReviewError(_("{name} has {count} {selector} findings; name one by its fingerprint, or give --every: {lines}").format(name=name, count=len(found), selector=selector, lines=lines))
    for f in found:
        if state is None:
            arch.clear_review(report, f)
        else:
            arch.set_review(report, f, state, note)
    assert report.id is not None
    fresh = arch.load(report.id)
    prints = {f.fingerprint for f in found}
    return fresh, [f for f in fresh.findings if f.fingerprint in prints]


def review(arch: Archive, agency: str, year: int | None, selector: str, state: str | None,
           note: str | None = None, *, every: bool = False) -> tuple[Report, list[Finding]]:
    """``review_finding`` on the current report of an agency for a year (its latest year when
    none is given)."""
    return review_finding(arch, arch.find_report(agency, year), selector, state, note,
                          every=every)
