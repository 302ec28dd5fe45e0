"""Full-text search over the text of every current report, for ``goi search`` and the browser.

Chinese has no spaces between words, so the index is SQLite FTS5 with the trigram tokenizer
(migrations/0002_search.sql): any substring of three or more characters, ranked by bm25.
A term of one or two characters cannot be looked up in a trigram index; then every report's
text is scanned with ``instr`` on the base table (``LIKE`` on the FTS table is wrong in
SQLite 3.40). The result says which mode ran, so that a slow or unranked answer is explained.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from goitui.archive.queries import STATUS_RANK_SQL, order_by
from goitui.archive.store import Archive
from goitui.errors import BadFilter
from goitui.i18n import N_, _, ngettext

FTS, SCAN = "fts", "scan"
MODE_TEXT = {
    FTS: N_("full-text index (FTS5 trigram), ranked"),
    SCAN: N_("text scan (a term shorter than 3 characters), in archive order"),
}
TRIGRAM = 3
RANK = "rank"
#: the orders of a search's results (``queries.order_by``): by relevance (bm25 in the index; a
#: scan has none and keeps the archive's order), by agency, year or status (worst first)
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
            return _(MODE_TEXT[self.mode]) + "; " + ngettext(
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


def _fts_query(terms: list[str]) -> str:
    """Each term as an FTS5 string (a literal substring), all of them required."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def refresh_index(arch: Archive) -> int:
    """Index the reports archived since the last refresh, in one transaction; how many.

    Called by ``goi import`` at the end of a batch (under the write lock, waiting its turn);
    a search never calls it: it scans what is not indexed yet instead (``search``).
    Indexing in bulk costs a quarter of indexing report by report (migration 0003).
    """
    with arch.writing():
        upto = indexed_upto(arch)
        top = arch.conn.execute("SELECT coalesce(max(id), 0) FROM reports").fetchone()[0]
        if top <= upto:
            return 0
        cur = arch.conn.execute("INSERT INTO report_fts (rowid, text) SELECT id, text "
                                "FROM reports WHERE id > ? ORDER BY id", [upto])
        arch.conn.execute("UPDATE search_state SET indexed_upto = ?", [top])
    return cur.rowcount


def index_written_again(arch: Archive, report_id: int) -> None:
    """A report written again under an id the index has passed (a removed report brought
    back: SQLite gives the next id, which may be the removed one's) goes into the index now,
    as ``refresh_index`` would not reach it. Call inside the write transaction."""
    if report_id <= indexed_upto(arch):
        arch.conn.execute("INSERT INTO report_fts (rowid, text) SELECT id, text FROM reports "
                          "WHERE id = ?", [report_id])


def indexed_upto(arch: Archive) -> int:
    """Reports up to this id are in the full-text index."""
    return int(arch.conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0])


def search(arch: Archive, query: str, *, year: int | None = None, agency: str | None = None,
           limit: int = 50, offset: int = 0, sort: str = RANK,
           descending: bool = False) -> SearchResult:
    """Reports (current versions) whose text contains every term of ``query``.

    Reads only, in one snapshot: it never waits for an import nor writes the index. Reports
    archived since the index was last brought up to date (an import still running, or one
    that was stopped) are scanned with ``instr`` and ranked after the indexed ones, and the
    result says how many (``unindexed``), so that nothing is missed and nothing is hidden.
    ``sort`` is a key of ``SEARCH_SORTS``, applied to every match before the page is cut.
    """
    terms = terms_of(query)
    if not terms:
        raise SearchError(_("empty query"))
    mode = mode_for(terms)
    with arch.reading():
        upto = indexed_upto(arch)
        where: list[str] = ["r.is_current = 1"]
        params: list[Any] = []
        if year is not None:
            where.append("r.year = ?")
            params.append(year)
        if agency:
            where.append("r.agency_id = ?")
            params.append(arch.find_agency(agency)["id"])
        scan = ["instr(lower(r.text), lower(?)) > 0" for _t in terms]
        if mode == FTS:
            source = (
                "SELECT r.id, report_fts.rank AS rank FROM report_fts JOIN reports r "
                "ON r.id = report_fts.rowid WHERE report_fts MATCH ? AND "
                + " AND ".join(where)
                + " UNION ALL SELECT r.id, 1e300 AS rank FROM reports r WHERE r.id > ? AND "
                + " AND ".join(where + scan))
            source_params = [_fts_query(terms), *params, upto, *params, *terms]
        else:
            source = "SELECT r.id, 0 AS rank FROM reports r WHERE " + " AND ".join(where + scan)
            source_params = [*params, *terms]
        order = order_by(SEARCH_SORTS, _SEARCH_TIEBREAK, sort, descending)
        count = arch.conn.execute(f"SELECT count(*) FROM ({source})", source_params).fetchone()[0]
        rows = arch.q(
            f"SELECT r.id, a.name AS agency, r.year, r.template, r.status, r.text "
            f"FROM ({source}) m JOIN reports r ON r.id = m.id "
            f"JOIN agencies a ON a.id = r.agency_id ORDER BY {order} LIMIT ? OFFSET ?",
            [*source_params, limit, offset])
        unindexed = arch.conn.execute(
            "SELECT count(*) FROM reports WHERE id > ? AND is_current = 1", [upto]).fetchone()[0]
    hits = [_hit(r, terms) for r in rows]
    return SearchResult(query, terms, mode, count, hits, year, agency, limit, offset,
                        unindexed if mode == FTS else 0)


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
