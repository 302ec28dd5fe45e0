"""T and C rules: what the prose states against the tables, and text that should not be there.

The prose is read only where its wording is unambiguous (``收到…申请N件``, ``上年结转N件``,
``办结N件``, ``结转下年度N件``, ``行政复议N件``, ``未收到…申请``, ``未发生…行政复议``); a
statement that may mean 新收 alone or 新收 + 结转 is accepted when it matches either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from goitui import labels
from goitui.i18n import Phrase
from goitui.model import ERROR, INFO, WARNING, Finding, Report, Section
from goitui.text import visible
from goitui.validate.common import APPLICANT_COLS, REVIEW_PARTS, cell, num, row_name

PROSE_SECTIONS = (1, 5, 6)
_N = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_GAP = r"[^。；;，,\d]{0,%d}?"
_UNIT = r"\s*(?:件|宗|起|次)"  # applications and cases: not 个 (5个工作日), not 条 (信息N条)


def cn_int(s: str) -> int:
    """``12`` or ``十二`` → 12 (the small numbers prose writes in characters)."""
    if s.isdigit():
        return int(s)
    digits = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9)))
    total, cur = 0, 0
    for ch in s:
        if ch in digits:
            cur = digits[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


@dataclass(frozen=True)
class Statement:
    """A number (or 'none') the prose states, with the sentence it came from."""

    kind: str  # received, carried_over, processed, carried_forward, review, litigation
    value: int
    sentence: str
    section: int


_OFF_TOPIC = re.compile(r"信访|热线|转办|投诉|信箱|咨询")
#: a clause about time limits or a change is not a count: 答复时间5个工作日, 增加2件, 同比…
_NOT_A_COUNT = re.compile(r"工作日|日内|天内|时间|时限|增加|减少|增长|下降|同比|相比|较上年|比上年")
_SENTENCE_YEAR = re.compile(r"\s*(?:截至|截止)?\s*(20\d\d)\s*年")
_REVIEW_WORDS = re.compile(r"复议|诉讼")
_RIGHTS = re.compile(r"可以|可依法|有权|依法申请|告知")

_APP_PATTERNS = {
    "received": [re.compile(r"(?:收到|受理|接收|接到|新收)" + _GAP % 12 + r"申请" + _GAP % 8
                            + _N + _UNIT)],
    "carried_over": [re.compile(r"上一?年度?结转" + _GAP % 12 + _N + _UNIT)],
    "processed": [re.compile(r"(?:办结|答复|办理完毕|已办理|共办理)" + _GAP % 10 + _N + _UNIT)],
    "carried_forward": [
        re.compile(r"结转(?:至|到|入)?下一?年度?(?:继续办理)?" + _GAP % 6 + _N + _UNIT),
        re.compile(_N + _UNIT + _GAP % 8 + r"结转(?:至|到|入)?(?:下一?年|\d{4}年)"),
    ],
}
_REVIEW_PATTERNS = {
    "review": re.compile(r"行政复议" + _GAP % 10 + _N + _UNIT),
    "litigation": re.compile(r"行政诉讼" + _GAP % 10 + _N + _UNIT),
}
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:新)?(?:收到|受理|接到|接收)" + r"[^。；;，,]{0,15}?申请")
_NONE_REVIEW = re.compile(r"(?:未|没有|无)[^。；;，,\d]{0,20}?(行政复议|行政诉讼)"
                          r"(?:[、和及与或]\s*(行政复议|行政诉讼))?")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
#: a count of one result, not of all applications: 部分公开答复0件 is not "none answered"
_RESULT = re.compile(r"予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|不予受理|驳回")
#: an outcome of reviews, not their number: 未发生…被行政复议纠错 does not say "no review"
_OUTCOME = re.compile(r"纠错|败诉|撤销|确认违法|纠正|改变|责令|维持")
#: the prose says every application was handled (所有申请均已…办结, 全部按时办结)
_ALL_HANDLED = re.compile(r"(?<![未没尚])(?:所有|全部|均|都|一律)[^。；;，,]{0,14}?"
                          r"(?:办结|办理完毕|答复完毕|处理完毕|办理完成|完成答复|予以答复|按时答复)")
#: …unless the sentence owns up to a carry (除2件结转下年度外，其余均已办结)…
_CARRY_FORWARD = re.compile(r"结转(?:至|到|入)?下一?年|下一?年度?继续办理|继续办理|除|其余|以外|之外"
                            r"|尚在|正在办理|未办结")
#: …or the clause is about last year's carried-over applications, or negates the claim
_NOT_A_CLAIM = re.compile(r"上年|上一年|去年|未全部|没有全部|尚未|并非")


def _sentences(report: Report) -> Iterator[tuple[int, str]]:
    for n in PROSE_SECTIONS:
        sec = report.sections.get(n)
        if sec:
            for m in _SENTENCE.finditer(sec.body):
                yield n, m.group().strip()


def statements(report: Report) -> list[Statement]:
    """Every count the prose states about applications and reviews, in order."""
    out: list[Statement] = []
    for n, s in _sentences(report):
        if "申请" not in s and "行政" not in s:
            continue  # every pattern needs 申请, 行政复议 or 行政诉讼
        year = _SENTENCE_YEAR.match(s)
        if year and report.year and int(year.group(1)) != report.year:
            continue  # last year's figures, or next year's plans
        about_applications = "申请" in s
        for clause in re.split(r"[，,]", s):
            if about_applications and not _OFF_TOPIC.search(clause) \
                    and not _REVIEW_WORDS.search(clause) and not _NOT_A_COUNT.search(clause):
                for kind, pats in _APP_PATTERNS.items():
                    for p in pats:
                        out += [Statement(kind, cn_int(m.group(1)), s, n)
                                for m in p.finditer(clause)
                                if not _RESULT.search(clause, max(0, m.start() - 8), m.end())]
                if _NONE_RECEIVED.search(clause):
                    out.append(Statement("received", 0, s, n))
            if about_applications and not _OFF_TOPIC.search(s) and _ALL_HANDLED.search(clause) \
                    and not _NOT_A_CLAIM.search(clause) and not _CARRY_FORWARD.search(s):
                out.append(Statement("all_handled", 0, s, n))
            if _RIGHTS.search(clause):
                continue
            for kind, p in _REVIEW_PATTERNS.items():
                out += [Statement(kind, cn_int(m.group(1)), s, n) for m in p.finditer(clause)
                        if not _OUTCOME.search(m.group())]
            for m in _NONE_REVIEW.finditer(clause):
                if _OUTCOME.search(clause, m.end(), m.end() + 10):
                    continue  # none corrected or lost, which says nothing of how many there were
                out += [Statement("review" if w == "行政复议" else "litigation", 0, s, n)
                        for w in m.groups() if w]
    return list(dict.fromkeys(out))


def _total(report: Report, table: str, row: str, parts: tuple[str, ...]) -> int | float | None:
    """A row's 总计, or the sum of its parts when the total is blank but every part is printed."""
    t = cell(report, f"{table}.{row}.total")
    if t.known:
        return t.value
    cells = [cell(report, f"{table}.{row}.{c}") for c in parts]
    return sum(c.value or 0 for c in cells) if all(c.known for c in cells) else None


