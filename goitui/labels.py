"""The official template: every table, row and column, with its canonical key and label.

This module is the single source of the keys in ``spec/keys.md``: parsing, the archive,
validation, diff and the browser all look labels and keys up here, never elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

T2019 = "2019"
T2021 = "2021"
HYBRID = "hybrid"
UNKNOWN = "unknown"

TABLES = ("proactive", "applications", "reviews")
TABLE_TITLES = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
}
TABLE_SECTION = {"proactive": 2, "applications": 3, "reviews": 4}

SECTION_TITLES = {
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    """One data row of a template table: its key, official label and columns."""

    table: str
    key: str
    label: str
    columns: tuple[Column, ...]
    templates: frozenset[str]
    category: str | None = None  # the rowspan label above it, e.g. （三）不予公开
    aliases: tuple[str, ...] = field(default=())

    def keys(self) -> list[str]:
        return list(self._keys)

    @cached_property
    def _keys(self) -> tuple[str, ...]:
        return tuple(f"{self.table}.{self.key}.{c.key}" for c in self.columns)


BOTH = frozenset({T2019, T2021})
ONLY19 = frozenset({T2019})
ONLY21 = frozenset({T2021})

_C21_DOCS = (Column("made", "本年制发件数"), Column("repealed", "本年废止件数"),
             Column("in_force", "现行有效件数"))
_C19_DOCS = (Column("new_made", "本年新制作数量"), Column("new_published", "本年新公开数量"),
             Column("total_published", "对外公开总数量"))
_C21_DECISIONS = (Column("decisions", "本年处理决定数量"),)
_C19_ITEMS = (Column("prev_items", "上一年项目数量"), Column("change", "本年增/减"),
              Column("decisions", "处理决定数量"))

PROACTIVE_2021 = (
    Row("proactive", "regulations", "规章", _C21_DOCS, ONLY21),
    Row("proactive", "normative_docs", "行政规范性文件", _C21_DOCS, ONLY21, aliases=("规范性文件",)),
    Row("proactive", "licensing", "行政许可", _C21_DECISIONS, ONLY21),
    Row("proactive", "penalty", "行政处罚", _C21_DECISIONS, ONLY21),
    Row("proactive", "coercion", "行政强制", _C21_DECISIONS, ONLY21),
    Row("proactive", "fees", "行政事业性收费", (Column("amount_wan", "本年收费金额（单位：万元）"),), ONLY21),
)
PROACTIVE_2019 = (
    Row("proactive", "regulations", "规章", _C19_DOCS, ONLY19),
    Row("proactive", "normative_docs", "规范性文件", _C19_DOCS, ONLY19, aliases=("行政规范性文件",)),
    Row("proactive", "licensing", "行政许可", _C19_ITEMS, ONLY19),
    Row("proactive", "other_services", "其他对外管理服务事项", _C19_ITEMS, ONLY19),
    Row("proactive", "penalty", "行政处罚", _C19_ITEMS, ONLY19),
    Row("proactive", "coercion", "行政强制", _C19_ITEMS, ONLY19),
    Row("proactive", "fees", "行政事业性收费", _C19_ITEMS[:2], ONLY19),
    Row("proactive", "procurement", "政府集中采购",
        (Column("projects", "采购项目数量"), Column("amount", "采购总金额")), ONLY19),
)

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)


def _app(key: str, label: str, templates=BOTH, category: str | None = None) -> Row:
    return Row("applications", key, label, APPLICANT_COLUMNS, templates, category)


_W, _U, _N, _O = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
APPLICATIONS = (
    _app("new_received", "一、本年新收政府信息公开申请数量"),
    _app("carried_over", "二、上年结转政府信息公开申请数量"),
    _app("granted", "（一）予以公开"),
    _app("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    _app("withheld.state_secret", "1.属于国家秘密", category=_W),
    _app("withheld.law_forbidden", "2.其他法律行政法规禁止公开", category=_W),
    _app("withheld.three_safeties", "3.危及“三安全一稳定”", category=_W),
    _app("withheld.third_party", "4.保护第三方合法权益", category=_W),
    _app("withheld.internal_affairs", "5.属于三类内部事务信息", category=_W),
    _app("withheld.process_info", "6.属于四类过程性信息", category=_W),
    _app("withheld.enforcement_file", "7.属于行政执法案卷", category=_W),
    _app("withheld.query_matter", "8.属于行政查询事项", category=_W),
    _app("unavailable.not_held", "1.本机关不掌握相关政府信息", category=_U),
    _app("unavailable.needs_creation", "2.没有现成信息需要另行制作", category=_U),
    _app("unavailable.unclear", "3.补正后申请内容仍不明确", category=_U),
    _app("not_processed.petition", "1.信访举报投诉类申请", category=_N),
    _app("not_processed.duplicate", "2.重复申请", category=_N),
    _app("not_processed.publication", "3.要求提供公开出版物", category=_N),
    _app("not_processed.excessive", "4.无正当理由大量反复申请", category=_N),
    _app("not_processed.reconfirm", "5.要求行政机关确认或重新出具已获取信息", category=_N),
    _app("other", "（六）其他处理", ONLY19),
    _app("other.overdue_correction",
         "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ONLY21, _O),
    _app("other.overdue_fee",
         "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ONLY21, _O),
    _app("other.other", "3.其他", ONLY21, _O),
    _app("total_processed", "（七）总计"),
    _app("carried_forward", "四、结转下年度继续办理"),
)
CATEGORY_LABELS = ("三、本年度办理结果", _W, _U, _N, _O)
CATEGORY_KEYS = {_W: "withheld", _U: "unavailable", _N: "not_processed", _O: "other"}

REVIEW_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
REVIEWS = (
    Row("reviews", "review", "行政复议", REVIEW_COLUMNS, BOTH),
    Row("reviews", "litigation_direct", "行政诉讼·未经复议直接起诉", REVIEW_COLUMNS, BOTH),
    Row("reviews", "litigation_after_review", "行政诉讼·复议后起诉", REVIEW_COLUMNS, BOTH),
)

#: every 办理结果 row key, both templates (（一）予以公开 … （六）其他处理 and its sub-rows)
RESULT_ROWS = tuple(r.key for r in APPLICATIONS[2:-2])

#: words that decide the template (format-spec §0), looked up in normalized text
MARKERS_2019 = ("本年新制作", "新制作数量", "本年新公开", "对外公开总数", "上一年项目", "本年增减",
                "其他对外管理服务", "第九项", "政府集中采购", "采购总金额", "采购项目数量")
MARKERS_2021 = ("本年制发", "本年废止", "现行有效", "本年处理决定", "本年收费金额")

#: header words printed above the data rows; never labels of data rows
HEADER_WORDS = tuple(dict.fromkeys(
    ["信息内容", "申请人情况", "法人或其他组织", "本列数据的勾稽关系为第一项加第二项之和等于第三项加第四项之和",
     "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "单位万元", "万元"]
    + [c.label for r in PROACTIVE_2019 + PROACTIVE_2021 for c in r.columns]
    + [c.label for c in APPLICANT_COLUMNS] + [c.label for c in REVIEW_COLUMNS]
))


def proactive_rows(template: str) -> tuple[Row, ...]:
    return PROACTIVE_2019 if template == T2019 else PROACTIVE_2021


def rows_for(table: str, template: str) -> tuple[Row, ...]:
    """The data rows a report on ``template`` is expected to have in ``table``."""
    if table == "proactive":
        return proactive_rows(template)
    if table == "reviews":
        return REVIEWS
    if template == T2019:
        return tuple(r for r in APPLICATIONS if T2019 in r.templates)
    if template == T2021:
        return tuple(r for r in APPLICATIONS if T2021 in r.templates)
    return APPLICATIONS


def keys_for(template: str) -> list[str]:
    """Every figure key of a report on ``template``, in table order."""
    return [k for t in TABLES for r in rows_for(t, template) for k in r.keys()]


def _label_index() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for rows in (PROACTIVE_2019, PROACTIVE_2021, APPLICATIONS, REVIEWS):
        for r in rows:
            for c in r.columns:
                out[f"{r.table}.{r.key}.{c.key}"] = (r.label, c.label)
    return out


_LABELS = _label_index()


def label_of(key: str) -> str:
    """The official Chinese label of a figure key, e.g. ``一、本年新收… · 总计``."""
    row, col = _LABELS.get(key, (key, ""))
    return f"{row} · {col}" if col else row


def row_label_of(key: str) -> str:
    return _LABELS.get(key, (key, ""))[0]


#: the parent row (（三）不予公开…) of each figure key printed under one
_CATEGORIES = {k: r.category for r in APPLICATIONS if r.category for k in r.keys()}


def category_of(key: str) -> str | None:
    """The parent row a figure's row sits under (（三）不予公开 for ``1.属于国家秘密``): a row
    with no values of its own, shown as a heading so that its numbered rows are not read as
    belonging to the row above it; None for a row under no parent."""
    return _CATEGORIES.get(key)


def column_label_of(key: str) -> str:
    return _LABELS.get(key, ("", key))[1]


def is_known_key(key: str) -> bool:
    return key in _LABELS
