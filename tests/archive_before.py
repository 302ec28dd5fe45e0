"""Archives as an older goi left them, for the tests of the migrations that upgrade them.

``archive_before`` applies the migrations up to one of them and writes parsed reports with
the SQL of that schema (each table's columns as that schema has them), so a test can open
the file with today's ``Archive`` and compare what the upgrade kept.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from goitui.archive import store
from goitui.archive.database import Database
from goitui.model import Report, status_of


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    """Insert the columns of ``row`` the table has in this schema."""
    have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    cols = [c for c in row if c in have]
    cur = conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                       f"({', '.join('?' * len(cols))})", [row[c] for c in cols])
    return int(cur.lastrowid or 0)


def _js(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def archive_before(path: Path, last: str, reports: list[Report]) -> list[int]:
    """An archive of ``reports`` made by a goi whose last migration was ``last`` (its number,
    e.g. ``"0010"``), the full-text index brought up to date; the reports' ids."""
    steps = [m for m in store._migrations() if m[0][:4] <= last]
    db = Database(path, steps, create=True, write=True, functions=store.FUNCTIONS)
    ids = []
    with db.writing() as conn:
        for n, report in enumerate(reports):
            agency = conn.execute("SELECT agency_id FROM agency_names WHERE name = ?",
                                  [report.agency]).fetchone()
            if agency is None:
                agency_id = _insert(conn, "agencies", {"name": report.agency, "created_at": "t"})
                _insert(conn, "agency_names", {"name": report.agency, "agency_id": agency_id,
                                               "core": report.agency})
            else:
                agency_id = agency[0]
            version = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM reports WHERE "
                                   "agency_id = ? AND year = ?",
                                   [agency_id, report.year]).fetchone()[0]
            conn.execute("UPDATE reports SET is_current = 0 WHERE agency_id = ? AND year = ?",
                         [agency_id, report.year])
            c = report.counts()
            sha = hashlib.sha256(f"{n}".encode()).hexdigest()
            rid = _insert(conn, "reports", {
                "agency_id": agency_id, "year": report.year, "version": version, "is_current": 1,
                "agency_name": report.agency, "agency_from": report.agency_from,
                "year_from": report.year_from, "title": report.title,
                "template": report.template, "source_path": f"/reports/{n}.txt",
                "sha256": sha, "format": report.format, "size": len(report.text),
                "imported_at": "t", "status": status_of(report.findings), "errors": c["error"],
                "warnings": c["warning"], "infos": c["info"], "text": report.text,
                "file_sha256": sha, "part": report.part, "parts": report.parts,
                "year_sources": _js(report.year_sources or None)})
            for s in report.sections.values():
                _insert(conn, "sections", {"report_id": rid, "num": s.num, "title": s.title,
                                           "body": s.body, "line_start": s.line_start,
                                           "line_end": s.line_end})
            for f in report.figures.values():
                _insert(conn, "figures", {
                    "report_id": rid, "key": f.key, "value": f.value, "kind": f.kind,
                    "raw": f.raw, "unit": f.unit, "line": f.line, "source": f.source,
                    "label": f.label, "score": f.score, "confidence": f.confidence,
                    "box": f.box or None})
            for f in report.findings:
                _insert(conn, "findings", {
                    "report_id": rid, "origin": f.origin, "rule": f.rule,
                    "severity": f.severity, "message": f.message,
                    "keys": json.dumps(f.keys, ensure_ascii=False), "section": f.section,
                    "expected": _js(f.expected), "actual": _js(f.actual), "source": f.source,
                    "line": f.line, "fingerprint": f.fingerprint, "message_zh": f.message_zh,
                    "words": _js(f.words or None)})
            ids.append(rid)
        if any(m[0].startswith("0003") for m in steps):
            conn.execute("INSERT INTO report_fts (rowid, text) SELECT id, text FROM reports "
                         "WHERE id > (SELECT indexed_upto FROM search_state)")
            conn.execute("UPDATE search_state SET indexed_upto = (SELECT max(id) FROM reports)")
    db.close()
    return ids
