"""archive/queries.py on its own: the browser's paged lists, facets and filters, no terminal."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from goitui.archive.findings import DISMISSED, review
from goitui.archive.queries import (
    FINDING_SORTS,
    REPORT_SORTS,
    FindingFilter,
    ReportFilter,
    agency_ids,
    archive_years,
    finding_facets,
    finding_page,
    finding_rows,
    history_text,
    neighbour,
    parse_tokens,
    report_facets,
    report_page,
    report_rows,
    report_years,
)
from goitui.archive.store import Archive
from goitui.errors import BadFilter
from goitui.importer import import_paths


@pytest.fixture(scope="module")
def arch(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    samples = Path(__file__).resolve().parents[1] / "sample_reports"
    a = Archive.open(tmp_path_factory.mktemp("queries") / "q.db")
    import_paths(a, [str(samples)])
    yield a
    a.close()


def _current(arch: Archive, sql: str = "", params: list | None = None) -> list[dict]:
    return arch.q("SELECT r.*, a.name AS canonical FROM reports r JOIN agencies a ON "
                  f"a.id = r.agency_id WHERE r.is_current {sql}", params or [])


def test_report_pages_cover_every_report_once_in_order(arch: Archive) -> None:
    every = _current(arch)
    seen, offset = [], 0
    while True:
        page = report_page(arch, ReportFilter(), offset=offset, limit=2)
        assert page.total == len(every) and len(page.rows) <= 2
        seen += page.rows
        if page.last >= page.total:
            break
        offset = page.last
    assert sorted(r["id"] for r in seen) == sorted(r["id"] for r in every)
    assert [(r["agency"], r["year"]) for r in seen] == sorted((r["agency"], r["year"]) for r in seen)
    assert report_page(arch, ReportFilter(), offset=2, limit=2).describe() == \
        f"3–4 of {len(every)}"
    by_year = report_page(arch, ReportFilter(sort="year", descending=True), limit=100).rows
    assert [r["year"] for r in by_year] == sorted((r["year"] for r in by_year), reverse=True)
    by_status = [r["status"] for r in report_page(arch, ReportFilter(sort="status")).rows]
    assert by_status == sorted(by_status, key=["fail", "warn", "pass"].index)


def test_a_filter_narrows_the_page_and_each_facet_ignores_its_own(arch: Archive) -> None:
    fail = report_page(arch, ReportFilter(status="fail"))
    assert fail.total == len(_current(arch, "AND r.status = 'fail'")) and fail.total >= 1
    assert {r["status"] for r in fail.rows} == {"fail"}
    facets = report_facets(arch, ReportFilter(status="fail"))
    # the status facet counts every status (its own filter left out), the others only fails
    assert dict(facets["status"]) == dict(Counter(r["status"] for r in _current(arch)))
    assert sum(n for _, n in facets["year"]) == fail.total
    assert dict(facets["template"]) == dict(Counter(r["template"] for r in fail.rows))


def test_agency_text_matches_names_aliases_and_near_misses(arch: Archive) -> None:
    assert agency_ids(arch, "  ") is None  # no text: no filter
    one = agency_ids(arch, "八道沟")
    assert one == [arch.find_agency("八道沟镇")["id"]]
    assert agency_ids(arch, "八到沟镇") == one  # one wrong character still finds it
    rows = report_page(arch, ReportFilter(text="八道沟")).rows
    assert {r["agency"] for r in rows} == {"八道沟镇人民政府"} and len(rows) == 2
    years = [y for y, _ in report_years(arch, one[0])]
    assert years == [2020, 2021]
    assert rows[0]["history"] == {2020: rows[0]["status"], 2021: rows[1]["status"]}


def test_years_at_a_glance_and_neighbours(arch: Archive) -> None:
    years = archive_years(arch)
    assert years == list(range(min(years), max(years) + 1))
    assert history_text({2020: "pass", 2021: "fail"}, [2019, 2020, 2021]) == "·✓✗"
    agency = arch.find_agency("八道沟镇")["id"]
    (_, first_id), (_, second_id) = report_years(arch, agency)
    assert neighbour(arch, agency, 2020, 1) == (second_id, 2021)
    assert neighbour(arch, agency, 2021, -1) == (first_id, 2020)
    assert neighbour(arch, agency, 2020, -1) is None


def test_finding_filters_parse_as_typed() -> None:
    assert parse_tokens("sev:error ru:S-CELLS 紫溪 y:2020", ("severity", "rule", "year")) == (
        {"severity": "error", "rule": "S-CELLS", "year": "2020"}, "紫溪")
    flt = FindingFilter.parse("sev:ERROR review:dis year:20x 西安镇")
    assert (flt.severity, flt.review, flt.year, flt.agency) == ("error", DISMISSED, None, "西安镇")
    assert flt.without("severity").severity is None and flt.without("severity").agency == "西安镇"


def test_finding_pages_facets_and_reviews(tmp_path: Path, samples_dir: Path) -> None:
    with Archive.open(tmp_path / "f.db") as a:
        import_paths(a, [str(samples_dir)])
        total = a.q("SELECT count(*) AS n FROM findings f JOIN reports r ON r.id = f.report_id "
                    "WHERE r.is_current")[0]["n"]
        page = finding_page(a, FindingFilter(), limit=5)
        assert page.total == total and len(page.rows) == 5
        rest = finding_page(a, FindingFilter(), offset=5, limit=total)
        assert not {r["id"] for r in page.rows} & {r["id"] for r in rest.rows}
        errors = finding_page(a, FindingFilter.parse("sev:error"))
        assert errors.total >= 1 and {r["severity"] for r in errors.rows} == {"error"}
        rule = finding_page(a, FindingFilter(rule="C-INJ")).rows
        assert [r["rule"] for r in rule] == ["C-INJECTED"] and rule[0]["review"] is None

        review(a, "紫溪镇", 2019, "C-INJECTED", DISMISSED, "网页被篡改")
        dismissed = finding_page(a, FindingFilter(review=DISMISSED)).rows
        assert [(r["rule"], r["note"]) for r in dismissed] == [("C-INJECTED", "网页被篡改")]
        assert finding_page(a, FindingFilter(review="open")).total == total - 1
        facets = finding_facets(a, FindingFilter(review=DISMISSED))
        assert dict(facets["review"]) == {"open": total - 1, DISMISSED: 1}
        assert dict(facets["rule"]) == {"C-INJECTED": 1}
        assert sum(n for _, n in facets["severity"]) == 1


_STATUS_RANK = {"fail": 0, "warn": 1, "pass": 2}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _report_column(row: dict, key: str) -> object:
    return _STATUS_RANK[row["status"]] if key == "status" else row[key]


@pytest.mark.parametrize("key", sorted(REPORT_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_reports_sort_by_every_column_both_ways_in_sql(arch: Archive, key: str,
                                                       descending: bool) -> None:
    """Each whitelisted order sorts by its column (reversed on request), the tiebreak keeps
    equal rows in agency, year, id order either way, and pages join up without a gap."""
    flt = ReportFilter(sort=key, descending=descending)
    rows = report_rows(arch, flt, None)
    assert len(rows) == len(_current(arch))
    values = [_report_column(r, key) for r in rows]
    assert values == sorted(values, reverse=descending)
    for a, b in zip(rows, rows[1:]):
        if _report_column(a, key) == _report_column(b, key) and key != "status":
            assert (a["agency"], a["year"], a["id"]) < (b["agency"], b["year"], b["id"])
    paged = [r["id"] for offset in range(0, len(rows), 3)
             for r in report_page(arch, flt, offset=offset, limit=3).rows]
    assert paged == [r["id"] for r in rows]
    assert report_rows(arch, flt, None, offset=2, limit=2) == rows[2:4]


def test_the_status_order_is_worst_first_and_turns_round(arch: Archive) -> None:
    worst = report_rows(arch, ReportFilter(sort="status"), None)
    best = report_rows(arch, ReportFilter(sort="status", descending=True), None)
    assert worst[0]["status"] == "fail" and best[0]["status"] == "pass"
    failing = [r["errors"] for r in worst if r["status"] == "fail"]
    assert failing == sorted(failing, reverse=True)  # within a status, most errors first


@pytest.mark.parametrize("key", sorted(FINDING_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_findings_sort_by_every_column_both_ways_in_sql(arch: Archive, key: str,
                                                        descending: bool) -> None:
    def column(row: dict) -> object:
        if key == "severity":
            return _SEVERITY_RANK[row["severity"]]
        if key == "review":
            return row["review"] or ""
        if key == "message_zh":
            return row["message_zh"] or row["message"]
        return row[key]

    flt = FindingFilter(sort=key, descending=descending)
    rows = finding_rows(arch, flt, None)
    assert len(rows) == finding_page(arch, FindingFilter()).total > 10
    values = [column(r) for r in rows]
    assert values == sorted(values, reverse=descending)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids)
    paged = [r["id"] for offset in range(0, len(rows), 4)
             for r in finding_page(arch, flt, offset=offset, limit=4).rows]
    assert paged == ids


def test_an_order_outside_the_whitelist_is_refused_never_run(arch: Archive) -> None:
    for bad in ("r.id; DROP TABLE reports", "name", ""):
        with pytest.raises(BadFilter, match="cannot sort by"):
            report_rows(arch, ReportFilter(sort=bad), None)
        with pytest.raises(BadFilter, match="cannot sort by"):
            finding_rows(arch, FindingFilter(sort=bad), None)
    assert arch.q("SELECT count(*) AS n FROM reports")[0]["n"] > 0
