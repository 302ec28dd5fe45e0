"""Opening an archive file safely, and the two kinds of transaction every use of it goes through.

An archive is shared: several ``goi`` processes (imports, reviews, the browser over SSH) use one
file at once. SQLite allows that in WAL mode as long as every write transaction takes the write
lock *before* it reads (``BEGIN IMMEDIATE``): a deferred ``BEGIN`` that reads first and writes
later fails at once with SQLITE_BUSY_SNAPSHOT when another process wrote in between, and the busy
timeout never applies to that. So writes go through ``Database.writing`` (wait for the lock,
retry a collision, ``ArchiveBusy`` if it never comes) and multi-statement reads through
``Database.reading`` (one snapshot, never a write).

Opening is careful too, because a path given by mistake must never be changed: only ``goi
import`` creates an archive (a missing or empty file); another program's SQLite file and an
archive made by a newer goi are refused untouched; an older goi archive is upgraded in one
transaction under the write lock; a read-only file or directory (a published snapshot) is
opened read-only (``mode=ro``, else ``immutable=1``).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from goitui.errors import ArchiveBusy, ArchiveProblem
from goitui.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATION_SET = "goi"
MIGRATIONS_TABLE = "_sqlite_migrations"
#: how long a write waits for another process's write lock, in seconds (``GOI_BUSY_TIMEOUT``)
DEFAULT_BUSY_WAIT = 60.0
#: one wait of SQLite's own busy handler; the loop around it retries until the deadline
_BUSY_STEP = 5.0

_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_READ_ONLY_OPEN = {"SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY",
                   "SQLITE_READONLY_CANTINIT", "SQLITE_READONLY_RECOVERY", "SQLITE_BUSY"}


class ArchiveReadOnly(ArchiveProblem):
    """The archive file or its directory cannot be written: only read commands work."""


def busy_wait() -> float:
    """Seconds a write waits for the lock: ``GOI_BUSY_TIMEOUT`` or a minute."""
    try:
        return max(0.0, float(os.environ.get("GOI_BUSY_TIMEOUT", DEFAULT_BUSY_WAIT)))
    except ValueError:
        return DEFAULT_BUSY_WAIT


def _code(error: sqlite3.Error) -> str:
    return getattr(error, "sqlite_errorname", "") or ""


def is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY in any of its forms (BUSY_SNAPSHOT, BUSY_RECOVERY) or SQLITE_LOCKED."""
    code = _code(error)
    return any(code.startswith(c) for c in _BUSY) or "database is locked" in str(error)


def problem(error: sqlite3.Error, path: Path | str) -> ArchiveProblem | ArchiveBusy:
    """What an SQLite error met while using the archive means, in one line for a person.

    Damage, a full disk, a read-only file and a lost lock are told apart: each asks for a
    different remedy, and none of them is a finding about a report (exit code 1).
    """
    code, text = _code(error), str(error)
    if is_busy(error):
        return ArchiveBusy(_("archive busy: another goi is writing to {path}").format(path=path))
    if code.startswith("SQLITE_FULL") or "disk is full" in text:
        return ArchiveProblem(_("{path}: the disk is full; the change in progress was not "
                                "kept").format(path=path))
    if code.startswith("SQLITE_READONLY") or "readonly" in text:
        return ArchiveReadOnly(_("{path} is read-only: this command changes the archive (read "
                                "commands still work)").format(path=path))
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text \
            or "not a database" in text:
        return ArchiveProblem(_("{path} is damaged ({reason}); restore it from a copy, or "
                                "import the reports again into a new archive").format(
                                    path=path, reason=text))
    if code.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return ArchiveProblem(_("{path}: cannot read or write the archive ({reason})").format(
            path=path, reason=text))
    if "no such table" in text or "no such column" in text:
        return ArchiveProblem(_("{path} was made by an older goi and cannot be upgraded here "
                                "({reason}); open it once with write access to upgrade it")
                              .format(path=path, reason=text))
    return ArchiveProblem(_("{path}: the archive could not be used ({reason})").format(
        path=path, reason=text))


