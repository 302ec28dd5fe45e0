"""The browser keeps one read-only connection per group of reads (``tui/base.py``), reused
from read to read: what other processes commit meanwhile is seen by the next read (no
snapshot kept open), an interrupted query leaves the connection usable, any other error makes
the next read open the archive anew, and the app's closing closes it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_tui_support import build, endless_read, screen_text, settle, sync, type_text

import goitui
from goitui.archive import search as searching
from goitui.archive.store import Archive
from goitui.testing.generate import corpus_plan
from goitui.tui.app import GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.base import database_work

#: a report another process imports while the browser is open (a generated one: its agency
#: is in none of the archive's sample reports)
SEED = 23


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("read-connection"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(template_db, tmp_path / "archive.db"))


def _import_elsewhere(db: Path, directory: Path) -> str:
    """Import one generated report into ``db`` from another process; its agency's name."""
    code = ("import sys; from pathlib import Path; "
            "from goitui.testing.generate import write_corpus; "
            "from goitui.archive.store import Archive; "
            "from goitui.importer import import_paths; "
            f"paths = write_corpus(Path(sys.argv[2]), 1, seed={SEED}); "
            "arch = Archive(sys.argv[1], create=False); "
            "results = import_paths(arch, [str(p) for p in paths]); arch.close(); "
            "assert all(r.outcome == 'archived' for r in results), [r.line() for r in results]")
    here = str(Path(goitui.__file__).parent.parent)  # this goi, not one installed elsewhere
    subprocess.run([sys.executable, "-c", code, str(db), str(directory)], check=True,
                   timeout=120, env={**os.environ, "PYTHONPATH": here})
    return corpus_plan(1, seed=SEED)[0].agency


def _count(arch: Archive) -> tuple[int, int]:
    """The current reports' number, and which archive object answered."""
    return (arch.conn.execute("SELECT count(*) FROM reports WHERE is_current = 1")
            .fetchone()[0], id(arch))


@sync
async def test_a_group_reuses_its_connection_and_sees_another_process_s_import(
        db: Path, tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        answers: list[tuple[int, int]] = []
        database_work(app, db, _count, answers.append, group="test")
        await settle(pilot)
        _import_elsewhere(db, tmp_path / "new")
        database_work(app, db, _count, answers.append, group="test")
        await settle(pilot)
        (before, first), (after, second) = answers
        assert after == before + 1  # the new report: no snapshot kept from the read before
        assert second == first  # on the connection the group kept
        mapped: list[int] = []
        database_work(app, db, lambda arch: arch.conn.execute("PRAGMA mmap_size").fetchone()[0],
                      mapped.append, group="test")
        await settle(pilot)
        assert mapped and mapped[0] > 0  # a kept connection reads the file mapped
        assert not app._notifications


@sync
async def test_the_archive_list_shows_a_report_imported_meanwhile_on_its_next_read(
        db: Path, tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        before = len(screen.loaded.page.rows)
        agency = _import_elsewhere(db, tmp_path / "new")
        assert agency not in screen_text(app)
        await pilot.press("x")  # the list's page read again (its filter cleared)
        await settle(pilot)
        assert len(screen.loaded.page.rows) == before + 1
        assert agency in [row["agency"] for row in screen.loaded.page.rows]
        await pilot.press("f")
        await type_text(pilot, agency)  # a filter keystroke: the next reads see it too
        await settle(pilot)
        assert agency in [row["agency"] for row in screen.loaded.page.rows]


@sync
async def test_an_interrupted_query_leaves_the_connection_usable(db: Path,
                                                                 tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        started, took = threading.Event(), []
        kept: list[int] = []
        database_work(app, db, lambda arch: kept.append(id(arch)), lambda _none: None,
                      group="test")
        await settle(pilot)
        database_work(app, db, endless_read(started, took), print, group="test")
        while not started.is_set():
            await pilot.pause(0.01)
        answers: list[tuple[int, int]] = []
        for _ in range(100):  # asked again until the query stops
            database_work(app, db, _count, answers.append, group="test")
            await pilot.pause(0.05)
            if took:
                break
        await settle(pilot)
        assert took and took[0] < 5
        (before, used), = answers
        assert used == kept[0]  # the same connection, answering
        _import_elsewhere(db, tmp_path / "new")
        database_work(app, db, _count, answers.append, group="test")
        await settle(pilot)
        assert answers[-1] == (before + 1, used)
        assert not app._notifications


@sync
async def test_after_a_database_error_the_next_read_opens_the_archive_anew(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        kept: list[Archive] = []

        def broken(arch: Archive) -> None:
            kept.append(arch)
            arch.conn.execute("SELECT * FROM no_such_table")

        database_work(app, db, broken, print, group="test")
        await settle(pilot)
        assert len(app._notifications) == 1  # the problem is told
        answers: list[tuple[int, int]] = []
        database_work(app, db, _count, answers.append, group="test")
        await settle(pilot)
        assert answers and answers[0][1] != id(kept[0])
        with pytest.raises(sqlite3.ProgrammingError):  # the failed one was closed
            kept[0].conn.execute("SELECT 1")


@sync
async def test_closing_the_browser_closes_its_reading_connections(db: Path) -> None:
    kept: list[Archive] = []
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        database_work(app, db, kept.append, lambda _none: None, group="test")
        await settle(pilot)
        assert kept and not kept[0].conn.in_transaction  # each read's snapshot has ended
        await pilot.press("q")
    with pytest.raises(sqlite3.ProgrammingError):
        kept[0].conn.execute("SELECT 1")


def test_a_search_in_a_read_snapshot_keeps_what_it_found(db: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser searches inside a read snapshot: a read-only one cannot roll anything
    back, so the next page of the same search comes from what was found (``_FOUND``)."""
    calls: list[object] = []
    real = searching._found

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(searching, "_found", counted)
    with Archive(db, create=False, write=False) as arch:
        for offset in (0, 1, 2):
            with arch.reading():
                searching.search(arch, "信息公开", limit=1, offset=offset, counted=True)
    assert len(calls) == 1
