"""Reads that cost a page: the same answers as reading everything, from indexes and streams.

``goi list`` and ``goi validate`` print as they read (text and JSON); the JSON must be the very
bytes ``json.dumps`` of the whole result gave. Names are found through indexes and a filtered
pass, and must find exactly what checking every name found. The browser's queries and the
listings must never read every report row (EXPLAIN QUERY PLAN: no SCAN of reports).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import names as agency_names
from goitui.archive import queries
from goitui.archive.findings import check_archive, review
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.commands.validation import archive_text
from goitui.errors import Ambiguous, NotFound
from goitui.importer import import_paths
from goitui.testing.generate import write_corpus
from goitui.text import fold
from goitui.tui.archive_screen import count, load
from goitui.tui.validation_screen import count as count_findings
from goitui.tui.validation_screen import load as load_findings

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Forty generated reports of many agencies and years, with a dismissed and an
    acknowledged finding, and agencies whose names fold differently from how they print."""
    root = tmp_path_factory.mktemp("readscale")
    write_corpus(root / "reports", 40, seed=23)
    db = root / "archive.db"
    with Archive(db) as arch:
        results = import_paths(arch, [str(root / "reports")])
        assert all(r.outcome == "archived" for r in results)
        rows = arch.q("SELECT a.name, r.year, f.rule FROM findings f JOIN reports r ON "
                      "r.id = f.report_id JOIN agencies a ON a.id = r.agency_id WHERE "
                      "r.is_current = 1 AND f.severity = 'warning' ORDER BY f.id LIMIT 2")
        review(arch, rows[0]["name"], rows[0]["year"], rows[0]["rule"], "dismissed", "seen",
               every=True)
        review(arch, rows[1]["name"], rows[1]["year"], rows[1]["rule"], "acknowledged",
               every=True)
        with arch.writing():  # names ``fold`` changes: full-width letters, traditional, a space
            for name in ("ＡＢ県朝阳街道", "長樂縣教育局", "西河 乡人民政府"):
                agency = arch.conn.execute("INSERT INTO agencies (name, created_at) VALUES "
                                           "(?, '2026-01-01')", [name]).lastrowid
                arch.conn.execute("INSERT INTO agency_names VALUES (?, ?, ?)",
                                  [name, agency, agency_names.core(name)])
    return db


