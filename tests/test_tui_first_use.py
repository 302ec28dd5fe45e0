"""What a new user of ``goi browse`` ran into: a diff from an agency's first year, English
left in the Chinese browser, text cut at the edge, and a filter with no way shown to the list.

Each test drives the browser as a person would (Pilot) on the browser tests' small archive
(``test_tui_support.build``): 紫溪镇 and 远觉镇 have 2019 and 2020, the others one year each.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from test_tui_support import screen_text, settle, sync, type_text
from textual.widgets import DataTable, Footer, Input

from goitui.archive.queries import agency_ids, report_years
from goitui.archive.store import Archive
from goitui.diff import compare as diffs
from goitui.i18n import in_language
from goitui.tui.app import GoiApp
from goitui.tui.archive_screen import ArchiveScreen
from goitui.tui.diff_screen import DiffScreen, differences
from goitui.tui.help import HelpScreen
from goitui.tui.note import NoteDialog
from goitui.tui.render import WrappedText
from goitui.tui.validation_screen import RULE_WIDTH, ValidationScreen
from goitui.validate.rules import RULES


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def footer_keys(app) -> dict[str, str]:
    """The footer's keys as shown: key → its description."""
    return {key.key_display: key.description
            for key in app.screen.query_one(Footer).query("FooterKey")}


