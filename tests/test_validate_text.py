"""T and C rules on real seed text and on generated reports: the usual wording agreeing with
the table raises nothing, the same sentence with another number raises the rule."""

from __future__ import annotations

import pytest
from test_validate_support import figures, of, parsed, seed

from goitui import labels
from goitui.model import ERROR, INFO, WARNING
from goitui.validate.prose import cn_int, statements
from goitui.validate.report import validate_report

T21 = labels.T2021
F = figures(T21)
N = F["applications.new_received.total"]
B = F["applications.carried_over.total"]
P = F["applications.total_processed.total"]
D = F["applications.carried_forward.total"]
R = F["reviews.review.total"]
LIT = F["reviews.litigation_direct.total"] + F["reviews.litigation_after_review.total"]

#: (sentence with {n}, the value that agrees, the rule when it does not)
SENTENCES = [
    ("2022年，共收到政府信息公开申请{n}件。", N, "T-APPLICATIONS"),
    ("全年新收政府信息公开申请{n}件。", N, "T-APPLICATIONS"),
    ("共受理政府信息公开申请{n}件（含上年度结转申请）。", N + B, "T-APPLICATIONS"),
    ("上年结转政府信息公开申请{n}件。", B, "T-APPLICATIONS"),
    ("本年度办结政府信息公开申请{n}件。", P, "T-APPLICATIONS"),
    ("对收到的申请均按时答复，结转下年度继续办理{n}件。", D, "T-APPLICATIONS"),
    ("另有{n}件申请结转到2023年度办理。", D, "T-APPLICATIONS"),
    ("因政府信息公开被申请行政复议{n}件。", R, "T-REVIEWS"),
    ("因政府信息公开被提起行政诉讼{n}件。", LIT, "T-REVIEWS"),
]


def t_findings(prose: str, figs: dict | None = None, template: str = T21) -> list:
    report = parsed(figs or F, template, prose={1: prose})
    return [f for f in validate_report(report, None) if f.rule.startswith("T-")]


@pytest.mark.parametrize(("sentence", "agrees", "rule"), SENTENCES)
def test_agreeing_sentence_raises_nothing(sentence: str, agrees: int, rule: str) -> None:
    assert t_findings(sentence.format(n=agrees)) == []


@pytest.mark.parametrize(("sentence", "agrees", "rule"), SENTENCES)
def test_disagreeing_sentence_raises_the_rule(sentence: str, agrees: int, rule: str) -> None:
    found = t_findings(sentence.format(n=agrees + 7))
    assert [(f.rule, f.severity) for f in found] == [(rule, WARNING)]
    f = found[0]
    assert f.actual == agrees + 7 and f.section == 1
    assert str(agrees + 7) in f.message and "「" in f.message and f.source.startswith("section 一")


def test_the_generated_prose_agrees_with_its_table() -> None:
    report = parsed(F, T21)
    assert {s.kind for s in statements(report)} >= {"received", "carried_over", "processed",
                                                   "carried_forward"}
    assert not [f for f in validate_report(report, None) if f.rule.startswith("T-")]


def test_chinese_numerals() -> None:
    assert [cn_int(s) for s in ("三", "十", "十二", "二十五", "两", "一百零三", "17")] == \
        [3, 10, 12, 25, 2, 103, 17]


def test_off_topic_counts_are_not_read() -> None:
    # seed 001: the 12345 hotline and 信访 figures are not applications
    assert t_findings("2019年共受理转办件7件,7件均按时限办结,办结率达100%。"
                      "综治办负责书记市长信箱信访件办理回复，共办结信访件12件。") == []


# ------------------------------------------------------------------ T-NONE on the seeds' prose

@pytest.mark.parametrize("n", [1, 3, 4])
def test_seed_prose_says_none_and_the_table_agrees(n: int) -> None:
    report = seed(n)
    stated = statements(report)
    assert any(s.kind == "received" and s.value == 0 for s in stated)
    assert report.value("applications.new_received.total") == 0
    assert not of(validate_report(report, None), "T-NONE")


@pytest.mark.parametrize("n", [1, 3, 4])
def test_seed_prose_says_none_but_the_table_has_some(n: int) -> None:
    report = seed(n)
    report.figures["applications.new_received.total"].value = 3
    found = of(validate_report(report, None), "T-NONE", WARNING)
    assert len(found) == 1 and found[0].expected == 3 and found[0].actual == 0
    assert "no applications were received" in found[0].message


def test_none_stated_but_total_blank_is_not_assessed() -> None:
    report = seed(3)
    report.figures["applications.new_received.total"].kind = "blank"
    report.figures["applications.new_received.total"].value = None
    report.figures["applications.new_received.natural_person"].kind = "blank"
    found = of(validate_report(report, None), "T-NONE")
    assert [f.severity for f in found] == [INFO] and "not assessed" in found[0].message


