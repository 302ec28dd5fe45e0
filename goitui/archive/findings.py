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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from goitui.archive.store import Archive, from_json
from goitui.errors import BadFilter, NotFound
from goitui.i18n import _, listing
from goitui.model import ERROR, INFO, SEVERITIES, WARNING, Finding, Report, severity_name
from goitui.validate.rules import BY_ID, RANK, select, shown_order, sort_key

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
    #: info findings counted without being read (``ArchiveFindings.each``): unreviewed, reviewed
    tallied: list[int] = field(default_factory=lambda: [0, 0])

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
        c[INFO] += self.tallied[0] + (self.tallied[1] if self.include_reviewed else 0)
        return c

    def brief(self, info: bool = True) -> Brief:
        """What the archive listing prints of this report (``ArchiveFindings.briefs``)."""
        c = self.counts()
        return Brief(self.agency, self.year, self.version, (c[ERROR], c[WARNING], c[INFO]),
                     [Shown(f.severity, f.rule, f.message, f.message_zh) for f in self.counted
                      if info or f.severity != INFO])

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


class Shown(NamedTuple):
    """A finding as the archive listing prints it: one line of its severity, rule and message."""

    severity: str
    rule: str
    message: str
    message_zh: str | None


class Brief(NamedTuple):
    """A report as ``goi validate``'s archive listing prints it: its counts and the findings
    shown, in the order shown (``ReportResult.brief``, made from the rows without a
    ``Finding`` for each: ``ArchiveFindings.briefs``)."""

    agency: str
    year: int
    version: int
    counts: tuple[int, int, int]  # errors, warnings and info that count towards the status
    shown: list[Shown]

    @property
    def status(self) -> str:
        return "fail" if self.counts[0] else "warn" if self.counts[1] else "pass"


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


_FINDING_COLUMNS = ("id", "report_id", "origin", "rule", "severity", "message", "keys", "section",
                    "expected", "actual", "source", "line", "fingerprint", "message_zh", "words")


