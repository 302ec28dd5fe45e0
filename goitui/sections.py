"""Finding the six sections by their titles and the variants real reports use.

A heading is a short line that starts with a section numeral and whose words name a section
(format-spec §1.2). Table row labels that reuse the numbering (``四、结转下年度继续办理``)
carry none of those words, so they are never taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Line
from .text import clean, fold, label_key

_QUICK = re.compile(r"[#*\s]*第?[一二三四五六1-6１-６]\s*(?:部分)?\s*[、.．,，:：\s]")
_FIRST = frozenset("一二三四五六123456１２３４５６第")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_HEADING = re.compile(
    r"^(?:第)?(?P<num>[一二三四五六]|[1-6])\s*(?:部分)?\s*(?:[、.．,，:：]|\s)\s*(?P<title>\S.{1,44})$"
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


@dataclass
class Heading:
    num: int  # the section it names
    printed: int | None  # the numeral it was printed with
    title: str
    index: int  # position in Document.lines


def heading_of(line: Line) -> tuple[int, int | None, str] | None:
    """(section, printed numeral, title) when the line is a section heading."""
    if line.grid or len(line.cells) != 1:
        return None
    if not _QUICK.match(line.cells[0]):
        return None
    text = clean(line.cells[0]).lstrip("#").strip()
    if not text or text[0] not in _FIRST or len(text) > 60:
        return None
    m = _HEADING.match(fold(text).replace("**", ""))
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


def find_headings(lines: list[Line]) -> list[Heading]:
    """The section headings, one per section, in document order.

    A heading that repeats is moved to its later place when nothing but other headings
    stood under the first one (intros that list the six titles before the real ones).
    """
    found: dict[int, Heading] = {}
    for i, line in enumerate(lines):
        h = heading_of(line)
        if h is None:
            continue
        num, printed, title = h
        earlier = found.get(num)
        if earlier is None or _empty_between(lines, earlier.index, i):
            found[num] = Heading(num, printed, title, i)
    return sorted(found.values(), key=lambda h: h.index)


def _empty_between(lines: list[Line], start: int, end: int) -> bool:
    return all(heading_of(ln) is not None for ln in lines[start + 1:end])