def test_reverse_some_stated_but_table_has_none() -> None:
    report = seed(0)  # 拉西瓦镇: every cell 0
    report.sections[1].body += "\n本年度共收到政府信息公开申请5件。"
    found = of(validate_report(report, None), "T-NONE", WARNING)
    assert len(found) == 1 and found[0].actual == 5 and found[0].expected == 0


def test_no_reviews_stated() -> None:
    zero = dict(F) | {k: 0 for k in F if k.startswith("reviews.")}
    sentence = "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    assert t_findings(sentence, zero) == []
    found = t_findings(sentence)
    assert sorted((f.rule, f.actual) for f in found) == [("T-REVIEWS", 0), ("T-REVIEWS", 0)]
    assert t_findings("申请人不服的，可以依法申请行政复议或者提起行政诉讼。") == []


# ------------------------------------------------------------------ T-FEES

def test_fees_fee_notices_but_six_says_none() -> None:
    found = of(validate_report(parsed(F, T21, prose={6: "无"}), None), "T-FEES")
    assert [f.severity for f in found] == [INFO] and "逾期未按收费通知" in found[0].message
    assert not of(validate_report(parsed(F, T21), None), "T-FEES")  # 六 says 未收取信息处理费
    f19 = figures(labels.T2019)
    assert not of(validate_report(parsed(f19, labels.T2019, prose={6: "无"}), None), "T-FEES")


def test_fees_charged_but_six_says_none() -> None:
    f19 = figures(labels.T2019)
    prose = {1: "本年度共收取信息处理费120元。", 6: "无"}
    found = of(validate_report(parsed(f19, labels.T2019, prose=prose), None), "T-FEES")
    assert len(found) == 1 and found[0].actual == 120
    prose = {1: "本年度共收取信息处理费120元。", 6: "本年度收取信息处理费120元，已上缴国库。"}
    assert not of(validate_report(parsed(f19, labels.T2019, prose=prose), None), "T-FEES")


# ------------------------------------------------------------------ C rules

def test_seed_001_carries_injected_gambling_text() -> None:
    found = of(validate_report(seed(1), None), "C-INJECTED", ERROR)
    assert len(found) == 1
    f = found[0]
    assert "赌博软件app" in f.message and f.actual == ["赌博软件app"] and f.section == 1
    assert f.source.startswith("section 一, lines")


@pytest.mark.parametrize("n", [0, 2, 3, 4])
def test_other_seeds_carry_no_injected_text(n: int) -> None:
    assert not of(validate_report(seed(n), None), "C-INJECTED")


@pytest.mark.parametrize(("text", "fires"), [
    ("欢迎访问体育投注平台，注册即送彩金。", True),
    ("bet365官网入口", True),
    ("澳门葡京娱乐城在线", True),
    ("开展打击赌博违法犯罪专项宣传，发放彩票公益金使用情况公告。", False),
])
def test_injected_patterns(text: str, fires: bool) -> None:
    report = parsed(F, T21, prose={5: f"（一）主要问题\n{text}\n（二）改进措施\n加强培训。"})
    assert bool(of(validate_report(report, None), "C-INJECTED")) is fires


def test_template_text_left_in() -> None:
    report = parsed(F, T21, prose={1: "XX镇人民政府2022年政府信息公开工作（文字描述）。"})
    found = of(validate_report(report, None), "C-TEMPLATE-TEXT", WARNING)
    assert found and "（文字描述）" in found[0].message and "XX镇" in found[0].message
    assert not of(validate_report(parsed(F, T21), None), "C-TEMPLATE-TEXT")


def test_empty_section_five() -> None:
    found = of(validate_report(parsed(F, T21, prose={5: "无。"}), None), "C-EMPTY", WARNING)
    assert len(found) == 1 and found[0].section == 5
    assert found[0].source.startswith("section 五, lines ")  # as every T/C finding says it
    assert not [f for n in range(5) for f in of(validate_report(seed(n), None), "C-EMPTY")]


@pytest.mark.parametrize("extra", [
    "共收到政府信息公开申请{n}件，办结{p}件，平均答复时间5个工作日。",
    "与上年相比，收到的政府信息公开申请数量增加2件。",
    "2021年共收到政府信息公开申请10件。",
    "我镇将在收到申请后5个工作日内答复。",
])
def test_time_limits_changes_and_other_years_are_not_counts(extra: str) -> None:
    prose = f"2022年，共收到政府信息公开申请{N}件。" + extra.format(n=N, p=P)
    assert t_findings(prose) == []