def _app_total(report: Report, row: str) -> int | float | None:
    return _total(report, "applications", row, APPLICANT_COLS)


def _quote(s: str, limit: int = 40) -> str:
    s = visible(s)
    return "「" + (s if len(s) <= limit else s[:limit - 1] + "…") + "」"


def _where(report: Report, section: int) -> tuple[str, int | None]:
    sec = report.sections.get(section)
    if sec is None or sec.line_start is None:
        return "", None
    return f"section {labels.SECTION_TITLES[section][0]}, lines {sec.line_start}–{sec.line_end}", \
        sec.line_start


def _finding(rule: str, severity: str, message: str, st: Statement, report: Report,
             keys: list[str], expected: object) -> Finding:
    where, line = _where(report, st.section)
    return Finding(rule, severity, message, keys=keys, section=st.section, expected=expected,
                   actual=st.value, source=where, line=line, origin="validate",
                   words=[st.sentence])


_APP_ROWS = {"received": "new_received", "carried_over": "carried_over",
             "processed": "total_processed", "carried_forward": "carried_forward"}


def applications(report: Report, stated: list[Statement]) -> list[Finding]:
    """T-APPLICATIONS and T-NONE."""
    out = []
    totals = {k: _app_total(report, row) for k, row in _APP_ROWS.items()}
    for st in stated:
        if st.kind not in _APP_ROWS:
            continue
        row = _APP_ROWS[st.kind]
        key = f"applications.{row}.total"
        name = f"{row_name('applications', row)} · 总计"
        value = totals[st.kind]
        accepted = [value]
        if st.kind == "received" and value is not None:
            accepted.append(None if totals["carried_over"] is None
                            else value + totals["carried_over"])
        rule = "T-NONE" if (st.kind == "received" and (st.value == 0 or value == 0)) \
            else "T-APPLICATIONS"
        if st.value in accepted:
            continue
        keys = [key] + (["applications.carried_over.total"] if len(accepted) > 1 else [])
        if value is None or None in accepted:
            out.append(_finding(rule, INFO, Phrase("not assessed: the prose says {sentence} "
                                                   "({value}), but {figure} is not printed as a "
                                                   "number", sentence=_quote(st.sentence),
                                                   value=st.value, figure=name),
                                st, report, keys, None))
            continue
        said = Phrase("no applications were received") if st.value == 0 else f"{st.value}"
        also = (Phrase(" (and 一、本年新收 + 二、上年结转 = {sum})", sum=num(accepted[1]))
                if len(accepted) > 1 and value != 0 else "")
        out.append(_finding(rule, WARNING, Phrase("the prose says {said} — {sentence} — but "
                                                  "table 三 has {figure} = {value}{also}",
                                                  said=said, sentence=_quote(st.sentence),
                                                  figure=name, value=num(value), also=also),
                            st, report, keys,
                            value))
    return out


