"""The SQLite archive: reports keyed by agency and year, every version kept.

A plain SQLite file (sqlite3 and datasette open it); its schema is made only by the SQL files
in ``migrations/``. Every write of a report happens in one transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from goitui import labels
from goitui import names as agency_names
from goitui.archive.database import Database, Migration
from goitui.archive.grams import grams_document
from goitui.archive.history import record
from goitui.errors import Ambiguous, ArchiveProblem, NotFound, Refused
from goitui.i18n import Phrase, _, listing
from goitui.model import (
    ERROR,
    INFO,
    REVIEW_NAMES,
    WARNING,
    Figure,
    Finding,
    Report,
    Section,
    status_of,
)
from goitui.text import FOLDED_HAN

if TYPE_CHECKING:
    import sqlite_utils


def default_path() -> Path:
    """``$GOI_DB``, else the per-user data directory (platformdirs)."""
    env = os.environ.get("GOI_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("goi", appauthor=False) / "archive.db"


def migrations_dir() -> Path:
    """The SQL migrations: inside the installed package, or ``migrations/`` in a checkout."""
    here = Path(__file__).resolve().parents[1]  # the goitui package
    for cand in (here / "_migrations", here.parent / "migrations"):
        if cand.is_dir():
            return cand
    raise ArchiveProblem(_("the migrations folder is missing from this installation"))


def _migrations() -> list[Migration]:
    """(name, apply) for every SQL file of ``migrations/``, in order."""
    steps: list[Migration] = []
    for path in sorted(migrations_dir().glob("*.sql")):
        sql = path.read_text(encoding="utf-8")

        def step(conn: sqlite3.Connection, sql: str = sql) -> None:
            for stmt in _statements(sql):
                conn.execute(stmt)

        steps.append((path.stem, step))
    return steps


def _statements(sql: str) -> Iterator[str]:
    """Split a script into statements (``executescript`` would commit mid-transaction)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip()
                               for ln in buf.splitlines()):
        yield buf


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _key_order() -> dict[str, int]:
    """Every figure key in the order the tables print them, rows of either template."""
    proactive = labels.PROACTIVE_2019 + labels.PROACTIVE_2021
    row_order = {k: i for i, k in enumerate(dict.fromkeys(r.key for r in proactive))}
    rows = sorted(proactive, key=lambda r: row_order[r.key])
    keys = [k for r in (*rows, *labels.APPLICATIONS, *labels.REVIEWS) for k in r.keys()]
    return {k: i for i, k in enumerate(dict.fromkeys(keys))}


_KEY_ORDER = _key_order()
#: SQL functions the schema calls (migrations 0013 and 0015, the search refresh): on every
#: connection
FUNCTIONS: dict[str, Callable[[Any], Any]] = {"goi_grams": grams_document,
                                             "goi_core": agency_names.core}
_FIGURE_COLUMNS = 10
_CHUNK = 99  # 990 parameters: within SQLite's limit of 999 before 3.32
_INT64 = range(-(2**63), 2**63)
#: the tables of text stored once (migration 0013): figure row column → (table, its column)
_NAMES = {"key": ("figure_keys", "key"), "label": ("figure_labels", "label"),
          "kind": ("figure_kinds", "kind")}


@lru_cache(maxsize=_CHUNK)
def _figure_insert(n: int) -> str:
    """An INSERT of ``n`` figure rows (NULL where no unit: binding None is slower than '')."""
    return ("INSERT INTO figure_cells (report_id, key_id, value, kind_id, raw, unit, line, "
            "source, label_id, score) VALUES " + ", ".join(
                ["(?, ?, ?, ?, ?, nullif(?, ''), ?, ?, ?, ?)"] * n))


def stored_raw(value: Any, raw: str) -> str | None:
    """A cell's raw text as stored: NULL where it is the integer value as SQLite prints it
    (the view ``figures`` and ``_load`` put it back), else as printed."""
    return None if type(value) is int and value in _INT64 and raw == str(value) else raw


def stored_source(line: int | None, source: str) -> str | None:
    """A cell's source as stored: NULL where it is ``line N`` of its own line."""
    return None if line is not None and source == f"line {line}" else source


