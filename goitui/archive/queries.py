"""Paged and faceted reads of the archive for the browser: one page of rows at a time.

The browser must stay fast on 20,000 reports, so nothing here returns every report: each
list comes as a ``Page`` (rows, offset, total) and the facets as counts. Plain functions
over ``Archive.q``; no Textual, so they are tested (and usable) without a terminal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

from goitui.archive.store import DISMISSED_SQL, Archive
from goitui.errors import BadFilter
from goitui.i18n import _
from goitui.model import STATUS_MARK
from goitui.text import fold

FUZZY_CUTOFF = 66  # one wrong character in a three-character name still matches
REVIEW_STATES = ("open", "acknowledged", "dismissed")
STATUS_RANK_SQL = "CASE r.status WHEN 'fail' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END"
_SEVERITY_RANK = "CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END"

#: The orders a list of reports can be in, by the column a person sorts: the SQL terms of its
#: ascending order (▲; status: worst first). The only SQL an order adds is taken from here, so
#: nothing a person types reaches a query's text.
REPORT_SORTS: dict[str, tuple[str, ...]] = {
    "agency": ("a.name",),
    "year": ("r.year",),
    "template": ("r.template",),
    "status": (STATUS_RANK_SQL, "r.errors DESC", "r.warnings DESC"),
    "errors": ("r.errors",),
    "warnings": ("r.warnings",),
    "infos": ("r.infos",),
}
#: after the chosen column, always the same: equal rows keep one order on every page
_REPORT_TIEBREAK = ("a.name", "r.year", "r.id")
SORTS = tuple(REPORT_SORTS)

#: the orders of the findings list, as ``REPORT_SORTS`` (severity: errors first; review: open
#: first; ``message_zh`` is the message as the Chinese interface shows it)
FINDING_SORTS: dict[str, tuple[str, ...]] = {
    "severity": (_SEVERITY_RANK,),
    "rule": ("f.rule",),
    "agency": ("a.name",),
    "year": ("r.year",),
    "review": ("coalesce(v.state, '')",),
    "message": ("f.message",),
    "message_zh": ("coalesce(f.message_zh, f.message)",),
}
_FINDING_TIEBREAK = ("a.name", "r.year", _SEVERITY_RANK, "f.id")


def order_by(sorts: dict[str, tuple[str, ...]], tiebreak: tuple[str, ...], key: str,
             descending: bool) -> str:
    """``ORDER BY`` terms of a whitelisted order: the column's terms (each turned round when
    ``descending``), then the tiebreak up to a unique id, so that a page boundary never
    splits equal rows differently from one query to the next. An unknown key is a
    ``BadFilter``, never SQL."""
    if key not in sorts:
        raise BadFilter(_("cannot sort by {key!r}; one of: {keys}").format(
            key=key, keys=", ".join(sorts)))
    terms = [(t[:-5] if t.endswith(" DESC") else f"{t} DESC") if descending else t
             for t in sorts[key]]
    return ", ".join(terms + [t for t in tiebreak if t not in sorts[key]])


@dataclass
class Page:
    """Rows from ``offset`` of a list of ``total`` (None: not counted yet; the browser shows
    a page before it counts the list, see ``tui.base.PagedScreen``)."""

    rows: list[dict[str, Any]]
    offset: int
    total: int | None
    limit: int

    @property
    def last(self) -> int:
        return self.offset + len(self.rows)

    def describe(self) -> str:
        if self.total is None:
            return _("{first:,}–{last:,} of … (counting)").format(first=self.offset + 1,
                                                                 last=self.last)
        if not self.total:
            return "0"  # "0 reports", "0 findings"
        return _("{first:,}–{last:,} of {total:,}").format(first=self.offset + 1, last=self.last,
                                                           total=self.total)


def parse_tokens(text: str, keys: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """``rule:A1 year:2020 紫溪`` → ({rule: A1, year: 2020}, "紫溪"); keys may be abbreviated."""
    found: dict[str, str] = {}
    rest = []
    for word in text.split():
        name, sep, value = word.partition(":")
        key = next((k for k in keys if sep and name and k.startswith(name.lower())), None)
        if key and value:
            found[key] = value
        else:
            rest.append(word)
    return found, " ".join(rest)


def agency_ids(arch: Archive, text: str) -> list[int] | None:
    """Agencies any of whose names contains ``text`` or is close to it (rapidfuzz).

    None when there is no text (no filter). Aliases count: a report found under a former
    name is found by it.
    """
    text = fold(text.strip())
    if not text:
        return None
    names = arch.q("SELECT name, agency_id FROM agency_names")
    folded = [fold(r["name"]) for r in names]
    from rapidfuzz import fuzz, process  # here only: goi search starts without it

    ids = {r["agency_id"] for r, f in zip(names, folded) if text in f}
    for _match, _score, i in process.extract(text, folded, scorer=fuzz.partial_ratio,
                                   score_cutoff=FUZZY_CUTOFF, limit=None):
        ids.add(names[i]["agency_id"])
    return sorted(ids)


# ------------------------------------------------------------------ reports


@dataclass(frozen=True)
class ReportFilter:
    text: str = ""
    year: int | None = None
    template: str | None = None
    status: str | None = None
    sort: str = "agency"
    descending: bool = False


def _report_where(flt: ReportFilter, ids: list[int] | None,
                  skip: str = "") -> tuple[str, list[Any]]:
    where, params = ["r.is_current = 1"], []
    if ids is not None:
        where.append("r.agency_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    for col in ("year", "template", "status"):
        val = getattr(flt, col)
        if val is not None and col != skip:
            where.append(f"r.{col} = ?")
            params.append(val)
    return " WHERE " + " AND ".join(where), params


def _from(sort: str) -> str:
    """Reports with their agency; in agency order, walked agency by agency in name order
    (``agencies_name``, then each agency's reports by ``reports_agency_current``): a page is
    found without sorting every report, which would read every report row first."""
    if sort == "agency":
        return "agencies a CROSS JOIN reports r ON a.id = r.agency_id"
    return "reports r JOIN agencies a ON a.id = r.agency_id"


def report_page(arch: Archive, flt: ReportFilter, offset: int = 0, limit: int = 100,
                ids: list[int] | None = None) -> Page:
    """One page of current reports under ``flt``, in its order, with each agency's years at
    a glance."""
    if ids is None:
        ids = agency_ids(arch, flt.text)
    return Page(report_page_rows(arch, flt, offset, limit, ids), offset,
                report_count(arch, flt, ids), limit)


def report_count(arch: Archive, flt: ReportFilter, ids: list[int] | None) -> int:
    """How many current reports ``flt`` lists (``ids``: its agencies, ``agency_ids``)."""
    cond, params = _report_where(flt, ids)
    return int(arch.q(f"SELECT count(*) AS n FROM reports r{cond}", params)[0]["n"])


def report_page_rows(arch: Archive, flt: ReportFilter, offset: int, limit: int,
                     ids: list[int] | None) -> list[dict[str, Any]]:
    """The rows of one page of ``report_page``, not counting the list."""
    rows = report_rows(arch, flt, ids, offset, limit)
    marks = history(arch, sorted({r["agency_id"] for r in rows}))
    for r in rows:
        r["history"] = marks.get(r["agency_id"], {})
    return rows


def report_rows(arch: Archive, flt: ReportFilter, ids: list[int] | None, offset: int = 0,
                limit: int | None = None) -> list[dict[str, Any]]:
    """The current reports under ``flt`` in its order, from ``offset``: ``limit`` of them, or
    with None every one (an export of the list as shown). Each row has the columns of
    ``Archive.list_reports``, so the export writes what ``goi list --format csv`` writes.

    The page is cut on the report ids alone; its dismissed counts (a subquery a report) are
    then counted for the page's rows only, not for every report the sort passes over."""
    cond, params = _report_where(flt, ids)
    order = order_by(REPORT_SORTS, _REPORT_TIEBREAK, flt.sort, flt.descending)
    return arch.q(
        "SELECT r.id, a.name AS agency, r.agency_id, r.year, r.version, r.template, r.status, "
        f"r.errors, r.warnings, r.infos, {DISMISSED_SQL} AS dismissed, "
        f"r.source_path AS source, r.agency_name AS printed_name FROM (SELECT r.id FROM "
        f"{_from(flt.sort)}{cond} ORDER BY {order} LIMIT ? OFFSET ?) page "
        f"JOIN reports r ON r.id = page.id JOIN agencies a ON a.id = r.agency_id ORDER BY {order}",
        [*params, -1 if limit is None else limit, offset])


def history(arch: Archive, ids: list[int]) -> dict[int, dict[int, str]]:
    """For each agency: year → status of its current report."""
    out: dict[int, dict[int, str]] = {}
    for r in arch.q("SELECT agency_id, year, status FROM reports WHERE is_current = 1 AND agency_id "
                    "IN (SELECT value FROM json_each(?))", [json.dumps(ids)]):
        out.setdefault(r["agency_id"], {})[r["year"]] = r["status"]
    return out


def history_text(marks: dict[int, str], years: list[int]) -> str:
    """One mark per archive year (· when the agency has no report that year)."""
    return "".join(STATUS_MARK.get(marks[y], "?") if y in marks else "·" for y in years)


def report_facets(arch: Archive, flt: ReportFilter,
                  ids: list[int] | None = None) -> dict[str, list[tuple[Any, int]]]:
    """Counts per year, template and status, each under the other filters (not its own)."""
    out = {}
    for col in ("year", "template", "status"):
        cond, params = _report_where(flt, ids, skip=col)
        out[col] = [(r["v"], r["n"]) for r in arch.q(
            f"SELECT r.{col} AS v, count(*) AS n FROM reports r{cond} GROUP BY r.{col} "
            f"ORDER BY r.{col}", params)]
    return out


def archive_years(arch: Archive) -> list[int]:
    row = arch.q("SELECT (SELECT min(year) FROM reports WHERE is_current = 1) AS lo, "
                 "(SELECT max(year) FROM reports WHERE is_current = 1) AS hi")[0]
    return list(range(row["lo"], row["hi"] + 1)) if row["lo"] is not None else []


def neighbour(arch: Archive, agency_id: int, year: int, step: int) -> tuple[int, int] | None:
    """(id, year) of the agency's current report of the nearest year before (-1) or after."""
    cmp, order = ("<", "DESC") if step < 0 else (">", "ASC")
    row = arch.q(f"SELECT id, year FROM reports WHERE agency_id = ? AND is_current = 1 AND "
                 f"year {cmp} ? ORDER BY year {order} LIMIT 1", [agency_id, year])
    return (row[0]["id"], row[0]["year"]) if row else None


def report_years(arch: Archive, agency_id: int) -> list[tuple[int, int]]:
    """(year, report id) of the agency's current reports."""
    return [(r["year"], r["id"]) for r in arch.q(
        "SELECT year, id FROM reports WHERE agency_id = ? AND is_current = 1 ORDER BY year",
        [agency_id])]


# ------------------------------------------------------------------ findings


@dataclass(frozen=True)
class FindingFilter:
    """``agency`` is matched like the archive filter; ``review`` is open, acknowledged or
    dismissed."""

    rule: str | None = None
    severity: str | None = None
    agency: str = ""
    year: int | None = None
    review: str | None = None
    #: the order (a key of ``FINDING_SORTS``): not part of the filter line
    sort: str = "agency"
    descending: bool = False

    KEYS = ("rule", "severity", "agency", "year", "review")

    @classmethod
    def parse(cls, text: str) -> FindingFilter:
        """``sev:error rule:S-CELLS year:2020 review:open 紫溪`` (free words: the agency)."""
        tokens, rest = parse_tokens(text, cls.KEYS)
        year = tokens.get("year")
        review = tokens.get("review")
        if review:
            review = next((s for s in REVIEW_STATES if s.startswith(review.lower())), review)
        severity = tokens.get("severity")
        return cls(rule=tokens.get("rule"), severity=severity.lower() if severity else None,
                   agency=" ".join(x for x in (tokens.get("agency", ""), rest) if x),
                   year=int(year) if year and year.isdigit() else None, review=review)

    def without(self, name: str) -> FindingFilter:
        blank: dict[str, Any] = {f.name: f.default for f in fields(self)}
        return replace(self, **{name: blank[name]})


_FINDING_FROM = (
    " FROM findings f JOIN reports r ON r.id = f.report_id AND r.is_current = 1 "
    "JOIN agencies a ON a.id = r.agency_id LEFT JOIN reviews v ON v.agency_id = r.agency_id "
    "AND v.year = r.year AND v.fingerprint = f.fingerprint")
#: the same rows walked agency by agency in name order (``agencies_name``), each report's
#: findings from ``findings_report_facets``: a page in that order without sorting them all
_FINDING_WALK = (
    " FROM agencies a CROSS JOIN reports r ON a.id = r.agency_id AND r.is_current = 1 "
    "CROSS JOIN findings f ON r.id = f.report_id LEFT JOIN reviews v ON "
    "v.agency_id = r.agency_id AND v.year = r.year AND v.fingerprint = f.fingerprint")


def _rule_pattern(rule: str) -> str:
    return rule.replace("*", "%") + ("" if "*" in rule else "%")


def _finding_where(flt: FindingFilter, ids: list[int] | None) -> tuple[str, list[Any]]:
    where: list[str] = ["1"]
    params: list[Any] = []
    if ids is not None:
        where.append("r.agency_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    if flt.rule:
        where.append("f.rule LIKE ?")
        params.append(_rule_pattern(flt.rule))
    if flt.severity:
        where.append("f.severity = ?")
        params.append(flt.severity)
    if flt.year is not None:
        where.append("r.year = ?")
        params.append(flt.year)
    if flt.review == "open":
        where.append("v.state IS NULL")
    elif flt.review:
        where.append("v.state = ?")
        params.append(flt.review)
    return " WHERE " + " AND ".join(where), params


def finding_page(arch: Archive, flt: FindingFilter, offset: int = 0, limit: int = 100,
                 ids: list[int] | None = None) -> Page:
    """One page of findings of current reports, in the filter's order, with the review of
    each."""
    if ids is None:
        ids = agency_ids(arch, flt.agency)
    return Page(finding_rows(arch, flt, ids, offset, limit), offset,
                finding_count(arch, flt, ids), limit)


def finding_count(arch: Archive, flt: FindingFilter, ids: list[int] | None) -> int:
    """How many findings of current reports ``flt`` lists. Only the tables its filter needs
    are joined: the agencies never (a report's agency is its ``agency_id``), the reviews
    only for a review filter (at most one review a finding: its primary key); counting
    through them costs four times as much."""
    cond, params = _finding_where(flt, ids)
    reviews = (" LEFT JOIN reviews v ON v.agency_id = r.agency_id AND v.year = r.year AND "
               "v.fingerprint = f.fingerprint") if flt.review else ""
    return int(arch.conn.execute(
        "SELECT count(*) FROM findings f JOIN reports r ON r.id = f.report_id AND "
        f"r.is_current = 1{reviews}{cond}", params).fetchone()[0])


def finding_rows(arch: Archive, flt: FindingFilter, ids: list[int] | None, offset: int = 0,
                 limit: int | None = None) -> list[dict[str, Any]]:
    """The findings under ``flt`` in its order, from ``offset``: ``limit`` of them, or with
    None every one. Besides the finding, each row carries its report's version, status and
    source file (what ``goi validate --format csv`` writes beside a finding)."""
    cond, params = _finding_where(flt, ids)
    # the rows' ids first, in order, from the indexes (in agency order walking agencies by
    # name, no sort of every finding); then only those findings are read whole
    chosen = [fid for (fid,) in arch.conn.execute(
        f"SELECT f.id{_FINDING_WALK if flt.sort == 'agency' else _FINDING_FROM}{cond} "
        f"ORDER BY {order_by(FINDING_SORTS, _FINDING_TIEBREAK, flt.sort, flt.descending)} "
        "LIMIT ? OFFSET ?", [*params, -1 if limit is None else limit, offset])]
    found = {r["id"]: r for r in arch.q(
        "SELECT f.id, f.report_id, f.rule, f.severity, f.message, f.message_zh, f.keys, "
        "f.section, f.fingerprint, f.expected, f.actual, f.source, f.line, f.origin, "
        "r.year, r.agency_id, a.name AS agency, r.version, r.status AS report_status, "
        "r.source_path AS source_file, v.state AS review, v.note "
        "FROM findings f CROSS JOIN reports r ON r.id = f.report_id JOIN agencies a ON "
        "a.id = r.agency_id LEFT JOIN reviews v ON v.agency_id = r.agency_id AND "
        "v.year = r.year AND v.fingerprint = f.fingerprint "
        "WHERE f.id IN (SELECT value FROM json_each(?))", [json.dumps(chosen)])}
    rows = [found[fid] for fid in chosen]
    for r in rows:
        r["keys"] = json.loads(r["keys"])
    return rows


def _facet_where(flt: FindingFilter) -> tuple[str, list[Any]]:
    """``flt``'s severity, review and rule as conditions on the groups of ``finding_facets``."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if flt.rule:
        where.append("rule LIKE ?")
        params.append(_rule_pattern(flt.rule))
    if flt.severity:
        where.append("severity = ?")
        params.append(flt.severity)
    if flt.review:
        where.append("review = ?")
        params.append(flt.review)
    return " WHERE " + " AND ".join(where), params


def finding_facets(arch: Archive, flt: FindingFilter,
                   ids: list[int] | None = None) -> dict[str, list[tuple[Any, int]]]:
    """Counts per severity, review state and rule, each under the other filters.

    One pass over the findings: they are counted by (severity, review, rule) under the
    agency and year filters, and each facet is summed from those few groups under the other
    two filters (three passes over every finding cost three times as much)."""
    cond, params = _finding_where(FindingFilter(agency=flt.agency, year=flt.year), ids)
    parts, part_params = [], []
    for name in ("severity", "review", "rule"):
        where, where_params = _facet_where(flt.without(name))
        parts.append(f"SELECT '{name}' AS facet, {name} AS v, sum(n) AS n FROM groups{where} "
                     f"GROUP BY {name}")
        part_params += where_params
    out: dict[str, list[tuple[Any, int]]] = {"severity": [], "review": [], "rule": []}
    for facet, value, n in arch.conn.execute(
            "WITH groups AS MATERIALIZED (SELECT f.severity AS severity, "
            "coalesce(v.state, 'open') AS review, f.rule AS rule, count(*) AS n"
            f"{_FINDING_FROM}{cond} GROUP BY 1, 2, 3) " + " UNION ALL ".join(parts),
            [*params, *part_params]):
        out[facet].append((value, n))
    for counts in out.values():
        counts.sort(key=lambda vn: (-vn[1], vn[0]))
    return out


@dataclass
class Target:
    """Where to look in a report: figure keys, a section, a text to find."""

    keys: list[str] = field(default_factory=list)
    section: int | None = None
    text: str | None = None
    #: a finding to go to (its words, cells or section): the report has the whole finding
    fingerprint: str | None = None
