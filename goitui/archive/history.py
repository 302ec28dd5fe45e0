"""The archive's history: every operation that changed keys, versions or reviews (migration
0009), with the rows before and after as JSON. Written inside the operation's own transaction,
so that an operation and its record are kept or lost together."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Protocol

from goitui.archive.database import now


class Archive(Protocol):
    """What the history needs of ``store.Archive`` (which records through this module, so it
    is not imported here)."""

    conn: sqlite3.Connection

    def q(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


def record(arch: Archive, operation: str, summary: str, before: Any, after: Any) -> int:
    """One history row; called inside the operation's own write transaction."""
    cur = arch.conn.execute(
        "INSERT INTO history (at, operation, summary, before, after) VALUES (?, ?, ?, ?, ?)",
        [now(), operation, summary, json.dumps(before, ensure_ascii=False),
         json.dumps(after, ensure_ascii=False)])
    return int(cur.lastrowid or 0)


def history(arch: Archive, limit: int | None = None) -> list[dict[str, Any]]:
    """The operations recorded, newest first, with their before and after rows."""
    rows = arch.q("SELECT * FROM history ORDER BY id DESC" + (" LIMIT ?" if limit else ""),
                  [limit] if limit else [])
    for r in rows:
        r["before"], r["after"] = json.loads(r["before"] or "null"), json.loads(r["after"] or "null")
    return rows
