"""Finding the six sections by their titles and the variants real reports use.

A heading is a short line that starts with a section numeral and whose words name a section
(format-spec §1.2). Table row labels that reuse the numbering (``四、结转下年度继续办理``)
carry none of those words, so they are never taken for headings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from goitui.headings import QUICK, heading_of
from goitui.model import Line

_QUICK_ONE = re.compile(r"[#*\s]*第?[一1１]\s*(?:部分)?\s*[、.．,，:：\s]")  # section 一 only
#: lines that belong to a statistical table, not to prose
_TABLE_HINT = re.compile(r"第二十条|信息内容|本年新收|上年结转|予以公开|结果维持|^[\d\s./|—-]+$")


_PAGE_NUMBER = re.compile(r"[\s\d.·…—\-第页]+")


@dataclass
class Heading:
    num: int  # the section it names
    printed: int | None  # the numeral it was printed with
    title: str
    index: int  # position in Document.lines


def _candidates(lines: list[Line]) -> list[Heading]:
    """Every line that looks like a section heading."""
    quick = QUICK.match  # heading_of's own first test, made here to spare most lines the call
    return [Heading(h[0], h[1], h[2], i) for i, line in enumerate(lines)
            if not line.joins and (quick(line.text) or len(line.text) <= 30)
            and (h := heading_of(line)) is not None]


def report_starts(lines: list[Line], title_at: Callable[[list[str], int], int | None]) -> list[int]:
    """Where each report of a file begins (indexes into ``lines``); ``[0]`` for one report.

    A file may hold several reports: a compilation of an area's agencies, or a page with this
    year's report and last year's. A new report begins where 一、 is printed again after at
    least two other sections with text under them, and is followed by another section with
    text: an introduction or a contents list that only lists the six titles (with page
    numbers) has nothing under them. The new report starts at its title when one stands in
    the few lines above its 一、 (``title_at``: the first line of a title that ends on line
    ``i``, or None).
    """
    ones = _QUICK_ONE.match
    if sum(1 for ln in lines if not ln.joins and ones(ln.text) and (h := heading_of(ln))
           and h[:2] == (1, 1)) < 2:
        return [0]  # the common case, found without looking for every heading
    cands = _candidates(lines)
    restarts = {k for k, c in enumerate(cands) if c.num == 1 and c.printed == 1}  # a set: looked up per candidate
    ends = [cands[k + 1].index if k + 1 < len(cands) else len(lines) for k in range(len(cands))]
    with_text = [any(_is_content(ln) for ln in lines[c.index + 1:end]) for c, end in zip(cands, ends)]
    starts = [0]
    sections: set[int] = set()
    for k, c in enumerate(cands):
        if k in restarts and len(sections - {1}) >= 2 and _followed_by_sections(cands, with_text, k):
            starts.append(_title_above(lines, c.index, cands[k - 1].index, title_at))
            sections = set()
        if with_text[k]:
            sections.add(c.num)
    return starts


def _is_content(line: Line) -> bool:
    """A line of a section's own: a table row or text, not a page number of a contents list."""
    return line.grid or len(_PAGE_NUMBER.sub("", line.text)) >= 4


def _has_table(lines: list[Line]) -> bool:
    """Two lines of a table at least: one number alone is a contents list's page number."""
    found = 0
    for ln in lines:
        if ln.grid or _TABLE_HINT.search(ln.text):
            found += 1
            if found == 2:
                return True
    return False


def _followed_by_sections(cands: list[Heading], with_text: list[bool], k: int) -> bool:
    for j in range(k + 1, len(cands)):
        if cands[j].num == 1 and cands[j].printed == 1:
            return False
        if cands[j].num >= 2 and with_text[j]:
            return True
    return False


def _title_above(lines: list[Line], heading: int, floor: int,
                 title_at: Callable[[list[str], int], int | None]) -> int:
    """The first line of the report whose 一、 is at ``heading``: its title, when one ends in
    the six lines above, else the heading itself."""
    low = max(floor + 1, heading - 6)
    texts = [ln.text for ln in lines[low:heading]]
    for i in range(len(texts) - 1, -1, -1):
        first = title_at(texts, i)
        if first is not None:
            return low + first
    return heading


def find_headings(lines: list[Line]) -> list[Heading]:
    """The section headings, one per section, in document order.

    Every line that looks like a heading is a candidate; the headings are the chain of
    candidates with increasing section numbers that is longest, then has the most headings
    printed with their own numeral (``1.主动公开情况`` inside 总体情况 is a sub-heading, not
    section 二), then the most of 二/三/四 with a table under them (``二、主动公开政府信息情况``
    as a sub-heading of 总体情况 has prose under it), then the most headings with text under
    them (an intro or a contents list that lists the six titles before the real ones has none,
    page numbers aside).
    """
    cands = _candidates(lines)
    if not cands:
        return []
    ends = [cands[k + 1].index if k + 1 < len(cands) else len(lines) for k in range(len(cands))]
    content = [any(_is_content(ln) for ln in lines[c.index + 1:end]) for c, end in zip(cands, ends)]
    tables = [c.num in (2, 3, 4) and _has_table(lines[c.index + 1:end]) for c, end in zip(cands, ends)]
    score: list[tuple[int, ...]] = []
    back: list[int | None] = []
    # the best chain ending at each section number so far (its score, its last candidate):
    # a candidate extends the best of the lower numbers, so the search stays linear however
    # many heading-like lines a file has (a list of 50,000 titles took minutes pairwise)
    ending: dict[int, tuple[tuple[int, ...], int]] = {}
    for k, c in enumerate(cands):
        own: tuple[int, ...] = (1, int(c.printed == c.num), int(tables[k]), int(content[k]))
        best, prev = own, None
        before = [ending[n] for n in range(1, c.num) if n in ending]
        if before:
            # the highest total, and of equal totals the earliest candidate (as pairwise did)
            top, j = max(before, key=lambda e: (e[0], -e[1]))
            total = tuple(a + b for a, b in zip(top, own))
            if total > best:
                best, prev = total, j
        score.append(best)
        back.append(prev)
        if c.num not in ending or best > ending[c.num][0]:
            ending[c.num] = (best, k)
    at: int | None = max(range(len(cands)), key=lambda i: score[i])
    chain = []
    while at is not None:
        chain.append(cands[at])
        at = back[at]
    # a section printed out of order is still that section (S-ORDER says so)
    have = {h.num for h in chain}
    for c, has_text in zip(cands, content):
        if c.num not in have and has_text:
            chain.append(c)
            have.add(c.num)
    return sorted(chain, key=lambda h: h.index)
