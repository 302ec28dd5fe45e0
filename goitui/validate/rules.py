"""The catalogue of validation rules (spec/rules.md): what each checks and why it matters.

One table, read by ``goi rules`` and by ``goi validate --rule`` (to refuse unknown ids), so a
rule is described in one place only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from goitui.errors import UnknownRule
from goitui.i18n import N_, _
from goitui.model import ERROR, INFO, SEVERITIES, WARNING, Finding


@dataclass(frozen=True)
class Rule:
    id: str
    severities: tuple[str, ...]  # the severities its findings can have, most severe first
    checks: str
    why: str

    @property
    def group(self) -> str:
        return self.id.split("-", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["group"] = self.group
        d["severities"] = list(self.severities)
        return d


GROUPS = {
    "S": N_("structure: the report is what it claims to be"),
    "A": N_("arithmetic: the identities the template implies"),
    "X": N_("across years: needs the same agency's previous report"),
    "T": N_("the prose against the tables"),
    "C": N_("content"),
}

_E, _W, _I = (ERROR,), (WARNING,), (INFO,)

RULES: tuple[Rule, ...] = (
    Rule("S-AGENCY", _E, N_("the agency could be determined (title, body, file name or --agency)"),
         N_("a report that belongs to nobody cannot be compared with other years")),
    Rule("S-YEAR", (ERROR, WARNING), N_("the report year could be determined; title, statistics "
         "period and body agree"), N_("a wrong year files the report under the wrong year and "
         "breaks every comparison across years")),
    Rule("S-SECTIONS", (ERROR, WARNING), N_("all six sections are present (error for 二/三/四, "
         "warning for 一/五/六)"), N_("the statute (条例第五十条) prescribes the six parts; the "
         "tables of 二/三/四 carry every figure")),
    Rule("S-ORDER", _W, N_("sections in order; statutory parts not renumbered"),
         N_("renumbered or shuffled sections are often a sign of a page cut or pasted wrongly")),
    Rule("S-TEMPLATE", _I, N_("template detected: 2019, 2021 or a hybrid of both"),
         N_("the rows and columns that exist, and so every other rule, depend on it")),
    Rule("S-CELLS", _E, N_("every table row has the number of values its template row expects"),
         N_("a value too many or too few would otherwise shift into the wrong column")),
    Rule("S-LABEL", (WARNING, INFO), N_("a row label matched only approximately, or matched no "
         "template row"), N_("an approximate match may have put a figure in the wrong row")),
    Rule("S-VALUE", (WARNING, INFO), N_("a cell holds a placeholder (/ - — 无) or text that is "
         "not a number"), N_("such a cell is not 0; no sum may count it")),
    Rule("S-UNIT", _I, N_("a cell's unit differs from its column's (3200元 under 万元): the "
         "converted value is stored, the printed text kept"), N_("a figure stored in the wrong "
         "unit is off by ten thousand in every sum and comparison")),
    Rule("S-OCR", _W, N_("a figure read by OCR with low confidence, or whose digits an identity "
         "doubts (the reading that would make the identity hold is named; the figure stays as "
         "read)"), N_("a scan's digit can be misread (0/8/6/9, 1/7, 3/8, a dropped digit); the "
         "page and box say where to look")),
    Rule("A-BALANCE", _E, N_("一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度, in every "
         "column (the 勾稽关系 printed in the table)"), N_("the one identity the template itself "
         "prints: if it fails, a figure of 三 is wrong")),
    Rule("A-RESULTS", _E, N_("（七）总计 = the sum of every 办理结果 row （一）…（六）, in every "
         "column, with the result rows the report's template has"), N_("each finished application "
         "is counted in exactly one result row")),
    Rule("A-ROWSUM", _E, N_("the 总计 column of 三 = the sum of the six applicant columns, in "
         "every row"), N_("the 总计 column is the sum of 自然人 and the five kinds of 法人或其他组织")),
    Rule("A-REVIEWS", _E, N_("in 四, each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 "
         "(行政复议, and both kinds of 行政诉讼)"), N_("every case has exactly one outcome")),
    Rule("A-DOMAIN", _E, N_("counts are whole numbers ≥ 0; only 本年增/减 may be negative; amounts "
         "are ≥ 0"), N_("a negative or fractional count is a typo or a misread cell")),
    Rule("X-CARRY", (WARNING, INFO), N_("二、上年结转 = last year's 四、结转下年度继续办理, every "
         "column"), N_("applications do not vanish between years; a mismatch means a restatement "
         "or a wrong figure")),
    Rule("X-IN-FORCE", _I, N_("2021 template: 现行有效件数 ≈ last year's 现行有效件数 + 本年制发 "
         "− 本年废止"), N_("soft check: 制发 may include amendments, documents may lapse")),
    Rule("X-PREV-ITEMS", _I, N_("2019 template: 上一年项目数量 = last year's 上一年项目数量 + "
         "本年增/减"), N_("the 2019 form defines the column that way")),
    Rule("X-JUMP", _I, N_("a figure grew or shrank more than tenfold (and by more than 20) since "
         "last year"), N_("large jumps are often a unit or column mistake")),
    Rule("X-REUSE", _W, N_("a narrative section (一 or 五) repeats last year's text almost wholly "
         "(the reuse ratio is given)"), N_("the 2021 notice warns against reports whose content is "
         "雷同 (copied from year to year)")),
    Rule("T-APPLICATIONS", (WARNING, INFO), N_("application counts stated in the prose (收到, "
         "上年结转, 办结, 结转下年度) agree with table 三"), N_("prose and table are two statements "
         "of one fact; when they differ, one is wrong")),
    Rule("T-NONE", (WARNING, INFO), N_("the prose says no applications were received (未收到…申请) "
         "but table 三 shows some, or the reverse"), N_("the commonest contradiction between prose "
         "and table")),
    Rule("T-REVIEWS", (WARNING, INFO), N_("行政复议 / 行政诉讼 counts (or 未发生) stated in the prose "
         "agree with table 四"), N_("prose and table are two statements of one fact")),
    Rule("T-FEES", _I, N_("a fee (信息处理费) is reported but section 六 says 无, or the reverse"),
         N_("the 2021 notice requires fees collected to be reported in 六")),
    Rule("T-CLAIMS", _W, N_("a claim in the prose that the tables contradict: every application "
         "handled (所有申请均已办结, 全部按时办结) while 结转下年度 > 0; none received while the "
         "table has some"), N_("a report that says all was done while its own table carries "
         "applications forward misstates its work")),
    Rule("C-INJECTED", _E, N_("text that a hijacked government page carries: gambling, betting, "
         "lottery or adult spam (赌博软件app, 体育投注, bet365 …)"), N_("the page was tampered with: "
         "the text cannot be trusted as the agency's report")),
    Rule("C-TEMPLATE-TEXT", _W, N_("template placeholder text left in (（文字描述）, XX镇, 此处填写)"),
         N_("the report was published without being filled in")),
    Rule("C-EMPTY", _W, N_("section 五 is empty or only 无"), N_("the statute asks for the main "
         "problems and how they are being fixed; 无 is not an answer")),
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}


def select(patterns: list[str] | None) -> list[Rule]:
    """Rules named by id or group (``A-BALANCE``, ``A``, ``a-bal``); all when none given.

    Raises ``UnknownRule`` naming the first pattern that matches no rule.
    """
    if not patterns:
        return list(RULES)
    out: list[Rule] = []
    for p in patterns:
        q = p.strip().upper().rstrip("*")
        hits = [r for r in RULES if r.id == q] or [r for r in RULES if r.id.startswith(q)]
        if not hits:
            raise UnknownRule(_("unknown rule {pattern!r}; the groups are {groups} (goi rules "
                                "lists them)").format(pattern=p, groups=", ".join(GROUPS)))
        out += [r for r in hits if r not in out]
    return out


#: severities from the most severe: error ⊂ warning ⊂ info
RANK = {s: i for i, s in enumerate(SEVERITIES)}
_GROUP_ORDER = {g: i for i, g in enumerate(GROUPS)}


def sort_key(f: Finding) -> tuple[int, int, str]:
    """Group (S, A, X, T, C), then severity, then rule: the order findings are shown in."""
    return shown_order(f.rule, f.severity)


@lru_cache(maxsize=1024)
def shown_order(rule: str, severity: str) -> tuple[int, int, str]:
    """``sort_key`` of a finding known by its rule and severity only (a row read from the
    archive, not made into a ``Finding``); the few pairs there are, worked out once each."""
    return (_GROUP_ORDER.get(rule.split("-", 1)[0], 99), RANK.get(severity, 9), rule)
