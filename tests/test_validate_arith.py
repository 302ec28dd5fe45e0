"""A rules: consistent reports raise none; one broken cell, in every layout, names the rule,
the row or column and both sides; blanks are never summed as 0."""

from __future__ import annotations

import pytest
from test_validate_support import figures, of, parsed

from goitui import labels
from goitui.model import ERROR, INFO, Report
from goitui.testing import generate
from goitui.validate.arithmetic import result_rows
from goitui.validate.report import validate_report

TEMPLATES = (labels.T2019, labels.T2021)
APP = "applications"

#: rule → (cell to break, what the finding must name, words of both sides of the identity)
BREAKS = {
    "A-BALANCE": (f"{APP}.carried_over.commercial", "商业企业 column",
                  ("一、本年新收", "二、上年结转", "（七）总计", "四、结转下年度")),
    "A-RESULTS": (f"{APP}.granted.research", "科研机构 column", ("（七）总计", "（一）予以公开")),
    "A-ROWSUM": (f"{APP}.not_processed.duplicate.legal_service", "row （五）不予处理 2.重复申请",
                 ("总计", "自然人", "法律服务机构")),
    "A-REVIEWS": ("reviews.litigation_direct.corrected", "行政诉讼·未经复议直接起诉",
                  ("总计", "结果维持", "结果纠正", "其他结果", "尚未审结")),
}


def a_findings(report: Report) -> list:
    return [f for f in validate_report(report, None) if f.rule.startswith("A-")]


