"""Which agency and which year a report is for, as real published reports give them.

Reports are read from saved web pages and copied text as often as from clean files: the
site's chrome (accessibility links, breadcrumbs, publish lines, share bars, footers) comes
before the title and is never a title, an agency or a year. The title may be split over two
lines, put the year first, or be missing; then the body names the agency (an announcement
``现公布X2023年…年度报告``, a subject at a sentence start ``2023年，X坚持…``, the contact
sentence ``请联系X（…）``), and a ``来源：X`` line is the last resort.

The year is the year the figures are for: the statistics period first, then the title, the
body, the file name; a publish date never. Nothing is guessed: each answer says where it came
from (``agency_from``, ``year_from``, every year seen in ``years_seen``), and when none can be
found the import says so and asks for ``--agency`` / ``--year``.

Pages converted to traditional characters are matched in simplified form (zhconv); the name
is kept as printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from goitui.text import clean, is_traditional, simplified

#: where a year can come from, strongest first (a publish date is never one of them)
YEAR_SOURCES = ("statistics period", "title", "body", "file name")

_YEAR_IN_TITLE = re.compile(r"(20[0-4]\d)\s*年")
#: a year in Chinese numerals: 二〇二二年, 二○二二年度
_HAN_YEAR = re.compile(r"二[〇○零][一二三四][〇○零一二三四五六七八九]\s*(?=年)")
_HAN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_DATE_IN_BRACKETS = re.compile(r"[（(][^（）()]*\d\s*月[^（）()]*[）)]")
#: the statistics period: 统计期限自2023年1月1日起…, or any span of a whole calendar year
_PERIOD = re.compile(r"(?:统计|統計)(?:期限|期间|期間|时限|時限|时间|時間|区间|區間|范围|範圍|周期|週期)?[^0-9。]{0,12}(20[0-4]\d)\s*年\s*(?:1\s*月\s*1\s*日|度)")
_YEAR_SPAN = re.compile(r"(20[0-4]\d)\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起\s*)?(?:至|到|—|－|-|~|～)\s*"
                        r"(?:(20[0-4]\d)\s*年\s*)?12\s*月\s*31\s*日")
#: the same span in dotted dates: 2021.1.1-2021.12.31 (its own pattern: each starts with "20",
#: which the regex engine looks for before anything else; one alternation would scan slowly)
_DOTTED_SPAN = re.compile(r"(20[0-4]\d)([.．/-])0?1\2\s*0?1\s*(?:至|到|—|－|-|~|～)\s*"
                          r"(?:20[0-4]\d\2)?12\2\s*31")
_YEAR_WORD_RAW = re.compile(r"([2２][0０][0-4０-４][0-9０-９])\s*年")
_AGENCY_SUFFIX = re.compile(
    r"(?:人民政府|政府|办事处|街道|镇|乡|县|区|市|州|盟|旗|局|委员会|委|办公室|办|厅|署|部|院|馆|社|中心|所|站|队|会)$"
)
#: the ends of an agency's name inside a sentence (办 or 会 alone end too many other words)
_NAME = (r"[\u4e00-\u9fff]{1,30}?(?:街道办事处|办事处|街道|镇|乡|县|区|市|旗|局|委员会|管委会|委|"
         r"办公室|厅|署|部|院|中心|所|站|队|馆|社)(?:人民政府)?")
#: a sentence's subject is followed by what it does (坚持, 按照…) or by its work (政府信息公开工作…)
_SUBJECT = re.compile(
    r"(?:^|[，,。；;：:\s（(]|(?<=\d)年度?[，,]?)(" + _NAME + r")"
    r"(?=始终|坚持|认真|高度|严格|按照|紧紧|紧密|紧扣|深入|全面|积极|进一步|切实|不断|扎实|持续|围绕|"
    r"以|在|把|将|结合|依据|根据|通过|共|全年|累计|主动|收到|大力|着力|加强|强化|聚焦|立足|牢固|"
    r"精心|贯彻|落实|秉持|注重|重视|政府信息公开|政务公开|信息公开)", re.M)
#: 现公布X2023年政府信息公开工作年度报告 / 现将X2023年度…年度报告公布如下 / 本报告由X编制
_ANNOUNCE = re.compile(
    r"(?:公布|发布|印发|现将)《?(" + _NAME + r")\s*(?:20[0-4]\d)\s*年度?[^。]{0,12}?(?:政府信息公开|政务公开|信息公开)")
_COMPILED_BY = re.compile(r"由(" + _NAME + r")(?:根据|依据|按照|编制|编写)")
#: whom to contact: 请联系X（办公地址：…）, 请与X联系
_CONTACT = re.compile(r"(?:联系|咨询|垂询|致电|来函|函询)(?:单位|部门|机关)?[:：]?\s*(" + _NAME + r")(?=[（(，,。；;：:\s]|办公地址|地址|电话)"
                      r"|与(" + _NAME + r")联系")
_SOURCE_LINE = re.compile(r"(?:信息来源|来源|发布机构|发布单位)\s*[:：]\s*([\u4e00-\u9fff]{2,30})")
#: what a name never starts with (我局, 本机关, 全县, 该局 …) or holds (work, not an agency)
_NOT_AGENCY_START = re.compile(
    r"^(?:我|该|此|其|本(?:机关|单位|部门|局|委|办|镇|乡|街道|县|区|市|院|中心|级)|全(?:县|市|区|镇|乡|省|旗|州)|"
    r"各(?:级|乡|镇|县|区|市|部门|单位)|今年|上年|去年|一年|年|度|市委|县委|区委|党委)")  # 本溪市, 全椒县 are names
_NOT_AGENCY_WORD = re.compile(r"公开|条例|报告|领导小组|网站|平台|年度|申请")
#: an internal office of the agency in a contact sentence: XX局办公室 → XX局
_INNER_OFFICE = re.compile(r"^(.{2,}?(?:办事处|街道|镇|乡|局|委员会)(?:人民政府)?)[\u4e00-\u9fff]{0,6}?"
                           r"(?:办公室|科|股|室)$")
#: a region's name: 北山县, 淮安市洪泽区 (what may stand in front of a shorter form of a name)
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗|镇|乡))+$")
_LEVEL = "省市县区州旗盟镇乡"
#: what stands before a name in a sentence, never part of it: 请联系, 现公布, 由, 在 …
_LEAD_IN = re.compile(r"[^\u4e00-\u9fff]|请|联系|咨询|致电|公布|发布|现将|由|在|对|向|与|和|及|的|是|为|经|据|将|把|从|"
                      r"关于|根据|依据|按照|编制|了")
_NOT_REGION_START = frozenset("我本全该各此其的和及与在对由为是了将把向从每县区市镇乡，。、")

#: site chrome: never a title (nor an agency or a year)
_CHROME = re.compile(
    r"无障碍|长者模式|关怀版|适老化|老年版|老年模式|大字版|简体|繁体|繁體|当前的?位置|所在的?位置|您的位置|"
    r"现在的位置|[>＞›»]|首页\s*[/|]|发布时间|发布日期|发文日期|更新时间|信息来源|来源[:：]|作者[:：]|"
    r"编辑[:：]|责任编辑|浏览次数|阅读次数|访问次数|浏览量|阅读量|访问量|点击[数率量]|字号|字体[:：]|"
    r"[【\[]\s*[大中小]\s*[大中小]|分享到|打印本页|打印此页|【\s*打印|【\s*关闭|关闭窗口|收藏本页|我要纠错|"
    r"视力保护|语音播报|返回顶部|返回首页|上一篇|下一篇|网站导航|手机版|"
    r"主办单位|承办单位|网站标识码|ICP备|公网安备|版权所有|网站地图|索引号|发布机构|成文日期|主题分类|扫一扫")
#: a line of navigation links: several short words separated by spaces (首页 政务公开 互动交流)
_NAV = re.compile(r"^(?:\S{1,8}\s+){2,}\S{1,8}$")
_LETTER_SPACED = re.compile(r"^\S(?:\s\S)+$")
_TITLE_WORD = re.compile(r"年度报告|年报|工作报告|(?:政府信息|政务)公开")
_SELF = re.compile(r"我(?:乡|镇|局|委|办|区|县|市|街道|中心|院|厅|署|单位|部门)|本(?:机关|单位|部门)")
_COMPILATION = re.compile(r"汇编|合集|目录")
_SENTENCE = re.compile(r"[。，,；;！？]|根据|按照|依据")

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


class _Text:
    """A report's text for matching (simplified when printed traditional) and as printed."""

    def __init__(self, text: str) -> None:
        self.printed = text

    @cached_property
    def simple(self) -> str:
        # a page converted to traditional characters is converted throughout: its opening says so
        return simplified(self.printed) if is_traditional(self.printed[:2000]) else self.printed

    def as_printed(self, name: str, start: int) -> str:
        """The name at ``start`` of the simplified text, as the page prints it."""
        if len(self.simple) == len(self.printed):
            return self.printed[start:start + len(name)]
        return name


