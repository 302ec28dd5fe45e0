"""Full-text search: trigram index for 3+ characters, a scan of the text for shorter terms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_tui_support import HOSTILE, build
from typer.testing import CliRunner

from goitui.archive.search import FTS, SCAN, SearchError, search
from goitui.archive.store import Archive
from goitui.cli import app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("search"))


@pytest.fixture
def arch(db: Path):
    with Archive(db) as a:
        yield a


def test_trigram_query_uses_the_index(arch: Archive) -> None:
    r = search(arch, "政务公开专区")
    assert r.mode == FTS and r.count == 1
    hit = r.hits[0]
    assert (hit.agency, hit.year) == ("紫溪镇", 2020)
    a, b = hit.highlights[0]
    assert hit.snippet[a:b] == "政务公开专区"
    assert arch.load(hit.report_id).text[hit.offset:hit.offset + 6] == "政务公开专区"


def test_short_query_scans_the_text(arch: Archive) -> None:
    r = search(arch, "专区")
    assert r.mode == SCAN and r.count == 1
    assert "character pairs" in r.mode_text


def test_every_term_must_occur(arch: Archive) -> None:
    both = search(arch, "紫溪镇 专区")
    assert both.count == 1
    assert search(arch, "紫溪镇").count == 2


def test_filters_by_year_and_agency(arch: Archive) -> None:
    assert search(arch, "信息公开", year=2019).count == 3
    assert {h.agency for h in search(arch, "信息公开", agency="远觉").hits} == {
        "重庆市荣昌区远觉镇人民政府"}


def test_index_follows_new_and_deleted_reports(arch: Archive) -> None:
    before = search(arch, "政府信息公开").count
    rid = search(arch, "政务公开专区").hits[0].report_id
    arch.conn.execute("BEGIN IMMEDIATE")
    arch.conn.execute("DELETE FROM reports WHERE id = ?", [rid])
    assert search(arch, "政务公开专区").count == 0
    assert search(arch, "政府信息公开").count == before - 1
    arch.conn.execute("ROLLBACK")


def test_empty_query_is_an_error(arch: Archive) -> None:
    with pytest.raises(SearchError):
        search(arch, "   ")


def test_quotes_and_operators_are_literal(arch: Archive) -> None:
    assert search(arch, 'AND "OR" NEAR(').count == 0


def test_cli_json_and_text(db: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["search", "政务公开专区", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["mode"] == FTS and data["count"] == 1
    assert data["hits"][0]["highlights"]
    res = runner.invoke(app, ["search", "注意", "--db", str(db)])
    assert res.exit_code == 0
    assert "[bold red]«注意»[/] \\x1b[2J\\x07" in res.stdout  # shown, not obeyed
    assert "\x1b" not in res.stdout
    assert runner.invoke(app, ["search", "没有这段文字", "--db", str(db)]).exit_code == 1
    assert HOSTILE


def test_backfill_indexes_reports_archived_before_the_migration(tmp_path: Path) -> None:
    db = build(tmp_path)
    with Archive(db) as a:
        a.conn.execute("INSERT INTO report_fts (report_fts) VALUES ('delete-all')")
        assert search(a, "政务公开专区").count == 0
        sql = (Path(__file__).resolve().parents[1] / "migrations" / "0002_search.sql").read_text()
        a.conn.execute(sql.strip().splitlines()[-1])  # the migration's last statement
        assert search(a, "政务公开专区").count == 1


@pytest.mark.parametrize("query", ["信息公开", "公开"])  # the index, and a scan
def test_results_sort_by_agency_year_or_status_in_sql_before_the_page(arch: Archive,
                                                                       query: str) -> None:
    from goitui.archive.search import SEARCH_SORTS
    from goitui.errors import BadFilter

    every = search(arch, query, limit=100)
    assert every.count == len(every.hits) > 3
    rank = {"fail": 0, "warn": 1, "pass": 2}
    for key, value in (("agency", lambda h: h.agency), ("year", lambda h: h.year),
                       ("status", lambda h: rank[h.status])):
        assert key in SEARCH_SORTS
        for descending in (False, True):
            hits = search(arch, query, limit=100, sort=key, descending=descending).hits
            assert [value(h) for h in hits] == sorted(map(value, hits), reverse=descending)
            paged = [h.report_id for offset in range(0, len(hits), 2) for h in
                     search(arch, query, limit=2, offset=offset, sort=key,
                            descending=descending).hits]
            assert paged == [h.report_id for h in hits]  # sorted before the page is cut
    assert [h.report_id for h in search(arch, query, limit=100, sort="rank").hits] == \
        [h.report_id for h in every.hits]
    with pytest.raises(BadFilter, match="cannot sort by"):
        search(arch, query, sort="r.text")


def _segments(arch: Archive, table: str) -> int:
    """The segments of an FTS5 index: each has its own rows in the ``_idx`` table."""
    return arch.conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]


def test_a_large_batch_leaves_each_index_in_one_segment_and_a_small_one_to_fts5(
        tmp_path: Path) -> None:
    """A batch indexed at once was written as many segments, left merging on the lowest
    level, where the segments of the next small batches piled up until FTS5 merged them all
    at once (seconds in a small import at 100,000 reports). A batch that is a quarter of the
    index or more is merged into one segment; a smaller one is not (FTS5 merges it a little
    at each write); the same reports are found either way."""
    from goitui.archive.search import refresh_index
    from goitui.importer import import_paths
    from goitui.testing.generate import write_corpus

    corpus = tmp_path / "corpus"
    files = sorted(write_corpus(corpus, 14, seed=23))
    with Archive(tmp_path / "a.db") as arch:
        with arch.writing():  # FTS5 writes a segment per 4 KB of terms: a batch makes many
            for table in ("report_fts", "report_grams"):
                arch.conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', 4096)")
        for path in files[:12]:
            import_paths(arch, [str(path)])  # each import indexes its report
        assert _segments(arch, "report_fts") > 1
        arch.conn.execute("UPDATE search_state SET indexed_upto = 0")  # the 12 again, at once
        arch.conn.execute("INSERT INTO report_fts (report_fts) VALUES ('delete-all')")
        arch.conn.execute("INSERT INTO report_grams (report_grams) VALUES ('delete-all')")
        assert refresh_index(arch) == 12
        assert _segments(arch, "report_fts") == _segments(arch, "report_grams") == 1
        found = search(arch, "政府信息公开").count
        import_paths(arch, [str(files[12])])  # 1 of 13: left to FTS5
        assert _segments(arch, "report_fts") > 1
        assert search(arch, "政府信息公开").count == found + 1
        assert search(arch, "复议").count == arch.conn.execute(
            "SELECT count(*) FROM reports WHERE instr(text, '复议')").fetchone()[0]
