"""What keeps the browser's keys fast (benchmarks/tui.py times them): a list's page is shown
before it is counted and its counts are kept while only the page turns, reads run one at a
time per group (the newest request waiting), and search results are read ahead and kept, so
turning their pages does not search again."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from test_tui_support import build, endless_read, pages_of, settle, sync, type_text

import goitui.tui.archive_screen as archive_screen
import goitui.tui.search_screen as search_screen
from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.tui.app import GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.base import database_work
from goitui.tui.search_screen import SearchScreen
from goitui.tui.validation_screen import ValidationScreen


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("latency"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(template_db, tmp_path / "archive.db"))


def _calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Each call of ``module.name`` recorded (its first argument after the archive)."""
    seen: list[object] = []
    real = getattr(module, name)

    def counted(arch, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(args[0] if args else None)
        return real(arch, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return seen


@sync
async def test_turning_pages_keeps_the_counts_a_new_filter_counts_again(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages_of(monkeypatch, archive_screen, 3)
    counted = _calls(monkeypatch, archive_screen, "count")
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        total, before = screen.loaded.page.total, len(counted)
        assert total is not None and total > 3 and before == 1
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.row_offset == 3 and screen.loaded.page.total == total
        assert len(counted) == before  # the same filter: counted once
        assert f"of {total:,} reports" in str(screen.query_one("#info").render())
        await pilot.press("f")
        await type_text(pilot, "紫溪")
        await settle(pilot)
        assert len(counted) > before and screen.loaded.page.total < total


@sync
async def test_a_page_is_shown_uncounted_and_says_so(db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Until the counts come, the line under the list says it is counting, never a total
    it does not know; the page's own rows are there already."""
    pages_of(monkeypatch, archive_screen, 3)
    gate = threading.Event()
    real = archive_screen.count
    monkeypatch.setattr(archive_screen, "count",
                        lambda arch, flt: (gate.wait(10), real(arch, flt))[1])
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, ArchiveScreen) and screen.loaded is not None:
                break
        assert len(screen.loaded.page.rows) == 3 and screen.loaded.page.total is None
        assert "of … (counting)" in str(screen.query_one("#info").render())
        gate.set()
        await settle(pilot)
        assert screen.loaded.page.total is not None
        assert "counting" not in str(screen.query_one("#info").render())


@sync
async def test_the_findings_list_comes_with_its_first_page(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        for _ in range(200):  # the screen appears only once its page is read
            await pilot.pause(0.01)
            if isinstance(app.screen, ValidationScreen):
                break
        screen = app.screen
        assert isinstance(screen, ValidationScreen) and screen.loaded is not None
        assert screen.loaded.page.rows
        await settle(pilot)
        assert screen.loaded.page.total == screen.counts.total and screen.loaded.facets


@sync
async def test_reads_run_one_at_a_time_and_only_the_newest_waiting_one_answers(
        db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        runs: list[tuple[str, float, float]] = []
        answers: list[str] = []

        def job(name: str, seconds: float):  # noqa: ANN202
            def run(arch: Archive) -> str:
                start = time.monotonic()
                time.sleep(seconds)
                runs.append((name, start, time.monotonic()))
                return name
            return run

        for name in ("first", "second", "third"):
            database_work(app, db, job(name, 0.2 if name == "first" else 0.0),
                          answers.append, group="test")
        await settle(pilot)
        assert [name for name, _start, _end in runs] == ["first", "third"]
        assert runs[1][1] >= runs[0][2]  # one after the other, never side by side
        assert answers == ["third"]  # the first was old once the third was asked


@sync
async def test_search_results_are_read_ahead_and_pages_come_without_searching_again(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages_of(monkeypatch, search_screen, 1)
    searched = _calls(monkeypatch, search_screen, "search")
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "信息公开")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        typed = len(searched)
        await pilot.press("tab")  # to the results: the next pages are read, in one search
        await settle(pilot)
        assert len(searched) == typed + 1
        seen = [screen.loaded.page.rows[0]["report_id"]]
        for _ in range(SearchScreen.AHEAD):
            await pilot.press("right_square_bracket")
            await settle(pilot)
            seen.append(screen.loaded.page.rows[0]["report_id"])
        await pilot.press(*["left_square_bracket"] * SearchScreen.AHEAD)
        await settle(pilot)
        assert screen.row_offset == 0 and screen.loaded.page.rows[0]["report_id"] == seen[0]
        # the pages read ahead, then more read ahead from the last: two searches in all
        assert len(searched) <= typed + 2
    with Archive(db) as arch:
        every = search(arch, "信息公开", limit=len(seen))
    assert seen == [h.report_id for h in every.hits]


@sync
async def test_a_newer_read_interrupts_the_query_of_the_one_running(db: Path) -> None:
    """A search a keystroke: the query of the one before stops at once (no toast: it was
    not wrong, only old), and the newest answers."""
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        started, answers = threading.Event(), []
        took: list[float] = []

        database_work(app, db, endless_read(started, took), answers.append, group="test")
        while not started.is_set():
            await pilot.pause(0.01)
        for _ in range(100):  # asked again until it stops (an interrupt between two
            # statements of the read would stop nothing)
            database_work(app, db, lambda arch: "newer", answers.append, group="test")
            await pilot.pause(0.05)
            if took:
                break
        await settle(pilot)
        assert answers == ["newer"] and took and took[0] < 5
        assert not app._notifications  # an interrupted read is no problem to show