def is_chrome(line: str) -> bool:
    """Whether a line is the site's chrome (navigation, breadcrumb, publish line, footer).
    A line of single characters apart (``德 清 县 民 政 局``) is a title printed letter-spaced,
    not a row of links."""
    t = clean(line)
    return bool(_CHROME.search(t) or (_NAV.match(t) and "报告" not in t and "年报" not in t
                                      and not _LETTER_SPACED.match(t)))


def title_of(preamble: list[str]) -> str:
    """The report's title among the lines before its first section.

    Chrome is skipped; a title is a short line naming the report (年度报告, 年报, 政府信息公开),
    not a sentence. A title split over two lines is joined: the agency (or the year) on the
    line before, or the rest of the title on the line after. Of several titles (a page's
    ``<title>`` and ``<h1>``, a compilation's own title) the last one that names an agency
    wins, being the nearest to the report.
    """
    printed = [clean(t).lstrip("#").strip() for t in preamble]
    lines = [simplified(t) for t in printed]
    titles: list[tuple[str, str]] = []  # (simplified, as printed)
    for i, t in enumerate(lines):
        if not _is_title_line(t):
            continue
        first, last = i, i
        if "报告" not in t and "年报" not in t and i + 1 < len(lines) and (
                "报告" in lines[i + 1] and _is_fragment(lines[i + 1])):
            last = i + 1
        if agency_from_title(" ".join(lines[first:last + 1])) is None and i > 0 and _is_fragment(
                lines[i - 1]) and (_AGENCY_SUFFIX.search(_drop_year(lines[i - 1]))
                                   or re.search(r"20[0-4]\d\s*年度?$", lines[i - 1])):
            first = i - 1
        if not _YEAR_IN_TITLE.search(title_year_text(" ".join(lines[first:last + 1]))):
            # the year on a line of its own: 2022年度 above the title, （2022年度） below it
            if first > 0 and _YEAR_LINE.match(lines[first - 1]):
                first -= 1
            elif last + 1 < len(lines) and _YEAR_LINE.match(lines[last + 1]):
                last += 1
        titles.append((" ".join(lines[first:last + 1]), " ".join(printed[first:last + 1])))
    if not titles:  # named only inside a sentence: 现将《X2022年政府信息公开工作年度报告》予以公布
        titles = [(m.group(1), printed[i][m.start(1):m.end(1)] if len(printed[i]) == len(t)
                   else m.group(1))
                  for i, t in enumerate(lines) if "《" in t and not is_chrome(t)
                  for m in _BOOK_TITLE.finditer(t)]
    named = [t for t in titles if agency_from_title(t[0])]
    chosen = named or [t for t in titles if _YEAR_IN_TITLE.search(t[0])] or titles
    return chosen[-1][1] if chosen else ""


