"""Full-text search over the text of every current report, for ``goi search`` and the browser.

Chinese has no spaces between words, so a term is any substring, found through one of two
indexes (migration 0013): terms of three or more characters through the FTS5 trigram index
(which reports hold each trigram), every report it finds read to confirm and count the term,
ranked by bm25 as FTS5 ranks; shorter terms through an index of character pairs, by agency
and year. Both answer exactly what a scan of the text would (``instr``, case-insensitive as
each always was: the trigram tokenizer's folding, SQLite's ``lower()``). Reports archived since
the indexes were last brought up to date are scanned, and the result says how many.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field
from typing import Any

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
    RANK: ("m.rank",),
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
    count: int  # matching reports (all of them, not only the hits returned)
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


def refresh_index(arch: Archive) -> int:
    """Index the reports archived since the last refresh, in one transaction; how many.

    Called by ``goi import`` at the end of a batch (under the write lock, waiting its turn);
    a search never calls it: it scans what is not indexed yet instead (``search``).
    Indexing in bulk costs a quarter of indexing report by report (migration 0003). Reports
    deleted or rewritten since they were indexed (``search_stale``) leave the pair index
    here, and whatever report has their id now is indexed again.
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
           limit: int = 50, offset: int = 0, sort: str = RANK,
           descending: bool = False) -> SearchResult:
    """Reports (current versions) whose text contains every term of ``query``.

    Reads only, in one snapshot: it never waits for an import nor writes the index. Reports
    archived since the index was last brought up to date (an import still running, or one
    that was stopped) are scanned with ``instr`` and ranked after the indexed ones, and the
    result says how many (``unindexed``), so that nothing is missed and nothing is hidden.

    Terms of three characters or more: the reports the trigram index finds are read, each
    term counted in their text folded as the index folds it, and ranked by bm25 exactly as
    FTS5 ranks them (``_ranked``). Shorter terms: the pair index finds exactly the reports
    whose lower-cased text holds them; a longer term beside them is checked in the text.
    ``sort`` is a key of ``SEARCH_SORTS``, applied to every match before the page is cut.
    """
    terms = terms_of(query)
    if not terms:
        raise SearchError(_("empty query"))
    mode = mode_for(terms)
    with arch.reading():
        upto = indexed_upto(arch)
        compact = _compact(arch)
        # is_current = 1, not is_current: the partial index of current reports answers it
        where: list[str] = ["r.is_current = 1"]
        params: list[Any] = []
        if year is not None:
            where.append("r.year = ?")
            params.append(year)
        if agency:
            where.append("r.agency_id = ?")
            params.append(arch.find_agency(agency)["id"])
        scan = ["instr(lower(r.text), lower(?)) > 0" for _t in terms]
        # not indexed: archived since the last refresh, or deleted and its id used again
        # (two queries: an OR of the two would read every report)
        unindexed_ids = sorted({i for sql in _UNINDEXED[:1 + compact] for (i,) in
                                arch.conn.execute(sql + " AND ".join(where + scan),
                                                  [upto, *params, *terms])})
        order = order_by(SEARCH_SORTS, _SEARCH_TIEBREAK, sort, descending)
        if mode == FTS:
            # bm25 as a dense rank (equal scores equal), the reports not indexed yet after
            ranked = sorted(_ranked(arch, terms, where, params, upto, compact))
            dense: dict[float, int] = {}
            pairs = [[i, dense.setdefault(score, len(dense))] for score, i in ranked]
            pairs += [[i, len(dense)] for i in unindexed_ids]
            source = ("SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') "
                      "AS rank FROM json_each(?)")
            source_params: list[Any] = [json.dumps(pairs)]
        else:
            short = [t for t in terms if len(t) < TRIGRAM]
            longer = [t for t in terms if len(t) >= TRIGRAM]
            if compact:
                # the current reports from their partial index, each looked up in the set the
                # pair index gives: reading each report's row to test it costs a page a report
                indexed = (
                    "SELECT r.id, 0 AS rank FROM reports r INDEXED BY reports_one_current WHERE "
                    + " AND ".join(where + ["instr(lower(r.text), lower(?)) > 0"
                                            for _t in longer])
                    + " AND r.id <= ? AND r.id IN (SELECT rowid FROM report_grams WHERE "
                    "report_grams MATCH ?) AND r.id NOT IN (SELECT report_id FROM search_stale)")
                indexed_params = [*params, *longer, upto, grams_query(short)]
            else:
                indexed = ("SELECT r.id, 0 AS rank FROM reports r WHERE r.id <= ? AND "
                           + " AND ".join(where + scan))
                indexed_params = [upto, *params, *terms]
            source = f"{indexed} UNION ALL SELECT value, 0 FROM json_each(?)"
            source_params = [*indexed_params, json.dumps(unindexed_ids)]
        count = arch.conn.execute(f"SELECT count(*) FROM ({source})", source_params).fetchone()[0]
        rows = arch.q(
            f"SELECT r.id, a.name AS agency, r.year, r.template, r.status, r.text "
            f"FROM ({source}) m JOIN reports r ON r.id = m.id "
            f"JOIN agencies a ON a.id = r.agency_id ORDER BY {order} LIMIT ? OFFSET ?",
            [*source_params, limit, offset])
        unindexed = sum(arch.conn.execute(sql + "r.is_current = 1", [upto]).fetchone()[0]
                        for sql in _UNINDEXED_COUNT[:1 + compact])
    hits = [_hit(r, terms) for r in rows]
    return SearchResult(query, terms, mode, count, hits, year, agency, limit, offset,
                        unindexed)