def section_span(text: str, body: str, after: int) -> tuple[int, int] | None:
    """Where a section's body stands in the report's text (character offsets), looked for
    from ``after`` (the previous section's end) and then from the start; None when the body
    is not a stretch of the text (page-wrapped lines joined)."""
    start = text.find(body, after)
    if start < 0:
        start = text.find(body)
    return None if start < 0 else (start, start + len(body))


#: more cores put than this between two questions are sorted in at once, fewer inserted
PENDING_SORTED = 64


@dataclass
class NameIndex:
    """Agency names in memory while a batch is imported, growing in place as it adds names.

    A new name may join the names whose core ends with its own, or that its own ends with
    (``names.candidates``, joins are by a region in front): the first are a range of
    ``endings`` (every core once, written backwards, sorted), the second the endings of its
    core looked up in ``by_core``. So a name is compared with those names only, not with
    every name that ends in the same words (…县教育局, …街道: thousands in a national
    archive). Near candidates come from ``similar``."""

    owners: list[tuple[str, int]] = field(default_factory=list)  # (name, agency id)
    similar: agency_names.NearIndex = field(default_factory=agency_names.NearIndex)
    pos: dict[str, int] = field(default_factory=dict)  # name → position
    by_core: dict[str, list[int]] = field(default_factory=dict)  # core → positions
    endings: list[str] = field(default_factory=list)  # every core once, backwards, sorted
    _pending: list[str] = field(default_factory=list)  # cores put since, backwards

    @property
    def cores(self) -> list[str]:
        """agencies.core(name) of every name, at the names' positions."""
        return self.similar.cores

    def put(self, name: str, agency_id: int, core: str) -> None:
        i = self.pos.setdefault(name, len(self.owners))
        if i == len(self.owners):
            self.owners.append((name, agency_id))
            self.similar.add(core)
            held = self.by_core.setdefault(core, [])
            if not held:
                self._pending.append(core[::-1])  # filed when next asked: a load adds thousands
            held.append(i)
        else:
            self.owners[i] = (name, agency_id)  # same name, same core

    def candidates(self, name: str) -> list[int]:
        """Positions of the names a new name may join: ``names.candidates(name, cores)``'s,
        sorted, found by looking up its core's endings instead of asking every name."""
        wanted = agency_names.core(name)
        if len(wanted) < 3:
            return []
        self._file_pending()
        backwards, found = wanted[::-1], set()
        at = bisect_left(self.endings, backwards)
        while at < len(self.endings) and self.endings[at].startswith(backwards):
            found.update(self.by_core[self.endings[at][::-1]])  # cores ending with it
            at += 1
        for start in range(1, len(wanted)):  # cores it ends with (itself came above)
            found.update(self.by_core.get(wanted[start:], ()))
        return sorted(found)

    def _file_pending(self) -> None:
        """The cores put since the last question into ``endings``: a few (an import's new
        agency) each inserted in place, a load sorted once. Sorting for one new core would
        compare every core again (10 ms at 100,000 names, for each new agency)."""
        if len(self._pending) > PENDING_SORTED:
            self.endings.extend(self._pending)
            self.endings.sort()
        else:
            for ending in self._pending:
                insort(self.endings, ending)
        self._pending.clear()


@dataclass
class Stored:
    report_id: int
    agency_id: int
    agency: str
    version: int
    status: str
    joined: str  # how the agency was found: new | existing | alias; with a note
    counts: dict[str, int]  # unreviewed findings by severity
    existing: bool = False  # the same bytes were archived meanwhile (by another process)


