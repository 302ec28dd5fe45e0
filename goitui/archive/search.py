"""Full-text search over the text of every current report, for ``goi search`` and the browser.

Chinese has no spaces between words, so a term is any substring, found through one of two
indexes (migration 0013): terms of three or more characters through the FTS5 trigram index
(which reports hold each trigram: for a term of one trigram, exactly those that hold the
term; a longer one is confirmed in their text); shorter terms through an index of character
pairs. Both answer exactly what a scan of the text would (``instr``, case-insensitive as each
always was: the trigram tokenizer's folding, SQLite's ``lower()``). Reports archived since
the indexes were last brought up to date are scanned, and the result says how many.

The order: by bm25 as FTS5 computes it, over the terms held by fewer than half of the
indexed reports. A commoner term gets from FTS5 an idf of 1e-6, next to nothing, and is left
out: counting it would mean reading the text of most reports for an order it hardly moves;
a query of such terms only (or of 1–2 characters) comes by agency and year. That order is
SQL's, one page at a time; a bm25 order is computed once and kept, as is what every search
found (``_FOUND``), so that its next page costs a page.

The browser shows a page before its count (``search`` not ``counted``, then ``count``): in
that order by agency and year, the terms are confirmed report after report until the page
is full, where the count needs them confirmed in every report. To know that the order is
that one, each term longer than a trigram is confirmed until half of the indexed reports
are seen to hold it (``_common``), not in all of them.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any
from weakref import WeakKeyDictionary

from goitui.archive.grams import (
    can_overlap,
    fold_free,
    fts_fold,
    grams_query,
    occurrences,
    trigram_query,
    varint,
)
from goitui.archive.queries import STATUS_RANK_SQL, order_by
from goitui.archive.store import Archive
from goitui.errors import BadFilter
from goitui.i18n import N_, _, ngettext

FTS, SCAN = "fts", "scan"
MODE_TEXT = {
    FTS: N_("full-text index (FTS5 trigram), ranked"),
    SCAN: N_("index of character pairs (a term shorter than 3 characters), by agency and year"),
}
TRIGRAM = 3
RANK = "rank"
#: the orders of a search's results (``queries.order_by``): by relevance (bm25 for terms of 3+
#: characters; shorter ones have none and keep the archive's order), by agency, year or status
#: (worst first)
SEARCH_SORTS: dict[str, tuple[str, ...]] = {
    RANK: ("rank",),
    "agency": ("a.name",),
    "year": ("r.year",),
    "status": (STATUS_RANK_SQL,),
}
_SEARCH_TIEBREAK = ("a.name", "r.year", "r.id")
SNIPPET_CONTEXT = 16  # characters shown either side of the first match


class SearchError(BadFilter):
    """A query that cannot be run; the message says why."""


@dataclass
class Hit:
    """One matching report: where the first match is and a snippet around it.

    ``highlights`` are (start, end) offsets into ``snippet``; ``offset`` and ``line`` point at
    the first match in the report's text, so a viewer can open the report there.
    """

    report_id: int
    agency: str
    year: int
    template: str
    status: str
    matches: int
    offset: int
    line: int
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    mode: str
    #: matching reports (all of them, not only the hits returned); None: not counted yet
    #: (``search`` not ``counted``), and then there are more of them after these hits
    count: int | None
    hits: list[Hit]
    year: int | None = None
    agency: str | None = None
    limit: int = 50
    offset: int = 0
    unindexed: int = 0  # reports not in the index yet (an import is running), scanned instead

    @property
    def mode_text(self) -> str:
        if self.unindexed:
            return MODE_TEXT[self.mode] + "; " + (
                f"{self.unindexed} report not indexed yet was scanned" if self.unindexed == 1
                else f"{self.unindexed} reports not indexed yet were scanned")
        return MODE_TEXT[self.mode]

    @property
    def mode_shown(self) -> str:
        """Which search ran, in the active language (``mode_text`` stays English in JSON)."""
        if self.unindexed:
            return _(MODE_TEXT[self.mode]) + _("; ") + ngettext(
                "{n} report not indexed yet was scanned", "{n} reports not indexed yet were "
                "scanned", self.unindexed).format(n=self.unindexed)
        return _(MODE_TEXT[self.mode])

    @property
    def matches(self) -> int:
        """Occurrences of the terms in the hits returned."""
        return sum(h.matches for h in self.hits)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["mode_text"] = self.mode_text
        d["hits"] = [{**asdict(h), "highlights": [list(x) for x in h.highlights]}
                     for h in self.hits]
        return d


def terms_of(query: str) -> list[str]:
    """The terms of a query: separated by spaces, every one must occur."""
    return list(dict.fromkeys(t for t in query.split() if t))


def mode_for(terms: list[str]) -> str:
    return FTS if terms and all(len(t) >= TRIGRAM for t in terms) else SCAN


#: a refresh that indexes at least 1/OPTIMIZED_SHARE of the reports merges each index into
#: one segment: its cost, a pass over the index, is then at most a few times the batch's own
OPTIMIZED_SHARE = 4


def refresh_index(arch: Archive) -> int:
    """Index the reports archived since the last refresh, in one transaction; how many.

    Called by ``goi import`` at the end of a batch (under the write lock, waiting its turn);
    a search never calls it: it scans what is not indexed yet instead (``search``).
    Indexing in bulk costs a quarter of indexing report by report (migration 0003). Reports
    deleted or rewritten since they were indexed (``search_stale``) leave the pair index
    here, and whatever report has their id now is indexed again.

    A batch that is a quarter of the index or more (the first import of an archive, say) is
    merged into one segment (``optimize``, migration 0016 says why); smaller ones are left to
    FTS5's own merging, a little at each write.
    """
    with arch.writing():
        upto = indexed_upto(arch)
        top = arch.conn.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()[0]
        stale = _compact(arch) and bool(arch.conn.execute(
            "SELECT 1 FROM search_stale LIMIT 1").fetchone())
        if top <= upto and not stale:
            return 0
        again = "id > ?" + (" OR id IN (SELECT report_id FROM search_stale)" if stale else "")
        if stale:
            arch.conn.execute("INSERT INTO report_grams (report_grams, rowid, grams) "
                              "SELECT 'delete', report_id, goi_grams(text) FROM search_stale")
        cur = arch.conn.execute("INSERT INTO report_fts (rowid, text) SELECT id, text "
                                f"FROM reports WHERE {again} ORDER BY id", [upto])
        if _compact(arch):
            arch.conn.execute("INSERT INTO report_grams (rowid, grams) SELECT id, "
                              f"goi_grams(text) FROM reports WHERE {again} ORDER BY id", [upto])
        if stale:
            arch.conn.execute("DELETE FROM search_stale")
        arch.conn.execute("UPDATE search_state SET indexed_upto = ?", [max(top, upto)])
        if cur.rowcount * OPTIMIZED_SHARE >= top:
            for table in ("report_fts", "report_grams") if _compact(arch) else ("report_fts",):
                arch.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    return cur.rowcount


def index_written_again(arch: Archive, report_id: int) -> None:
    """A report written again under an id the index has passed (a removed report brought
    back: SQLite gives the next id, which may be the removed one's) goes into the index now,
    as ``refresh_index`` would not reach it. Call inside the write transaction.

    Where the removal left the id in ``search_stale`` (migration 0013), the pair index lets
    go of the removed text first, as ``refresh_index`` would."""
    if report_id > indexed_upto(arch):
        return
    if _compact(arch):
        stale = arch.conn.execute("SELECT text FROM search_stale WHERE report_id = ?",
                                  [report_id]).fetchone()
        if stale is None:
            return  # never indexed under this id, or indexed already
        arch.conn.execute("INSERT INTO report_grams (report_grams, rowid, grams) VALUES "
                          "('delete', ?, goi_grams(?))", [report_id, stale[0]])
        arch.conn.execute("DELETE FROM search_stale WHERE report_id = ?", [report_id])
        arch.conn.execute("INSERT INTO report_grams (rowid, grams) SELECT id, goi_grams(text) "
                          "FROM reports WHERE id = ?", [report_id])
    arch.conn.execute("INSERT INTO report_fts (rowid, text) SELECT id, text FROM reports "
                      "WHERE id = ?", [report_id])


def indexed_upto(arch: Archive) -> int:
    """Reports up to this id are in the full-text index (but those in ``search_stale``)."""
    return int(arch.conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0])


def _compact(arch: Archive) -> bool:
    """The archive has the pair index and ``search_stale`` (migration 0013); a read-only
    archive of an older goi has neither, and its short terms are found by scanning."""
    return "0013_compact_storage" not in arch.database.outdated


def search(arch: Archive, query: str, *, year: int | None = None, agency: str | None = None,
           limit: int = 50, offset: int = 0, sort: str = RANK, descending: bool = False,
           counted: bool = True) -> SearchResult:
    """Reports (current versions) whose text contains every term of ``query``.

    Reads only, in one snapshot: it never waits for an import nor writes the index. Reports
    archived since the index was last brought up to date (an import still running, or one
    that was stopped) are scanned with ``instr`` and ranked after the indexed ones, and the
    result says how many (``unindexed``), so that nothing is missed and nothing is hidden.

    Terms of three characters or more: the trigram index finds the reports that hold a
    term's trigrams, which for a term of one trigram are those that hold the term; a longer
    term is confirmed in their text (``_holders``). They are ranked by bm25 as FTS5 ranks
    them, over the terms that tell reports apart (``_ranked``). Shorter terms: the pair index
    finds exactly the reports whose lower-cased text holds them; a longer term beside them
    is checked in the text. ``sort`` is a key of ``SEARCH_SORTS``, applied to every match
    before the page is cut. What a search found is kept (``_FOUND``): its next page, another
    order of it or the same search again costs a page.

    Not ``counted`` (the browser, which counts in a second call, ``count``): where the page
    comes in SQL's order by agency and year, it is cut by confirming the terms in report
    after report in that order, without reading every match first (``_first``); the result's
    ``count`` is then None unless every match was read on the way.
    """
    terms = terms_of(query)
    if not terms:
        raise SearchError(_("empty query"))
    order_by(SEARCH_SORTS, _SEARCH_TIEBREAK, sort, descending)  # an unknown order: refused
    mode = mode_for(terms)
    # else its own writes may yet roll back (a read snapshot has none: the browser's reads)
    own_snapshot = not arch.conn.in_transaction or arch.database.in_read
    with arch.reading():
        # is_current = 1, not is_current: the partial indexes of current reports answer it
        where: list[str] = ["r.is_current = 1"]
        params: list[Any] = []
        if year is not None:
            where.append("r.year = ?")
            params.append(year)
        agency_id = arch.find_agency(agency)["id"] if agency else None
        if agency_id is not None:
            where.append("r.agency_id = ?")
            params.append(agency_id)
        ranked = mode == FTS and sort == RANK
        key = (arch.conn.execute("PRAGMA data_version").fetchone()[0],
               arch.conn.total_changes, tuple(terms), year, agency_id, ranked,
               ranked and descending)
        found = _kept(arch, key) if own_snapshot else None
        if found is None and own_snapshot and mode == FTS and not ranked:
            # the same reports in another order: those a ranked search found
            for other in (_kept(arch, (*key[:-2], True, flag)) for flag in (False, True)):
                if other is not None:
                    found = other if other.order is None else _Found(
                        other.count, other.unindexed, None,
                        "r.id IN (SELECT value FROM json_each(?))",
                        [json.dumps(sorted(other.order))])
                    break
        first = None
        if found is None and not counted:
            first = _first(arch, terms, where, params, sort, descending, limit, offset)
        count: int | None
        if first is not None:
            page, count = first
            unindexed = 0  # else the page is not cut first (``_first``)
        else:
            if found is None:
                found = _found(arch, terms, where, params, ranked, descending)
                if own_snapshot:
                    _keep(arch, key, found)
            if found.order is not None:
                page = found.order[offset:offset + limit] if limit >= 0 else found.order[offset:]
            else:
                page = _page(arch, found, where, params, sort, descending, limit, offset)
            count, unindexed = found.count, found.unindexed
        rows = {r["id"]: r for r in arch.q(
            "SELECT r.id, a.name AS agency, r.year, r.template, r.status, r.text FROM reports r "
            "JOIN agencies a ON a.id = r.agency_id WHERE r.id IN (SELECT value FROM "
            "json_each(?))", [json.dumps(page)])}
    hits = [_hit(rows[i], terms) for i in page]
    return SearchResult(query, terms, mode, count, hits, year, agency, limit, offset,
                        unindexed)


def count(arch: Archive, query: str, *, year: int | None = None,
          agency: str | None = None) -> SearchResult:
    """The count of a search whose page came first (``search`` not ``counted``): the same
    search, its every match read, in the order that costs least (by agency: bm25 needs
    every match counted in its text), with no page."""
    return search(arch, query, year=year, agency=agency, limit=0, sort="agency")


#: a page is cut by testing report after report in order (``_Found.probe``: its text read,
#: ~10 µs) where that is expected to read at most this many, else from the set of every match
PROBED = 500


def _page(arch: Archive, found: _Found, where: list[str], params: list[Any], sort: str,
          descending: bool, limit: int, offset: int) -> list[int]:
    """The ids of one page of an unranked search, in SQL's order: agencies by name from
    their index, each one's current reports by year, so that SQL stops at the page's end
    (when the order starts with the agency; by year or status every match is sorted)."""
    if found.rank == "0":  # no rank: left out, else SQL sorts every match by it
        order = order_by({**SEARCH_SORTS, RANK: ()}, _SEARCH_TIEBREAK, sort, descending)
    else:
        order = order_by(SEARCH_SORTS, _SEARCH_TIEBREAK, sort, descending)
    condition, condition_params = found.condition, found.params
    if (found.probe is not None and order.startswith("a.name") and 0 <= limit
            and (offset + limit) * found.scope <= PROBED * found.count):
        condition, condition_params = found.probe, found.probe_params
    return [i for i, _rank in arch.conn.execute(
        f"SELECT r.id, {found.rank} AS rank FROM agencies a CROSS JOIN reports r INDEXED BY "
        "reports_one_current WHERE r.agency_id = a.id AND " + " AND ".join(where)
        + f" AND ({condition}) ORDER BY {order} LIMIT ? OFFSET ?",
        [*found.rank_params, *params, *condition_params, limit, offset])]


def _first(arch: Archive, terms: list[str], where: list[str], params: list[Any], sort: str,
           descending: bool, limit: int, offset: int) -> tuple[list[int], int | None] | None:
    """The page of a search cut before its count (``search`` not ``counted``), and the count
    when every match was read on the way (else None: more matches follow the page); None
    where the page needs every match first, or costs next to nothing counted.

    A page comes first where it comes in SQL's order by agency and year: a search sorted by
    agency, or by relevance when no term tells reports apart (``_common``), of terms of three
    characters or more, one longer than a trigram at least (the index answers terms of one
    trigram at once, counted), every current report in the index (those not in it yet are
    ranked after the others), in an archive with ``search_stale`` (migration 0013)."""
    longer = [t for t in terms if len(t) > TRIGRAM]
    if (mode_for(terms) != FTS or not longer or limit < 0 or sort not in (RANK, "agency")
            or not _compact(arch)):
        return None
    upto = indexed_upto(arch)
    if any(arch.conn.execute(sql + "r.is_current = 1", [upto]).fetchone()[0]
           for sql in _UNINDEXED_COUNT):
        return None
    every = " AND ".join(trigram_query(t) for t in terms)
    if sort == RANK and not _common(arch, terms, longer, every):
        return None
    order = order_by({**SEARCH_SORTS, RANK: ()}, _SEARCH_TIEBREAK, sort, descending)
    column, folds, needles = _confirming(longer)
    page: list[int] = []
    seen = 0  # matches read
    for rid, text in arch.conn.execute(
            f"SELECT r.id, {column} FROM agencies a CROSS JOIN reports r INDEXED BY "
            "reports_one_current WHERE r.agency_id = a.id AND " + " AND ".join(where)
            + " AND r.id <= ? AND r.id NOT IN (SELECT report_id FROM search_stale) AND r.id IN "
            f"(SELECT rowid FROM report_fts WHERE report_fts MATCH ?) ORDER BY {order}",
            [*params, upto, every]):
        folded = fts_fold(text) if folds else text
        if not all(needle in (folded if in_folded else text) for needle, in_folded in needles):
            continue
        if seen == offset + limit:
            return page, None  # one match more than the page: there is a next page
        if seen >= offset:
            page.append(rid)
        seen += 1
    return page, seen


def _common(arch: Archive, terms: list[str], longer: list[str], every: str) -> bool:
    """Whether no term tells reports apart, as ``_confirmed`` decides it (each is held by
    half of the indexed reports or more), learned without counting them all: a term of one
    trigram is held by the reports the index finds for it, a longer one by at most those;
    then each of ``longer`` is confirmed in report after report that holds every term's
    trigrams (``every``) until half of the indexed reports are seen to hold it (where it is
    common, half of them are read, not all)."""
    rows, _tokens = _averages(arch)
    if any(_idf(rows, arch.conn.execute("SELECT count(*) FROM report_fts WHERE report_fts "
                                        "MATCH ?", [trigram_query(t)]).fetchone()[0]) > 0.0
           for t in terms):
        return False
    needed = (rows + 1) // 2  # 2 × held ≥ rows: an idf of at most 0
    if needed == 0:
        return True
    column, folds, needles = _confirming(longer)
    found = [0] * len(longer)
    below = len(longer)  # terms not seen in ``needed`` reports yet
    for (text,) in arch.conn.execute(
            f"SELECT {column} FROM report_fts f JOIN reports r ON r.id = f.rowid WHERE "
            "report_fts MATCH ?", [every]):
        folded = fts_fold(text) if folds else text
        for n, (needle, in_folded) in enumerate(needles):
            if needle in (folded if in_folded else text):
                found[n] += 1
                below -= found[n] == needed
        if not below:
            return True
    return False


def _confirming(terms: list[str]) -> tuple[str, bool, list[tuple[str | bytes, bool]]]:
    """How a report's text is read to confirm ``terms`` in it, each found as the index folds
    it: the SQL of ``r.text``, whether the text is folded (``fts_fold``) too, and for each
    term what is looked for and whether in the folded text. A term no folding touches
    (``fold_free``: Chinese, digits) is looked for in the text as stored, any other in the
    text folded. Where none needs folding, the text is read as its UTF-8 bytes: a third of
    the cost of decoding it, and Python's search of bytes runs several times faster than
    SQLite's ``instr`` (a byte at a time)."""
    if all(fold_free(t) for t in terms):
        return "CAST(r.text AS BLOB)", False, [(t.encode(), False) for t in terms]
    return "r.text", True, [(t, False) if fold_free(t) else (fts_fold(t), True) for t in terms]


@dataclass
class _Found:
    """What a search found, kept for its next pages: every match's id in order (a ranked
    search), or else the SQL condition that selects the matches among the current reports
    under the filters (and what ranks the reports not indexed yet after the others)."""

    count: int
    unindexed: int
    order: list[int] | None = None
    condition: str = ""
    params: list[Any] = field(default_factory=list)
    rank: str = "0"
    rank_params: list[Any] = field(default_factory=list)
    probe: str | None = None  # the condition as a test of each report read (None: none)
    probe_params: list[Any] = field(default_factory=list)
    scope: int = 0  # the most reports a page may test: every report indexed or not yet


#: the last searches of each archive (newest last), by what they depend on: the archive's
#: state (``PRAGMA data_version`` for other processes' commits, ``total_changes`` for this
#: connection's own), the terms, the filters and, for a ranked search, its direction
_FOUND: WeakKeyDictionary[Any, OrderedDict[tuple[Any, ...], _Found]] = WeakKeyDictionary()
FOUND_KEPT = 8
_FOUND_LOCK = threading.Lock()  # the browser searches from worker threads


def _kept(arch: Archive, key: tuple[Any, ...]) -> _Found | None:
    with _FOUND_LOCK:
        kept = _FOUND.get(arch.database)
        found = kept.get(key) if kept is not None else None
        if kept is not None and found is not None:
            kept.move_to_end(key)
        return found


def _keep(arch: Archive, key: tuple[Any, ...], found: _Found) -> None:
    with _FOUND_LOCK:
        kept = _FOUND.setdefault(arch.database, OrderedDict())
        kept[key] = found
        while len(kept) > FOUND_KEPT:
            kept.popitem(last=False)


def _found(arch: Archive, terms: list[str], where: list[str], params: list[Any],
           ranked: bool, descending: bool) -> _Found:
    """Every match of ``terms`` among the current reports under ``where``: counted, and in
    order when ``ranked`` needs bm25 (an order SQL cannot give: it is computed here). Call
    inside a read."""
    upto = indexed_upto(arch)
    compact = _compact(arch)
    scan = ["instr(lower(r.text), lower(?)) > 0" for _t in terms]
    # not indexed: archived since the last refresh, or deleted and its id used again
    # (two queries: an OR of the two would read every report)
    unindexed_ids = sorted({i for sql in _UNINDEXED[:1 + compact] for (i,) in
                            arch.conn.execute(sql + " AND ".join(where + scan),
                                              [upto, *params, *terms])})
    unindexed = sum(arch.conn.execute(sql + "r.is_current = 1", [upto]).fetchone()[0]
                    for sql in _UNINDEXED_COUNT[:1 + compact])
    # the matches as a set (built once a query) and, where the terms need no folding but
    # SQLite's, as a test of each report read in order: a page of a common term reads few
    # (``_page``), an index would give them all first
    conditions = ["r.id <= ?"]
    condition_params: list[Any] = [upto]
    if compact:
        conditions.append("r.id NOT IN (SELECT report_id FROM search_stale)")
    probe: list[str] = list(conditions)
    probe_params = list(condition_params)
    probing = True
    count: int | None = None
    filtered = len(where) > 1
    if mode_for(terms) == FTS:
        every = " AND ".join(trigram_query(t) for t in terms)
        single = [t for t in terms if len(t) == TRIGRAM]
        if single:
            conditions.append("r.id IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)")
            condition_params.append(" AND ".join(trigram_query(t) for t in single))
        confirmed, informative = _confirmed(arch, terms, where, params, ranked)
        if confirmed is not None:
            conditions.append("r.id IN (SELECT value FROM json_each(?))")
            condition_params.append(json.dumps(sorted(confirmed)))
            count = len(confirmed)  # read among the current reports under the filters
        if ranked and informative:
            # read from the reports found (the confirmed ones, or the index's), one by one:
            # a scan of every current report, each looked up in their set, costs more
            source, source_params = (
                ("json_each(?) j CROSS JOIN reports r ON r.id = j.value", [json.dumps(
                    sorted(confirmed))]) if confirmed is not None else
                ("(SELECT rowid FROM report_fts WHERE report_fts MATCH ?) j CROSS JOIN "
                 "reports r ON r.id = j.rowid", [every]))
            return _ranked(arch, informative, source, source_params, where, params,
                           " AND ".join(conditions), condition_params, unindexed_ids,
                           unindexed, descending)
        # found where the folded text has it (any other needs the index's folding)
        probing = all(fold_free(t) for t in terms)
        probe += ["instr(CAST(r.text AS BLOB), CAST(? AS BLOB)) > 0" for _t in terms]
        probe_params += terms
        if count is None and not filtered:
            # the index holds every indexed report (no other): those not current are few
            count = arch.conn.execute(
                "SELECT count(*) FROM report_fts WHERE report_fts MATCH ?", [every]
            ).fetchone()[0] - arch.conn.execute(
                "SELECT count(*) FROM reports r WHERE r.is_current = 0 AND r.id IN (SELECT "
                "rowid FROM report_fts WHERE report_fts MATCH ?)", [every]).fetchone()[0]
    else:
        short = [t for t in terms if len(t) < TRIGRAM]
        longer = [t for t in terms if len(t) >= TRIGRAM]
        if compact:
            grams = grams_query(short)
            conditions.append("r.id IN (SELECT rowid FROM report_grams WHERE report_grams "
                              "MATCH ?)")
            condition_params.append(grams)
            conditions += ["instr(lower(r.text), lower(?)) > 0" for _t in longer]
            condition_params += longer
            probe += scan  # what the pair index answers for the reports it holds
            probe_params += terms
            if not filtered and not longer:
                # the pair index holds every indexed report, and until the next refresh
                # the reports removed since (search_stale); those not current are few
                count = arch.conn.execute(
                    "SELECT count(*) FROM report_grams WHERE report_grams MATCH ?", [grams]
                ).fetchone()[0] - arch.conn.execute(
                    "SELECT count(*) FROM reports r WHERE r.is_current = 0 AND r.id IN (SELECT "
                    "rowid FROM report_grams WHERE report_grams MATCH ?) AND r.id NOT IN "
                    "(SELECT report_id FROM search_stale)", [grams]).fetchone()[0]
                if arch.conn.execute("SELECT 1 FROM search_stale LIMIT 1").fetchone():
                    count -= arch.conn.execute(
                        "SELECT count(*) FROM search_stale WHERE report_id IN (SELECT rowid "
                        "FROM report_grams WHERE report_grams MATCH ?)", [grams]).fetchone()[0]
        else:
            conditions += scan
            condition_params += terms
            probing = False  # the conditions are a test of each report already
    condition = " AND ".join(conditions)
    if count is None:
        count = arch.conn.execute(
            "SELECT count(*) FROM reports r WHERE " + " AND ".join(where) + f" AND {condition}",
            [*params, *condition_params]).fetchone()[0]
    found = _Found(count + len(unindexed_ids), unindexed, None, condition, condition_params)
    if probing:
        found.probe, found.probe_params = " AND ".join(probe), probe_params
        found.scope = _averages(arch)[0] + len(unindexed_ids)
    if unindexed_ids:
        anew = "r.id IN (SELECT value FROM json_each(?))"
        found.condition = f"({condition}) OR {anew}"
        found.params = [*condition_params, json.dumps(unindexed_ids)]
        if found.probe is not None:
            found.probe = f"({found.probe}) OR {anew}"
            found.probe_params = [*found.probe_params, json.dumps(unindexed_ids)]
        if mode_for(terms) == FTS:  # after the indexed ones
            found.rank = anew
            found.rank_params = [json.dumps(unindexed_ids)]
    return found


#: (NOT INDEXED: by id, the few reports past the index; an index of current reports would
#: have every report read)
_UNINDEXED = ("SELECT r.id FROM reports r NOT INDEXED WHERE r.id > ? AND ",
              "SELECT r.id FROM reports r NOT INDEXED WHERE r.id IN (SELECT report_id FROM "
              "search_stale) AND ? IS NOT NULL AND ")
_UNINDEXED_COUNT = tuple(sql.replace("r.id FROM", "count(*) FROM") for sql in _UNINDEXED)
#: FTS5's bm25 constants (fts5_aux.c)
BM25_K1, BM25_B = 1.2, 0.75


def _idf(rows: int, held: int) -> float:
    """FTS5's idf of a term held by ``held`` of the ``rows`` indexed reports, before FTS5
    floors it at 1e-6 (a term held by half of them or more: it tells reports apart no
    better than any word)."""
    return math.log((rows - held + 0.5) / (held + 0.5))


def _confirmed(arch: Archive, terms: list[str], where: list[str], params: list[Any],
               ranked: bool) -> tuple[set[int] | None, list[tuple[str, float, dict[int, int]]]]:
    """The indexed reports that hold every term longer than a trigram (None: there is none;
    a term of one trigram is held by exactly the reports the index finds), and, when
    ``ranked``, the terms that tell reports apart with their idf (``_ranked``) and their
    counts where they were counted on the way.

    The index gives for each term the reports that hold its trigrams: at least as many as
    hold the term. A longer term found that way in fewer than half of the indexed reports
    tells them apart: read in each, counted there (``_holders``). The others are confirmed
    in one reading of the current reports under ``where`` that hold the trigrams of every
    term; one found there in half of the indexed reports or more is held that often and
    tells nothing apart, else it is read in every report of its own (``_holders``) to learn
    how often exactly."""
    rows, _tokens = _averages(arch)
    indexed = {term: arch.conn.execute("SELECT count(*) FROM report_fts WHERE report_fts "
                                       "MATCH ?", [trigram_query(term)]).fetchone()[0]
               for term in terms}
    held = {term: indexed[term] for term in terms if len(term) == TRIGRAM}
    counted: dict[str, dict[int, int]] = {}
    confirmed: set[int] | None = None
    longer = [t for t in terms if len(t) > TRIGRAM]
    rare = [t for t in longer if ranked and _idf(rows, indexed[t]) > 0.0]
    for term in rare:
        holders, counted[term] = _holders(arch, term, counting=True)
        held[term] = len(holders)
        confirmed = holders if confirmed is None else confirmed & holders
    common = [t for t in longer if t not in rare]
    if common:
        together, found = _together(arch, terms, common, where, params)
        confirmed = together if confirmed is None else confirmed & together
        for term in common:
            if ranked and 2 * found[term] < rows:  # may tell reports apart: learn how much
                holders, counted[term] = _holders(arch, term, counting=True)
                held[term] = len(holders)
    informative = [(t, _idf(rows, held[t]), counted.get(t, {})) for t in terms
                   if t in held and _idf(rows, held[t]) > 0.0]
    return confirmed, informative


def _together(arch: Archive, terms: list[str], common: list[str], where: list[str],
              params: list[Any]) -> tuple[set[int], dict[str, int]]:
    """The current reports under ``where`` that hold every term: those the index finds
    holding the trigrams of all, each term of ``common`` confirmed in their text (folded as
    the index folds it); and in how many of them each of ``common`` was found."""
    column, folds, needles = _confirming(common)
    found = dict.fromkeys(common, 0)
    together = set()
    for rid, text in arch.conn.execute(
            "SELECT f.rowid, CASE WHEN " + " AND ".join(where) + f" THEN {column} END FROM "
            "report_fts f JOIN reports r ON r.id = f.rowid WHERE report_fts MATCH ?",
            [*params, " AND ".join(trigram_query(t) for t in terms)]):
        if text is None:
            continue  # not current, or not under the filters: its text is not read
        folded = fts_fold(text) if folds else text
        every = True
        for term, (needle, in_folded) in zip(common, needles):
            if needle in (folded if in_folded else text):
                found[term] += 1
            else:
                every = False
        if every:
            together.add(rid)
    return together, found


def _holders(arch: Archive, term: str, counting: bool) -> tuple[set[int], dict[int, int]]:
    """The indexed reports (current or not) that hold ``term``, a term longer than a
    trigram: those that the trigram index finds, confirmed in their text folded as the index
    folds it (``fts_fold``); and when ``counting``, how often it occurs in each.

    A term that no folding touches (``fold_free``: Chinese, digits) occurs in the folded
    text exactly where it occurs in the text, and is looked for in the text's UTF-8 as
    stored: reading it as bytes costs a third of decoding it, and Python's search of bytes
    runs several times faster than SQLite's ``instr`` (a byte at a time)."""
    plain = fold_free(term)
    needle: str | bytes = term.encode() if plain else fts_fold(term)
    overlapping = can_overlap(term)
    counted = {}
    for rid, text in arch.conn.execute(
            "SELECT f.rowid, " + ("CAST(r.text AS BLOB)" if plain else "r.text")
            + " FROM report_fts f JOIN reports r ON r.id = f.rowid WHERE report_fts MATCH ?",
            [trigram_query(term)]):
        if not plain:
            text = fts_fold(text)
        if counting:
            n = occurrences(text, needle, overlapping)
            if n:
                counted[rid] = n
        elif needle in text:
            counted[rid] = 1
    return set(counted), counted if counting else {}


def _ranked(arch: Archive, informative: list[tuple[str, float, dict[int, int]]], source: str,
            source_params: list[Any], where: list[str], params: list[Any], condition: str,
            condition_params: list[Any], unindexed_ids: list[int], unindexed: int,
            descending: bool) -> _Found:
    """The matches (the reports of ``source``, named ``r``, current, under ``where``, that
    ``condition`` selects) ranked by bm25, FTS5's own operation for operation (fts5_aux.c,
    fts5Bm25Function), over the terms that tell reports apart (``informative``, with their
    idf): a term held by half of the indexed reports or more has an idf of at most 0, which
    FTS5 floors at 1e-6 so that it weighs next to nothing, and goi leaves it out (its count
    would cost reading the text of most reports for an order it hardly moves). Each
    informative term is counted in the text of every match, folded as the index folds it
    (``_counts``; overlapping occurrences, as a phrase of trigrams matches at every position
    it starts), against the report's length in trigrams (FTS5's own record of it,
    ``report_fts_docsize``) and the average length. Equal scores, then the reports not
    indexed yet, by agency, year and id."""
    rows, tokens = _averages(arch)
    average = tokens / rows if rows else 0.0
    matches = arch.conn.execute(
        f"SELECT r.id, r.agency_id, r.year, d.sz FROM {source} LEFT JOIN report_fts_docsize "
        "d ON d.id = r.id WHERE " + " AND ".join(where) + f" AND {condition}",
        [*source_params, *params, *condition_params]).fetchall()
    counts = _counts(arch, [(t, c) for t, _idf, c in informative], [m[0] for m in matches])
    scored = []
    for rid, agency_id, year, size in matches:
        length = _length(size)
        score = 0.0
        for (_term, idf, _counted), found in zip(informative, counts):
            freq = float(found[rid])
            score += idf * ((freq * (BM25_K1 + 1.0)) / (
                freq + BM25_K1 * (1 - BM25_B + BM25_B * length / average)))
        scored.append((-1.0 * score, agency_id, year, rid))
    scored += [(math.inf, agency_id, year, rid) for rid, agency_id, year in arch.conn.execute(
        "SELECT id, agency_id, year FROM reports WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(unindexed_ids)])]
    names = dict(arch.conn.execute(
        "SELECT id, name FROM agencies WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted({m[1] for m in scored}))]))
    scored.sort(key=lambda m: (names[m[1]], m[2], m[3]))
    scored.sort(key=itemgetter(0), reverse=descending)
    return _Found(len(scored), unindexed, [m[3] for m in scored])


def _counts(arch: Archive, terms: list[tuple[str, dict[int, int]]],
            ids: list[int]) -> list[dict[int, int]]:
    """Each term's count in each report of ``ids``, in its text folded as the index folds
    it (overlapping occurrences counted), unless it was counted on the way already. A term
    no folding touches (Chinese, digits) is counted in the text's UTF-8 as stored: reading
    it as bytes, unfolded, costs a third of decoding and folding it."""
    wanted = [(term, found) for term, found in terms if not found]
    if wanted and ids:
        plain = all(fold_free(term) for term, _found in wanted)
        needles = [(term.encode() if plain else fts_fold(term), can_overlap(term), found)
                   for term, found in wanted]
        for rid, text in arch.conn.execute(
                "SELECT id, " + ("CAST(text AS BLOB)" if plain else "text") + " FROM reports "
                "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]):
            if not plain:
                text = fts_fold(text)
            for needle, overlapping, found in needles:
                found[rid] = occurrences(text, needle, overlapping)
    return [found for _term, found in terms]


def _length(size: bytes | None) -> int:
    """A report's length in trigrams, from its row of ``report_fts_docsize`` (a varint: one
    or two bytes for a report shorter than 16,386 characters, read here without a call)."""
    if not size:
        return 0
    if size[0] < 0x80:
        return size[0]
    if len(size) > 1 and size[1] < 0x80:
        return ((size[0] & 0x7F) << 7) | size[1]
    return varint(size)[0]


def _averages(arch: Archive) -> tuple[int, int]:
    """How many reports the trigram index holds and their trigrams in all: FTS5's own
    record of them (the row of ``report_fts_data`` with id 1), which bm25 divides."""
    row = arch.conn.execute("SELECT block FROM report_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0
    rows, at = varint(row[0])
    tokens, _at = varint(row[0], at)
    return rows, tokens


def pattern(terms: list[str]) -> re.Pattern[str]:
    """Every term, case-insensitive as the trigram index is; longest first."""
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)),
                      re.IGNORECASE)


def _hit(row: dict[str, Any], terms: list[str]) -> Hit:
    text: str = row["text"]
    pat = pattern(terms)
    found = list(pat.finditer(text))
    first = found[0].start() if found else 0
    start = max(0, first - SNIPPET_CONTEXT)
    end = min(len(text), first + SNIPPET_CONTEXT * 2)
    prefix = "…" if start > 0 else ""
    body = text[start:end].replace("\n", " ")
    snippet = prefix + body + ("…" if end < len(text) else "")
    highlights = [(m.start() + len(prefix), m.end() + len(prefix)) for m in pat.finditer(body)]
    return Hit(row["id"], row["agency"], row["year"], row["template"], row["status"],
               len(found), first, text.count("\n", 0, first) + 1, snippet, highlights)