def title_at(texts: list[str], i: int) -> int | None:
    """Where a title that ends on line ``i`` begins (the line before, when it holds the
    agency of a title split over two lines), or None when line ``i`` is no title."""
    t = simplified(clean(texts[i]))
    if not _is_title_line(t):
        return None
    if agency_from_title(t) is None and i > 0:
        before = simplified(clean(texts[i - 1]))
        if _is_fragment(before) and _AGENCY_SUFFIX.search(_drop_year(before)):
            return i - 1
    return i


_BOOK_TITLE = re.compile(r"《([^《》]{4,80}?(?:年度报告|年报))》")
#: a year in brackets after the title, without 年: …年度报告（2022）
_BRACKETED_YEAR = re.compile(r"[（(]\s*(20[0-4]\d)\s*[）)]")
#: a line that is only a year: 2022年度, （2022年度）, 二〇二二年
_YEAR_LINE = re.compile(r"^[（(]?\s*(?:20[0-4]\d|二[〇○零][一二三四][〇○零一二三四五六七八九])\s*年度?\s*[）)]?$")


def title_year_text(title: str) -> str:
    """A title as its year is read: full-width digits, Chinese numerals and letter-spaced
    digits (``2 0 2 1 年``) in plain digits; a date in brackets (the publish date) left out."""
    t = han_years(unicodedata.normalize("NFKC", _DATE_IN_BRACKETS.sub("", title)))
    return _BRACKETED_YEAR.sub(r"\1年", _SPACED_DIGITS.sub("", t))