@dataclass
class ArchiveFindings:
    """The stored findings of a selection of reports, read as they are printed.

    ``check_archive``'s answer without holding it: ``summary`` and ``exit_code`` come from
    one aggregate query, ``reports`` reads report after report in the order shown (agency
    name, year, version), so ``goi validate`` over a whole archive streams its output in the
    memory of one report whatever the archive's size.
    """

    arch: Archive
    filter: Filter
    where: str  # SQL over ``reports r``
    params: list[Any]
    agency: str | None = None
    year: int | None = None
    narrow: bool = False  # one report or one agency's: no walk of every agency
    _summary: dict[str, Any] | None = None

    def _finding_sql(self) -> tuple[str, list[Any]]:
        """The filter as a join condition on ``findings f`` (Filter.wants, in SQL)."""
        sql, params = "", []
        if self.filter.rule_ids is not None:
            sql += f" AND f.rule IN ({','.join('?' * len(self.filter.rule_ids))})"
            params += sorted(self.filter.rule_ids)
        if self.filter.severity is not None:
            allowed = [s for s in SEVERITIES if RANK[s] <= RANK[self.filter.severity]]
            sql += f" AND f.severity IN ({','.join('?' * len(allowed))})"
            params += allowed
        return sql, params

    def summary(self) -> dict[str, Any]:
        """``ValidationResult.summary``, counted by SQLite (no finding is read into Python)."""
        if self._summary is None:
            fsql, fparams = self._finding_sql()
            counted = "v.state IS NULL" + (" OR 1" if self.filter.include_reviewed else "")
            row = self.arch.conn.execute(
                "SELECT count(*), coalesce(sum(e = 0 AND w = 0), 0), "
                "coalesce(sum(e = 0 AND w > 0), 0), coalesce(sum(e > 0), 0), "
                "coalesce(sum(e), 0), coalesce(sum(w), 0), coalesce(sum(i), 0), "
                "coalesce(sum(reviewed), 0) FROM (SELECT r.id, "
                f"coalesce(sum(f.severity = 'error' AND ({counted})), 0) AS e, "
                f"coalesce(sum(f.severity = 'warning' AND ({counted})), 0) AS w, "
                f"coalesce(sum(f.severity = 'info' AND ({counted})), 0) AS i, "
                "coalesce(sum(v.state IS NOT NULL), 0) AS reviewed "
                f"FROM reports r LEFT JOIN findings f ON f.report_id = r.id{fsql} "
                "LEFT JOIN reviews v ON v.agency_id = r.agency_id AND v.year = r.year AND "
                f"v.fingerprint = f.fingerprint WHERE {self.where} GROUP BY r.id)",
                [*fparams, *self.params]).fetchone()
            self._summary = dict(zip(("reports", "pass", "warn", "fail", "error", "warning",
                                      "info", "reviewed"), row))
        return self._summary

    @property
    def exit_code(self) -> int:
        """0 when no report has an error, 1 when any has."""
        return 1 if self.summary()["fail"] else 0

    def head(self) -> dict[str, Any]:
        """``ValidationResult.to_dict`` up to its reports (which come last)."""
        return {"agency": self.agency, "year": self.year, "filter": self.filter.to_dict(),
                "summary": self.summary(), "exit_code": self.exit_code}

    @property
    def reports(self) -> Iterator[ReportResult]:
        """Each selected report with its findings, one at a time, in the order shown."""
        return self.each()

    def _rows(self, columns: str, params: list[Any] | None = None) -> Iterator[tuple[Any, ...]]:
        """Each selected report (id, agency name, year, version, then ``columns``) joined to
        its findings under the filter (``f``, NULL for a report without any) and their
        reviews (``v``), in the order shown (agency name, year, version); ``params`` are those
        of placeholders in ``columns``."""
        fsql, fparams = self._finding_sql()
        # many reports: agencies walked in name order (agencies_name), each one's reports in
        # year and version order, so that no sort of every finding of the archive comes before
        # the first is shown; one agency or report: found by its own index
        joined = ("reports r JOIN agencies a ON" if self.narrow else
                  "agencies a CROSS JOIN reports r ON")
        return self.arch.conn.execute(
            f"SELECT r.id, a.name, r.year, r.version, {columns} FROM {joined} "
            f"a.id = r.agency_id LEFT JOIN findings f ON f.report_id = r.id{fsql} "
            "LEFT JOIN reviews v ON v.agency_id = r.agency_id AND v.year = r.year AND "
            f"v.fingerprint = f.fingerprint WHERE {self.where} "
            "ORDER BY a.name, r.year, r.version, r.id, f.id",
            [*(params or []), *fparams, *self.params])

    def each(self, *, info: bool = True) -> Iterator[ReportResult]:
        """``reports``; without ``info``, info findings are counted (``ReportResult.tallied``)
        but not read into objects, for a view that shows only their number."""
        columns = ", ".join(f"f.{c}" for c in _FINDING_COLUMNS)
        current: ReportResult | None = None
        for (rid, agency, year, version, template, source, fid, _report, origin, rule, severity,
             message, keys, section, expected, actual, where, line, fingerprint, message_zh,
             words, state, note) in self._rows(f"r.template, r.source_path, {columns}, "
                                               "v.state, v.note"):
            if current is None or current.id != rid:
                if current is not None:
                    yield _sorted(current)
                current = ReportResult(rid, agency, year, version, template, source,
                                       include_reviewed=self.filter.include_reviewed)
            if fid is None:  # a report without findings (under the filter)
                continue
            if not info and severity == INFO:
                current.tallied[bool(state)] += 1
                continue
            finding = StoredFinding(rule, severity, message,
                                    [] if keys == "[]" else json.loads(keys), section,
                                    from_json(expected), from_json(actual), where or "", line,
                                    origin, state, note, message_zh, from_json(words) or [],
                                    stored_fingerprint=fingerprint)
            (current.reviewed if state else current.findings).append(finding)
        if current is not None:
            yield _sorted(current)

    def records(self) -> Iterator[dict[str, Any]]:
        """``ReportResult.to_dict`` of each of ``reports``, made from the rows as they come
        (``goi validate --format json``): the same dictionaries, without a ``Finding`` object
        for each of the archive's findings on the way."""
        columns = ", ".join(f"f.{c}" for c in _FINDING_COLUMNS)
        report: dict[str, Any] | None = None
        counts: dict[str, int] = {}
        counted = self.filter.include_reviewed
        for (rid, agency, year, version, template, source, fid, _report, origin, rule, severity,
             message, keys, section, expected, actual, where, line, fingerprint, message_zh,
             words, state, note) in self._rows(f"r.template, r.source_path, {columns}, "
                                               "v.state, v.note"):
            if report is None or report["id"] != rid:
                if report is not None:
                    yield _record_done(report, counts)
                counts = {s: 0 for s in SEVERITIES}
                report = {"id": rid, "agency": agency, "year": year, "version": version,
                          "template": template, "source": source, "status": "",
                          "counts": counts, "findings": [], "reviewed": []}
            if fid is None:  # a report without findings (under the filter)
                continue
            keys = [] if keys == "[]" else json.loads(keys)
            expected, actual = from_json(expected), from_json(actual)
            if not fingerprint:  # none stored: worked out as the finding would
                fingerprint = Finding(rule, severity, message, keys, section, expected,
                                      actual).fingerprint
            if counted or not state:
                counts[severity] += 1
            (report["reviewed"] if state else report["findings"]).append((shown_order(
                rule, severity), fid, {
                    "rule": rule, "severity": severity, "message": message,
                    "message_zh": message_zh, "keys": keys, "section": section,
                    "expected": expected, "actual": actual, "source": where or "",
                    "line": line, "origin": origin, "review": state, "note": note,
                    "words": from_json(words) or [], "fingerprint": fingerprint}))
        if report is not None:
            yield _record_done(report, counts)

    def briefs(self, *, info: bool = True) -> Iterator[Brief]:
        """What the archive listing prints of each of ``reports`` (``ReportResult.brief``),
        read from the rows as they come: a finding's counts need only its severity and
        review (from an index), and only a finding that is shown has its message read — no
        JSON decoded, no ``Finding`` made."""
        counted = self.filter.include_reviewed
        # the message of a finding not shown (an info one, unless asked; a reviewed one that
        # does not count) is never read from the table
        read = "(? OR f.severity != 'info') AND (? OR v.state IS NULL)"
        place = {s: i for i, s in enumerate(SEVERITIES)}
        current: int | None = None
        head: tuple[str, int, int] = ("", 0, 0)
        counts = [0, 0, 0]
        live: list[tuple[tuple[int, int, str], int, Shown]] = []
        reviewed: list[tuple[tuple[int, int, str], int, Shown]] = []
        for rid, agency, year, version, fid, severity, rule, state, message, message_zh in (
                self._rows(f"f.id, f.severity, f.rule, v.state, CASE WHEN {read} THEN "
                           f"f.message END, CASE WHEN {read} THEN f.message_zh END",
                           [info, counted] * 2)):
            if rid != current:
                if current is not None:
                    yield _brief_done(head, counts, live, reviewed)
                current, head, counts, live, reviewed = rid, (agency, year, version), [0, 0, 0], [], []
            if fid is None or (state and not counted):
                continue
            counts[place[severity]] += 1
            if message is not None:
                (reviewed if state else live).append(
                    (shown_order(rule, severity), fid, Shown(severity, rule, message, message_zh)))
        if current is not None:
            yield _brief_done(head, counts, live, reviewed)