@pytest.mark.parametrize("layout", generate.LAYOUTS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_consistent_report_has_no_a_finding(template: str, layout: str) -> None:
    report = parsed(figures(template), template, layout)
    assert a_findings(report) == []


@pytest.mark.parametrize("layout", generate.LAYOUTS)
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_one_broken_cell_names_rule_place_and_both_sides(rule: str, template: str,
                                                         layout: str) -> None:
    key, where, sides = BREAKS[rule]
    figs = figures(template)
    before = figs[key]
    figs[key] = before + 1000
    found = of(validate_report(parsed(figs, template, layout), None), rule, ERROR)
    hit = [f for f in found if key in f.keys and where in f.message]
    assert hit, [f.message for f in found]
    f = hit[0]
    assert all(s in f.message for s in sides), f.message
    assert "≠" in f.message and f.expected != f.actual
    assert abs(f.expected - f.actual) == 1000
    assert f.source.startswith("line") and f.line


def test_balance_message_reads_like_the_table() -> None:
    figs = figures(labels.T2019)
    figs[f"{APP}.new_received.natural_person"] += 1
    f = next(x for x in validate_report(parsed(figs, labels.T2019), None)
             if x.rule == "A-BALANCE" and "自然人" in x.message)
    n = figs[f"{APP}.new_received.natural_person"]
    c = figs[f"{APP}.carried_over.natural_person"]
    p = figs[f"{APP}.total_processed.natural_person"]
    d = figs[f"{APP}.carried_forward.natural_person"]
    assert f.message.startswith("一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度 for the "
                                f"自然人 column: {n} + {c} ≠ {p} + {d}")
    assert (f.expected, f.actual) == (n + c, p + d)


def test_one_blank_says_what_it_would_have_to_be() -> None:
    figs = figures(labels.T2021)
    key = "reviews.review.pending"
    want = figs[key]
    figs[key] = None
    found = of(validate_report(parsed(figs, labels.T2021, generate.TABS), None), "A-REVIEWS")
    assert len(found) == 1
    f = found[0]
    assert f.severity == INFO and f.expected == want and f.keys == [key]
    assert "blank" in f.message and f"would have to be {want}" in f.message


def test_blank_never_counts_as_zero() -> None:
    figs = figures(labels.T2019)
    figs["reviews.review.pending"] = None
    figs["reviews.review.other"] = None
    found = of(validate_report(parsed(figs, labels.T2019, generate.TABS), None), "A-REVIEWS")
    assert [f.severity for f in found] == [INFO]
    assert "not assessed" in found[0].message and "blank" in found[0].message
    assert set(found[0].keys) == {"reviews.review.pending", "reviews.review.other"}


def test_one_unknown_that_would_be_negative_is_an_error() -> None:
    figs = figures(labels.T2019)
    figs["reviews.review.total"] = 1  # smaller than its parts
    figs["reviews.review.upheld"] = "/"
    found = of(validate_report(parsed(figs, labels.T2019, generate.TABS), None), "A-REVIEWS", ERROR)
    assert found and "cannot hold" in found[0].message and found[0].expected < 0


def test_placeholders_are_unknown_not_zero() -> None:
    figs = figures(labels.T2021)
    for c in ("natural_person", "commercial", "research"):
        figs[f"{APP}.carried_over.{c}"] = "—"
    found = validate_report(parsed(figs, labels.T2021, generate.TABS), None)
    assert not [f for f in found if f.rule.startswith("A-") and f.severity == ERROR]
    assert of(found, "A-ROWSUM", INFO) and of(found, "A-BALANCE", INFO)


def test_missing_table_is_not_assessed() -> None:
    report = parsed(figures(labels.T2019), labels.T2019)
    report.figures = {k: v for k, v in report.figures.items() if not k.startswith("reviews.")}
    found = of(validate_report(report, None), "A-REVIEWS")
    assert [f.severity for f in found] == [INFO] and "not read" in found[0].message


def test_results_use_the_rows_the_report_has() -> None:
    r21 = parsed(figures(labels.T2021), labels.T2021)
    assert result_rows(r21)[0][-3:] == ["other.overdue_correction", "other.overdue_fee",
                                        "other.other"]
    r19 = parsed(figures(labels.T2019), labels.T2019)
    assert result_rows(r19)[0][-1] == "other"
    # hybrid (洪泽区 2023): 2021 section 二, one 2019 （六）其他处理 row in section 三
    hybrid = Report(agency="x", year=2023, template=labels.HYBRID,
                    figures={k: f for k, f in r19.figures.items() if k.startswith(APP)}
                    | {k: f for k, f in r21.figures.items() if k.startswith("proactive.")})
    assert result_rows(hybrid)[0][-1] == "other"
    assert not [f for f in validate_report(hybrid, None) if f.rule == "A-RESULTS"]


def test_results_breaks_in_the_other_row_of_each_template() -> None:
    for template, key in ((labels.T2019, f"{APP}.other.natural_person"),
                          (labels.T2021, f"{APP}.other.overdue_fee.natural_person")):
        figs = figures(template)
        figs[key] += 5
        found = of(validate_report(parsed(figs, template), None), "A-RESULTS", ERROR)
        assert any(key in f.keys and "自然人" in f.message for f in found)


@pytest.mark.parametrize(("key", "value"), [
    (f"{APP}.granted.natural_person", -3),
    ("reviews.review.upheld", 2.5),
    ("proactive.fees.amount_wan", -1.5),
])
def test_domain_fires(key: str, value: float) -> None:
    report = parsed(figures(labels.T2021), labels.T2021)
    report.figures[key].value = value
    found = of(validate_report(report, None), "A-DOMAIN", ERROR)
    assert [f.keys for f in found] == [[key]] and found[0].actual == value


def test_domain_allows_negative_change_and_decimal_amounts() -> None:
    figs = figures(labels.T2019)
    figs["proactive.licensing.change"] = -7
    report = parsed(figs, labels.T2019)
    assert report.figures["proactive.licensing.change"].value == -7
    assert isinstance(report.figures["proactive.procurement.amount"].value, float)
    assert not of(validate_report(report, None), "A-DOMAIN")


def test_seed_reports_raise_no_a_error() -> None:
    from test_validate_support import seed

    for n in range(5):
        assert not [f for f in validate_report(seed(n), None)
                    if f.rule.startswith("A-") and f.severity == ERROR], n
