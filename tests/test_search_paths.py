"""goi search's ways to an answer give the answer of the text: a term of one trigram from the
index alone, a longer one confirmed in the text, a common one (held by half of the reports
or more) left out of the rank, a search kept for its next page; every order, filter, page
and version."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_archive_compact import reference, reference_scan

import goitui.archive.search as searching
from goitui.archive.search import FTS, SEARCH_SORTS, refresh_index, search
from goitui.archive.store import Archive
from goitui.model import Report

#: words that recur (so that a term is held by some reports and not others, and counted
#: more in some), Latin letters the index folds, and a word holding another's trigrams
WORDS = ["行政复议", "复议机关", "政府公开", "公开", "复议", "Ab", "ſs", "12", "议行政", " ", "\n"]


def store(arch: Archive, bodies: list[tuple[int, int, str]], first: int = 0) -> None:
    """Reports of three agencies over two years: the same agency and year again is a newer
    version, and the older one stops being current."""
    with arch.transaction():
        for n, (agency, year, body) in enumerate(bodies, first):
            report = Report(agency=f"机构{agency}", year=2020 + year, template="2021", text=body)
            joined = arch.file_report(report)
            arch.write_report(report, path=f"{n}.txt", sha=f"{n:064d}", size=1, joined=joined)


bodies_strategy = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1),
                                     st.lists(st.sampled_from(WORDS), max_size=10).map(
                                         "".join)), min_size=1, max_size=8)
term_strategy = st.one_of(st.sampled_from([w for w in WORDS if w.strip()]),
                          st.sampled_from(["行政复", "政复议", "复议机", "AB", "ss", "议行政复",
                                           "政府公开", "公开复议", "ſsA"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=bodies_strategy, indexed=st.integers(0, 8), removed=st.sets(st.integers(1, 8)),
       query=st.lists(term_strategy, min_size=1, max_size=2, unique=True),
       year=st.sampled_from([None, 2020, 2021]), agency=st.sampled_from([None, "机构1"]),
       sort=st.sampled_from(sorted(SEARCH_SORTS)), descending=st.booleans(),
       limit=st.integers(1, 3), probed=st.sampled_from([0, 500]))
def test_every_path_answers_as_the_reference(bodies: list[tuple[int, int, str]],
                                              indexed: int, removed: set[int],
                                              query: list[str], year: int | None,
                                              agency: str | None, sort: str, descending: bool,
                                              limit: int, probed: int) -> None:
    """The reports, count and order of a search with positions (bm25 over the terms held by
    fewer than half of the indexed reports) or of a scan, under a year or agency filter and
    every order, page by page (a page cut from the set of matches, or by testing report after
    report), with reports removed after they were indexed and their ids used again."""
    with Archive(":memory:") as arch:
        arch.conn.execute("CREATE VIRTUAL TABLE reference_fts USING fts5(text, content = "
                          "'reports', content_rowid = 'id', tokenize = 'trigram')")
        store(arch, bodies[:indexed])
        refresh_index(arch)
        with arch.transaction():
            arch.conn.execute("DELETE FROM reports WHERE id IN (SELECT value FROM json_each(?))",
                              [json.dumps(sorted(removed))])
        store(arch, bodies[indexed:], first=indexed)
        in_index = ("SELECT id FROM reports WHERE id <= (SELECT indexed_upto FROM search_state) "
                    "AND id NOT IN (SELECT report_id FROM search_stale)")
        arch.conn.execute(f"INSERT INTO reference_fts (rowid, text) SELECT id, text FROM "
                          f"reports WHERE id IN ({in_index})")
        unindexed = [i for (i,) in arch.conn.execute(
            f"SELECT id FROM reports WHERE id NOT IN ({in_index}) ORDER BY id")]
        kept = searching.PROBED
        searching.PROBED = probed
        try:
            if agency is None or arch.q("SELECT 1 FROM agencies WHERE name = ?", [agency]):
                answers_as_the_reference(arch, query, unindexed, year, agency, sort,
                                         descending, limit)
        finally:
            searching.PROBED = kept


def answers_as_the_reference(arch: Archive, query: list[str], unindexed: list[int],
                             year: int | None, agency: str | None, sort: str, descending: bool,
                             limit: int) -> None:
    ranked = search(arch, " ".join(query), year=year, agency=agency, limit=100)
    want = reference(arch, query)
    if ranked.mode == FTS:  # reports not indexed yet are scanned, and come last
        want = [i for i in want if i not in unindexed] + reference_scan(arch, query, unindexed)
    years = dict(arch.conn.execute("SELECT id, year FROM reports"))
    names = dict(arch.conn.execute(
        "SELECT r.id, a.name FROM reports r JOIN agencies a ON a.id = r.agency_id"))
    want = [i for i in want if year in (None, years[i]) and agency in (None, names[i])]
    assert [h.report_id for h in ranked.hits] == want and ranked.count == len(want)
    whole = search(arch, " ".join(query), year=year, agency=agency, limit=100, sort=sort,
                   descending=descending)
    got = [h.report_id for h in whole.hits]
    assert whole.count == len(got) and sorted(got) == sorted(want)
    if sort != "rank":
        key = {"agency": names, "year": years, "status": dict.fromkeys(years, 2)}[sort]
        ordered = sorted(want, key=lambda i: (names[i], years[i], i))
        assert got == sorted(ordered, key=key.__getitem__, reverse=descending)
    paged = [h.report_id for offset in range(0, len(got) + 1, limit) for h in search(
        arch, " ".join(query), year=year, agency=agency, limit=limit, offset=offset,
        sort=sort, descending=descending).hits]
    assert paged == got
    assert first_pages(arch, " ".join(query), year=year, agency=agency, limit=limit,
                       sort=sort, descending=descending) == got


def first_pages(arch: Archive, query: str, *, year: int | None = None,
                agency: str | None = None, limit: int, sort: str = "rank",
                descending: bool = False) -> list[int]:
    """Every page of a search as the browser asks for them, before their count (the kept
    searches forgotten, as each page is read on a connection of its own): each not counted
    has a next page, each counted has the count of a counted search; and the count asked
    for afterwards is that count."""
    total = search(arch, query, year=year, agency=agency, limit=0).count
    got: list[int] = []
    for offset in range(0, (total or 0) + limit + 1, limit):
        searching._FOUND.clear()
        page = search(arch, query, year=year, agency=agency, limit=limit, offset=offset,
                      sort=sort, descending=descending, counted=False)
        got += [h.report_id for h in page.hits]
        assert page.count == total or (page.count is None and offset + limit < total)
    searching._FOUND.clear()
    assert searching.count(arch, query, year=year, agency=agency).count == total
    return got


def test_a_common_term_ranks_by_agency_and_year_a_rarer_one_by_its_count(tmp_path: Path
                                                                          ) -> None:
    """A term in every report tells none apart (FTS5's idf is at most 0): agency and year
    order them, as a short term's results. One in fewer than half of them ranks where it
    occurs most often against the report's length."""
    with Archive(tmp_path / "a.db") as arch:
        store(arch, [(0, 0, "年度报告 复议机关 一次"), (1, 0, "年度报告 复议机关复议机关复议机关"),
                     (2, 0, "年度报告 其他"), (2, 1, "年度报告 其他"), (1, 1, "年度报告 其他")])
        refresh_index(arch)
        assert [h.agency for h in search(arch, "年度报告").hits] == [
            "机构0", "机构1", "机构1", "机构2", "机构2"]
        assert [h.report_id for h in search(arch, "复议机关").hits] == [2, 1]
        assert [h.report_id for h in search(arch, "年度报告 复议机关").hits] == [2, 1]
        assert [h.matches for h in search(arch, "复议机关").hits] == [3, 1]


def test_a_kept_search_gives_its_next_page_and_follows_every_change(tmp_path: Path) -> None:
    """The next page comes from what the search found, not from another search; a change
    committed here or by another process, and a change rolled back, are seen."""
    db = tmp_path / "a.db"
    with Archive(db) as arch:
        store(arch, [(n % 3, n % 2, f"年度报告 第{n}份") for n in range(6)])
        refresh_index(arch)
        calls = []
        found = searching._found

        def counted(*args: object, **kwargs: object) -> searching._Found:
            calls.append(args)
            return found(*args, **kwargs)  # type: ignore[arg-type]

        searching._found = counted  # type: ignore[assignment]
        try:
            first = search(arch, "年度报告", limit=2)
            second = search(arch, "年度报告", limit=2, offset=2)
            assert len(calls) == 1 and first.count == second.count == 6
            by_year = search(arch, "年度报告", sort="year", descending=True)
            assert [h.year for h in by_year.hits] == [2021] * 3 + [2020] * 3
            rare = search(arch, "第5份")  # ranked (bm25), then by year from what it found
            assert search(arch, "第5份", sort="year").count == rare.count == 1
            assert len(calls) == 2
            assert {h.report_id for h in first.hits}.isdisjoint(h.report_id for h in second.hits)
            with arch.transaction():  # this connection
                arch.conn.execute("DELETE FROM reports WHERE id = ?", [first.hits[0].report_id])
            assert search(arch, "年度报告", limit=2).count == 5
            other = sqlite3.connect(db)  # another process
            other.execute("DELETE FROM reports WHERE id = ?", [first.hits[1].report_id])
            other.commit()
            other.close()
            assert search(arch, "年度报告", limit=2).count == 4
            arch.conn.execute("BEGIN IMMEDIATE")  # a write that will not stay
            arch.conn.execute("DELETE FROM reports WHERE id = ?", [second.hits[0].report_id])
            assert search(arch, "年度报告", limit=2).count == 3
            arch.conn.execute("ROLLBACK")
            assert search(arch, "年度报告", limit=2).count == 4
        finally:
            searching._found = found  # type: ignore[assignment]


#: bodies where the longer terms are common (held by half of the reports or more) as often
#: as not, so that the page comes first (``search._first``) or, a term being rarer, counted
common_bodies = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.lists(
    st.sampled_from(["行政复议", "复议机关", "议行政", "政府公开", "公开", " ", "Ab", "ſs"]),
    min_size=1, max_size=6).map("".join)), min_size=1, max_size=10)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=common_bodies, removed=st.sets(st.integers(1, 10), max_size=2),
       query=st.lists(st.sampled_from(["行政复议", "复议机关", "议行政复", "政府公开", "议行政",
                                       "行政复", "ſsab", "AbAb"]), min_size=1, max_size=2,
                      unique=True),
       year=st.sampled_from([None, 2020, 2021]), agency=st.sampled_from([None, "机构1"]),
       sort=st.sampled_from(["rank", "agency"]), descending=st.booleans(),
       limit=st.integers(1, 3))