def _record_done(report: dict[str, Any], counts: dict[str, int]) -> dict[str, Any]:
    """A report's dictionary once its rows are read: its status, its findings in order."""
    report["status"] = _status(counts)
    for part in ("findings", "reviewed"):
        report[part] = [d for _order, _id, d in sorted(report[part], key=_by_order)]
    return report


def _brief_done(head: tuple[str, int, int], counts: list[int], live: list[Any],
                reviewed: list[Any]) -> Brief:
    """A report's ``Brief`` once its rows are read: the live findings in the order shown,
    then the reviewed ones (counted under ``--all``), as ``ReportResult.counted`` lists them."""
    return Brief(*head, (counts[0], counts[1], counts[2]),
                 [s for _order, _id, s in sorted(live, key=_by_order)]
                 + [s for _order, _id, s in sorted(reviewed, key=_by_order)])


def _by_order(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """Shown order, then the order stored (``sort_key`` sorting rows read by ``f.id``)."""
    return item[:2]


def _sorted(result: ReportResult) -> ReportResult:
    result.findings.sort(key=sort_key)
    result.reviewed.sort(key=sort_key)
    return result


def archive_findings(arch: Archive, flt: Filter | None = None, *, agency: str | None = None,
                     year: int | None = None, report_id: int | None = None,
                     agency_ids: Iterable[int] | None = None) -> ArchiveFindings:
    """The stored findings of every current report (or those of one agency, year, report,
    or of the agencies ``agency_ids``), to be read as they are printed (``ArchiveFindings``).

    Reading stored findings is the fast path: the import re-validates on every change
    (``pipeline.recheck`` runs the rules again, after an upgrade of goi, say).
    """
    where: list[str] = ["r.is_current = 1"]
    params: list[Any] = []
    if report_id is not None:
        where, params = ["r.id = ?"], [report_id]
    if agency is not None:
        where.append("r.agency_id = ?")
        params.append(arch.find_agency(agency)["id"])
    if year is not None:
        where.append("r.year = ?")
        params.append(year)
    if agency_ids is not None:
        where.append("r.agency_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(agency_ids)))
    return ArchiveFindings(arch, flt or Filter(), " AND ".join(where), params, agency, year,
                           narrow=report_id is not None or agency is not None)


def check_archive(arch: Archive, flt: Filter | None = None, *, agency: str | None = None,
                  year: int | None = None, report_id: int | None = None,
                  agency_ids: Iterable[int] | None = None) -> ValidationResult:
    """The stored findings of every current report (or those of one agency, year, report,
    or of the agencies ``agency_ids``), all at once (``archive_findings`` reads them one
    report at a time)."""
    found = archive_findings(arch, flt, agency=agency, year=year, report_id=report_id,
                             agency_ids=agency_ids)
    return ValidationResult(found.filter, list(found.reports), agency=agency, year=year)


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
        known = listing(dict.fromkeys(f.rule for f in report.findings)) or _("none")
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