def claims(report: Report, stated: list[Statement]) -> list[Finding]:
    """T-CLAIMS: the prose says every application was handled while table 三 carries some
    forward to next year."""
    out = []
    forward = _app_total(report, "carried_forward")
    name = f"{row_name('applications', 'carried_forward')} · 总计"
    for st in stated:
        if st.kind != "all_handled":
            continue
        if forward is None:
            out.append(_finding("T-CLAIMS", INFO, Phrase(
                "not assessed: the prose says every application was handled — {sentence} — but "
                "{figure} is not printed as a number", sentence=_quote(st.sentence),
                figure=name), st, report, ["applications.carried_forward.total"], None))
        elif forward > 0:
            out.append(_finding("T-CLAIMS", WARNING, Phrase(
                "the prose says every application was handled — {sentence} — but table 三 "
                "carries {value} forward to next year ({figure} = {value})",
                sentence=_quote(st.sentence), value=num(forward), figure=name),
                st, report, ["applications.carried_forward.total"], 0))
    return out


def reviews(report: Report, stated: list[Statement]) -> list[Finding]:
    """T-REVIEWS: 行政复议 counts against the 复议 row; 行政诉讼 against either or both rows."""
    out = []
    rev = _total(report, "reviews", "review", REVIEW_PARTS)
    lit = [_total(report, "reviews", r, REVIEW_PARTS)
           for r in ("litigation_direct", "litigation_after_review")]
    for st in stated:
        if st.kind == "review":
            accepted, keys, name = [rev], ["reviews.review.total"], "行政复议 · 总计"
        elif st.kind == "litigation":
            both = None if None in lit else (lit[0] or 0) + (lit[1] or 0)
            accepted = [both, *lit]
            keys = ["reviews.litigation_direct.total", "reviews.litigation_after_review.total"]
            name = Phrase("行政诉讼 · 总计 (未经复议直接起诉 + 复议后起诉)")
        else:
            continue
        if st.value in accepted:
            continue
        said = Phrase("none") if st.value == 0 else str(st.value)
        if accepted[0] is None:
            out.append(_finding("T-REVIEWS", INFO, Phrase(
                "not assessed: the prose says {sentence} ({value}), but {figure} is not printed "
                "as a number", sentence=_quote(st.sentence), value=said, figure=name),
                st, report, keys, None))
            continue
        out.append(_finding("T-REVIEWS", WARNING, Phrase(
            "the prose says {said} — {sentence} — but table 四 has {figure} = {value}",
            said=said, sentence=_quote(st.sentence), figure=name, value=num(accepted[0])),
            st, report, keys, accepted[0]))
    return out


