"""The browser driven from the keyboard (Pilot) on the seeds' archive: every screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import HOSTILE, pages_of, screen_text, settle, sync, type_text
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from goitui.archive.store import Archive
from goitui.errors import BadFilter
from goitui.text import visible
from goitui.tui.app import ANSI_THEME, GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.diff_screen import DiffScreen
from goitui.tui.figure import FigureDialog
from goitui.tui.help import HelpScreen
from goitui.tui.note import NoteDialog
from goitui.tui.render import FOUND_STYLE
from goitui.tui.report_screen import ReportScreen
from goitui.tui.search_screen import SearchScreen
from goitui.tui.textview import TextView
from goitui.tui.validation_screen import ValidationScreen


def rendered(widget: Static) -> str:
    return str(widget.render())


async def open_report(pilot, name: str, year: int) -> ReportScreen:
    """Filter the archive by name, move to the year, open it."""
    app = pilot.app
    await pilot.press("f")
    await type_text(pilot, name)
    await pilot.press("enter")
    await settle(pilot)
    table = app.screen.query_one("#reports", DataTable)
    rows = app.screen.loaded.page.rows
    table.move_cursor(row=next(i for i, r in enumerate(rows) if r["year"] == year))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ReportScreen)
    return app.screen


@sync
async def test_archive_lists_filters_and_facets(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        table = screen.query_one("#reports", DataTable)
        assert table.row_count == 7
        await pilot.press("f")
        await type_text(pilot, "紫西")  # one character wrong: fuzzy still finds 紫溪镇
        await settle(pilot)
        assert {r["agency"] for r in screen.loaded.page.rows} == {"紫溪镇"}
        await pilot.press("escape")  # leaves the filter, does not quit
        assert app.focused is table
        await pilot.press("x", "y")  # clear, then the first year facet
        await settle(pilot)
        assert screen.flt.year == 2019 and table.row_count == 3
        await pilot.press("s")
        await settle(pilot)
        assert screen.flt.status is not None
        await pilot.press("x", "right", "right", "o")  # the year column: newest first
        await settle(pilot)
        assert (screen.sort, screen.descending) == ("year", True)
        assert [r["year"] for r in screen.loaded.page.rows][0] == 2020
        marks = "".join(table.get_row_at(i)[0].plain[0] for i in range(table.row_count))
        assert set(marks) <= {"✓", "!", "✗"}


@sync
async def test_lists_turn_pages(db: Path, monkeypatch) -> None:
    import goitui.tui.archive_screen as archive_screen

    pages_of(monkeypatch, archive_screen, 3)  # 7 reports: pages of 3, 3 and 1
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        first = [r["id"] for r in screen.loaded.page.rows]
        await pilot.press("right_square_bracket")
        await settle(pilot)
        second = [r["id"] for r in screen.loaded.page.rows]
        assert len(first) == len(second) == 3 and not set(first) & set(second)
        await pilot.press("right_square_bracket", "right_square_bracket")  # the last page stays
        await settle(pilot)
        assert screen.row_offset == 6 and len(screen.loaded.page.rows) == 1
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert [r["id"] for r in screen.loaded.page.rows] == second


@sync
async def test_open_report_and_follow_a_finding_to_its_cell(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await open_report(pilot, "紫溪", 2020)
        report = screen.report
        assert report is not None and (report.agency, report.year) == ("紫溪镇", 2020)
        findings = screen.query_one("#findings", OptionList)
        i = next(i for i, f in enumerate(report.findings) if f.rule == "A-BALANCE")
        findings.focus()
        findings.highlighted = i
        await pilot.press("enter")
        await pilot.pause()
        table = screen.query_one("#table-applications", DataTable)
        assert app.focused is table
        assert screen.query_one(TabbedContent).active == "tab-applications"
        key = report.findings[i].keys[0]
        assert table.cursor_coordinate == screen.cells["applications"][key]
        cell = table.get_cell_at(table.cursor_coordinate)
        assert cell.plain.startswith("✗")  # the mark reads without colour
        assert "本年新收" in rendered(screen.query_one("#cell", Static))
        await pilot.press("l")  # the source line of that figure
        await pilot.pause()
        assert isinstance(app.screen, FigureDialog)
        assert app.screen.figure.key == key
        await pilot.press("escape")
        await pilot.press("left_square_bracket")  # the year before
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen) and app.screen.report.year == 2019
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.report.year == 2020
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ArchiveScreen)


@sync
async def test_diff_two_years(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_report(pilot, "紫溪", 2020)
        await pilot.press("d")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert (screen.old_year, screen.new_year) == (2019, 2020)
        assert "2019 → 2020" in rendered(screen.query_one("#dhead", Static))
        options = screen.query_one("#diff", OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("0 → 3" in t for t in texts)  # a figure, old → new
        assert any("94 → 120" in t for t in texts)  # a number stated in the prose
        assert any("政务公开专区" in t for t in texts)  # a new sentence
        first = options.highlighted
        await pilot.press("n")
        assert options.highlighted != first
        await pilot.press("N")
        assert options.highlighted == first
        options.highlighted = next(i for i, t in enumerate(texts) if "0 → 3" in t)
        await pilot.press("enter")  # the figure, in the newer report
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert app.focused is app.screen.query_one("#table-applications")


@sync
async def test_search_and_open_the_result_at_the_match(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "专区")
        await settle(pilot)
        mode = rendered(app.screen.query_one("#mode", Static))
        assert "1 report," in mode and "character pairs" in mode
        app.screen.query_one("#query", Input).value = ""
        await type_text(pilot, "政务公开专区")
        await settle(pilot)
        assert "full-text index" in rendered(app.screen.query_one("#mode", Static))
        await pilot.press("enter")  # in the query: opens the first result
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReportScreen) and screen.report.year == 2020
        view = screen.query_one("#source", TextView)
        assert app.focused is view
        assert view.styled(FOUND_STYLE) == ["政务公开专区"]  # the match opened, marked


@sync
async def test_dismiss_a_finding_with_a_note(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ValidationScreen)
        await type_text(pilot, "rule:A-BAL")  # the screen opens with its filter focused
        await pilot.press("enter")
        await settle(pilot)
        assert screen.loaded.page.total == 1
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "checked")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.loaded.page.rows[0]["review"] == "dismissed"
        await pilot.press("r")  # review facet: open only
        await settle(pilot)
        assert screen.query_one("#vfilter", Input).value.endswith("review:open")
        assert screen.loaded.page.total == 0
    with Archive(db) as arch:
        r = arch.find_report("紫溪镇", 2020)
        f = next(f for f in r.findings if f.rule == "A-BALANCE")
        assert (f.review, f.note) == ("dismissed", "checked")


@sync
async def test_report_text_is_shown_not_obeyed(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = await open_report(pilot, "远觉", 2020)
        text = "".join(screen.query_one("#text", TextView).lines())  # wrapped: joined again
        assert "[bold red]注意[/] \\x1b[2J\\x07 警示" in text
        assert "\x1b" not in text
        assert HOSTILE[:4] == "[bol"
        screen.notify(f"acknowledged: {HOSTILE}")  # toasts carry agency names and findings
        await pilot.pause()
        note = list(app._notifications)[-1]
        assert not note.markup and note.message == f"acknowledged: {visible(HOSTILE)}"


@sync
async def test_help_palette_and_keys(db: Path) -> None:
    app = GoiApp(db, theme=ANSI_THEME)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Filter", "Year", "Sort", "Export", "Copy cell", "Copy row", "Search", "Findings",
                "Help"} <= titles
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Filter" in shown and "Template" in shown
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


def test_unknown_theme_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadFilter, match="textual-ansi"):
        GoiApp(tmp_path / "a.db", theme="nope")
