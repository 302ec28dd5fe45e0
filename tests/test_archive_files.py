"""Only goi's archives, only as new as goi: what opening a path may and may not do to it.

A read command given the wrong file must leave it byte for byte as it was; only ``goi import``
makes an archive; an older archive is upgraded, a newer one refused; a read-only snapshot is
readable; damage found after opening is one line and exit code 2, never a traceback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui.archive import store
from goitui.archive.database import problem
from goitui.archive.store import Archive
from goitui.errors import ArchiveProblem
from goitui.testing.generate import write_corpus

READ_COMMANDS = [("list",), ("agencies",), ("validate",), ("search", "信息公开"), ("show", "镇")]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("reports"), 4, seed=11)


class Ran:
    """A command's outcome, in-process (fast) but as a person sees it: a traceback that
    would reach the terminal is put in ``stderr``."""

    def __init__(self, args: tuple[str, ...]) -> None:
        from goitui.cli import app

        result = CliRunner().invoke(app, list(args))
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            self.stderr += "Traceback: " + repr(result.exception)
            self.returncode = 99


def goi(*args: str) -> Ran:
    return Ran(args)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_program_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('mine')")
    con.commit()
    con.close()
    return path


def one_line_error(res, *words: str) -> None:
    assert res.returncode == 2, (res.stdout, res.stderr)
    assert "Traceback" not in res.stderr and "internal error" not in res.stdout + res.stderr
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("goi:")]
    assert len(lines) == 1, res.stderr
    for w in words:
        assert w in lines[0], res.stderr


@pytest.mark.parametrize("args", READ_COMMANDS + [("import",)])
def test_another_programs_database_is_refused_untouched(args, reports, tmp_path) -> None:
    db = other_program_db(tmp_path / "theirs.db")
    before = digest(db)
    extra = [str(reports[0])] if args == ("import",) else []
    res = goi(*args, *extra, "--db", str(db))
    one_line_error(res, "not a goi archive", "another program")
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]  # no -wal, no -shm


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("not a database\n")
    one_line_error(goi("list", "--db", str(db)), "not a goi archive")
    assert db.read_text() == "not a database\n"


def test_only_import_makes_an_empty_file_an_archive(reports, tmp_path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    for args in READ_COMMANDS:
        one_line_error(goi(*args, "--db", str(db)), "empty")
    assert db.stat().st_size == 0
    res = goi("import", str(reports[0]), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert goi("list", "--db", str(db)).returncode == 0


def test_a_missing_archive_is_not_created_by_a_read(tmp_path) -> None:
    db = tmp_path / "none.db"
    one_line_error(goi("list", "--db", str(db)), "no archive at")
    assert not db.exists()


def test_an_archive_of_a_newer_goi_is_refused(reports, tmp_path) -> None:
    db = tmp_path / "newer.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    con = sqlite3.connect(db)
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('goi', '0999_from_the_future', 'later')")
    con.commit()
    con.close()
    before = digest(db)
    for args in [*READ_COMMANDS, ("import", str(reports[1]))]:
        one_line_error(goi(*args, "--db", str(db)),
                       "made by a newer goi (0999_from_the_future); upgrade goi")
    assert digest(db) == before


def older_archive(path: Path, reports: list[Path], keep: int, monkeypatch) -> None:
    """An archive as a goi that knew all but the last migration (0008, the history) left it:
    archived by this goi, then that migration taken back out."""
    from goitui.importer import import_paths

    with Archive(path) as arch:
        import_paths(arch, [str(r) for r in reports])
    con = sqlite3.connect(path)
    con.execute("DROP TABLE history")
    con.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_history'")
    con.commit()
    con.close()


def test_an_older_archive_is_upgraded_by_the_next_command(reports, tmp_path, monkeypatch) -> None:
    db = tmp_path / "older.db"
    older_archive(db, reports[:2], len(store._migrations()) - 1, monkeypatch)
    res = goi("list", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 3
    con = sqlite3.connect(db)
    names = [n for (n,) in con.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert sorted(names) == sorted(n for n, _ in store._migrations())  # the one taken out, again
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def without_privileges() -> list[str]:
    """A prefix that runs a command without root's power to write read-only files."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: read-only files would be writable")
    return ["setpriv", "--bounding-set=-all", "--inh-caps=-all"]


