"""The browser in Chinese words its own lines in Chinese, with Chinese punctuation: the diff's
summary and the numbers stated in the text, the facet lines, a finding's fields and its place
in the source. (A report's own text is shown as printed, punctuation and all.)"""

from __future__ import annotations

import re
from pathlib import Path

from test_tui_support import screen_text, settle, sync

#: an English word of the browser's own lines, which a Chinese reader must not meet
ENGLISH = re.compile(r"\b(figures|changed|unchanged|only|prose|sentences|stated|cross-year|"
                     r"template|severity|review|line|where|fingerprint)\b")
#: ASCII colons and brackets touching Chinese
ASCII = re.compile(r"[\u4e00-\u9fff][:(]|\)[\u4e00-\u9fff]|[\u4e00-\u9fff]: ")


@sync
async def test_the_diff_screen_in_chinese(db: Path, chinese_browser) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f", "紫", "溪", "enter")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        text = " ".join(line.strip() for line in screen_text(app).splitlines())  # unwrapped
    assert "数据：变化 1 项，仅 2019 年有 0 项，仅 2020 年有 0 项，未变 197 项" in text
    assert "正文：1 句不同" in text and "正文所述数字变化 1 处" in text
    assert "跨年度审核意见 2 条" in text and "年度：" in text  # two lines at 80 columns
    assert "乡镇动态：94 → 120条（+26）" in text  # a number stated in the text
    assert not ENGLISH.search(text), text


@sync
async def test_facets_and_a_finding_in_chinese(db: Path, chinese_browser) -> None:
    app = chinese_browser(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        archive = screen_text(app)
        await pilot.press("v")
        await settle(pilot)
        findings = screen_text(app)
        await pilot.press("tab", "i")
        await settle(pilot)
        detail = screen_text(app)
    assert re.search(r"年度：全部 2019 \d+ 2020 \d+", archive)
    assert "状态：全部" in archive and "严重程度：" in findings and "复核：待处理" in findings
    assert re.search(r"位置：第 \d+ 行", detail) and "指纹：" in detail
    for text in (archive, findings, detail):
        head = "\n".join(line for line in text.splitlines()
                         if re.search("年度：|严重程度：|位置：|指纹：|复核：", line))
        assert not ASCII.search(head) and not ENGLISH.search(head), head
