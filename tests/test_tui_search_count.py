"""The browser's search shows its results before their count (benchmarks/tui.py times the
key to the results): the line says it is counting, the count fills in from a second read,
the page turns without counting again, and a count of a query typed over is stopped."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from test_tui_support import build, endless_read, pages_of, settle, sync, type_text
from textual.widgets import Static

import goitui.tui.search_screen as search_screen
from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.tui.app import GoiApp
from goitui.tui.base import database_work, stop_reads
from goitui.tui.lists import ExportDialog
from goitui.tui.search_screen import SearchScreen

#: a term of four characters in every report of the sample archive: its page comes first
COMMON = "信息公开"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("search-count"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(template_db, tmp_path / "archive.db"))


def mode_line(screen: SearchScreen) -> str:
    return str(screen.query_one("#mode").render())


@sync
async def test_results_come_first_then_their_count(db: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pages_of(monkeypatch, search_screen, 2)
    gate, counted = threading.Event(), []
    real = search_screen.count

    def held(arch: Archive, query: str, **filters: object) -> object:
        counted.append(query)
        gate.wait(10)
        return real(arch, query, **filters)  # type: ignore[arg-type]

    monkeypatch.setattr(search_screen, "count", held)
    with Archive(db) as arch:
        whole = search(arch, COMMON, limit=100)
    assert whole.count is not None and whole.count > 4
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, COMMON)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for _ in range(200):
            await pilot.pause(0.02)
            if screen.loaded is not None and screen.loaded.asked[0] == COMMON and counted:
                break
        assert [row["report_id"] for row in screen.loaded.page.rows] == [
            h.report_id for h in whole.hits[:2]]
        assert screen.loaded.page.total is None
        assert "counting reports…" in mode_line(screen) and "of … (counting)" in mode_line(screen)
        await pilot.press("tab", "e")  # to the results; an export asked for before the count
        await pilot.pause(0.1)
        assert isinstance(app.screen, ExportDialog)
        assert "export every row" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")
        gate.set()
        await settle(pilot)
        assert screen.loaded.page.total == whole.count
        assert f"{whole.count} reports, " in mode_line(screen)
        assert "counting" not in mode_line(screen)
        await pilot.press("right_square_bracket")  # the next page
        await settle(pilot)
        assert screen.row_offset == 2 and screen.loaded.page.total == whole.count
        assert [row["report_id"] for row in screen.loaded.page.rows] == [
            h.report_id for h in whole.hits[2:4]]
        assert f"3–4 of {whole.count}" in mode_line(screen)
        assert counted == [COMMON]  # the same query: counted once


@sync
async def test_a_page_that_came_counted_is_not_counted_again(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Few results (every one read for the page) or a term of one trigram (the index counts
    it at once): the count is the page's own."""
    counted: list[str] = []
    real = search_screen.count
    monkeypatch.setattr(search_screen, "count", lambda arch, query, **filters: (
        counted.append(query), real(arch, query, **filters))[1])
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, COMMON[:3])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.loaded is not None
        assert screen.loaded.page.total is not None and "counting" not in mode_line(screen)
        assert counted == []


@sync
async def test_a_count_no_longer_wanted_is_stopped_without_an_answer(db: Path) -> None:
    """A count of a query typed over stops at once (no toast: it was not wrong, only old),
    and its answer is dropped."""
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        started, answers, took = threading.Event(), [], []

        database_work(app, db, endless_read(started, took), answers.append, group="count")
        while not started.is_set():
            await pilot.pause(0.01)
        for _ in range(100):  # until its query runs (an interrupt before it stops nothing)
            stop_reads(app, "count")
            await pilot.pause(0.05)
            if took:
                break
        await settle(pilot)
        assert took and took[0] < 5 and answers == []
        assert not app._notifications
        database_work(app, db, lambda arch: "next", answers.append, group="count")
        await settle(pilot)
        assert answers == ["next"]  # the group reads again