_FEE_POSITIVE = re.compile(r"(?:收取|收缴|收)[^。；;，,\d]{0,8}?(?:信息处理费|费用?)"
                           r"[^。；;，,\d]{0,6}?(\d+(?:\.\d+)?)\s*(万元|元)"
                           r"|信息处理费[^。；;，,\d]{0,6}?(\d+(?:\.\d+)?)\s*(万元|元)")
_FEE_NEGATIVE = re.compile(r"(?:未|没有|不|无)(?:收取|收缴|产生|涉及)[^。；;，,]{0,8}?(?:费|费用)"
                           r"|信息处理费[^。；;，,\d]{0,4}?(?:0|零|无)(?![\d.])")
_BARE_NONE = re.compile(r"^[\s。.、:：]*(?:无|暂无|没有)[\s。.、]*$")


def fees(report: Report) -> list[Finding]:
    """T-FEES: a fee charged somewhere, while section 六 (or other prose) says none."""
    six = report.sections.get(6)
    bare = bool(six and _BARE_NONE.match(six.body))
    positive: list[tuple[int, str, float]] = []
    negative: list[tuple[int, str]] = []
    for n, s in _sentences(report):
        if "费" not in s:
            continue  # in every fee pattern
        for m in _FEE_POSITIVE.finditer(s):
            amount = float(m.group(1) or m.group(3))
            if amount > 0:
                positive.append((n, s, amount))
        if _FEE_NEGATIVE.search(s):
            negative.append((n, s))
    out = []
    overdue = cell(report, "applications.other.overdue_fee.total")
    if bare and overdue.known and (overdue.value or 0) > 0:
        where, line = _where(report, 6)
        out.append(Finding("T-FEES", INFO, Phrase(
            "table 三 counts {count} applications closed because a fee notice went unpaid "
            "(2.申请人逾期未按收费通知要求缴纳费用), so fees were charged, but section 六 says "
            "only 无", count=num(overdue.value)),
                           keys=[overdue.key], section=6, expected="fees reported in 六",
                           actual=num(overdue.value), source=where, line=line,
                           origin="validate", words=[six.body.strip()] if six else []))
    for n, s, amount in positive:
        elsewhere = [t for m, t in negative if m != n]
        against = ([_quote(t) for t in elsewhere]
                   + ([Phrase("section 六: 无")] if bare and n != 6 else []))
        if against:
            said = elsewhere[:1] or ([six.body.strip()] if six and bare and n != 6 else [])
            where, line = _where(report, n)
            out.append(Finding("T-FEES", INFO, Phrase(
                "a fee of {amount:g} is reported — {sentence} — but elsewhere the report says "
                "none: {against}", amount=amount, sentence=_quote(s), against=against[0]),
                               section=n, expected=0, actual=amount, source=where, line=line,
                               origin="validate", words=[s, *said]))
    return out


# ------------------------------------------------------------------------------ content (C)

#: hijacked-page spam (gambling, betting, lottery, adult), seen injected into government pages
INJECTED = re.compile(
    r"赌博(?:软件|平台|网站|网址|官网|游戏)?(?:app|下载)|赌博(?:软件|平台|网站|网址|官网|游戏)|博彩|体育投注|足球投注|网上投注|投注(?:平台|网站|app)"
    r"|彩票(?:app|APP|平台|网站|网址|官网|下载|注册)|时时彩|六合彩|北京赛车|pk10|百家乐|真人娱乐"
    r"|娱乐城|澳门(?:新)?(?:葡京|赌场|威尼斯人|金沙)|太阳城|皇冠体育|棋牌(?:app|APP|平台|游戏下载)"
    r"|老虎机|电子游艺|bet365|bet9|188bet|亚博(?:体育)?|开云体育|ob体育|必威|威廉希尔"
    r"|色情|成人(?:视频|影片|网站)|约炮|裸聊|av(?:女优|在线)",
    re.IGNORECASE,
)
TEMPLATE_TEXT = re.compile(
    r"[（(]\s*文字描述\s*[）)]|此处填写|请在此|请填写|[（(]\s*填写[^）)]{0,10}[）)]"
    r"|(?:XX|ＸＸ|××|xx)+(?:省|市|县|区|镇|乡|街道|局|委|办|年|月|日|部门|单位)"
    r"|20(?:XX|xx|ＸＸ|××)年|X{3,}|×{3,}"
)
#: every TEMPLATE_TEXT match contains one of these
TEMPLATE_NEEDLES = ("文字描述", "填写", "请在此", "XX", "ＸＸ", "××", "xx")