_UNINDEXED = ("SELECT r.id FROM reports r WHERE r.id > ? AND ",
              "SELECT r.id FROM reports r WHERE r.id IN (SELECT report_id FROM search_stale) "
              "AND ? IS NOT NULL AND ")
_UNINDEXED_COUNT = tuple(sql.replace("r.id FROM", "count(*) FROM") for sql in _UNINDEXED)
#: FTS5's bm25 constants (fts5_aux.c)
BM25_K1, BM25_B = 1.2, 0.75


def _ranked(arch: Archive, terms: list[str], where: list[str], params: list[Any], upto: int,
            compact: bool) -> list[tuple[float, int]]:
    """(bm25 rank, id) of the indexed reports under ``where`` that hold every term.

    The trigram index (``detail=none``) gives the reports that hold a term's trigrams; each
    is read and the term counted in its text folded as the index folds it (``fts_fold``):
    overlapping occurrences, as a phrase of trigrams matches at every position it starts.
    bm25 is then FTS5's own, operation for operation (fts5_aux.c, fts5Bm25Function): for
    each term, its idf over every indexed report (current or not) that holds it, and its
    count in the report against the report's length in trigrams (FTS5's own record of it,
    ``report_fts_docsize``) and the average length.
    """
    rows, tokens = _averages(arch)
    average = tokens / rows if rows else 0.0
    stale = " AND r.id NOT IN (SELECT report_id FROM search_stale)" if compact else ""
    counts: list[dict[int, int]] = []
    length: dict[int, int] = {}
    wanted: set[int] | None = None
    for term in terms:
        # a term no folding touches (Chinese, digits) is counted in the text's UTF-8 as
        # stored: reading it as bytes, unfolded, costs a third of decoding and folding it
        plain = fold_free(term)
        needle, folded = term.encode(), fts_fold(term)
        overlapping = can_overlap(term)
        found: dict[int, int] = {}
        chosen: set[int] = set()
        for rid, text, size, keep in arch.conn.execute(
                "SELECT r.id, " + ("CAST(r.text AS BLOB)" if plain else "r.text")
                + ", d.sz, " + " AND ".join(where) + " FROM report_fts f JOIN reports r "
                "ON r.id = f.rowid LEFT JOIN report_fts_docsize d ON d.id = r.id "
                "WHERE report_fts MATCH ? AND r.id <= ?" + stale,
                [*params, trigram_query(term), upto]):
            n = (occurrences(text, needle, overlapping) if plain
                 else occurrences(fts_fold(text), folded, overlapping))
            if n:
                found[rid] = n
                if keep and (wanted is None or rid in wanted):
                    chosen.add(rid)
                    length[rid] = varint(size)[0] if size else 0
        counts.append(found)
        wanted = chosen
    idf = []
    for found in counts:
        value = math.log((rows - len(found) + 0.5) / (len(found) + 0.5))
        idf.append(value if value > 0.0 else 1e-6)
    ranked = []
    for rid in wanted or ():
        score = 0.0
        for weight, found in zip(idf, counts):
            freq = float(found[rid])
            score += weight * ((freq * (BM25_K1 + 1.0)) / (
                freq + BM25_K1 * (1 - BM25_B + BM25_B * length[rid] / average)))
        ranked.append((-1.0 * score, rid))
    return ranked


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