async def step(pilot, *keys: str) -> None:
    """Press each key and let the browser answer before the next (its reads are workers)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def open_report(pilot, name: str, down: int = 0) -> None:
    """Filter the archive to ``name`` and open its ``down``-th report (oldest first)."""
    await pilot.press("f", *name, "enter")
    await settle(pilot)
    for _step in range(down):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


# ---------------------------------------------------------------------------- 1. diff


@sync
async def test_a_diff_from_the_first_year_compares_it_with_the_next(db: Path) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_report(pilot, "远觉")  # 2019, the first of 2019 and 2020
        await step(pilot, "d")
        screen = app.screen
        assert isinstance(screen, DiffScreen) and screen.loaded is not None
        assert (screen.loaded.old_year, screen.loaded.new_year) == (2019, 2020)
        assert screen.loaded.diff is not None
        shown = screen_text(app)
        assert "2019 → 2020" in shown and "first year archived" in shown
        assert "compared with the next, 2020" in shown
        before = len(messages(app))
        await pilot.press("o")  # no other older year: said, not ignored
        await settle(pilot)
        assert len(messages(app)) == before + 1
        assert "no other older year" in messages(app)[-1]


@pytest.mark.parametrize("key", ["n", "N", "c", "o", "p"])
@sync
async def test_a_single_year_says_there_is_nothing_to_compare_and_every_key_answers(
        db: Path, key: str) -> None:
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_report(pilot, "拉西瓦")  # 拉西瓦镇: 2019 only
        await step(pilot, "d")
        assert isinstance(app.screen, DiffScreen)
        assert "only 2019 is archived for this agency" in screen_text(app)
        await pilot.press(key)
        await settle(pilot)
        assert messages(app) and "only 2019 is archived" in messages(app)[-1]


# ---------------------------------------------------------------------------- 2. Chinese


@sync
async def test_a_review_asks_and_answers_in_chinese(db: Path, chinese_browser) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        await type_text(pilot, "rule:X-CARRY")
        await pilot.press("enter", "x")  # dismiss the first
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert dialog.title_text.startswith("排除：X-CARRY ")
        await type_text(pilot, "已核对")
        await step(pilot, "enter")
        assert messages(app)[-1].startswith("已排除：X-CARRY ")
        await pilot.press("down", "up")  # the detail under the list: the note, in Chinese
        await settle(pilot)
        assert "备注：已核对" in screen_text(app)
        assert not re.search(r"\b(dismissed|acknowledged|reopened)\b", " ".join(messages(app)))


def test_a_figure_in_one_year_only_says_why_in_chinese(db: Path, chinese_browser) -> None:
    chinese_browser(db)  # the interface in Chinese
    with Archive(db) as arch:
        [agency] = agency_ids(arch, "紫溪镇")
        ids = dict(report_years(arch, agency))
        d = diffs.diff_reports(arch.load(ids[2019]), arch.load(ids[2020]))
    [changed] = [f for f in d.figures if f.status == diffs.CHANGED]
    for reason, words in ((diffs.BY_TEMPLATE, "另一年度的模板中没有"),
                          (diffs.NOT_READ, "另一年度未读取到")):
        only = dataclasses.replace(changed, status=diffs.ONLY_NEW, old=None, reason=reason)
        shown = " ".join(str(o.prompt) for o in differences(dataclasses.replace(
            d, figures=[only])))
        assert f"[{words}]" in shown and f"[{reason}]" not in shown


@sync
async def test_copy_cell_copies_the_words_the_cell_shows(db: Path, chinese_browser) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ArchiveScreen)
        rows = screen.loaded.page.rows
        warned = next(i for i, r in enumerate(rows) if r["status"] == "warn")
        for _step in range(warned):
            await pilot.press("down")
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard.startswith("! " + in_language("warn", "zh"))
        assert "warn" not in app.clipboard
        await step(pilot, "v")
        await type_text(pilot, "rule:C-INJ")
        await pilot.press("enter", "c")  # the severity column: the mark and its word
        await pilot.pause()
        assert app.clipboard == "✗ " + in_language("error", "zh")
        await pilot.press("right", "c")  # a rule id is copied as it is
        await pilot.pause()
        assert app.clipboard == "C-INJECTED"


# ---------------------------------------------------------------------------- 3. text cut


@pytest.mark.parametrize("columns", [100, 120, 140])
@sync
async def test_the_help_keeps_filter_tokens_whole(db: Path, chinese_browser,
                                                  columns: int) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(columns, 40)) as pilot:
        await settle(pilot)
        await step(pilot, "v", "f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.query_one(WrappedText)
        text = screen_text(app)
        for token in re.findall(r"[a-z]+:[\w|-]+", help_text.text):
            assert token in text, token


@pytest.mark.parametrize("columns", [80, 100, 120])
@sync
async def test_no_footer_key_runs_under_the_palette_key(db: Path, chinese_browser,
                                                        columns: int) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(columns, 24)) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        await pilot.press("down")  # to the list: every key of the list in the footer
        await settle(pilot)
        last = screen_text(app).splitlines()[-1]
        assert last.rstrip().endswith("^p " + in_language("Commands", "zh")), last
        assert "i " + in_language("Detail", "zh") in last


@sync
async def test_the_rule_column_fits_the_longest_rule_id(db: Path) -> None:
    assert RULE_WIDTH == max(len(rule.id) for rule in RULES)
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        screen = app.screen
        assert isinstance(screen, ValidationScreen)
        table = screen.query_one("#vfindings", DataTable)
        for index, row in enumerate(screen.loaded.page.rows):
            assert table.get_cell_at((index, 1)).plain == row["rule"]
        assert "…" not in "".join(table.get_cell_at((i, 1)).plain
                                  for i in range(table.row_count))


@pytest.mark.parametrize("language", ["en", "zh"])
@sync
async def test_q_is_quit_on_the_first_screen_and_back_after(
        db: Path, request: pytest.FixtureRequest, language: str) -> None:
    app = request.getfixturevalue("chinese_browser")(db) if language == "zh" else GoiApp(db)
    quit_, back = (in_language(word, language) for word in ("Quit", "Back"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["q"] == quit_
        await open_report(pilot, "紫溪")
        assert footer_keys(app)["q"] == back
        await step(pilot, "q")
        assert isinstance(app.screen, ArchiveScreen)
        assert footer_keys(app)["q"] == quit_
        await step(pilot, "q")
        assert not app.is_running


# ---------------------------------------------------------------------------- 4. filter → list


@pytest.mark.parametrize("key", ["down", "enter"])
@sync
async def test_the_filter_shows_the_way_to_the_list(db: Path, chinese_browser,
                                                    key: str) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await step(pilot, "v")
        screen = app.screen
        assert isinstance(screen.focused, Input)  # typing goes to the filter
        assert footer_keys(app).get("↓") == in_language("List", "zh")
        await type_text(pilot, "year:2019")
        await pilot.press(key)
        await settle(pilot)
        assert screen.focused is screen.query_one("#vfindings")
        assert "↓" not in footer_keys(app)  # on the list, down moves the cursor
        await pilot.press("down")
        assert screen.query_one("#vfindings", DataTable).cursor_row == 1
