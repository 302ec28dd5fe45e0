"""How the archive, report and diff screens look at 100×30, Chinese included (SVG snapshots).

Regenerate after a deliberate change: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import build, settle
from textual.pilot import Pilot

from goitui.tui.app import GoiApp

SIZE = (100, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive itself, not a copy (tests/conftest.py's ``db``): the reports' paths are
    shown relative to the archive's folder, as the snapshots have them."""
    return build(tmp_path_factory.mktemp("snap"))


async def open_zixi_2020(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("f", "紫", "溪", "enter")
    await settle(pilot)
    await pilot.press("down", "enter")  # rows sorted by agency, then year: 2019, 2020
    await settle(pilot)


def test_archive_screen(snap_compare, db: Path) -> None:
    assert snap_compare(GoiApp(db), terminal_size=SIZE, run_before=settle)


def test_report_screen(snap_compare, db: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_zixi_2020(pilot)
        await pilot.press("3")  # the applications table, where the findings are
        await pilot.pause()

    assert snap_compare(GoiApp(db), terminal_size=SIZE, run_before=run_before)


def test_diff_screen(snap_compare, db: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_zixi_2020(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(GoiApp(db), terminal_size=SIZE, run_before=run_before)


def test_report_screen_in_chinese(snap_compare, db: Path, chinese_browser) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_zixi_2020(pilot)
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(chinese_browser(db), terminal_size=SIZE, run_before=run_before)
SMALL = (80, 24)


async def open_findings(pilot: Pilot, text: str) -> None:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    for ch in text:
        await pilot.press(ch)
    await pilot.press("enter")
    await settle(pilot)


def test_finding_detail_at_80x24(snap_compare, db: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_findings(pilot, "rule:A-BAL")
        await pilot.press("i")
        await settle(pilot)

    assert snap_compare(GoiApp(db), terminal_size=SMALL, run_before=run_before)


def test_reviewed_finding_at_80x24(snap_compare, db: Path, tmp_path: Path) -> None:
    import shutil

    from goitui.archive.findings import review
    from goitui.archive.store import Archive

    copy = Path(shutil.copy(db, tmp_path / "archive.db"))
    with Archive(copy) as arch:  # reviewed beforehand: the picture is the list, not the worker
        review(arch, "紫溪镇", 2020, "A-BALANCE", "dismissed", "checked")

    async def run_before(pilot: Pilot) -> None:
        await open_findings(pilot, "rule:A-BAL")

    assert snap_compare(GoiApp(copy), terminal_size=SMALL, run_before=run_before)


def test_diff_changed_values_only_at_80x24(snap_compare, db: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await open_zixi_2020(pilot)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(GoiApp(db), terminal_size=SMALL, run_before=run_before)


def test_coverage_in_chinese_at_80x24(snap_compare, db: Path, tmp_path: Path,
                                      chinese_browser) -> None:
    """Who has not submitted, limited to a county, as an office in China reads it."""
    import shutil

    from goitui.archive.roster import RosterEntry, store_roster
    from goitui.archive.store import Archive

    copy = Path(shutil.copy(db, tmp_path / "archive.db"))
    with Archive(copy) as arch:
        store_roster(arch, [RosterEntry(name, region) for name, region in (
            ("南山县", "北河市"), ("紫溪镇", "南山县"), ("拉西瓦镇", "南山县"), ("石门乡", "南山县"),
            ("远觉镇", "北河市"))])

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # 北河市, then 南山县 under it
        await settle(pilot)
        await pilot.press("right", "down", "down", "down")  # 石门乡 2019: not submitted
        await settle(pilot)

    assert snap_compare(chinese_browser(copy), terminal_size=SMALL, run_before=run_before)