def test_a_page_before_its_count_is_the_page_of_the_counted_search(
        bodies: list[tuple[int, int, str]], removed: set[int], query: list[str],
        year: int | None, agency: str | None, sort: str, descending: bool,
        limit: int) -> None:
    """The browser's pages, each cut before the search is counted (by agency and year,
    confirming the terms report after report), are the counted search's pages: every
    filter, order and page, terms in most reports or fewer, folded or not, with older
    versions and reports removed after they were indexed."""
    with Archive(":memory:") as arch:
        store(arch, bodies)
        refresh_index(arch)
        with arch.transaction():
            arch.conn.execute("DELETE FROM reports WHERE id IN (SELECT value FROM json_each(?))",
                              [json.dumps(sorted(removed))])
        if agency is not None and not arch.q("SELECT 1 FROM agencies WHERE name = ?",
                                             [agency]):
            return
        text = " ".join(query)
        whole = search(arch, text, year=year, agency=agency, limit=100, sort=sort,
                       descending=descending)
        assert first_pages(arch, text, year=year, agency=agency, limit=limit, sort=sort,
                           descending=descending) == [h.report_id for h in whole.hits]


def test_a_page_comes_first_where_every_term_is_common_or_the_order_is_by_agency(
        tmp_path: Path) -> None:
    """A term in most reports: the page by agency and year, confirmed in a few texts, not
    counted. A rarer one is ranked by its count in each (every match read): counted, unless
    the order is by agency. A term of one trigram is counted by the index at once."""
    with Archive(tmp_path / "a.db") as arch:
        store(arch, [(n % 3, n % 2, "年度报告 复议机关" + "复议" * (n % 4)) for n in range(9)])
        refresh_index(arch)
        first = search(arch, "年度报告", limit=2, counted=False)
        assert first.count is None and [h.agency for h in first.hits] == ["机构0", "机构0"]
        # nine reports, six current (three are older versions)
        assert search(arch, "复议复议", limit=2, counted=False).count == 3
        searching._FOUND.clear()  # else the ranked search kept gives it, counted
        assert search(arch, "复议复议", limit=2, counted=False, sort="agency").count is None
        assert search(arch, "年度报", limit=2, counted=False).count == 6
        assert searching.count(arch, "年度报告 复议机关").count == 6


