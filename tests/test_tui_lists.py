"""The browser's lists as people expect them: sort by any column (the order in the header),
export the list as filtered and sorted, copy a cell, a row or a finding by OSC 52."""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from test_tui_support import HOSTILE, pages_of, settle, sync, type_text
from textual.widgets import DataTable, Input
from typer.testing import CliRunner

from goitui.archive.findings import review
from goitui.archive.queries import FindingFilter, ReportFilter, finding_rows, report_rows
from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.cli import app as cli
from goitui.export.records import listed_findings_sheet, reports_sheet, search_sheet
from goitui.tui.app import GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.lists import ExportDialog, ListScreen, export_name
from goitui.tui.render import status_text
from goitui.tui.search_screen import SearchScreen
from goitui.tui.validation_screen import ValidationScreen


def headers(table: DataTable) -> list[str]:
    return [column.label.plain for column in table.ordered_columns]


async def column(pilot, screen: ListScreen, key: str) -> None:
    """Move the list's column cursor to ``key`` with the arrow keys, as a person would."""
    table = screen.table
    target = [c.key.value for c in table.ordered_columns].index(key)
    while table.cursor_column != target:
        await pilot.press("left" if table.cursor_column > target else "right")


async def open_findings(pilot, text: str = "") -> ValidationScreen:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    await type_text(pilot, text)
    await pilot.press("enter")  # the filter hands over to the list
    await settle(pilot)
    assert isinstance(pilot.app.screen, ValidationScreen)
    return pilot.app.screen


