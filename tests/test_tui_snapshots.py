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
