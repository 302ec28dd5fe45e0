"""Which agency and which year a report is for: from its title, its body or its file name.

Nothing is guessed: each answer says where it came from, and when none can be found the
import says so and asks for ``--agency`` / ``--year``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from goitui.text import clean, fold_uncached

_YEAR_IN_TITLE = re.compile(r"(20[0-4]\d)\s*年")
_PERIOD = re.compile(r"统计(?:期限|期间|时限|时间|区间)?[^0-9。]{0,12}(20[0-4]\d)\s*年\s*1\s*月\s*1\s*日")
_YEAR_WORD_RAW = re.compile(r"([2２][0０][0-4０-４][0-9０-９])\s*年")
_AGENCY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办事处|街道|镇|乡|县|区|市|州|盟|旗|局|委员会|委|办公室|办|厅|署|院|中心|所|站|队|会)$"
)
_BODY_AGENCY = re.compile(
    r"(?:^|[，,。；;：:、\s（(])([\u4e00-\u9fff]{2,20}?(?:镇|乡|街道办事处|街道|县|区|市|局|委员会|办公室))"
    r"(?:人民政府)?(?=始终|坚持|认真|高度|严格|按照|紧紧|深入|全面|积极|进一步|切实|不断|扎实|持续|围绕|以)"
)
_NOT_AGENCY_START = ("我", "本", "全", "该", "各", "市委", "县委", "区委", "党委", "一年")


@dataclass
class Meta:
    agency: str | None
    agency_from: str
    year: int | None
    year_from: str
    title: str
    years_seen: dict[str, int]  # where each candidate year came from
    printed_agency: str | None = None  # what the report says, whatever the option
    printed_agency_from: str = ""
    body_year_counts: Counter[int] | None = None


def title_of(preamble: list[str]) -> str:
    """The title: the short lines before the first section, without the boilerplate intro."""
    parts = []
    for text in preamble[:4]:
        t = clean(text).lstrip("#").strip()
        if not t or "。" in t or len(t) > 60:
            break
        parts.append(t)
    return " ".join(parts)


def agency_from_title(title: str) -> str | None:
    """``海原县西安镇人民政府 2020 年政府信息公开…`` → ``海原县西安镇人民政府``.

    The year may stand before or after the name; 政府 may belong to the name
    (拉西瓦镇人民政府信息公开…) or to the report's title (…人民政府政府信息公开…).
    """
    t = re.sub(r"\s+", "", clean(title)).lstrip("#")
    t = re.sub(r"(20[0-4]\d)年度?", "", t)
    for cut in ("政府信息公开", "信息公开", "政务公开", "年度报告"):
        i = t.find(cut)
        if i > 0 and (head := _agency_head(t[:i])):
            return head
    return _agency_head(t)


def _agency_head(head: str) -> str | None:
    head = re.sub(r"(?:关于|[《〈“\"'(（])+$", "", head).strip("，,:：、 ")
    head = re.sub(r"^[《〈“\"]+", "", head)
    if 3 <= len(head) <= 40 and head not in ("人民政府", "政府") and re.search(r"[\u4e00-\u9fff]", head) and _AGENCY_SUFFIX.search(head):
        return head
    return None


def agency_from_body(body: str) -> str | None:
    """The agency a report names as the subject of its sentences (``紫溪镇始终…``)."""
    counts: Counter[str] = Counter()
    for m in _BODY_AGENCY.finditer(body):
        name = m.group(1)
        if not name.startswith(_NOT_AGENCY_START) and len(name) >= 3:
            counts[name] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def body_years(body: str) -> Counter[int]:
    """How often each year is named in a report's 总体情况."""
    return Counter(int(unicodedata.normalize("NFKC", y)) for y in _YEAR_WORD_RAW.findall(body))


def year_from_body(body: str) -> int | None:
    """The year 总体情况 opens with (``2019年，…``), else the one it names most."""
    opening = _YEAR_WORD_RAW.match(body.lstrip())
    if opening:
        return int(unicodedata.normalize("NFKC", opening.group(1)))
    counts = body_years(body)
    return counts.most_common(1)[0][0] if counts else None


def detect(preamble: list[str], overview: str, full_text: str, file_name: str,
           agency: str | None = None, year: int | None = None) -> Meta:
    """Agency and year with their sources; options win, then the title, the statistics period
    (year only), the body, the file name.

    What the report itself says is kept beside an option (``printed_agency``,
    ``years_seen``), so that an option that contradicts it can be reported.
    """
    title = title_of(preamble)
    years: dict[str, int] = {}
    m = _YEAR_IN_TITLE.search(unicodedata.normalize("NFKC", title))  # ２０２１年 too
    if m:
        years["title"] = int(m.group(1))
    at = full_text.find("统计", 0, 5000)
    p = _PERIOD.search(fold_uncached(full_text[at:at + 80])) if at >= 0 else None
    if p:
        years["statistics period"] = int(p.group(1))
    by = year_from_body(overview)
    if by:
        years["body"] = by
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", file_name)
    fm = _YEAR_IN_TITLE.search(stem) or re.search(r"(?<!\d)(20[0-4]\d)(?!\d)", stem)
    if fm and re.search(r"[\u4e00-\u9fff]", stem):
        years["file name"] = int(fm.group(1))

    if year is not None:
        y, y_from = year, "option"
    else:
        y, y_from = next(((years[k], k) for k in ("title", "statistics period", "body",
                                                   "file name") if k in years), (None, ""))
    if (printed := agency_from_title(title)) is not None:
        p_from = "title"
    elif (printed := agency_from_body(overview or full_text[:5000])) is not None:
        p_from = "body"
    elif (printed := agency_from_title(stem)) is not None:
        p_from = "file name"
    else:
        printed, p_from = None, ""
    a, a_from = (agency, "option") if agency else (printed, p_from)
    return Meta(a, a_from, y, y_from, title, years, printed, p_from, body_years(overview))