def _scan(report: Report) -> Iterator[tuple[int | None, str, Section | None]]:
    """The title and every section body (with its number)."""
    yield None, report.title, None
    for n, sec in sorted(report.sections.items()):
        yield n, sec.title + "\n" + sec.body, sec


def _excerpt(text: str, start: int, end: int, around: int = 12) -> str:
    a, b = max(0, start - around), min(len(text), end + around)
    return ("…" if a else "") + visible(text[a:b].replace("\n", " ")) + ("…" if b < len(text)
                                                                         else "")


@lru_cache(maxsize=8)
def _case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _haystack(pattern: re.Pattern[str], text: str) -> tuple[str, re.Pattern[str]]:
    """An IGNORECASE pattern runs on lowercased text, six times faster, when lowercasing
    keeps every position."""
    if pattern.flags & re.IGNORECASE and len(low := text.lower()) == len(text):
        return low, _case_sensitive(pattern)
    return text, pattern


def _found(pattern: re.Pattern[str], text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``pattern`` occurs in ``text``, the needles asked first."""
    if needles and not any(w in text for w in needles):
        return False
    hay, pat = _haystack(pattern, text)
    return pat.search(hay) is not None


def content(report: Report, rule: str, pattern: re.Pattern[str], severity: str,
            what: str, needles: tuple[str, ...] = ()) -> list[Finding]:
    """One finding per section where ``pattern`` occurs, naming every distinct term.

    ``needles``: strings one of which every match contains, checked first (regex
    alternations are slow on long text). The patterns have no anchors, so a text without a
    match in the whole has none in any part.
    """
    out: list[Finding] = []
    parts = list(_scan(report))
    if not _found(pattern, "\n".join(text for _, text, _ in parts), needles):
        return out  # the usual case, known from one pass over the whole text
    for n, text, sec in parts:
        if not _found(pattern, text, needles):
            continue
        hay, pat = _haystack(pattern, text)
        hits = list(pat.finditer(hay))
        if not hits:
            continue
        terms: dict[str, int] = {}
        for m in hits:
            term = text[m.start():m.end()]
            terms[term] = terms.get(term, 0) + 1
        listed = "、".join(visible(t) + (f" ×{c}" if c > 1 else "") for t, c in terms.items())
        place = labels.SECTION_TITLES[n] if n else Phrase("the title")
        where = (f"section {labels.SECTION_TITLES[n][0]}, lines {sec.line_start}–{sec.line_end}"
                 if n is not None and sec and sec.line_start is not None
                 else str.__str__(place))
        out.append(Finding(rule, severity, Phrase(
            "{terms} in {place}: {what} — {excerpt}", terms=listed, place=place, what=what,
            excerpt=_excerpt(text, hits[0].start(), hits[0].end())), section=n,
                           actual=sorted(terms), source=where,
                           line=sec.line_start if sec else None, origin="validate",
                           words=list(terms)))
    return out


def empty_five(report: Report) -> list[Finding]:
    """C-EMPTY: section 五 printed but saying nothing."""
    sec = report.sections.get(5)
    if sec is None or not (not sec.body.strip() or _BARE_NONE.match(sec.body)):
        return []
    said = (Phrase("empty") if not sec.body.strip()
            else Phrase("only {text}", text=_quote(sec.body.strip())))
    return [Finding("C-EMPTY", WARNING, Phrase(
        "section {title} is {said}: the report names no problem and no improvement",
        title=labels.SECTION_TITLES[5], said=said), section=5,
                    actual=visible(sec.body.strip()), source=_where(report, 5)[0],
                    line=sec.line_start, origin="validate",
                    words=[sec.body.strip()] if sec.body.strip() else [])]


def run(report: Report) -> list[Finding]:
    """Every T and C finding of ``report``."""
    stated = statements(report)
    return (applications(report, stated) + claims(report, stated) + reviews(report, stated)
            + fees(report)
            + content(report, "C-INJECTED", INJECTED, ERROR, Phrase(
                "the text of a hijacked page (gambling, betting, adult spam)"))
            + content(report, "C-TEMPLATE-TEXT", TEMPLATE_TEXT, WARNING,
                      Phrase("template text left unfilled"), TEMPLATE_NEEDLES)
            + empty_five(report))