_SPACED_DIGITS = re.compile(r"(?<=\d)\s+(?=\d)")


def _is_title_line(t: str) -> bool:
    """A report's title: a compilation's own title (…年度报告汇编) names no one report."""
    return (4 <= len(t) <= 80 and bool(_TITLE_WORD.search(t)) and not _SENTENCE.search(
        _DATE_IN_BRACKETS.sub("", t)) and not is_chrome(t) and not _COMPILATION.search(t))


def _is_fragment(t: str) -> bool:
    """A line that can be half of a title: short, not a sentence, not chrome, not a date."""
    return (2 <= len(t) <= 40 and not _SENTENCE.search(t) and not is_chrome(t)
            and not t.startswith(("（", "(")))


_SPACES = re.compile(r"\s+")
_TITLE_YEAR = re.compile(r"(20[0-4]\d)年度?")
_LEADING_MARKS = re.compile(r"^(?:关于(?:印发|转发|公布|发布)?|[《〈“\"])+")
#: a page's field label before the title: 标题：…, 名称：…
_FIELD_LABEL = re.compile(r"^(?:(?:标题|名称|题名|文件名称|信息名称)[:：]|附件\s*\d*\s*[:：]?|\d{1,2}\s*[.、．]\s*)")
#: a note in brackets after the name: XX县人民政府办公室（县政务服务管理办公室）
_NAME_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_TRAILING_MARKS = re.compile(r"(?:关于|[《〈“\"'(（])+$")
#: what separates a page's field label or its site's name from the title: 名称：…, XX县人民政府-…
_PAGE_PARTS = re.compile(r"[:：\-_|｜—－]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _drop_year(t: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"(20[0-4]\d)\s*年度?", "", t))


@lru_cache(maxsize=1024)  # a title is asked about several times while it is chosen
def agency_from_title(title: str) -> str | None:
    """``海原县西安镇人民政府 2020 年政府信息公开…`` → ``海原县西安镇人民政府``.

    The year may stand before or after the name; 政府 may belong to the name
    (拉西瓦镇人民政府信息公开…) or to the report's title (…人民政府政府信息公开…).
    """
    t = _SPACES.sub("", clean(_DATE_IN_BRACKETS.sub("", title))).lstrip("#")
    t = _TITLE_YEAR.sub("", han_years(unicodedata.normalize("NFKC", t)))
    t = _LEADING_MARKS.sub("", _FIELD_LABEL.sub("", t))
    for cut in ("政府信息公开", "信息公开", "政务公开", "年度报告", "年报"):
        i = t.find(cut)
        if i <= 0:
            continue
        if (head := _agency_head(t[:i])) is None and cut == "政府信息公开":
            head = _regional_head(t[:i])
        if head is not None and not (cut == "信息公开" and _STRAY_ZHENGFU.search(head)):
            return head
    return _agency_head(t)


#: 政府 cut off 政府信息公开 when the name before it has an unusual ending (…气象台政府): a
#: region's government is 人民政府 or 县政府, never another body's
_STRAY_ZHENGFU = re.compile(r"(?<!人民)(?<![省市县区州旗盟镇乡])政府$")
_IN_A_REGION = re.compile(r"^(?:国家|中华人民共和国|[一-鿿]{1,12}?[省市县区州旗盟镇乡])")


def _regional_head(head: str) -> str | None:
    """What the standard title ``X政府信息公开工作年度报告`` puts before its words, when that
    is named after a region (``某县气象台``) but ends in no usual agency word."""
    head = _LEADING_MARKS.sub("", _NAME_NOTE.sub("", head.strip("，,:：、 ")))
    if (4 <= len(head) <= 40 and _HAN.fullmatch(head[-1]) and not head.endswith("人民")
            and _IN_A_REGION.match(head)
            and not _NOT_AGENCY_START.match(head) and not _NOT_AGENCY_WORD.search(head)):
        return head
    return None


def _agency_head(head: str) -> str | None:
    head = _NAME_NOTE.sub("", _PAGE_PARTS.split(_TRAILING_MARKS.sub("", head))[-1])
    head = head.strip("，,:：、 ")
    head = _LEADING_MARKS.sub("", head)
    if (3 <= len(head) <= 40 and head not in ("人民政府", "政府") and _HAN.search(head)
            and _AGENCY_SUFFIX.search(head) and not _NOT_AGENCY_START.match(head)):
        return head
    return None


def _acceptable(name: str) -> bool:
    return (len(name) >= 3 and not _NOT_AGENCY_START.match(name)
            and not _NOT_AGENCY_WORD.search(name))


def agency_from_body(body: str) -> str | None:
    """The agency a report names as the subject of its sentences (``紫溪镇始终…``)."""
    found = _agency_in_body(_Text(body))
    return found[0] if found else None


def _agency_in_body(text: _Text) -> tuple[str, str] | None:
    """(name as printed, how it was found) from the body, strongest evidence first: the
    announcement of the report, who compiled it, the subject of its sentences, whom to contact."""
    s = text.simple
    for pattern in (_ANNOUNCE, _COMPILED_BY):
        for m in pattern.finditer(s):
            if _acceptable(m.group(1)):
                return text.as_printed(m.group(1), m.start(1)), "body"
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _SUBJECT.finditer(s):
        name = m.group(1)
        if _acceptable(name):
            counts[name] += 1
            first.setdefault(name, m.start(1))
    if counts:
        name = counts.most_common(1)[0][0]
        return text.as_printed(name, first[name]), "body"
    for m in _CONTACT.finditer(s):
        group = 1 if m.group(1) else 2
        name = m.group(group)
        if _acceptable(name):
            inner = _INNER_OFFICE.match(name)
            printed = text.as_printed(name, m.start(group))
            return (printed[:len(inner.group(1))] if inner else printed), "contact sentence"
    return None


def _agency_in_source_line(text: _Text, preamble_end: int) -> str | None:
    """The last resort: a ``来源：X`` / ``发布机构：X`` line of the page."""
    for m in _SOURCE_LINE.finditer(text.simple, 0, preamble_end):
        name = _agency_head(re.split(r"发布|浏览|时间|日期|字号|作者", m.group(1))[0])
        if name and _acceptable(name):
            return text.as_printed(name, m.start(1))
    return None


def fullest(name: str, text: str) -> str:
    """The fullest form of ``name`` the report prints: ``县发展和改革局`` → ``北山县发展和改革局``,
    ``南湖街道`` → ``东坪区南湖街道``; only a region may be added in front, never anything else."""
    simple = simplified(name)
    lead = simple[0] in _LEVEL  # 县发展和改革局: the region's own name is missing before 县
    needle = simple[1:] if lead else simple
    if len(needle) < 2:
        return name
    best = name
    start = text.find(needle)
    seen = 0
    while start > 0 and seen < 50:
        seen += 1
        window = _LEAD_IN.split(text[max(0, start - 12):start])[-1]
        for i in range(len(window)):
            prefix = window[i:]
            if prefix[0] in _NOT_REGION_START:
                continue
            if lead and not prefix.endswith(simple[0]):
                continue
            if _REGION.match(prefix):
                if len(prefix) + len(needle) > len(best):
                    best = text[start - len(prefix):start + len(needle)]
                break
        start = text.find(needle, start + 1)
    return best


def self_reference(text: str) -> str | None:
    """How a report names itself when it never prints its name: 我乡, 我局, 本机关 …"""
    m = _SELF.search(text[:8000])
    return m.group() if m else None


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


def han_years(text: str) -> str:
    """Years printed in Chinese numerals (二〇二二年) in digits, for reading the year."""
    if "二〇" not in text and "二○" not in text and "二零" not in text:
        return text  # 二、 heads every report's section two: look for the year's own start
    return _HAN_YEAR.sub(lambda m: m.group().translate(_HAN_DIGITS).strip(), text)


#: the first and last days of a year in Chinese numerals (二〇二一年一月一日至十二月三十一日) or
#: with 元月 for January
_HAN_DAYS = re.compile(r"(?<!十)(?:一|元)月(?:一|1)日|十二月三十一日")


def han_dates(text: str) -> str:
    """The first and last days of a year written in Chinese numerals, in digits."""
    if "月" not in text:
        return text
    return _HAN_DAYS.sub(lambda m: "12月31日" if m.group().startswith("十二") else "1月1日", text)


def statistics_period(text: str) -> int | None:
    """The year of the statistics period (统计期限自2023年1月1日起至…), if the report gives one."""
    norm = unicodedata.normalize("NFKC", text) if "２" in text else text  # ２０２３年
    norm = han_dates(han_years(norm))
    found = [m for m in (_period_statement(norm), _YEAR_SPAN.search(norm),
                         _DOTTED_SPAN.search(norm)) if m]
    if not found:
        return None
    return int(min(found, key=lambda m: m.start()).group(1))


def _period_statement(text: str) -> re.Match[str] | None:
    """The first 统计期限… statement (looked for where 统计 is printed: a scan is slower)."""
    first = None
    for word in ("统计", "統計"):
        at = text.find(word)
        for _tries in range(20):
            if at < 0:
                break
            if (m := _PERIOD.match(text, at)) is not None:
                first = m if first is None or m.start() < first.start() else first
                break
            at = text.find(word, at + 2)
    return first


def detect(preamble: list[str], overview: str, full_text: str, file_name: str,
           agency: str | None = None, year: int | None = None) -> Meta:
    """Agency and year with their sources; options win, then what the report says.

    What the report itself says is kept beside an option (``printed_agency``,
    ``years_seen``), so that an option that contradicts it can be reported.
    """
    title = title_of(preamble)
    head = _Text(full_text[:8000])
    years: dict[str, int] = {}
    if (p := statistics_period(head.printed)) is not None:
        years["statistics period"] = p
    m = _YEAR_IN_TITLE.search(title_year_text(title))
    if m:
        years["title"] = int(m.group(1))
    by = year_from_body(overview)
    if by:
        years["body"] = by
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", file_name)
    fm = _YEAR_IN_TITLE.search(stem) or re.search(r"(?<!\d)(20[0-4]\d)(?!\d)", stem)
    if fm and re.search(r"[\u4e00-\u9fff]", stem):
        years["file name"] = int(fm.group(1))

    y: int | None = year
    y_from = "option"
    if year is None:
        y_from = next((k for k in YEAR_SOURCES if k in years), "")
        y = years.get(y_from)
    printed, p_from = _printed_agency(title, preamble, head, stem)
    a, a_from = (agency, "option") if agency else (printed, p_from)
    return Meta(a, a_from, y, y_from, title, years, printed, p_from, body_years(overview))


def _printed_agency(title: str, preamble: list[str], head: _Text,
                    stem: str) -> tuple[str | None, str]:
    """The agency as the report prints it, in its fullest form, and where it was found."""
    found: tuple[str, str] | None = None
    simple_title = simplified(title)
    if (name := agency_from_title(simple_title)) is not None:
        at = simple_title.find(name)
        if simple_title is not title and at >= 0 and len(simple_title) == len(title):
            name = title[at:at + len(name)]  # as printed
        found = name, "title"
    else:
        found = _agency_in_body(head)
        if found is None:
            end = len(head.simple[:sum(len(t) + 1 for t in preamble)]) or 2000
            if (name := _agency_in_source_line(head, end)) is not None:
                found = name, "source line"
    if found is None:
        name = agency_from_title(stem)
        return (name, "file name") if name else (None, "")
    printed, where = found
    return fullest(printed, head.printed if printed in head.printed else head.simple), where
