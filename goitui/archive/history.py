"""The archive's history: every operation that changed keys, versions or reviews (migration
0009), with the rows before and after as JSON. Written inside the operation's own transaction,
so that an operation and its record are kept or lost together.

An entry's summary is a ``Phrase``, stored as its template and values (migration 0014), so
that it reads in the language of whoever looks at the history, not of whoever made the change;
an entry recorded before that has its summary as it was written."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Protocol

from goitui.archive.database import now
from goitui.i18n import Phrase, phrase_data, phrase_from_data


class Archive(Protocol):
    """What the history needs of ``store.Archive`` (which records through this module, so it
    is not imported here)."""

    conn: sqlite3.Connection

    def q(self, sql: str, params: Any = ()) -> list[dict[str, Any]]: ...


def record(arch: Archive, operation: str, summary: Phrase, before: Any, after: Any) -> int:
    """One history row; called inside the operation's own write transaction. ``summary``
    is kept in English (``summary``) and as its template and values (``summary_phrase``)."""
    data = phrase_data(summary)
    cur = arch.conn.execute(
        "INSERT INTO history (at, operation, summary, summary_phrase, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [now(), operation, str(summary), json.dumps(data, ensure_ascii=False) if data else None,
         json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)])
    return int(cur.lastrowid or 0)


def history(arch: Archive, limit: int | None = None) -> list[dict[str, Any]]:
    """The operations recorded, newest first, with their before and after rows.

    ``summary`` is a ``Phrase`` (``i18n.shown`` gives it in the reader's language, ``str`` in
    English) where the entry kept one, else the text as recorded.
    """
    rows = arch.q("SELECT * FROM history ORDER BY id DESC" + (" LIMIT ?" if limit else ""),
                  [limit] if limit else [])
    for r in rows:
        r["before"], r["after"] = json.loads(r["before"] or "null"), json.loads(r["after"] or "null")
        kept = r.pop("summary_phrase", None)  # absent from a read-only archive not upgraded
        if kept:
            r["summary"] = phrase_from_data(json.loads(kept))
    return rows
