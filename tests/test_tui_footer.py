"""The footer of every browser screen fits 80 columns in Chinese and in English: a key cut off at the right
edge (or hidden under the command palette's ``^p``) is a key a person never learns. Keys left
out of the footer (``show=False``) stay in the help screen (F1) and the command palette."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from test_tui_support import settle, sync
from textual.widgets import Footer, Static

#: the keys pressed from the archive screen to reach each screen
REPORT = [("f", "紫", "溪", "enter"), ("down", "enter")]
SCREENS = {
    "archive": [],
    "report": REPORT,
    "report's applications table": [*REPORT, ("3",)],
    "diff": [*REPORT, ("d",)],
    "findings": [("v",)],
    # the list's own keys show once it has focus: each list's footer with the list focused
    "findings' list": [("v",), ("down",)],
    "findings' list by tab": [("v",), ("tab",)],
    "archive's filter": [("f",)],
    "archive's list again": [("f",), ("enter",)],
    "search": [("slash",)],
    "search's results": [("slash",), ("down",)],
    "coverage": [("m",)],
}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
@sync
async def test_the_footer_fits_80_columns(db: Path, request: pytest.FixtureRequest,
                                          screen: str, language: str) -> None:
    if language == "zh":
        app = request.getfixturevalue("chinese_browser")(db)
    else:
        from goitui.tui.app import GoiApp
        app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for keys in SCREENS[screen]:
            await pilot.press(*keys)
            await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = list(footer.query("FooterKey"))
        palette = [key for key in keys if key.has_class("-command-palette")]
        edge = palette[0].region.x if palette else 80
        shown = [key for key in keys if key not in palette]
        assert shown, screen
        cut = [f"{key.key_display} {key.description}" for key in shown
               if key.region.width == 0 or key.region.right > edge]
        assert cut == [], screen
        if language == "zh":
            assert all(ord(ch) > 0x2E80 for key in shown for ch in key.description)


#: the keys each screen leaves out of its footer to fit, in Chinese as the help lists them
HIDDEN = {"archive": ([], ["模板"]),
          "report": (REPORT, ["上一年度", "下一年度"]),
          "diff": ([*REPORT, ("d",)], ["上一处差异", "旧年度", "新年度"]),
          "findings' list": ([("v",), ("down",)], ["严重程度", "复核", "重新打开", "撤销审核"])}


@pytest.mark.parametrize("screen", HIDDEN)
@sync
async def test_a_key_left_out_of_the_footer_is_in_the_help(db: Path, chinese_browser,
                                                           screen: str) -> None:
    app = chinese_browser(db)
    path, hidden = HIDDEN[screen]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for keys in path:
            await pilot.press(*keys)
            await settle(pilot)
        footer = " ".join(key.description for key in app.screen.query_one(Footer)
                          .query("FooterKey"))
        assert not [word for word in hidden if word in footer]
        await pilot.press("f1")
        await settle(pilot)
        console = Console(width=80, record=True, file=io.StringIO())
        for part in app.screen.query(Static):  # the help's parts, scrolled to or not
            console.print(part.content)
        shown = console.export_text()
        assert [word for word in hidden if word not in shown] == [], shown
