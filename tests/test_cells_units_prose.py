"""Cells, units and prose as publishers write them: a number with a note, a fee in 元 under
万元, a thousands space, negations that are not totals, claims the tables contradict."""

from __future__ import annotations

import random
import unicodedata

import pytest
from test_validate_support import of

from goitui import labels
from goitui.model import INFO, NUMBER, UNREADABLE, WARNING
from goitui.parse.report import parse_document
from goitui.readers.layout import text_to_document
from goitui.testing import generate
from goitui.text import CONVERTED, WRONG_UNIT, in_column, parse_value
from goitui.validate.report import validate_report

AGENCY = "白石街道办事处"
YEAR = 2024
T21 = labels.T2021


def _figures(seed: int) -> dict:
    return generate.make_figures(T21, random.Random(f"cells{seed}"))


def _read(figs: dict, layout: str = generate.TABS, prose: dict | None = None,
          edit=None):
    text = generate.render(figs, T21, layout, agency=AGENCY, year=YEAR, prose=prose)
    if edit:
        text = edit(text)
    report = parse_document(text_to_document(text, name="r.txt"))
    assert (report.agency, report.year) == (AGENCY, YEAR)
    return report


# ----------------------------------------------------------------------- a number with a note

@pytest.mark.parametrize(("cell", "value"), [("7（其中修订2件）", 7), ("55(含自然失效29件)", 55),
                                             ("4件（含转办1件）", 4), ("0（无）", 0)])
def test_number_with_a_note(cell: str, value: int) -> None:
    v = parse_value(cell)
    assert (v.kind, v.value, v.raw) == (NUMBER, value, cell)


def test_notes_are_not_numbers_without_a_number() -> None:
    assert parse_value("（一）").kind == UNREADABLE
    assert parse_value("见附件（略）").kind == UNREADABLE


@pytest.mark.parametrize("layout", [generate.TABS, generate.PIPE_ROWS, generate.CELLS])
def test_report_with_noted_cells_reads_the_numbers(layout: str) -> None:
    figs = _figures(1)
    noted = dict(figs)
    made, force = "proactive.normative_docs.made", "proactive.normative_docs.in_force"
    noted[made] = f"{figs[made]}（其中修订{figs[made] + 1}件）"
    noted[force] = f"{figs[force]}(含废止{figs[force] + 3}件)"

    def note_above_reviews(text: str) -> str:  # a note line between table 四's header and numbers
        lines = text.split("\n")
        at = next(i for i, ln in enumerate(lines) if ln.startswith(str(figs["reviews.review.upheld"]))
                  and i > next(j for j, x in enumerate(lines) if "行政复议" in x and "四" in x))
        lines = lines[:at] + ["注：数量含上年度结转的案件。"] + lines[at:]
        # the title over two lines, and page numbers inside the prose
        title = next(i for i, ln in enumerate(lines) if "年政府信息公开工作年度报告" in ln)
        lines[title] = f"{AGENCY}{YEAR} 年政府信息公开\n工作年度报告"
        first = next(i for i, ln in enumerate(lines) if "总体情况" in ln)
        lines[first + 1:first + 1] = ["— 1 —", "- 2 -"]
        return "\n".join(lines)

    report = _read(noted, layout, edit=note_above_reviews if layout == generate.TABS else None)
    assert report.figures_json() == figs
    assert unicodedata.normalize("NFKC", report.figures[made].raw) == \
        unicodedata.normalize("NFKC", noted[made])
    assert not [f for f in report.findings if f.severity in ("error", "warning")]


# ----------------------------------------------------------------------- units as written

def test_yuan_under_wan_is_converted() -> None:
    v, done = in_column(parse_value("4 500元"), "proactive.fees.amount_wan")
    assert (v.value, v.unit, v.raw, done) == (0.45, "万元", "4 500元", CONVERTED)
    v, done = in_column(parse_value("12000元"), "proactive.fees.amount_wan")
    assert (v.value, done) == (1.2, CONVERTED)
    v, done = in_column(parse_value("0.8万元"), "proactive.fees.amount_wan")
    assert (v.value, done) == (0.8, None)
    v, done = in_column(parse_value("300元"), "applications.granted.total")
    assert (v.kind, v.value, done) == (UNREADABLE, None, WRONG_UNIT)
    v, done = in_column(parse_value("3件"), "applications.granted.total")
    assert (v.value, done) == (3, None)


def test_report_with_fee_in_yuan() -> None:
    figs = _figures(2)
    printed = dict(figs)
    printed["proactive.fees.amount_wan"] = "1850元"
    report = _read(printed)
    fee = report.figures["proactive.fees.amount_wan"]
    assert (fee.value, fee.unit, fee.raw) == (0.185, "万元", "1850元")
    [finding] = of(report.findings, "S-UNIT")
    assert finding.severity == INFO and "1850元" in finding.message and "0.185" in finding.message
    assert report.figures_json() == figs | {"proactive.fees.amount_wan": 0.185}


