"""One archive, many goi processes: writers take turns, readers see one snapshot, nobody crashes.

Real processes (``subprocess``), small archives, every wait bounded: these are the races that
lost 41 % of files and crashed readers when two people shared an archive.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.testing.generate import write_corpus

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120


def goi(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    """``goi ARGS`` in its own process, as a person runs it."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), "GOI_LANG": "en", **(env or {})}
    return subprocess.run([sys.executable, "-c", "from goitui.cli import main; main()", *args],
                          capture_output=True, text=True, env=full, timeout=TIMEOUT, **kw)


def spawn(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    full = {**os.environ, "PYTHONPATH": str(ROOT), "GOI_LANG": "en", **(env or {})}
    return subprocess.Popen([sys.executable, "-c", "from goitui.cli import main; main()", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("reports"), 24, seed=7)


def halves(reports: list[Path], tmp: Path) -> tuple[Path, Path]:
    one, two = tmp / "one", tmp / "two"
    for folder, files in ((one, reports[::2]), (two, reports[1::2])):
        folder.mkdir()
        for f in files:
            (folder / f.name).write_bytes(f.read_bytes())
    return one, two


def count(db: Path, sql: str = "SELECT count(*) FROM reports") -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_two_imports_into_a_new_archive_both_archive_everything(reports, tmp_path) -> None:
    one, two = halves(reports, tmp_path)
    db = tmp_path / "new.db"
    procs = [spawn("import", str(folder), "--db", str(db)) for folder in (one, two)]
    outs = [p.communicate(timeout=TIMEOUT) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert "internal error" not in out + err and "Traceback" not in err
    assert count(db) == len(reports)
    assert count(db, "SELECT count(*) FROM _sqlite_migrations") == len(
        list((ROOT / "migrations").glob("*.sql")))
    assert count(db, "SELECT indexed_upto FROM search_state") == count(
        db, "SELECT max(id) FROM reports")


def test_the_same_files_imported_twice_at_once_are_archived_once(reports, tmp_path) -> None:
    one, _ = halves(reports, tmp_path)
    db = tmp_path / "same.db"
    procs = [spawn("import", str(one), "--db", str(db)) for _ in range(2)]
    outs = [p.communicate(timeout=TIMEOUT) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert count(db) == len(list(one.iterdir()))
    lines = [ln for out, _err in outs for ln in out.splitlines()]
    assert len(lines) == 2 * count(db)  # each file: archived by one, unchanged for the other


def test_readers_during_an_import_never_crash(reports, tmp_path) -> None:
    one, two = halves(reports, tmp_path)
    db = tmp_path / "busy.db"
    assert goi("import", str(one), "--db", str(db)).returncode == 0
    writer = spawn("import", str(two), "--db", str(db))
    runs, runner = 0, CliRunner()
    while writer.poll() is None or runs < 3:
        for args in (("validate",), ("list",), ("search", "政府信息公开"), ("agencies",)):
            res = runner.invoke(app, [*args, "--db", str(db)])
            assert res.exit_code in (0, 1), (args, res.output)
            assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        runs += 1
    writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0
    assert count(db) == len(reports)


def hold_lock(db: Path) -> sqlite3.Connection:
    """Another process's write transaction, as an import holds it (here: never released)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE search_state SET indexed_upto = indexed_upto")
    return con


def test_a_writer_that_cannot_get_the_lock_says_archive_busy(reports, tmp_path) -> None:
    db = tmp_path / "locked.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    con = hold_lock(db)
    try:
        started = time.monotonic()
        res = goi("import", str(reports[1]), "--db", str(db), env={"GOI_BUSY_TIMEOUT": "1"})
        assert res.returncode == 2
        assert "archive busy: another goi is writing" in res.stderr
        assert "internal error" not in res.stdout + res.stderr and "Traceback" not in res.stderr
        assert time.monotonic() - started < 30
        rename = goi("agencies", "rename", "x", "y", "--db", str(db),
                     env={"GOI_BUSY_TIMEOUT": "1"})
        assert rename.returncode == 2 and "Traceback" not in rename.stderr
        # readers are not in the way of a writer, nor it in theirs
        listed = goi("list", "--db", str(db))
        assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 2
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert goi("import", str(reports[1]), "--db", str(db)).returncode == 0


def test_a_writer_waits_for_the_lock_and_then_writes(reports, tmp_path) -> None:
    db = tmp_path / "wait.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    con = hold_lock(db)
    writer = spawn("import", str(reports[1]), "--db", str(db))
    time.sleep(1.5)
    assert writer.poll() is None  # waiting its turn, not failing
    con.execute("ROLLBACK")
    con.close()
    out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == 0, err
    assert count(db) == 2


def test_search_while_another_process_writes_reads_what_is_indexed_and_says_so(
        reports, tmp_path) -> None:
    db = tmp_path / "search.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    with Archive(db) as arch:  # archived, not indexed yet: as while an import runs
        from goitui.importer import import_file
        import_file(arch, reports[1])
    con = hold_lock(db)
    try:
        started = time.monotonic()
        res = goi("search", "信息公开", "--db", str(db), env={"GOI_BUSY_TIMEOUT": "30"})
        assert time.monotonic() - started < 20  # no waiting for the lock
        assert res.returncode == 0, res.stderr
        assert "1 report not indexed yet was scanned" in res.stderr
        assert len(res.stdout.splitlines()) == 2  # both reports found
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert count(db, "SELECT indexed_upto FROM search_state") == 1  # search wrote nothing


def test_search_finds_unindexed_reports_ranked_after_indexed_ones(reports, tmp_path) -> None:
    with Archive(tmp_path / "a.db") as arch:
        from goitui.importer import import_file, import_paths
        import_paths(arch, [str(reports[2])])
        import_file(arch, reports[3])
        result = search(arch, "信息公开")
        assert result.count == 2 and result.unindexed == 1
        assert "not indexed yet" in result.mode_text
        assert [h.report_id for h in result.hits] == [1, 2]


def test_a_read_snapshot_does_not_see_a_commit_half_way(reports, tmp_path) -> None:
    db = tmp_path / "snap.db"
    assert goi("import", str(reports[0]), "--db", str(db)).returncode == 0
    with Archive(db, create=False, write=False) as reader:
        with reader.reading():
            before = reader.conn.execute("SELECT count(*) FROM reports").fetchone()[0]
            assert goi("import", str(reports[1]), "--db", str(db)).returncode == 0
            assert reader.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == before
        assert reader.conn.execute("SELECT count(*) FROM reports").fetchone()[0] == before + 1


def test_a_write_inside_a_read_snapshot_is_refused(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as arch, arch.reading(), pytest.raises(RuntimeError):
        with arch.writing():
            pass


def test_caches_follow_what_another_process_committed(reports, tmp_path) -> None:
    db = tmp_path / "cache.db"
    with Archive(db) as arch:
        from goitui.importer import import_file
        import_file(arch, reports[0])
        assert arch._recent
        assert goi("agencies", "rename", arch.agencies()[0]["name"], "改过的名字",
                   "--db", str(db)).returncode == 0
        with arch.writing():
            pass
        assert not arch._recent and arch._name_cache is None