async def export_to(pilot, path: Path | str) -> None:
    await pilot.press("e")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    field = dialog.query_one("#export-path", Input)
    assert field.value.startswith("goi-") and field.value.endswith(".csv")
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@sync
async def test_archive_sorts_by_the_column_under_the_cursor_and_back(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        table = screen.table
        assert "agency ▲" in headers(table)  # the order the list opens in
        await column(pilot, screen, "year")
        await pilot.press("o")
        await settle(pilot)
        years = [r["year"] for r in screen.loaded.page.rows]
        assert years == sorted(years, reverse=True) and years[0] > years[-1]
        assert "year ▼" in headers(table) and "agency" in headers(table)
        assert "order: year ▼" in str(screen.query_one("#info").render())
        await pilot.press("o")  # the same key again: the other way round
        await settle(pilot)
        assert [r["year"] for r in screen.loaded.page.rows] == sorted(years)
        assert "year ▲" in headers(table)
        assert table.cursor_column == 2  # the column cursor stays where it was
        await column(pilot, screen, "errors")
        await pilot.press("o")
        await settle(pilot)
        errors = [r["errors"] for r in screen.loaded.page.rows]
        assert errors == sorted(errors, reverse=True) and "E ▼" in headers(table)
        await column(pilot, screen, "history")
        await pilot.press("o")
        await settle(pilot)
        assert screen.sort == "errors"  # the years at a glance are no order
        assert any("cannot be sorted" in m for m in messages(app))


@sync
async def test_a_click_on_a_header_sorts_and_a_second_click_reverses(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.table
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        template_x = sum(widths[:3]) + 2  # inside the template column's header
        await pilot.click("#reports", offset=(template_x, 0))
        await settle(pilot)
        assert (screen.sort, screen.descending) == ("template", False)
        assert "template ▲" in headers(table) and table.cursor_column == 3
        await pilot.click("#reports", offset=(template_x, 0))
        await settle(pilot)
        assert (screen.sort, screen.descending) == ("template", True)
        assert "template ▼" in headers(table)


@sync
async def test_the_order_stays_while_the_pages_turn(db: Path, monkeypatch) -> None:
    import goitui.tui.archive_screen as archive_screen

    pages_of(monkeypatch, archive_screen, 3)
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await column(pilot, screen, "year")
        await pilot.press("o")
        await settle(pilot)
        seen = []
        for _ in range(3):
            seen += [r["id"] for r in screen.loaded.page.rows]
            assert "year ▼" in headers(screen.table)
            await pilot.press("right_square_bracket")
            await settle(pilot)
    with Archive(db) as arch:
        every = report_rows(arch, ReportFilter(sort="year", descending=True), None)
    assert seen == [r["id"] for r in every]


@sync
async def test_findings_sort_by_rule_and_by_severity(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_findings(pilot)
        await column(pilot, screen, "rule")
        await pilot.press("o")
        await settle(pilot)
        rules = [r["rule"] for r in screen.loaded.page.rows]
        assert rules == sorted(rules) and len(set(rules)) > 2
        assert "rule ▲" in headers(screen.table)
        await pilot.press("o")
        await settle(pilot)
        assert [r["rule"] for r in screen.loaded.page.rows] == sorted(rules, reverse=True)
        await column(pilot, screen, "severity")
        await pilot.press("o")
        await settle(pilot)
        rank = {"error": 0, "warning": 1, "info": 2}
        severities = [rank[r["severity"]] for r in screen.loaded.page.rows]
        assert severities == sorted(severities) and "sev ▲" in headers(screen.table)
        assert isinstance(app.screen, ValidationScreen)  # o and ← → never reach the filter
        assert screen.query_one("#vfilter", Input).value == ""


@sync
async def test_export_writes_the_whole_list_as_filtered_and_sorted(db: Path, tmp_path: Path,
                                                                   monkeypatch) -> None:
    import goitui.tui.archive_screen as archive_screen

    pages_of(monkeypatch, archive_screen, 2)  # the export is every row, not the page
    target = tmp_path / "out"
    target.mkdir()
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await export_to(pilot, target / "all.csv")
        assert any("exported to" in m and "all.csv" in m for m in messages(app))
        await pilot.press("y")  # the 2019 facet, then newest... by errors, most first
        await settle(pilot)
        await column(pilot, screen, "errors")
        await pilot.press("o")
        await settle(pilot)
        await export_to(pilot, target / "2019.xlsx")
    raw = (target / "all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as the CLI writes it
    # in the list's first order the file is the CLI's `goi list --format csv`, byte for byte
    cli_csv = CliRunner().invoke(cli, ["list", "--db", str(db), "--format", "csv"]).stdout_bytes
    assert raw == cli_csv
    assert len(list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))) == 1 + 7
    book = load_workbook(target / "2019.xlsx")
    sheet = book.active
    got = [list(row) for row in sheet.iter_rows(values_only=True)]
    with Archive(db) as arch:
        expected = reports_sheet(report_rows(arch, ReportFilter(year=2019, sort="errors",
                                                                descending=True), None))
    assert got[0] == expected.columns
    assert got[1:] == [[None if v == "" else v for v in row] for row in expected.rows]
    assert len(got) == 1 + 3 and [r[6] for r in got[1:]] == sorted(
        (r[6] for r in got[1:]), reverse=True)


@sync
async def test_findings_export_is_the_records_of_goi_validate(db: Path, tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_findings(pilot)
        await column(pilot, screen, "rule")
        await pilot.press("o", "o")  # by rule, Z to A
        await settle(pilot)
        await export_to(pilot, tmp_path / "findings.csv")
        await export_to(pilot, tmp_path / "findings.xlsx")
    rows = list(csv.reader(io.StringIO((tmp_path / "findings.csv").read_text("utf-8-sig"))))
    with Archive(db) as arch:
        listed = finding_rows(arch, FindingFilter(sort="rule", descending=True), None)
    sheet = listed_findings_sheet(listed)
    assert rows[0] == sheet.columns
    rule = sheet.columns.index("rule")
    assert [r[rule] for r in rows[1:]] == sorted((r[rule] for r in rows[1:]), reverse=True)
    # the same records as `goi validate --format csv` (which groups them by report instead)
    result = CliRunner().invoke(cli, ["validate", "--db", str(db), "--format", "csv"])
    cli_rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert cli_rows[0] == rows[0]
    assert sorted(cli_rows[1:]) == sorted(rows[1:]) and len(rows) > 10
    book = load_workbook(tmp_path / "findings.xlsx")
    xlsx = [["" if v is None else str(v) for v in row]
            for row in book.active.iter_rows(values_only=True)]
    assert xlsx == rows


@sync
async def test_export_problems_are_told_never_a_crash(db: Path, tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await export_to(pilot, tmp_path / "no-such-dir" / "x.csv")
        assert any("cannot write" in m and "no-such-dir" in m for m in messages(app))
        await export_to(pilot, tmp_path / "list.txt")
        assert any("must end in .csv or .xlsx" in m for m in messages(app))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")  # cancelled: nothing written, the list is back
        await settle(pilot)
        assert isinstance(app.screen, ArchiveScreen) and not list(tmp_path.glob("*.csv"))
    assert export_name("reports").startswith("goi-reports-")


def osc52(written: list[str]) -> list[str]:
    """The clipboard texts sent to the terminal (OSC 52, base64)."""
    out = []
    for chunk in written:
        if chunk.startswith("\x1b]52;c;"):
            out.append(base64.b64decode(chunk[len("\x1b]52;c;"):].rstrip("\a")).decode())
    return out


@sync
async def test_copy_a_cell_and_a_row_by_osc52(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        written: list[str] = []
        write = app._driver.write
        app._driver.write = lambda data: (written.append(data), write(data))[-1]
        screen = app.screen
        row = screen.loaded.page.rows[0]
        await column(pilot, screen, "agency")
        await pilot.press("c")
        await pilot.pause()
        assert osc52(written) == [row["agency"]] and app.clipboard == row["agency"]
        assert any(m.startswith("copied agency: ") for m in messages(app))
        await pilot.press("C")
        await pilot.pause()
        copied = osc52(written)[-1].split("\t")
        # the status as its cell shows it (``✓ pass``), not the stored word
        assert copied[:4] == [status_text(row["status"], dismissed=row.get("dismissed", 0)).plain,
                              row["agency"], str(row["year"]), row["template"]]
        assert len(copied) == 8 and set(copied[-1]) <= {"✓", "!", "✗", "·"}


@sync
async def test_copy_a_finding_in_full_with_its_control_characters_escaped(db: Path) -> None:
    with Archive(db) as arch:
        review(arch, "紫溪镇", 2020, "A-BALANCE", "dismissed", f"checked {HOSTILE}")
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_findings(pilot, "rule:A-BAL")
        written: list[str] = []
        write = app._driver.write
        app._driver.write = lambda data: (written.append(data), write(data))[-1]
        await pilot.press("C")
        await pilot.pause()
        [text] = osc52(written)
        row = screen.loaded.page.rows[0]
        assert row["fingerprint"] in text and "A-BALANCE" in text and "紫溪镇" in text
        assert row["message"] in text.replace("\n", " ") or row["message"][:20] in text
        assert "\\x1b[2J\\x07" in text and "\x1b" not in text and "\x07" not in text
        assert not any("\x1b" in chunk for chunk in written if not chunk.startswith("\x1b"))
        assert any(m.startswith("copied the finding: ") for m in messages(app))
        await column(pilot, screen, "year")
        await pilot.press("c")
        await pilot.pause()
        assert osc52(written)[-1] == "2020"
        assert screen.query_one("#vfilter", Input).value == "rule:A-BAL"  # c, C: not typed


async def open_search(pilot, query: str) -> SearchScreen:
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, query)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    screen.table.focus()
    return screen


@sync
async def test_search_results_sort_by_a_column_and_back_to_relevance(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "信息公开")
        relevance = [r["report_id"] for r in screen.loaded.page.rows]
        assert len(relevance) > 3 and not any("▲" in h or "▼" in h for h in headers(screen.table))
        await column(pilot, screen, "year")
        await pilot.press("o")
        await settle(pilot)
        years = [r["year"] for r in screen.loaded.page.rows]
        assert years == sorted(years, reverse=True) and "year ▼" in headers(screen.table)
        assert "order: year ▼" in str(screen.query_one("#mode").render())
        await pilot.press("o")
        await settle(pilot)
        assert "year ▲" in headers(screen.table)
        await pilot.press("o")  # a third time: relevance again
        await settle(pilot)
        assert [r["report_id"] for r in screen.loaded.page.rows] == relevance
        assert not any("▲" in h or "▼" in h for h in headers(screen.table))
        await column(pilot, screen, "matches")
        await pilot.press("o")
        await settle(pilot)
        assert screen.sort == "rank" and any("cannot be sorted" in m for m in messages(app))
        assert screen.query_one("#query", Input).value == "信息公开"


@sync
async def test_search_results_turn_pages_in_their_order(db: Path, monkeypatch) -> None:
    import goitui.tui.search_screen as search_screen

    pages_of(monkeypatch, search_screen, 2)
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "信息公开")
        await column(pilot, screen, "agency")
        await pilot.press("o", "o")  # agency, Z to A
        await settle(pilot)
        seen = []
        while True:
            seen += [r["report_id"] for r in screen.loaded.page.rows]
            if screen.loaded.page.last >= screen.loaded.page.total:
                break
            await pilot.press("right_square_bracket")
            await settle(pilot)
        assert f"of {len(seen)}" in str(screen.query_one("#mode").render())
    with Archive(db) as arch:
        every = search(arch, "信息公开", limit=100, sort="agency", descending=True)
    assert seen == [h.report_id for h in every.hits] and len(seen) > 2


@sync
async def test_search_results_export_and_copy(db: Path, tmp_path: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, "信息公开 year:2020")
        await column(pilot, screen, "status")
        await pilot.press("o")
        await settle(pilot)
        await export_to(pilot, tmp_path / "found.csv")
        written: list[str] = []
        write = app._driver.write
        app._driver.write = lambda data: (written.append(data), write(data))[-1]
        await column(pilot, screen, "snippet")
        await pilot.press("c")
        await pilot.pause()
        row = screen.loaded.page.rows[0]
        assert osc52(written) == [row["snippet"]]
    rows = list(csv.reader(io.StringIO((tmp_path / "found.csv").read_text("utf-8-sig"))))
    with Archive(db) as arch:
        expected = search_sheet(search(arch, "信息公开", year=2020, limit=100,
                                       sort="status").to_dict())
    assert rows[0] == expected.columns
    assert rows[1:] == [["" if v is None else str(v) for v in r] for r in expected.rows]
    assert {r[2] for r in rows[1:]} == {"2020"} and len(rows) > 2
