"""What a section heading of an annual report looks like, on a line of its own.

A heading is a short line that starts with a section numeral and whose words name a section
(format-spec §1.2), or an official section title printed without its numeral. Table row
labels that reuse the numbering (``四、结转下年度继续办理``) carry none of those words, so they
are never taken for headings. The parser cuts a report into sections with it
(``parse/sections.py``), and the HTML reader finds where a report starts in a page: so it is a
foundation module, below both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from goitui.labels import SECTION_TITLES
from goitui.model import Line
from goitui.text import clean, label_key

QUICK = re.compile(r"[#*\s]*第?[一二三四五六1-6１-６]\s*(?:部分)?\s*[、.．,，:：\s]")
_LEAD = frozenset("一二三四五六123456１２３４５６第#* \t\u3000\u00a0")  # what a heading starts with
_FIRST = frozenset("一二三四五六123456１２３４５６第")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_HEADING = re.compile(
    r"^(?:第)?(?P<num>[一二三四五六]|[1-6])\s*(?:部分\s*[、.．,，:：]?|[、.．,，:：]|\s)\s*"
    r"(?P<title>\S.{1,44})$"
)
#: words (in label-key form) that name each section; the first match wins, in this order
_WORDS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (4, ("行政复议", "行政诉讼")),
    (3, ("收到和处理", "依申请公开情况", "处理政府信息公开申请", "申请情况")),
    (2, ("主动公开",)),
    (5, ("存在的主要问题", "存在的问题", "主要问题", "存在问题", "改进情况", "整改措施", "改进措施")),
    (6, ("其他需要报告", "其他事项", "需要报告的事项")),
    (1, ("总体情况", "概述", "基本情况")),
)


#: the official titles without their numerals: a paragraph that is exactly one of them is that
#: section's heading whose numeral was not in the text (Word list numbering, a lost ``<li>``)
_BARE_TITLES = {label_key(title.split("、", 1)[1]): num for num, title in SECTION_TITLES.items()}


def heading_of(line: Line) -> tuple[int, int | None, str] | None:
    """(section, printed numeral, title) when the line is a section heading."""
    if line.grid or len(line.cells) != 1:
        return None
    cell = line.cells[0]
    if cell[:1] not in _LEAD or not QUICK.match(cell):
        return _bare_title(cell)
    return _heading_text(cell)


#: numerals of another style a Word list may put before a heading (壹、 甲、 Ⅰ. ①): with an
#: official title after them, the line is that section's heading
_OTHER_NUMERAL = re.compile(r"^第?(?:[壹贰貳叁參肆伍陆陸]|[甲乙丙丁戊己]|[ⅠⅡⅢⅣⅤⅥ]|I{1,3}|IV|VI?|[①-⑥])"
                            r"\s*(?:部分)?\s*[、.．,，:：\s]?\s*")


def _bare_title(cell: str) -> tuple[int, int | None, str] | None:
    """An official section title printed without its numeral (or after a numeral of another
    style: 壹、总体情况), and nothing else on the line."""
    if len(cell) > 30:
        return None
    text = clean(cell).strip("#* ")
    num = _BARE_TITLES.get(label_key(text))
    if num is None and (other := _OTHER_NUMERAL.match(text)):
        num = _BARE_TITLES.get(label_key(text[other.end():]))
    return None if num is None else (num, None, cell.strip())


@lru_cache(maxsize=4096)
def _heading_text(cell: str) -> tuple[int, int | None, str] | None:
    """heading_of for one cell's text; cached, as the same titles recur report after report."""
    text = clean(cell).lstrip("#").strip()
    if not text or text[0] not in _FIRST or len(text) > 60:
        return None
    m = _HEADING.match(unicodedata.normalize("NFKC", text).replace("**", ""))
    if not m:
        return None
    key = label_key(m["title"])
    if len(key) > 30:
        return None
    for num, words in _WORDS:
        if any(w in key for w in words):
            printed = _NUMERALS.get(m["num"]) or int(m["num"])
            return num, printed, text
    return None


def is_heading(text: str) -> bool:
    """Whether a piece of text, on its own, is a section heading (readers locating a report)."""
    return heading_of(Line([text], 0)) is not None