class Archive:
    """An archive file: reports, agencies, findings, reviews, history.

    ``create``: a missing or empty file becomes an archive (``goi import`` only). ``write``:
    opened read-write; a read-only archive (``write=False``) cannot be changed even by mistake
    and may be a read-only file or directory. See ``archive.database`` for what opening checks.
    """

    def __init__(self, path: Path | str, *, create: bool = True, write: bool = True):
        self.path = Path(path)
        self.database = Database(path, _migrations(), create=create, write=write,
                                 functions=FUNCTIONS)
        self.database.on_foreign_change = self._forget
        self.conn = self.database.conn
        self._name_cache: NameIndex | None = None
        self._recent: OrderedDict[int, Report] = OrderedDict()
        self._ids: dict[str, dict[str, int]] = {}  # figure keys, labels, kinds → their ids

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The archive's connection as a ``sqlite_utils.Database`` (its table helpers), made
        when first asked for: importing sqlite-utils imports numpy when numpy is installed
        (for its column types), a tenth of a second that no command of goi needs to start."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction that takes the write lock before it reads (see ``database``)."""
        return self.database.writing()

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """Several reads in one snapshot."""
        return self.database.reading()

    @classmethod
    def open(cls, path: Path | str | None = None) -> Archive:
        return cls(path if path is not None else default_path())

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def q(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    # ------------------------------------------------------------ agencies

    def _names(self) -> NameIndex:
        """Every name with its agency and core, kept in memory while importing a batch."""
        if self._name_cache is None:
            index = NameIndex()
            for name, agency_id, core in self.conn.execute(
                    "SELECT name, agency_id, core FROM agency_names ORDER BY agency_id"):
                index.put(name, agency_id, core)
            self._name_cache = index
        return self._name_cache

    def agency_for_import(self, name: str) -> tuple[int, str]:
        """The agency a printed name belongs to; a new agency when no match is unambiguous."""
        row = self.conn.execute("SELECT agency_id FROM agency_names WHERE name = ?",
                                [name]).fetchone()
        if row:
            return row[0], "existing"
        index = self._names()
        owners = index.owners
        matches = {owners[i][1] for i in index.candidates(name)
                   if agency_names.same_agency(name, owners[i][0])}
        if len(matches) == 1:
            agency_id = matches.pop()
            self._add_alias(agency_id, name)
            return agency_id, Phrase("joined {agency} as a new name",
                                     agency=self._canonical(agency_id))
        note: Phrase | None
        if matches:
            note = Phrase("matches several agencies: {agencies}", agencies="、".join(
                sorted({self._canonical(a) for a in matches})))
        else:
            near = sorted({self._canonical(owners[i][1]) for i in index.similar.near(name)})
            note = Phrase("near: {agencies}", agencies="、".join(near)) if near else None
        cur = self.conn.execute("INSERT INTO agencies (name, note, created_at) VALUES (?, ?, ?)",
                                [name, str.__str__(note) if note else None, now()])
        agency_id = int(cur.lastrowid or 0)
        self._add_alias(agency_id, name)
        return agency_id, (Phrase("new agency ({note})", note=note) if note
                           else Phrase("new agency"))

    def _canonical(self, agency_id: int) -> str:
        return self.conn.execute("SELECT name FROM agencies WHERE id = ?",
                                 [agency_id]).fetchone()[0]

    def _add_alias(self, agency_id: int, name: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO agency_names (name, agency_id, core) "
                          "VALUES (?, ?, ?)", [name, agency_id, agency_names.core(name)])
        if self._name_cache is not None:
            self._name_cache.put(name, agency_id, agency_names.core(name))

    def find_agency(self, query: str) -> dict[str, Any]:
        """An agency by any of its names or an unambiguous part of one.

        The name itself, then its core (``names.core``), are looked up in their indexes; a
        part of a name is checked (``names.query_matches``) only against the names that can
        hold it (``_names_holding``), never against every name of the archive."""
        ids = {agency_id for (agency_id,) in self.conn.execute(
            "SELECT agency_id FROM agency_names WHERE name = ?", [query])}
        if not ids:
            ids = {agency_id for (agency_id,) in self.conn.execute(
                "SELECT agency_id FROM agency_names WHERE core = ?", [agency_names.core(query)])}
        if not ids:
            ids = {agency_id for name, agency_id in self._names_holding(query)
                   if agency_names.query_matches(query, name)}
        if not ids:
            raise NotFound(_("no agency named {query!r} in the archive (goi agencies lists them)").format(query=query))
        if len(ids) > 1:
            candidates = sorted({name for (name,) in self.conn.execute(
                "SELECT name FROM agencies WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted(ids))])})
            raise Ambiguous(_("{query!r} matches several agencies: {candidates}").format(query=query, candidates=listing(candidates)),
                            query=query, candidates=candidates)
        agency_id = ids.pop()
        return self.agency(agency_id)

    def _names_holding(self, query: str) -> list[tuple[str, int]]:
        """(name, agency id) of every name ``names.query_matches`` may accept for ``query``,
        found by SQLite in one pass over the names table: the names or cores that contain
        the query's core, the cores it ends with (a region in front), and the names that
        ``fold`` would change (anything but plain Chinese characters), which are left to
        ``query_matches`` itself."""
        q = agency_names.core(query)
        tails = [q[i:] for i in range(len(q))]
        return self.conn.execute(
            "SELECT name, agency_id FROM agency_names WHERE instr(core, ?) OR instr(name, ?) "
            "OR core IN (SELECT value FROM json_each(?)) OR name GLOB ? OR name GLOB ?",
            [q, q, json.dumps(tails, ensure_ascii=False), f"*[^{_HAN_FIRST}-{_HAN_LAST}]*",
             f"*[{FOLDED_HAN}]*"]).fetchall()

    def agency(self, agency_id: int) -> dict[str, Any]:
        row = self.q("SELECT * FROM agencies WHERE id = ?", [agency_id])
        if not row:
            raise NotFound(_("no agency #{agency_id}").format(agency_id=agency_id))
        a = row[0]
        a["aliases"] = [r["name"] for r in self.q(
            "SELECT name FROM agency_names WHERE agency_id = ? ORDER BY name", [agency_id])]
        a["years"] = [r["year"] for r in self.q(
            "SELECT DISTINCT year FROM reports WHERE agency_id = ? AND is_current = 1 ORDER BY year",
            [agency_id])]
        return a

    def agencies(self) -> list[dict[str, Any]]:
        rows = self.q("SELECT a.id, a.name, a.note, "
                      "(SELECT group_concat(year, ',') FROM (SELECT DISTINCT year FROM reports r "
                      " WHERE r.agency_id = a.id AND r.is_current = 1 ORDER BY year)) AS years "
                      "FROM agencies a ORDER BY a.name")
        aliases: dict[int, list[str]] = {}
        for r in self.q("SELECT agency_id, name FROM agency_names ORDER BY name"):
            aliases.setdefault(r["agency_id"], []).append(r["name"])
        for r in rows:
            r["aliases"] = aliases.get(r["id"], [])
            r["years"] = [int(y) for y in (r["years"] or "").split(",") if y]
        return rows

    def rename(self, query: str, new_name: str) -> dict[str, Any]:
        """Give an agency the name it is shown under; the old names stay as aliases."""
        a = self.find_agency(query)
        owner = self.q("SELECT agency_id FROM agency_names WHERE name = ?", [new_name])
        if owner and owner[0]["agency_id"] != a["id"]:
            raise Refused(_("{new_name!r} is already a name of another agency (goi agencies merge joins two agencies)").format(new_name=new_name))
        with self.writing():
            self.conn.execute("UPDATE agencies SET name = ? WHERE id = ?", [new_name, a["id"]])
            self._add_alias(a["id"], new_name)
            record(self, "rename", Phrase("renamed {old} to {new}", old=a["name"], new=new_name),
                   {"id": a["id"], "name": a["name"]}, {"id": a["id"], "name": new_name})
        self._forget()
        return self.agency(a["id"])

    # ------------------------------------------------------------ reports

    def by_sha(self, sha: str) -> dict[str, Any] | None:
        """The report archived from these bytes, with every name of its agency (``names``);
        ``reports``: each report archived from them (several, for a file that holds several),
        each with its agency's names."""
        rows = self.q("SELECT r.id, r.year, r.version, r.agency_id, a.name AS agency, r.part, "
                      "r.parts FROM reports r JOIN agencies a ON a.id = r.agency_id "
                      "WHERE file_sha256 = ? ORDER BY r.part", [sha])
        if not rows:
            return None
        for row in rows:  # every name of each report's agency
            row["names"] = [n for (n,) in self.conn.execute(
                "SELECT name FROM agency_names WHERE agency_id = ?", [row["agency_id"]])]
        rows[0]["reports"] = rows
        return rows[0]

    def current_of(self, name: str, year: int) -> dict[str, Any] | None:
        """The current report of the agency a printed name would be filed under, for a year
        (its id, source and the sha256 of its file); None when there is none. Reads only."""
        row = self.conn.execute("SELECT agency_id FROM agency_names WHERE name = ?",
                                [name]).fetchone()
        if row:
            ids = {row[0]}
        else:
            index = self._names()
            ids = {index.owners[i][1] for i in index.candidates(name)
                   if agency_names.same_agency(name, index.owners[i][0])}
        if len(ids) != 1:
            return None
        rows = self.q("SELECT r.id, r.version, r.source_path AS source, r.file_sha256, "
                      "a.name AS agency FROM reports r JOIN agencies a ON a.id = r.agency_id "
                      "WHERE r.agency_id = ? AND r.year = ? AND r.is_current = 1", [ids.pop(), year])
        return rows[0] if rows else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction (a savepoint inside another); if it is rolled back, so are the
        names this object learnt inside it."""
        try:
            with self.writing():
                yield
        except BaseException:
            self._forget()
            raise

    def file_report(self, report: Report) -> str:
        """Give a report about to be stored its agency (found or made), its version and its
        agency's canonical name; the earlier version of its year stops being current. Call
        inside ``transaction``; returns how the agency was found (Stored.joined)."""
        assert report.agency and report.year is not None
        agency_id, joined = self.agency_for_import(report.agency)
        prev = self.conn.execute("SELECT max(version) FROM reports WHERE agency_id = ? AND "
                                 "year = ?", [agency_id, report.year]).fetchone()[0] or 0
        if prev:
            self.conn.execute("UPDATE reports SET is_current = 0 WHERE agency_id = ? AND "
                              "year = ?", [agency_id, report.year])
        report.agency_id, report.version = agency_id, prev + 1
        report.agency_canonical = self._canonical(agency_id)  # the X rules compare prose without its names
        return joined

    def write_report(self, report: Report, *, path: str, sha: str, size: int,
                     joined: str, file_sha: str | None = None) -> Stored:
        """Write a filed report (``file_report``), findings included, as a new current
        version: the report row goes in once, with its status. Call inside ``transaction``.

        ``sha``: the report's own identity; ``file_sha``: its file's, when the file holds
        several reports (``report.part`` of ``report.parts``)."""
        assert report.agency_id is not None and report.version is not None
        agency_id, version = report.agency_id, report.version
        self._apply_reviews(report)
        report.status, c = status_of(report.findings), report.counts()
        cur = self.conn.execute(
            "INSERT INTO reports (agency_id, year, version, is_current, agency_name, "
            "agency_from, year_from, title, template, source_path, sha256, format, size, "
            "imported_at, status, errors, warnings, infos, text, file_sha256, part, parts, "
            "year_sources, filing) "
            "VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [agency_id, report.year, version, report.agency, report.agency_from,
             report.year_from, report.title, report.template, path, sha, report.format, size,
             now(), report.status, c[ERROR], c[WARNING], c[INFO], report.text, file_sha or sha,
             report.part, report.parts, _js(report.year_sources or None),
             _js(report.filing or None)])
        rid = report.id = int(cur.lastrowid or 0)
        self._insert_sections(rid, report.text, report.sections.values())
        self._insert_figures(rid, report.figures.values())
        self._insert_findings(rid, report.findings)
        report.source_path, report.sha256 = path, sha
        return Stored(rid, agency_id, report.agency_canonical or "", version, report.status,
                      joined, c)

    def _insert_sections(self, rid: int, text: str, sections: Iterable[Section]) -> None:
        """Each section as the offsets of its body in the text (the body itself only where
        it is not a stretch of it): the text is stored once."""
        rows, after = [], 0
        for s in sorted(sections, key=attrgetter("num")):
            span = section_span(text, s.body, after)
            if span is not None:
                after = span[1]
            rows.append((rid, s.num, s.title, *(span or (None, None)),
                         None if span else s.body, s.line_start, s.line_end))
        self.conn.executemany("INSERT INTO report_sections (report_id, num, title, body_start, "
                              "body_end, body, line_start, line_end) VALUES (?, ?, ?, ?, ?, ?, "
                              "?, ?)", rows)

    def _id(self, name: str, text: str) -> int:
        """The id of a figure key, label or kind (``_NAMES``), added when new. Ids are never
        changed nor removed, so they are kept in memory; one learnt in a transaction that
        is rolled back is forgotten with it (``_forget``)."""
        ids = self._ids.get(name)
        if ids is None:
            table, column = _NAMES[name]
            ids = self._ids[name] = {t: i for i, t in self.conn.execute(
                f"SELECT id, {column} FROM {table}")}
        found = ids.get(text)
        if found is None:
            table, column = _NAMES[name]
            self.conn.execute(f"INSERT OR IGNORE INTO {table} ({column}) VALUES (?)", [text])
            found = ids[text] = self.conn.execute(f"SELECT id FROM {table} WHERE {column} = ?",
                                                  [text]).fetchone()[0]
        return found

    def _insert_figures(self, rid: int, figures: Iterable[Figure]) -> None:
        """~200 rows per report, the largest write of an import: keys, labels and kinds as
        their ids, inserted in key id order (the table's own order, so each row is
        appended), 99 rows per statement (a statement per row costs a third more), a
        missing unit bound as ''. What OCR marked goes in a table of its own."""
        rows = sorted(((self._id("key", f.key), f) for f in figures), key=itemgetter(0))
        params = [x for key_id, f in rows
                  for x in (rid, key_id, f.value, self._id("kind", f.kind),
                            stored_raw(f.value, f.raw), f.unit or "", f.line,
                            stored_source(f.line, f.source),
                            None if f.label is None else self._id("label", f.label),
                            None if f.score == 100 else f.score)]
        step = _CHUNK * _FIGURE_COLUMNS
        for start in range(0, len(params), step):
            chunk = params[start:start + step]
            self.conn.execute(_figure_insert(len(chunk) // _FIGURE_COLUMNS), chunk)
        marks = [(rid, key_id, f.confidence, f.box or None) for key_id, f in rows
                 if f.confidence is not None or f.box]
        if marks:
            self.conn.executemany("INSERT INTO figure_marks (report_id, key_id, confidence, "
                                  "box) VALUES (?, ?, ?, ?)", marks)

    def _insert_findings(self, rid: int, findings: list[Finding]) -> None:
        self.conn.executemany(
            "INSERT INTO findings (report_id, origin, rule, severity, message, keys, section, "
            "expected, actual, source, line, fingerprint, message_zh, words) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(rid, f.origin, f.rule, f.severity, f.message, json.dumps(f.keys, ensure_ascii=False),
              f.section, _js(f.expected), _js(f.actual), f.source, f.line, f.fingerprint,
              f.message_zh, _js(f.words or None))
             for f in findings])

    def current_years(self, agency_id: int) -> list[int]:
        """The years an agency has a current report for, in order."""
        return [year for (year,) in self.conn.execute(
            "SELECT year FROM reports WHERE agency_id = ? AND is_current = 1 ORDER BY year",
            [agency_id]).fetchall()]

    def replace_findings(self, report: Report, found: list[Finding]) -> None:
        """Store a stored report's validation findings in place of those it had, with the
        reviews people made and the status that follows."""
        assert report.id is not None
        self.conn.execute("DELETE FROM findings WHERE report_id = ? AND origin = 'validate'",
                          [report.id])
        self._insert_findings(report.id, found)
        report.findings = [f for f in report.findings if f.origin != "validate"] + found
        self._apply_reviews(report)
        self._write_status(report)

    def _apply_reviews(self, report: Report) -> None:
        reviews = {x["fingerprint"]: x for x in self.q(
            "SELECT fingerprint, state, note FROM reviews WHERE agency_id = ? AND year = ?",
            [report.agency_id, report.year])}
        for f in report.findings:
            rev = reviews.get(f.fingerprint)
            f.review, f.note = (rev["state"], rev["note"]) if rev else (None, None)

    def _write_status(self, report: Report) -> None:
        c = report.counts()
        report.status = status_of(report.findings)
        self.conn.execute("UPDATE reports SET status = ?, errors = ?, warnings = ?, infos = ? "
                          "WHERE id = ?", [report.status, c["error"], c["warning"], c["info"],
                                           report.id])

    def refresh_status(self, rid: int) -> None:
        self._write_status(self.load(rid))

    def current(self, agency_id: int, year: int) -> Report | None:
        """The current report of an agency for a year, if there is one.

        Reports stored by this Archive object are kept for a while, so that importing many
        years in a row does not read each previous year back for its X rules.
        """
        row = self.conn.execute("SELECT id FROM reports WHERE agency_id = ? AND year = ? AND "
                                "is_current = 1", [agency_id, year]).fetchone()
        if row is None:
            return None
        return self._recent.get(row[0]) or self.load(row[0])

    def remember(self, report: Report) -> None:
        """Keep a stored report for ``current`` (see there)."""
        assert report.id is not None
        self._recent[report.id] = report
        while len(self._recent) > 64:
            self._recent.popitem(last=False)

    def _forget(self) -> None:
        """After merges, renames and reviews: reports read from here on come from the file."""
        self._recent.clear()
        self._name_cache = None
        self._ids.clear()

    def load(self, rid: int) -> Report:
        """A report back from the archive, with its figures, sections, findings and reviews."""
        with self.reading():
            return self._load(rid)

    def _load(self, rid: int) -> Report:
        rows = self.q("SELECT r.*, a.name AS canonical FROM reports r JOIN agencies a "
                      "ON a.id = r.agency_id WHERE r.id = ?", [rid])
        if not rows:
            raise NotFound(_("no report #{rid}").format(rid=rid))
        r = rows[0]
        sections = {s["num"]: Section(s["num"], s["title"], s["body"], s["line_start"],
                                      s["line_end"])
                    for s in self.q("SELECT * FROM sections WHERE report_id = ? ORDER BY num",
                                    [rid])}
        rows = self.q("SELECT * FROM figures WHERE report_id = ?", [rid])
        rows.sort(key=lambda f: _KEY_ORDER.get(f["key"], len(_KEY_ORDER)))  # the tables' order
        figures = {f["key"]: Figure(f["key"], f["value"], f["kind"], f["raw"], f["unit"],
                                    f["line"], f["source"] or "", f["label"] or "",
                                    f["score"] if f["score"] is not None else 100.0,
                                    f["confidence"], f["box"] or "")
                   for f in rows}
        reviews = {x["fingerprint"]: x for x in self.q(
            "SELECT * FROM reviews WHERE agency_id = ? AND year = ?", [r["agency_id"], r["year"]])}
        findings = []
        for f in self.q("SELECT * FROM findings WHERE report_id = ? ORDER BY id", [rid]):
            rev = reviews.get(f["fingerprint"])
            findings.append(Finding(
                f["rule"], f["severity"], f["message"], json.loads(f["keys"]), f["section"],
                from_json(f["expected"]), from_json(f["actual"]), f["source"] or "", f["line"],
                f["origin"], rev["state"] if rev else None, rev["note"] if rev else None,
                f["message_zh"], from_json(f.get("words")) or []))
        return Report(agency=r["agency_name"], year=r["year"], template=r["template"],
                      title=r["title"] or "", sections=sections, figures=figures,
                      findings=findings, agency_from=r["agency_from"], year_from=r["year_from"],
                      year_sources=from_json(r["year_sources"]) or {},
                      filing=from_json(r.get("filing")) or {}, part=r["part"],
                      parts=r["parts"], text=r["text"], format=r["format"], id=rid, agency_id=r["agency_id"],
                      agency_canonical=r["canonical"], source_path=r["source_path"],
                      sha256=r["sha256"], version=r["version"], status=r["status"])

    def find_report(self, agency: str, year: int | None = None,
                    version: int | None = None) -> Report:
        """The current report of an agency for a year (its latest year when none is given)."""
        a = self.find_agency(agency)
        if year is None:
            if not a["years"]:
                raise NotFound(_("{name} has no report in the archive").format(name=a['name']))
            year = a["years"][-1]
        sql = "SELECT id FROM reports WHERE agency_id = ? AND year = ? AND "
        params: list[Any] = [a["id"], year]
        if version is None:
            sql += "is_current = 1"
        else:
            sql += "version = ?"
            params.append(version)
        row = self.q(sql, params)
        if not row:
            have = listing(a["years"]) or _("none")
            if version:
                raise NotFound(_("{name} has no report for {year} version {version} (years: "
                                 "{years})").format(name=a["name"], year=year, version=version,
                                                    years=have))
            raise NotFound(_("{name} has no report for {year} (years: {years})").format(
                name=a["name"], year=year, years=have))
        return self.load(row[0]["id"])

    def list_reports(self, *, agency: str | None = None, year: int | None = None,
                     status: str | None = None, template: str | None = None,
                     all_versions: bool = False) -> list[dict[str, Any]]:
        return list(self.iter_reports(agency=agency, year=year, status=status,
                                      template=template, all_versions=all_versions))

    def iter_reports(self, *, agency: str | None = None, year: int | None = None,
                     status: str | None = None, template: str | None = None,
                     all_versions: bool = False) -> Iterator[dict[str, Any]]:
        """``list_reports`` a row at a time, in agency-name order found by walking the
        agencies by name (``agencies_name``) rather than by sorting every report first: the
        first row comes at once and the memory is one row's, whatever the archive's size."""
        where, params = [], []
        if not all_versions:
            where.append("r.is_current = 1")
        if agency:
            where.append("r.agency_id = ?")
            params.append(self.find_agency(agency)["id"])
        for col, val in (("r.year", year), ("r.status", status), ("r.template", template)):
            if val is not None:
                where.append(f"{col} = ?")
                params.append(val)
        sql = ("SELECT r.id, a.name AS agency, r.agency_id, r.year, r.version, r.template, r.status, r.errors, "
               f"r.warnings, r.infos, {DISMISSED_SQL} AS dismissed, r.source_path AS source, "
               "r.agency_name AS printed_name FROM agencies a CROSS JOIN reports r "
               "ON a.id = r.agency_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        cur = self.conn.execute(sql + " ORDER BY a.name, r.year, r.version", params)
        cols = [d[0] for d in cur.description]
        return (dict(zip(cols, row)) for row in cur)

    def set_review(self, report: Report, finding: Finding, state: str, note: str | None) -> None:
        assert report.agency_id is not None and report.id is not None and report.year is not None
        with self.writing():
            before = self._review_row(report, finding)
            self.conn.execute(
                "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                [report.agency_id, report.year, finding.fingerprint, finding.rule, state, note,
                 now()])
            self._record_review(report, finding, before, state)
            self.refresh_status(report.id)
        self._forget()

    def clear_review(self, report: Report, finding: Finding) -> None:
        assert report.id is not None
        with self.writing():
            before = self._review_row(report, finding)
            self.conn.execute("DELETE FROM reviews WHERE agency_id = ? AND year = ? AND "
                              "fingerprint = ?", [report.agency_id, report.year,
                                                  finding.fingerprint])
            self._record_review(report, finding, before, None)
            self.refresh_status(report.id)
        self._forget()

    def _review_row(self, report: Report, finding: Finding) -> dict[str, Any] | None:
        rows = self.q("SELECT * FROM reviews WHERE agency_id = ? AND year = ? AND "
                      "fingerprint = ?", [report.agency_id, report.year, finding.fingerprint])
        return rows[0] if rows else None

    def _record_review(self, report: Report, finding: Finding, before: dict[str, Any] | None,
                       state: str | None) -> None:
        """A review is kept in the history as the row before and after (undo puts it back)."""
        after = self._review_row(report, finding)
        record(self, "review", Phrase(
            "{agency} {year} {rule}: {review}", agency=report.agency_canonical,
            year=report.year, rule=finding.rule,
            review=Phrase(REVIEW_NAMES[state]) if state in REVIEW_NAMES
            else state or Phrase("review cleared")), before, after)


#: the block of Chinese characters in which ``fold`` changes only ``FOLDED_HAN``
_HAN_FIRST, _HAN_LAST = "\u4e00", "\u9fff"

#: how many of report ``r``'s findings a person dismissed (its status no longer counts them)
DISMISSED_SQL = ("(SELECT count(*) FROM findings f JOIN reviews v ON v.agency_id = r.agency_id "
                 "AND v.year = r.year AND v.fingerprint = f.fingerprint "
                 "WHERE f.report_id = r.id AND v.state = 'dismissed')")


def _js(v: Any) -> str | None:
    return None if v is None else json.dumps(v, ensure_ascii=False)


def from_json(v: str | None) -> Any:
    """A JSON column (findings.expected/actual) back as a value; NULL is None."""
    return None if v is None else json.loads(v)