def test_pages_cut_first_give_the_results_of_generated_archives(tmp_path: Path) -> None:
    """Reports as the generator writes them (every report has the template's words, each
    agency its name), of several seeds: the browser's pages before their count are those of
    the counted search, for common words, rare ones, the two mixed, filters and orders."""
    from goitui.testing.generate import corpus_plan, render

    for seed in (1, 2, 3):
        with Archive(tmp_path / f"{seed}.db") as arch:
            plan = corpus_plan(8, seed=seed)
            with arch.transaction():
                for n, e in enumerate(plan):
                    report = Report(agency=e.agency, year=e.year, template=e.template,
                                    text=render(e.figures, e.template, e.layout,
                                                agency=e.agency, year=e.year,
                                                rng=random.Random(n)))
                    joined = arch.file_report(report)
                    arch.write_report(report, path=f"{n}.txt", sha=f"{seed}{n:063d}", size=1,
                                      joined=joined)
            refresh_index(arch)
            agency, year = plan[0].agency, plan[0].year
            for text in ("政府信息公开", "主动公开 行政复议", agency, f"政府信息公开 {agency}",
                         "信息公开 年度报告"):
                for filters in ({}, {"year": year}, {"agency": agency}):
                    for sort, descending in (("rank", False), ("agency", True)):
                        whole = search(arch, text, limit=100, sort=sort, descending=descending,
                                       **filters)  # type: ignore[arg-type]
                        assert first_pages(arch, text, limit=3, sort=sort,
                                           descending=descending,
                                           **filters) == [h.report_id for h in whole.hits]