def file_state(path: Path) -> str:
    """``missing``, ``empty`` (no bytes), ``sqlite`` (an SQLite header) or ``other``."""
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "other"
    except OSError as e:
        raise ArchiveProblem(_("{path}: cannot read the archive ({reason})").format(
            path=path, reason=e.strerror or e)) from e
    if not head:
        return "empty"
    return "sqlite" if head == SQLITE_HEADER else "other"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


Migration = tuple[str, Callable[[sqlite3.Connection], None]]


class Database:
    """One connection to an archive file, with the transactions goi uses on it.

    ``write``: open read-write (writing commands); else read-only, where SQLite cannot write
    even by mistake. ``create``: a missing or empty file becomes an archive (``goi import``).
    ``migrations``: (name, apply) in order, the schema this goi knows. ``functions``: SQL
    functions of one argument the schema's migrations and triggers call, on every connection.
    """

    def __init__(self, path: Path | str, migrations: list[Migration], *, create: bool,
                 write: bool, functions: Mapping[str, Callable[[Any], Any]] | None = None) -> None:
        self.path = path if str(path) == ":memory:" else Path(path)
        self._functions = functions or {}
        self.write = write or str(path) == ":memory:"
        self._migrations = migrations
        self._txn: str | None = None  # None | "read" | "write"
        self._savepoints = 0
        self.data_version: int | None = None
        self.on_foreign_change: Callable[[], None] = lambda: None
        self.outdated: list[str] = []  # migrations a read-only older archive lacks
        if str(path) == ":memory:":
            self.conn = self._connect_rw()
            self._prepare(create=True)
            return
        assert isinstance(self.path, Path)
        state = file_state(self.path)
        if state == "other":
            raise ArchiveProblem(_("{path} is not a goi archive (not an SQLite database); "
                                   "goi leaves it untouched").format(path=self.path))
        if state in ("missing", "empty") and not create:
            raise ArchiveProblem(_("no archive at {path} (goi import creates it)").format(
                path=self.path) if state == "missing" else _(
                "{path} is an empty file, not a goi archive (goi import makes it one)").format(
                path=self.path))
        if state == "missing":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = self._connect_rw() if self.write else self._connect_ro()
            self._prepare(create=create)
        except sqlite3.DatabaseError as e:
            raise problem(e, self.path) from e

    # ------------------------------------------------------------ connections

    def _connect_rw(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=min(_BUSY_STEP, busy_wait()),
                               isolation_level=None,
                               check_same_thread=False)
        self._tune(conn)
        return conn

    def _connect_ro(self) -> sqlite3.Connection:
        """Read-only; where SQLite cannot even make the WAL's shared-memory file (a read-only
        directory), as an immutable file: a published snapshot nobody writes."""
        assert isinstance(self.path, Path)
        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=_BUSY_STEP, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as e:
            if _code(e) not in _READ_ONLY_OPEN and "readonly" not in str(e):
                raise
            conn.close()
            conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                                   check_same_thread=False)
        self._tune(conn)
        return conn

    def _tune(self, conn: sqlite3.Connection) -> None:
        """Per-connection settings only: opening a file never changes it."""
        for name, function in self._functions.items():
            conn.create_function(name, 1, function, deterministic=True)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA wal_autocheckpoint = 10000")  # fewer, larger checkpoints

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()

    # ------------------------------------------------------------ schema

    def _applied(self) -> tuple[list[str], bool]:
        """The goi migrations recorded, and whether the file has tables of its own."""
        tables = {name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if MIGRATIONS_TABLE not in tables:
            return [], bool(tables)
        applied = [name for (name,) in self.conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET])]
        return applied, bool(tables)

    def _verdict(self, applied: list[str], has_tables: bool, create: bool) -> list[Migration]:
        """The migrations still to apply; refuses what is not this goi's to open."""
        known = [name for name, _step in self._migrations]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise ArchiveProblem(_("{path} was made by a newer goi ({migration}); upgrade goi")
                                 .format(path=self.path, migration=unknown[-1]))
        if not applied:
            if has_tables:
                raise ArchiveProblem(_("{path} is not a goi archive (an SQLite database of "
                                       "another program); goi leaves it untouched").format(
                                           path=self.path))
            if not create:
                raise ArchiveProblem(_("{path} is an empty database, not a goi archive (goi "
                                       "import makes it one)").format(path=self.path))
        return [m for m in self._migrations if m[0] not in applied]

    def _prepare(self, create: bool) -> None:
        """Check the file is this goi's archive; create or upgrade it, once, under the lock."""
        applied, has_tables = self._applied()
        if not self._verdict(applied, has_tables, create):
            self.data_version = self._data_version()
            return
        if not self.write:
            self._upgrade_elsewhere()
            return
        if not applied:
            self.conn.execute("PRAGMA journal_mode = WAL")  # persistent; needs no transaction
        with self.writing():
            applied, has_tables = self._applied()  # again: another process may have done it
            pending = self._verdict(applied, has_tables, create)
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, "
                "migration_set TEXT, name TEXT, applied_at TEXT)")
            self.conn.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS idx_{MIGRATIONS_TABLE}_"
                              f"migration_set_name ON {MIGRATIONS_TABLE} (migration_set, name)")
            for name, step in pending:
                step(self.conn)
                self.conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, "
                                  "applied_at) VALUES (?, ?, ?)", [MIGRATION_SET, name, now()])

    def _upgrade_elsewhere(self) -> None:
        """A read command on an older archive: upgraded through a writable connection when
        the file allows it, else read as it is (``outdated`` says what it lacks)."""
        assert isinstance(self.path, Path)
        try:
            upgrader = Database(self.path, self._migrations, create=False, write=True,
                                functions=self._functions)
        except ArchiveReadOnly:
            applied, _tables = self._applied()
            self.outdated = [m[0] for m in self._migrations if m[0] not in applied]
        else:
            upgrader.close()
        self.data_version = self._data_version()

    def _data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # ------------------------------------------------------------ transactions

    def _begin_immediate(self) -> None:
        """Take the write lock, waiting while another process holds it (SQLite's busy handler
        waits in steps; a collision it does not wait for is retried until the deadline)."""
        deadline = time.monotonic() + busy_wait()
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as e:
                if not is_busy(e):
                    raise problem(e, self.path) from e
                if time.monotonic() >= deadline:
                    raise ArchiveBusy(_("archive busy: another goi is writing to {path} "
                                        "(waited {seconds:.0f} s)").format(
                                            path=self.path, seconds=busy_wait())) from e
                time.sleep(random.uniform(0.01, 0.1))

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: the write lock first, then the reads it depends on.

        Nested use is a savepoint of the outer one. Caches kept by the caller are dropped
        (``on_foreign_change``) when another process committed since this one last looked.
        """
        if self._txn == "write" or (self._txn is None and self.conn.in_transaction):
            self._savepoints += 1
            name = f"goi_{self._savepoints}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self.conn.execute(f"RELEASE {name}")
            return
        if self._txn == "read":
            raise RuntimeError("a write inside a read snapshot (it would fail with "
                               "SQLITE_BUSY_SNAPSHOT): end the read first")
        if not self.write:
            raise ArchiveReadOnly(_("{path} is opened read-only: this command cannot change "
                                   "it").format(path=self.path))
        self._begin_immediate()
        self._txn = "write"
        try:
            self._look_for_foreign_change()
            yield self.conn
        except BaseException:
            self._txn = None
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._txn = None
        try:
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as e:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise problem(e, self.path) from e

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Several reads in one snapshot: what another process commits meanwhile is not seen
        half-way (reports read, then findings of reports that no longer exist). Inside a
        write or an outer read this is that transaction."""
        if self._txn is not None or self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()  # the snapshot
        self._txn = "read"
        try:
            self._look_for_foreign_change()  # a connection kept for many reads (the browser)
            yield self.conn
        finally:
            self._txn = None
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @property
    def in_write(self) -> bool:
        return self._txn == "write"

    @property
    def in_read(self) -> bool:
        """In a read snapshot (``reading``): nothing in it can roll back."""
        return self._txn == "read"

    def _look_for_foreign_change(self) -> None:
        """At the start of a transaction: caches kept by the caller are dropped
        (``on_foreign_change``) when another process committed since this one last looked."""
        version = self._data_version()
        if self.data_version is not None and version != self.data_version:
            self.on_foreign_change()
        self.data_version = version
