"""The coverage screen (m): the roster × years, a region at a time, driven from the keyboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_tui_support import build, screen_text, settle, sync, type_text
from textual.widgets import DataTable, OptionList

from goitui.archive.roster import RosterEntry, coverage, store_roster
from goitui.archive.store import Archive
from goitui.render.display import COVERAGE_MARK
from goitui.tui.app import GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.coverage_screen import CoverageScreen, RegionDialog
from goitui.tui.report_screen import ReportScreen

#: a prefecture with two counties; 石门乡 is expected but never archived
ROSTER = [("南山县", "北河市"), ("荣昌区", "北河市"), ("紫溪镇", "南山县"), ("拉西瓦镇", "南山县"),
          ("石门乡", "南山县"), ("远觉镇", "荣昌区"), ("八道沟镇", "荣昌区")]


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("coverage"))


@pytest.fixture
def db(plain_db: Path, tmp_path: Path) -> Path:
    path = Path(shutil.copy(plain_db, tmp_path / "archive.db"))
    with Archive(path) as arch:
        store_roster(arch, [RosterEntry(name, region) for name, region in ROSTER])
    return path


def table_marks(screen: CoverageScreen) -> dict[str, list[str]]:
    table = screen.query_one("#coverage", DataTable)
    return {str(table.get_row_at(i)[0]): [str(cell) for cell in table.get_row_at(i)[1:]]
            for i in range(table.row_count)}


async def open_coverage(pilot) -> CoverageScreen:
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CoverageScreen)
    return pilot.app.screen


@sync
async def test_the_matrix_is_the_cli_matrix(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        with Archive(db, create=False, write=False) as arch:
            expected = coverage(arch)
        assert screen.loaded is not None and screen.loaded.coverage.years == [2019, 2020]
        marks = table_marks(screen)
        assert marks == {row["agency"]: [COVERAGE_MARK[row["cells"][y]] for y in expected.years]
                         for row in expected.rows}
        assert marks["石门乡"] == ["—", "—"] and marks["紫溪镇"] == ["✗", "✗"]
        text = screen_text(app)
        assert "7 agencies × 2 years; 8 reports missing" in text and "region: all" in text


@sync
async def test_a_region_limits_the_rows_and_escape_keeps_it(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RegionDialog)
        listing = dialog.query_one("#regions", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[1:] == ["北河市", "  南山县", "  荣昌区"]  # nested as the sheet nests them
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.chosen_region == "南山县"
        assert set(table_marks(screen)) == {"南山县", "紫溪镇", "拉西瓦镇", "石门乡"}
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert screen.chosen_region == "南山县"
        await pilot.press("m")  # only the agencies with a year missing
        await pilot.pause()
        assert set(table_marks(screen)) == {"南山县", "拉西瓦镇", "石门乡"}


@sync
async def test_enter_opens_the_report_of_the_cell_or_says_none_was_submitted(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_coverage(pilot)
        names = list(table_marks(screen))
        table = screen.query_one("#coverage", DataTable)
        table.move_cursor(row=names.index("石门乡"), column=1)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert any("石门乡 submitted no report for 2019" in n.message
                   for n in app._notifications)
        table.move_cursor(row=names.index("远觉镇"), column=2)
        await pilot.pause()
        assert "远觉镇 2020" in screen_text(app) and "archived as 重庆市荣昌区远觉镇人民政府" \
            in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        with Archive(db, create=False, write=False) as arch:
            row = arch.q("SELECT agency_id, year FROM reports WHERE id = ?", [report.report_id])[0]
            assert row["year"] == 2020
            assert arch.q("SELECT name FROM agencies WHERE id = ?",
                          [row["agency_id"]])[0]["name"] == "重庆市荣昌区远觉镇人民政府"
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is screen


@sync
async def test_reachable_from_the_palette_and_without_a_roster(plain_db: Path) -> None:
    app = GoiApp(plain_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ArchiveScreen)
        assert "Coverage" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Coverage")
        from textual.command import CommandList

        for _attempt in range(100):  # the palette searches in a worker of its own
            await pilot.pause(0.05)
            found = app.screen.query_one(CommandList)
            if found.highlighted is not None and "Coverage" in str(
                    found.get_option_at_index(found.highlighted).prompt):
                break
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        # no roster: every archived agency, under its archive name
        assert "紫溪镇" in table_marks(screen) and len(table_marks(screen)) == 5
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        assert any("roster" in n.message for n in app._notifications)