def goi(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


# ------------------------------------------------------------------ streamed output


@pytest.mark.parametrize("options", [
    [], ["--all"], ["--severity", "warning"], ["--rule", "X"], ["--year", "2021"],
    ["--severity", "info"],
])
def test_validate_json_streamed_is_the_whole_result_byte_for_byte(built: Path,
                                                                   options: list[str]) -> None:
    from goitui.archive.findings import Filter

    out = goi("validate", "--db", str(built), "--format", "json", *options)
    severity = options[1] if options[:1] == ["--severity"] else None
    flt = Filter(rules=[options[1]] if options[:1] == ["--rule"] else None, severity=severity,
                 include_reviewed="--all" in options)
    year = int(options[1]) if options[:1] == ["--year"] else None
    with Archive(built, create=False, write=False) as arch:
        whole = check_archive(arch, flt, year=year).to_dict()
    assert out == json.dumps(whole, ensure_ascii=False, indent=2, default=str) + "\n"
    assert json.loads(out)["summary"]["reports"] == len(whole["reports"]) > 0


@pytest.mark.parametrize("options", [[], ["--all"], ["--info"], ["--rule", "X-CARRY"]])
def test_validate_text_streamed_is_the_whole_result(built: Path, options: list[str]) -> None:
    from goitui.archive.findings import Filter

    out = goi("validate", "--db", str(built), *options)
    flt = Filter(rules=[options[1]] if options[:1] == ["--rule"] else None,
                 include_reviewed="--all" in options)
    with Archive(built, create=False, write=False) as arch:
        whole = check_archive(arch, flt)
        assert out == "\n".join(archive_text(whole, "--info" in options)) + "\n"
    if not options:
        assert "reviewed, not counted" in out


def test_validate_summary_counted_in_sql_matches_python(built: Path) -> None:
    from goitui.archive.findings import Filter, archive_findings

    with Archive(built, create=False, write=False) as arch:
        for flt in (Filter(), Filter(include_reviewed=True), Filter(severity="error"),
                    Filter(rules=["A", "X-REUSE"])):
            streamed = archive_findings(arch, flt)
            whole = check_archive(arch, flt)
            assert streamed.summary() == whole.summary()
            assert streamed.exit_code == whole.exit_code


def test_list_streamed_json_and_text_are_the_whole_list(built: Path) -> None:
    out = goi("list", "--db", str(built), "--format", "json")
    with Archive(built, create=False, write=False) as arch:
        rows = arch.list_reports()
        everything = arch.list_reports(all_versions=True)
    assert out == json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n"
    keys = [(r["agency"], r["year"], r["version"]) for r in everything]
    assert keys == sorted(keys) and len(rows) == len(everything) > 30
    text = goi("list", "--db", str(built)).splitlines()
    assert len(text) == len(rows) + 1 and text[1].startswith(rows[0]["agency"])
    assert goi("list", "--db", str(built), "--year", "1990", "--format", "json") == "[]\n"


# ------------------------------------------------------------------ names


def _every_name(arch: Archive, query: str) -> set[int]:
    """What ``find_agency`` answered by checking every name of the archive."""
    rows = arch.q("SELECT name, agency_id FROM agency_names")
    exact = {r["agency_id"] for r in rows if r["name"] == query}
    if not exact:
        exact = {r["agency_id"] for r in rows
                 if agency_names.core(r["name"]) == agency_names.core(query)}
    return exact or {r["agency_id"] for r in rows
                     if agency_names.query_matches(query, r["name"])}


def _queries(names: list[str]) -> list[str]:
    out = ["ab", "ＡＢ", "长乐", "長樂縣", "乐县教育", "西河乡", "乡人民", "镇人", "不存在的名字"]
    for name in names:
        core = agency_names.core(name)
        out += [name, core, name[1:], core[:3], core[-3:], name[2:6], "某市" + core]
    return out


def test_find_agency_finds_what_checking_every_name_found(built: Path) -> None:
    with Archive(built, create=False, write=False) as arch:
        names = [r["name"] for r in arch.q("SELECT name FROM agency_names")]
        for query in _queries(names):
            expected = _every_name(arch, query)
            try:
                found = {arch.find_agency(query)["id"]}
            except NotFound:
                found = set()
            except Ambiguous as e:
                assert len(expected) > 1 and e.candidates == sorted(
                    {arch.agency(i)["name"] for i in expected}), query
                continue
            assert found == expected, query


def test_names_fold_changes_are_still_found(built: Path) -> None:
    with Archive(built, create=False, write=False) as arch:
        assert arch.find_agency("ab県朝阳")["name"] == "ＡＢ県朝阳街道"
        assert arch.find_agency("西河乡人")["name"] == "西河 乡人民政府"  # across the space
        assert fold("長樂縣教育局") in {fold(n) for n in arch.find_agency("乐县教育")["aliases"]}


# ------------------------------------------------------------------ plans


def _plans(arch: Archive, work: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Every SELECT ``work`` runs, with SQLite's plan for it."""
    seen: list[str] = []
    arch.conn.set_trace_callback(seen.append)
    try:
        result = work()
        if hasattr(result, "__next__"):
            list(result)  # type: ignore[call-overload]
    finally:
        arch.conn.set_trace_callback(None)
    return [(sql, [row[3] for row in arch.conn.execute("EXPLAIN QUERY PLAN " + sql)])
            for sql in seen if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


#: a walk of every report row: a plan step that scans reports other than by an index alone
_READS_EVERY_REPORT = re.compile(r"^SCAN (r|reports)\b(?! USING COVERING INDEX)")


@pytest.mark.parametrize("flt", [
    queries.ReportFilter(), queries.ReportFilter(year=2021, status="warn"),
    queries.ReportFilter(template="2019"), queries.ReportFilter(sort="year"),
    queries.ReportFilter(sort="status"), queries.ReportFilter(text="镇"),
])
def test_browser_screen_reads_no_report_row_it_does_not_show(built: Path,
                                                             flt: queries.ReportFilter) -> None:
    with Archive(built, create=False, write=False) as arch:
        # the page, then its counts (the screen shows the page first)
        plans = _plans(arch, lambda: (load(arch, flt, 0), count(arch, flt)))
    assert len(plans) >= 6
    for sql, plan in plans:
        assert not [step for step in plan if _READS_EVERY_REPORT.match(step)], (sql, plan)
    counts = [plan for sql, plan in plans
              if sql.startswith("SELECT count(*) AS n FROM reports") or "GROUP BY r." in sql]
    assert counts and all(any("COVERING INDEX" in step for step in plan) for plan in counts)


def test_listing_and_names_use_indexes(built: Path) -> None:
    with Archive(built, create=False, write=False) as arch:
        name = arch.q("SELECT name FROM agencies ORDER BY id LIMIT 1")[0]["name"]
        for work in (lambda: arch.iter_reports(), lambda: arch.iter_reports(status="warn"),
                     lambda: queries.archive_years(arch), lambda: arch.find_agency(name),
                     lambda: arch.find_report(name)):
            for sql, plan in _plans(arch, work):
                assert not [step for step in plan if _READS_EVERY_REPORT.match(step)], (sql, plan)
                if "CROSS JOIN" in sql:  # the listing: in name order without a sort
                    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, (sql, plan)


def test_an_older_archive_gains_the_indexes(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as arch:
        indexes = {name for (name,) in arch.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"reports_current_facets", "reports_agency_current", "agencies_name"} <= indexes
    con = sqlite3.connect(tmp_path / "a.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def _facets_one_by_one(arch: Archive, flt: queries.FindingFilter) -> dict[str, list]:
    """The findings screen's facets as three queries (one per facet) counted them."""
    out = {}
    for name, expr in (("severity", "f.severity"),
                       ("review", "coalesce(v.state, 'open')"), ("rule", "f.rule")):
        cond, params = queries._finding_where(flt.without(name), None)
        out[name] = [(r["v"], r["n"]) for r in arch.q(
            f"SELECT {expr} AS v, count(*) AS n{queries._FINDING_FROM}{cond} GROUP BY v "
            "ORDER BY n DESC, v", params)]
    return out


@pytest.mark.parametrize("text", ["", "sev:warning", "review:open", "review:dismissed",
                                  "rule:X sev:info", "rule:X-C* year:2021", "rule:nothing"])
def test_findings_screen_counts_in_one_pass_as_one_by_one(built: Path, text: str) -> None:
    flt = queries.FindingFilter.parse(text)
    with Archive(built, create=False, write=False) as arch:
        assert queries.finding_facets(arch, flt) == _facets_one_by_one(arch, flt)
        page = queries.finding_page(arch, flt, limit=7)
        cond, params = queries._finding_where(flt, None)
        every = arch.q(f"SELECT f.id{queries._FINDING_FROM}{cond} ORDER BY a.name, r.year, "
                       f"{queries._SEVERITY_RANK}, f.id", params)
        assert [r["id"] for r in page.rows] == [r["id"] for r in every[:7]]
        assert page.total == len(every)
        plans = _plans(arch, lambda: (load_findings(arch, flt, 0), count_findings(arch, flt)))
    for sql, plan in plans:
        assert not [step for step in plan if _READS_EVERY_REPORT.match(step)], (sql, plan)
        assert not [step for step in plan if step.startswith("SCAN f")], (sql, plan)

