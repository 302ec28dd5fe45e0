"""Migration 0013: what repeated is stored once, and nothing is lost or found differently.

An archive made with the schema before (``archive_before``) is upgraded in place and reads
the same, figure for figure, section for section; the search indexes it now has find exactly
what the text holds, ranked exactly as the index with positions ranked it.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

from archive_before import archive_before
from conftest import SEEDS, parse_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goitui.archive.grams import fts_fold, sql_lower
from goitui.archive.search import FTS, SCAN, refresh_index, search
from goitui.archive.store import Archive
from goitui.model import Report, Section

TABLES = {
    "figures": "SELECT * FROM figures ORDER BY report_id, key",
    "sections": "SELECT * FROM sections ORDER BY report_id, num",
    "reports": "SELECT id, agency_id, year, text, status FROM reports ORDER BY id",
    "findings": "SELECT * FROM findings ORDER BY id",
    "reviews": "SELECT * FROM reviews ORDER BY fingerprint",
}


def odd_reports() -> list[Report]:
    """Reports with the cells and sections the compact layout stores differently: a raw
    text that is not the value as printed, a source that is not a line, no label, an OCR
    mark, a unit, and a section body that is not a stretch of the text."""
    a = parse_text(SEEDS[0].read_text(encoding="utf-8"), name="a.txt")
    b = parse_text(SEEDS[1].read_text(encoding="utf-8"), name="b.txt")
    keys = list(a.figures)
    a.figures[keys[0]] = dataclasses.replace(a.figures[keys[0]], raw="1,024", value=1024)
    a.figures[keys[1]] = dataclasses.replace(a.figures[keys[1]], source="page 3 table 2 row 4",
                                             label="", confidence=0.62, box="1,2,30,40")
    a.figures[keys[2]] = dataclasses.replace(a.figures[keys[2]], value=2.5, raw="2.5",
                                             unit="万元", line=None, source="")
    a.figures[keys[3]] = dataclasses.replace(a.figures[keys[3]], value=7, raw="07")
    num = min(b.sections)
    b.sections[num] = Section(num, b.sections[num].title, "两行\n合为一段，不在原文中", 3, 4)
    b.sections[99] = Section(99, "空", "", None, None)
    return [a, b]


def snapshot(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        con.close()


def test_an_archive_of_the_schema_before_is_upgraded_with_nothing_lost(tmp_path: Path) -> None:
    reports = [parse_text(p.read_text(encoding="utf-8"), name=p.name) for p in SEEDS[:6]]
    reports += odd_reports()
    db = tmp_path / "old.db"
    ids = archive_before(db, "0012", reports)
    con = sqlite3.connect(db)
    row = con.execute("SELECT f.report_id, r.agency_id, r.year, f.fingerprint, f.rule "
                      "FROM findings f JOIN reports r ON r.id = f.report_id LIMIT 1").fetchone()
    con.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, 'dismissed', 'checked', 't')", row[1:])
    con.commit()
    con.close()
    before = snapshot(db)
    with Archive(db) as arch:
        loaded = [arch.load(rid) for rid in ids]
        tables = {r["name"]: r["type"] for r in arch.q("SELECT name, type FROM sqlite_master")}
    assert tables["figures"] == tables["sections"] == "view"
    after = snapshot(db)
    for name in TABLES:
        assert after[name] == before[name], name
    for report, back in zip(reports, loaded):
        assert back.figures == report.figures
        assert back.sections == report.sections
        assert back.text == report.text
        assert [(f.rule, f.message, f.keys, f.expected, f.actual, f.words)
                for f in back.findings] == [(f.rule, f.message, f.keys, f.expected, f.actual,
                                             f.words) for f in report.findings]
    assert any(f.review == "dismissed" for back in loaded for f in back.findings)


def test_a_report_written_today_reads_back_the_same(tmp_path: Path) -> None:
    from goitui.pipeline import store_report

    reports = odd_reports()
    with Archive(tmp_path / "a.db") as arch:
        ids = [store_report(arch, r, path=f"{n}.txt", sha=str(n) * 64, size=1).report_id
               for n, r in enumerate(reports)]
        for report, rid in zip(reports, ids):
            back = arch.load(rid)
            assert back.figures == report.figures
            assert back.sections == report.sections
        stored = arch.q("SELECT count(*) AS n FROM figure_cells WHERE raw IS NULL AND "
                        "source IS NULL")[0]["n"]
        assert stored > 300  # most cells: the value as printed, on a line of their own


# ------------------------------------------------------------------ search

#: characters whose folding differs between Python, SQLite's lower() and the trigram
#: tokenizer, a few Chinese characters and ASCII, so that terms often recur
ALPHABET = "政府信息公开申请aAbBzZ1 ,\nİıſsSΣσςKkＡａßẞ𐐀𐐨"
texts = st.text(alphabet=ALPHABET + "政府信息公开", max_size=60)
terms = st.text(alphabet=ALPHABET.replace(" ", "").replace("\n", ""), min_size=1, max_size=4)


def reference(arch: Archive, query_terms: list[str]) -> list[int]:
    """The search with a trigram index with positions: FTS5's bm25 over the terms held by
    fewer than half of the indexed reports (the others, which FTS5 weighs 1e-6, left out),
    then agency, year and id; or a scan with instr(lower()) by agency and year."""
    if all(len(t) >= 3 for t in query_terms):
        phrases = ['"' + t.replace('"', '""') + '"' for t in query_terms]
        rows = arch.conn.execute("SELECT count(*) FROM reference_fts").fetchone()[0]
        informative = [p for p in phrases if 2 * arch.conn.execute(
            "SELECT count(*) FROM reference_fts WHERE reference_fts MATCH ?",
            [p]).fetchone()[0] < rows]
        every = ("r.id IN (SELECT rowid FROM reference_fts WHERE reference_fts MATCH ?) AND "
                 "r.is_current")
        if not informative:
            return [i for (i,) in arch.conn.execute(
                "SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE "
                f"{every} ORDER BY a.name, r.year, r.id", [" AND ".join(phrases)])]
        return [i for (i,) in arch.conn.execute(
            "SELECT r.id FROM reference_fts JOIN reports r ON r.id = reference_fts.rowid "
            "JOIN agencies a ON a.id = r.agency_id WHERE reference_fts MATCH ? AND "
            f"{every} ORDER BY reference_fts.rank, a.name, r.year, r.id",
            [" AND ".join(informative), " AND ".join(phrases)])]
    scan = " AND ".join("instr(lower(r.text), lower(?)) > 0" for _t in query_terms)
    return [i for (i,) in arch.conn.execute(
        "SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.is_current "
        f"AND {scan} ORDER BY a.name, r.year, r.id", query_terms)]


def store_texts(arch: Archive, bodies: list[str], first: int = 0) -> None:
    with arch.transaction():
        for n, body in enumerate(bodies, first):
            report = Report(agency=f"机关{n % 3}", year=2019 + n, template="2021", text=body)
            joined = arch.file_report(report)
            arch.write_report(report, path=f"{n}.txt", sha=f"{n:064d}", size=1, joined=joined)


@st.composite
def term_of(draw: st.DrawFn, bodies: list[str]) -> str:
    """A term: a stretch of one of the texts (so that it is found), or any."""
    body = draw(st.sampled_from(bodies))
    words = [w for w in body.split() if w]
    if words and draw(st.booleans()):
        word = draw(st.sampled_from(words))
        start = draw(st.integers(0, max(0, len(word) - 3)))
        return word[start:start + draw(st.integers(1, 6))]
    return draw(terms)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), bodies=st.lists(texts, min_size=1, max_size=6),
       indexed=st.integers(min_value=0, max_value=6))
def test_search_finds_and_ranks_as_before(data: st.DataObject, bodies: list[str],
                                          indexed: int) -> None:
    """Every term length, folded characters, reports indexed or not yet: the same reports,
    the same count, the same order as the index with positions and the scan."""
    query = data.draw(st.lists(term_of(bodies), min_size=1, max_size=2))
    with Archive(":memory:") as arch:
        arch.conn.execute("CREATE VIRTUAL TABLE reference_fts USING fts5(text, content = "
                          "'reports', content_rowid = 'id', tokenize = 'trigram')")
        store_texts(arch, bodies[:indexed])
        refresh_index(arch)
        store_texts(arch, bodies[indexed:], first=indexed)
        arch.conn.execute("INSERT INTO reference_fts (rowid, text) SELECT id, text FROM "
                          "reports WHERE id <= (SELECT indexed_upto FROM search_state)")
        query = list(dict.fromkeys(query))
        got = search(arch, " ".join(query), limit=100)
        unindexed = [i for (i,) in arch.conn.execute(
            "SELECT id FROM reports WHERE id > (SELECT indexed_upto FROM search_state) ORDER "
            "BY id")]
        want = reference(arch, query)
        if got.mode == FTS:  # reports not indexed yet are scanned, and come last
            scanned = reference_scan(arch, query, unindexed)
            want = [i for i in want if i not in unindexed] + scanned
        assert [h.report_id for h in got.hits] == want
        assert got.count == len(want)
        assert got.mode == (FTS if all(len(t) >= 3 for t in query) else SCAN)


def reference_scan(arch: Archive, query_terms: list[str], ids: list[int]) -> list[int]:
    """The reports of ``ids`` that hold every term, by agency and year."""
    scan = " AND ".join("instr(lower(r.text), lower(?)) > 0" for _t in query_terms)
    return [i for (i,) in arch.conn.execute(
        "SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.is_current "
        f"AND r.id IN (SELECT value FROM json_each(?)) AND {scan} ORDER BY a.name, r.year, r.id",
        [json.dumps(ids), *query_terms])]


def test_foldings_are_sqlites_own() -> None:
    assert sql_lower("ÄBC İ Σ") == "Äbc İ Σ"  # lower() of an SQLite without ICU: ASCII only
    assert fts_fold("ÄBC İ ſ 𐐀 Ａ") == "äbc İ s 𐐨 ａ"


def test_a_report_deleted_and_its_id_used_again_is_found_by_its_own_text(tmp_path: Path) -> None:
    with Archive(tmp_path / "a.db") as arch:
        store_texts(arch, ["第一份报告说到甲乙", "第二份报告说到丙丁"])
        refresh_index(arch)
        newest = max(h.report_id for h in search(arch, "报告").hits)
        with arch.writing():
            arch.conn.execute("DELETE FROM reports WHERE id = ?", [newest])
        store_texts(arch, ["第三份报告说到戊己"], first=2)
        assert search(arch, "丙丁").count == 0 and search(arch, "丙").count == 0
        assert search(arch, "戊己").count == 1 and search(arch, "说到戊己").count == 1
        refresh_index(arch)
        assert search(arch, "丙丁").count == 0 and search(arch, "丙").count == 0
        assert search(arch, "戊己").count == 1 and search(arch, "说到戊己").count == 1
        assert arch.q("SELECT count(*) AS n FROM search_stale")[0]["n"] == 0
        arch.conn.execute("INSERT INTO report_fts (report_fts, rank) VALUES "
                          "('integrity-check', 1)")  # raises if the index lost its content


def test_a_removed_report_brought_back_under_its_id_is_indexed_once(tmp_path: Path) -> None:
    from goitui.archive.search import index_written_again

    with Archive(tmp_path / "a.db") as arch:
        store_texts(arch, ["甲报告说到公开", "乙报告说到申请"])
        refresh_index(arch)
        with arch.writing():
            arch.conn.execute("DELETE FROM reports WHERE id = 2")
        store_texts(arch, ["乙报告说到申请"], first=1)
        with arch.writing():
            index_written_again(arch, 2)
        assert search(arch, "申请").unindexed == 0 and search(arch, "说到申请").unindexed == 0
        assert [h.report_id for h in search(arch, "申").hits] == [2]
        refresh_index(arch)
        assert [h.report_id for h in search(arch, "说到申请").hits] == [2]
        arch.conn.execute("INSERT INTO report_fts (report_fts, rank) VALUES "
                          "('integrity-check', 1)")


def test_a_capital_sigma_folds_as_the_index_folds_it() -> None:
    """Python lowers Σ at a word's end to ς (final sigma); the trigram tokenizer always to σ.
    A term ending in Σ must still find the text where Σ goes on."""
    assert fts_fold("ΚΑΛΟΣ") == "καλοσ" and fts_fold("22BΣ") == "22bσ"
    with Archive(":memory:") as arch:
        store_texts(arch, ["", "编号22BΣB号"])
        refresh_index(arch)
        assert [hit.report_id for hit in search(arch, "22BΣ", limit=10).hits] == [2]