def test_unconvertible_unit_is_a_warning_not_a_number() -> None:
    figs = _figures(3)
    printed = dict(figs)
    key = "proactive.licensing.decisions"
    printed[key] = f"{figs[key]}万元"
    report = _read(printed)
    assert report.figures[key].value is None and report.figures[key].raw == printed[key]
    [finding] = of(report.findings, "S-VALUE", WARNING)
    assert printed[key] in finding.message and finding.keys == [key]


@pytest.mark.parametrize(("cell", "value"), [("2 008", 2008), ("12 345 678", 12345678),
                                             ("1,204", 1204)])
def test_thousands_space_inside_one_cell(cell: str, value: int) -> None:
    assert parse_value(cell).value == value
    assert parse_value("12 34").kind == UNREADABLE  # not a thousands group: two numbers


def test_thousands_space_in_a_tab_separated_cell() -> None:
    figs = _figures(4)
    figs["proactive.licensing.decisions"] = 3017
    printed = dict(figs)
    printed["proactive.licensing.decisions"] = "3 017"
    assert _read(printed).figures_json() == figs


# ----------------------------------------------------------------------- negations, claims

def _t(report) -> list:
    return [f for f in validate_report(report, None) if f.rule.startswith("T-")]


def test_negations_are_not_totals() -> None:
    figs = _figures(5)
    assert figs["reviews.review.total"] > 0 and figs["applications.new_received.total"] > 0
    prose = {1: (f"{YEAR}年，本机关共收到政府信息公开申请{figs['applications.new_received.total']}"
                 "件，部分公开答复0件，不予公开答复0件。全年未发生因政府信息公开工作被行政复议纠错"
                 "或行政诉讼败诉的情况。没有行政复议被撤销的案件。")}
    assert _t(_read(figs, prose=prose)) == []


def _claim_report(forward: int, sentence: str):
    figs = generate.make_figures(T21, random.Random("claims"))
    assert figs["applications.carried_forward.total"] > 0
    if forward == 0:
        figs = {k: (0 if k.startswith("applications.carried_forward") else v)
                for k, v in figs.items()}
        # keep the balance: what is carried forward is now processed under （七）总计
    got = figs["applications.new_received.total"]
    return _read(figs, prose={1: sentence.format(n=got)}), figs


@pytest.mark.parametrize("sentence", [
    "本年度共受理政府信息公开申请{n}件，全部按时办结。",
    "{YEAR}年共收到政府信息公开申请{n}件，所有申请均已在法定时限内办结。",
    "收到的政府信息公开申请均已依法办理完毕。",
])
def test_all_handled_while_carried_forward(sentence: str) -> None:
    report, figs = _claim_report(1, sentence.replace("{YEAR}", str(YEAR)))
    found = of(validate_report(report, None), "T-CLAIMS")
    assert [f.severity for f in found] == [WARNING]
    forward = figs["applications.carried_forward.total"]
    assert "结转" in found[0].message and str(forward) in found[0].message
    assert "「" in found[0].message


@pytest.mark.parametrize("sentence", [
    "本年度共受理政府信息公开申请{n}件，除部分申请结转下年度继续办理外，其余均已按时办结。",
    "上年结转的申请已全部办结。",
    "本年度申请未全部办结。",
    "人大代表建议和政协委员提案全部按时办结。",
])
def test_claims_that_are_not_claims(sentence: str) -> None:
    report, _figs = _claim_report(1, sentence)
    assert not of(validate_report(report, None), "T-CLAIMS")


def test_thousands_space_in_space_separated_text_follows_the_template() -> None:
    figs = _figures(6)
    figs["proactive.licensing.decisions"] = 4016
    text = generate.render(figs, T21, generate.SPACED, agency=AGENCY, year=YEAR)
    assert " 4016" in text
    report = parse_document(text_to_document(text.replace(" 4016", " 4 016"), name="r.txt"))
    assert report.figures_json() == figs
    assert [f.severity for f in of(report.findings, "S-VALUE")] == [INFO]


def test_ambiguous_thousands_space_is_s_cells() -> None:
    figs = _figures(7)
    key = "proactive.normative_docs"
    figs[f"{key}.made"], figs[f"{key}.repealed"] = 12, 345
    text = generate.render(figs, T21, generate.SPACED, agency=AGENCY, year=YEAR)
    line = next(ln for ln in text.split("\n") if ln.startswith("行政规范性文件"))
    # one value too many, and two places it could be a thousands space: 1 234 | 234 5…
    bad = line.replace(" 12 345 ", " 1 234 345 ")
    report = parse_document(text_to_document(text.replace(line, bad), name="r.txt"))
    assert of(report.findings, "S-CELLS") and report.figures[f"{key}.made"].value is None