@pytest.fixture
def published() -> Iterator[Path]:
    """A folder that read-only tests can make unwritable and clean up after."""
    folder = Path(tempfile.mkdtemp(prefix="goi-ro-"))
    try:
        yield folder
    finally:
        for p in (folder, *folder.iterdir()):
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(folder)


def run_unprivileged(*args: str):
    import subprocess
    import sys

    from test_sharing import ROOT, TIMEOUT
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GOI_LANG": "en", "GOI_BUSY_TIMEOUT": "2"}
    return subprocess.run([*without_privileges(), sys.executable, "-c",
                           "from goitui.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, timeout=TIMEOUT)


def test_a_read_only_archive_is_read_by_every_read_command(reports, published) -> None:
    db = published / "snapshot.db"
    assert goi("import", *map(str, reports), "--db", str(db)).returncode == 0
    db.chmod(0o444)
    published.chmod(0o555)
    for args in [*READ_COMMANDS, ("diff", "镇"), ("history",), ("versions", "镇", "2020")]:
        res = run_unprivileged(*args, "--db", str(db))
        assert res.returncode in (0, 1, 2), res.stderr
        assert "read-only" not in res.stderr and "Traceback" not in res.stderr, (args, res.stderr)
        if args[0] in ("list", "agencies", "validate", "history"):
            assert res.returncode in (0, 1), (args, res.stderr)
    for args in [("import", str(reports[0])), ("agencies", "rename", "镇", "新名"),
                 ("remove", "镇", "2020", "--yes")]:
        res = run_unprivileged(*args, "--db", str(db))
        one_line_error(res, "read-only")


def test_a_read_only_older_archive_is_read_as_it_is(reports, published, monkeypatch) -> None:
    db = published / "old.db"
    older_archive(db, reports[:2], len(store._migrations()) - 1, monkeypatch)
    db.chmod(0o444)
    published.chmod(0o555)
    res = run_unprivileged("list", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 3


def damage(db: Path, start: int) -> None:
    data = bytearray(db.read_bytes())
    for i in range(start, len(data)):
        data[i] = (i * 7 + 3) % 256
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("start", [100, 4096 * 2])
def test_a_damaged_archive_is_called_damaged(start, reports, tmp_path) -> None:
    db = tmp_path / "damaged.db"
    assert goi("import", *map(str, reports[:3]), "--db", str(db)).returncode == 0
    damage(db, start)
    for args in READ_COMMANDS:
        res = goi(*args, "--db", str(db))
        one_line_error(res, "damaged")
        assert "not a goi archive" not in res.stderr
    res = goi("import", str(reports[3]), "--db", str(db))
    one_line_error(res, "damaged")
    assert "archived" not in res.stdout


def test_a_full_disk_during_an_import_is_one_line(reports, tmp_path) -> None:
    import subprocess
    import sys

    from test_sharing import ROOT, TIMEOUT

    db = tmp_path / "full.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    size = db.stat().st_size

    def small_disk() -> None:
        import resource
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 1024, size + 1024))

    more = tmp_path / "more"
    write_corpus(more, 30, seed=5)
    res = subprocess.run([sys.executable, "-c", "from goitui.cli import main; main()",
                          "import", str(more), "--db", str(db)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=TIMEOUT,
                         preexec_fn=small_disk)
    one_line_error(res)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_sqlite_errors_are_told_apart() -> None:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (x)")
    con.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.DatabaseError) as full:
        con.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 100)
    assert "disk is full" in str(problem(full.value, "a.db"))
    assert isinstance(problem(full.value, "a.db"), ArchiveProblem)
