"""The findings screen for daily work: typing never reviews a finding, every review can be
undone, a finding is shown whole, reviewed findings look reviewed, the palette lists goi's
actions only, and search keeps its results focused when a report is closed."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import settle, sync, type_text
from textual.widgets import DataTable, Input, Static

from goitui.archive.store import Archive
from goitui.tui.app import GoiApp
from goitui.tui.finding_detail import FindingDetail
from goitui.tui.note import NoteDialog
from goitui.tui.report_screen import ReportScreen
from goitui.tui.search_screen import SearchScreen
from goitui.tui.validation_screen import ValidationScreen


def reviews(db: Path) -> list[tuple]:
    with Archive(db) as arch:
        return [tuple(r.values()) for r in arch.q("SELECT fingerprint, state, note FROM reviews")]


async def findings(pilot) -> ValidationScreen:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ValidationScreen)
    return pilot.app.screen


@sync
async def test_typing_a_filter_never_reviews(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await findings(pilot)
        field = screen.query_one("#vfilter", Input)
        assert app.focused is field
        await type_text(pilot, "rule:A year:2019 u a x r")
        await settle(pilot)
        assert field.value == "rule:A year:2019 u a x r"
        assert not isinstance(app.screen, NoteDialog)
        # on the list, a letter that is no key of the list goes back to the filter
        field.value = ""
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is screen.query_one("#vfindings", DataTable)
        await type_text(pilot, "紫")
        assert app.focused is field and field.value == "紫"
    assert reviews(db) == []


@sync
async def test_review_then_undo_from_the_same_screen(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await findings(pilot)
        await pilot.press("enter")  # to the list
        await settle(pilot)
        first = screen.loaded.page.rows[0]["fingerprint"]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "ok")
        await pilot.press("enter")
        await settle(pilot)
        assert reviews(db) == [(first, "acknowledged", "ok")]
        row = screen.loaded.page.rows[0]
        assert row["review"] == "acknowledged"
        table = screen.query_one("#vfindings", DataTable)
        message = table.get_row_at(0)[-1]
        assert str(message).startswith("✓ ") and "dim" in str(message.style)
        await pilot.press("u")  # reopening asks first; escape keeps the review
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert reviews(db) == [(first, "acknowledged", "ok")]
        await pilot.press("z")  # undo the acknowledgement
        await settle(pilot)
        assert reviews(db) == []


@sync
async def test_finding_detail_shows_everything(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await findings(pilot)
        await type_text(pilot, "rule:A-BAL")
        await pilot.press("enter")
        await settle(pilot)
        row = screen.loaded.page.rows[0]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FindingDetail)
        text = str(app.screen.query_one("#finding-text", Static).render())
        assert row["fingerprint"] in text and "A-BALANCE" in text
        assert "expected" in text or "应为" in text
        await pilot.press("enter")  # opens the report at the finding
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)


@sync
async def test_palette_lists_goi_actions_once(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert len(titles) == len(set(titles))
        assert not {"Theme", "Screenshot", "Keys", "Change theme"} & set(titles)
        assert any("Search" in t or "搜索" in t for t in titles)


@sync
async def test_back_from_a_report_keeps_search_results_focused(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "政府信息")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#results")
        await pilot.press("q")  # goes back, does not type into the query
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)


def test_few_colours_use_the_terminals_palette_and_dumb_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from goitui.cli import app
    from goitui.commands.browse import many_colours

    assert many_colours({"TERM": "xterm-256color"})
    assert many_colours({"TERM": "xterm", "COLORTERM": "truecolor"})
    assert not many_colours({"TERM": "xterm"}) and not many_colours({"TERM": "linux"})
    result = CliRunner().invoke(app, ["browse", "--db", str(tmp_path / "none.db")],
                                env={"TERM": "dumb"})
    assert result.exit_code == 2 and "TERM=dumb" in result.stderr
