"""Importing stays flat as the archive grows: what an import asks the archive for each report
goes through an index, never through every report, figure or name.

Every statement an import runs is traced and asked for its plan (EXPLAIN QUERY PLAN); a
statement that scans a table may run once per batch (the names read into memory), never once
per report. This holds whatever the archive holds, so a small archive shows it.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from pathlib import Path

from goitui import labels
from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.testing.generate import make_figures, render


def _write(folder: Path, agency: str, years: range, seed: int) -> None:
    rng = random.Random(seed)
    previous = None
    for year in years:
        figures = make_figures(labels.T2021, rng, previous=previous)
        (folder / f"{seed}_{year}.txt").write_text(
            render(figures, labels.T2021, "tabs", agency=agency, year=year), encoding="utf-8")
        previous = figures


def test_each_report_is_imported_through_indexes(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _write(first, "泉溪县人民政府", range(2021, 2023), 1)
    _write(first, "红岭镇人民政府", range(2022, 2024), 2)
    _write(second, "泉溪县人民政府", range(2023, 2025), 3)  # years after the archived ones
    _write(second, "泉溪县政府", range(2020, 2021), 4)  # a year before, under another name
    _write(second, "红岭乡人民政府", range(2022, 2024), 5)  # a new agency, near an archived one
    _write(second, "红岭镇人民政府", range(2023, 2024), 6)  # a new version of an archived year
    with Archive(tmp_path / "a.db") as archive:
        import_paths(archive, [str(first)])
    with Archive(tmp_path / "a.db") as archive:  # another goi import: nothing in memory yet
        statements: list[str] = []
        archive.conn.set_trace_callback(statements.append)
        results = import_paths(archive, [str(second)])
        archive.conn.set_trace_callback(None)
        assert [r.outcome for r in results] == ["archived"] * 6
        scans = Counter(_template(sql) for sql in statements if _scans(archive.conn, sql))
    assert all(count == 1 for count in scans.values()), scans
    assert any("agency_names" in sql for sql in scans)  # the names, read once


def _scans(conn: sqlite3.Connection, sql: str) -> bool:
    """Whether a statement reads a whole table (not through an index to the rows it wants)."""
    if not re.match(r"\s*(SELECT|UPDATE|DELETE|INSERT\b.*\bSELECT\b)", sql, re.I | re.S):
        return False
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return any(step.startswith("SCAN ") and "CONSTANT ROW" not in step
               and "VIRTUAL TABLE" not in step for step in plan)


def _template(sql: str) -> str:
    """A statement without its values, so that runs of the same query count together (a
    quoted 'schema'.'table', as FTS5 reads each index's configuration, stays named)."""
    return re.sub(r"(?<![.\w])'[^']*'(?!\.)|\b\d+\b", "?", sql)
