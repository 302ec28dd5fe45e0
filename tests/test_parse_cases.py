"""The parser on the hard cases of format-spec §7: blanks, placeholders, broken labels, headings."""

from __future__ import annotations

import pytest
from conftest import parse_text, seed_text

from goitui import labels
from goitui.model import BLANK, NUMBER, PLACEHOLDER, UNPLACED, UNREADABLE, Line
from goitui.parse.sections import heading_of
from goitui.readers.layout import split_line
from goitui.text import parse_value


@pytest.mark.parametrize("raw,kind,value,unit", [
    ("0\u00a0", NUMBER, 0, None), ("\u3000\u3000 12", NUMBER, 12, None),
    ("44.7336万元", NUMBER, 44.7336, "万元"), ("251000元", NUMBER, 251000, "元"),
    ("+1036", NUMBER, 1036, None), ("-8", NUMBER, -8, None), ("１２", NUMBER, 12, None),
    ("1,234", NUMBER, 1234, None), ("", BLANK, None, None), ("  ", BLANK, None, None),
    ("/", PLACEHOLDER, None, None), ("-", PLACEHOLDER, None, None),
    ("—", PLACEHOLDER, None, None), ("无", PLACEHOLDER, None, None),
])
def test_cell_values(raw, kind, value, unit) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.unit) == (kind, value, unit)
    assert v.raw == raw


@pytest.mark.parametrize("raw,cells,grid", [
    ("规章 |", ["规章"], False),
    ("|||||", [], False),
    ("行政规范性文件 | 5 | 1 | 25 |", ["行政规范性文件", "5", "1", "25"], True),
    ("| 规章 | 1 | 2 | 3 |", ["规章", "1", "2", "3"], True),
    ("|---|---|", [], False),
    ("\t0\u00a0", ["0\u00a0".strip()], False),
    ("规章\t0\t\t0", ["规章", "0", "", "0"], True),
    ("## 一、总体情况", ["一、总体情况"], False),
])
def test_split_line(raw, cells, grid) -> None:
    got_cells, got_grid = split_line(raw)
    assert [c.strip() for c in got_cells] == cells and got_grid == grid


@pytest.mark.parametrize("text,num", [
    ("一、总体情况", 1), ("一、 总体情况", 1), ("## 一、总体情况", 1), ("一、政府信息公开总体情况", 1),
    ("二、行政机关主动公开政府信息情况", 2), ("三、收到和处理政府信息公开的申请情况", 3),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 4),
    ("五、存在的主要问题及整改措施", 5), ("五、存在的问题及改进措施", 5), ("6、其他需要报告的事项", 6),
    ("#### **五、存在的主要问题及改进情况**", 5), ("一、總體情況", 1),
    ("四、结转下年度继续办理", None), ("一、本年新收政府信息公开申请数量", None),
    ("三、本年度办理结果", None), ("（一）主动公开", None),
])
def test_headings_and_table_labels_that_reuse_the_numbering(text, num) -> None:
    h = heading_of(Line([text], 1))
    assert (h[0] if h else None) == num


def _report(proactive: str, applications: str, reviews: str) -> str:
    return "\n".join([
        "某某镇人民政府2021年政府信息公开工作年度报告", "一、总体情况", "2021年，某某镇认真落实。",
        "二、主动公开政府信息情况", proactive, "三、收到和处理政府信息公开申请情况", applications,
        "四、政府信息公开行政复议、行政诉讼情况", reviews,
        "五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无"])


APP_ROWS_2021 = [r for r in labels.rows_for("applications", labels.T2021)]


def _app_table(rows: list[str]) -> str:
    return "\n".join(rows)


def test_blank_grid_cells_are_blank_not_zero_and_placeholders_kept() -> None:
    proactive = "\n".join([
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t/\t/\t/", "行政规范性文件\t5\t\t25",
        "信息内容\t本年处理决定数量", "行政许可\t—", "行政处罚\t7", "行政强制\t8",
        "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t4068.208"])
    apps = "\n".join(f"{r.label}\t" + "\t".join(str(i + 1) for i in range(7)) for r in APP_ROWS_2021)
    apps = apps.replace("（一）予以公开\t1\t2\t3\t4\t5\t6\t7", "（一）予以公开\t258\t12\t\t\t1\t1\t")
    r = parse_text(_report(proactive, apps, "\t".join(["5", "", "", "2", "7"] + ["0"] * 10)))
    assert r.template == labels.T2021
    f = r.figures
    assert [f[f"proactive.regulations.{c}"].kind for c in ("made", "repealed", "in_force")] == [PLACEHOLDER] * 3
    assert f["proactive.normative_docs.repealed"].kind == BLANK
    assert f["proactive.normative_docs.repealed"].value is None
    assert f["proactive.normative_docs.in_force"].value == 25
    assert f["proactive.licensing.decisions"].kind == PLACEHOLDER
    assert f["proactive.fees.amount_wan"].value == 4068.208
    granted = [f[f"applications.granted.{c.key}"] for c in labels.APPLICANT_COLUMNS]
    assert [g.value for g in granted] == [258, 12, None, None, 1, 1, None]
    assert granted[-1].kind == BLANK  # the 总计 left empty (上海 2019): not 0
    review = [f[f"reviews.review.{c.key}"] for c in labels.REVIEW_COLUMNS]
    assert [x.value for x in review] == [5, None, None, 2, 7]
    placeholders = [x for x in r.findings if x.rule == "S-VALUE"]
    assert len(placeholders) == 4


def test_row_with_too_few_values_is_kept_as_read_not_shifted() -> None:
    """岳阳南湖 2019: only 自然人 and 总计 printed, empty cells dropped."""
    apps = "\n".join(["一、本年新收政府信息公开申请数量 |", "3 |", "3 |", "|||||||",
                      "二、上年结转政府信息公开申请数量 |"] + [f"{i} |" for i in range(1, 8)])
    r = parse_text(_report("规章\n1\n2\n3", apps, ""))
    a = r.figures["applications.new_received.natural_person"]
    assert a.kind == UNPLACED and a.value is None and a.raw == "3 | 3"
    assert r.figures["applications.carried_over.total"].value == 7  # the next row is intact
    cells = [x for x in r.findings if x.rule == "S-CELLS" and "本年新收" in x.message]
    assert cells and (cells[0].expected, cells[0].actual) == (7, 2)


def test_fuzzy_label_keeps_its_score_and_says_so() -> None:
    apps = "2.其他法律行政止公开\t0\t0\t0\t0\t0\t0\t0"
    r = parse_text(_report("", apps, ""))
    f = r.figures["applications.withheld.law_forbidden.total"]
    assert f.value == 0 and 80 <= f.score < 100 and f.label == "2.其他法律行政止公开"
    assert any(x.rule == "S-LABEL" and "86" in x.message for x in r.findings)


def test_half_width_and_spaced_labels_match_exactly() -> None:
    apps = "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)\t1\t2\t3\t4\t5\t6\t21\n1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0"
    r = parse_text(_report("", apps, ""))
    assert r.figures["applications.partially_granted.total"].value == 21
    assert r.figures["applications.partially_granted.total"].score == 100
    assert r.figures["applications.withheld.state_secret.total"].value == 0


def test_pdf_style_space_separated_rows() -> None:
    apps = "一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n四、结转下年度继续办理 0 0 0 0 0 0 0"
    r = parse_text(_report("", apps, "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"))
    assert r.figures["applications.new_received.total"].value == 21
    assert r.figures["reviews.review.upheld"].value == 10
    assert r.figures["reviews.litigation_after_review.upheld"].value == 5


def test_2019_other_row_versus_2021_category_and_hybrid() -> None:
    cat = "（六）其他处理\n" + "\n".join(
        f"{r.label}\t1\t1\t1\t1\t1\t1\t6" for r in labels.APPLICATIONS if r.key.startswith("other."))
    r21 = parse_text(_report("本年制发件数", cat, ""))
    assert "applications.other.total" not in r21.figures
    assert r21.figures["applications.other.other.total"].value == 6
    assert r21.template == labels.T2021
    single = "（六）其他处理\t1\t1\t1\t1\t1\t1\t6"
    hybrid = parse_text(_report("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", single, ""))
    assert hybrid.figures["applications.other.total"].value == 6
    assert hybrid.template == labels.HYBRID
    assert any(f.rule == "S-TEMPLATE" and "hybrid" in f.message for f in hybrid.findings)


def test_template_comes_from_labels_not_year() -> None:
    text = seed_text("004").replace("2020", "2024")  # a 2024 report on the 2019 layout
    r = parse_text(text)
    assert r.year == 2024 and r.template == labels.T2019


def test_partial_report_is_kept_with_findings() -> None:
    text = seed_text("000")
    cut = text[: text.index("（三）不予公开")]
    r = parse_text(cut)
    assert r.agency == "拉西瓦镇人民政府" and r.year == 2019
    assert r.figures["applications.granted.total"].value == 0
    rules = {(f.rule, f.severity) for f in r.findings}
    assert ("S-SECTIONS", "error") in rules  # 四 is missing
    missing = [f for f in r.findings if f.rule == "S-CELLS" and "rows not found" in f.message]
    assert missing and "1.属于国家秘密" in missing[0].message


def test_no_title_agency_from_body_and_override() -> None:
    r = parse_text(seed_text("001"))
    assert r.agency == "紫溪镇" and r.agency_from == "body"
    r2 = parse_text(seed_text("001"), agency="紫溪镇人民政府", year=2019)
    assert (r2.agency, r2.agency_from, r2.year_from) == ("紫溪镇人民政府", "option", "option")


def test_nothing_to_go_on_gives_no_agency_and_no_year() -> None:
    r = parse_text("一、总体情况\n我们做了很多工作。\n二、主动公开政府信息情况\n规章\n0\n0\n0", name="x.txt")
    assert r.agency is None and r.year is None
    assert {"S-AGENCY", "S-YEAR"} <= {f.rule for f in r.findings}


def test_year_from_statistics_period_and_conflict_warning() -> None:
    """The statistics period says what year the figures are for: it wins over the title."""
    text = ("某某局2023年政府信息公开工作年度报告\n本报告中所列数据统计期限自2022年1月1日起至2022年12月31日止。\n"
            "一、总体情况\n2023年，某某局坚持。")
    r = parse_text(text)
    assert r.year == 2022 and r.year_from == "statistics period"
    assert any(f.rule == "S-YEAR" and f.severity == "warning" and "title 2023" in f.message
               and "statistics period 2022" in f.message for f in r.findings)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    "四、结转下年度继续办理", "（六）其他处理", "3.其他", "规章", "行政许可", "本年新", "制作数量",
    "0", "12", "-8", "/", "无", "", "|", "||", "\t", " | ", "44.7336万元", "2019年，", "某镇始终",
    "1.属于国家秘密", "（七）总计", "行政复议", "总计", "\x1b[2J", "[bold]", "：57",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=4).map("".join), max_size=60),
       st.sampled_from(["\n", "\t", " | "]))
def test_any_text_parses_without_crashing_and_figures_are_consistent(pieces, sep) -> None:
    """Whatever the text, parsing never raises; every figure is a known key, and a number only
    when its kind says so (a blank is never a 0)."""
    r = parse_text(sep.join(pieces))
    for key, f in r.figures.items():
        assert labels.is_known_key(key)
        assert (f.value is not None) == (f.kind == NUMBER)


def test_blanks_at_both_edges_of_a_long_row_are_not_guessed() -> None:
    """``label, blank, 1…6, blank``: eight cells for seven; which blank is layout is unknowable."""
    apps = "一、本年新收政府信息公开申请数量\t\t1\t2\t3\t4\t5\t6\t\n二、上年结转政府信息公开申请数量\t1\t2\t3\t4\t5\t6\t21"
    r = parse_text(_report("", apps, "\t100\t101\t102\t103\t104\t105\t106\t107\t108\t109\t110\t111\t112\t113\t"))
    assert {r.figures[f"applications.new_received.{c.key}"].kind for c in labels.APPLICANT_COLUMNS} == {UNPLACED}
    assert r.figures["applications.carried_over.total"].value == 21
    assert r.figures["reviews.review.upheld"].kind == UNPLACED
    cells = [f for f in r.findings if f.rule == "S-CELLS" and f.actual in (8, 16)]
    assert len(cells) == 2


def test_blank_edges_on_one_side_only_are_layout() -> None:
    apps = "一、本年新收政府信息公开申请数量\t\t1\t2\t3\t4\t5\t6\t21\n（七）总计\t1\t2\t3\t4\t5\t6\t21\t\t"
    r = parse_text(_report("", apps, ""))
    assert r.figures["applications.new_received.natural_person"].value == 1
    assert r.figures["applications.total_processed.total"].value == 21


def test_a_label_wrapped_over_two_lines_is_one_label() -> None:
    apps = "\n".join(["（二）部分公开（区分处理的，只计这一", "情形，不计其他情形）", *"1234567",
                      "5.要求行政机关确认或重新出具", "已获取信息", *"7654321"])
    r = parse_text(_report("", apps, ""))
    assert [r.figures[f"applications.partially_granted.{c.key}"].value
            for c in labels.APPLICANT_COLUMNS] == [1, 2, 3, 4, 5, 6, 7]
    assert r.figures["applications.not_processed.reconfirm.total"].value == 1
    assert r.figures["applications.partially_granted.total"].label.endswith("情形）")


def _six(body_of: dict[int, str] | None = None) -> list[str]:
    out = []
    for n, title in labels.SECTION_TITLES.items():
        out += [title, (body_of or {}).get(n, f"第{n}部分的内容。")]
    return out


def test_an_intro_listing_the_six_titles_does_not_take_the_tables() -> None:
    text = seed_text("000")
    intro = "\n".join(["拉西瓦镇人民政府信息公开工作年度报告", "本报告由以下六部分组成：",
                       *labels.SECTION_TITLES.values()])
    r = parse_text(intro + "\n" + text.split("\n", 1)[1])
    assert sorted(r.sections) == [1, 2, 3, 4, 5, 6]
    assert len(r.figures) == 198 and not [f for f in r.findings if f.rule in ("S-ORDER", "S-CELLS")]


@pytest.mark.parametrize("sub", ["1.主动公开情况\n2.依申请公开情况", "一是加强领导。\n二、依申请公开情况"])
def test_numbered_subheadings_inside_a_section_are_not_sections(sub: str) -> None:
    text = seed_text("000").replace("（一）加强组织领导", sub + "\n（一）加强组织领导", 1)
    r = parse_text(text)
    assert len(r.figures) == 198
    assert [f.rule for f in r.findings if f.severity != "info"] == []


def test_sub_heading_under_five_keeps_five_and_six() -> None:
    text = seed_text("000").replace("存在的问题：", "1.存在的主要问题\n存在的问题：", 1)
    r = parse_text(text)
    assert r.sections[5].title.startswith("五、") and r.sections[6].title.startswith("六、")
    assert not [f for f in r.findings if f.rule == "S-ORDER"]


@pytest.mark.parametrize("heading", ["第一部分 总体情况", "一 总体情况", "第一部分：总体情况"])
def test_heading_variants_with_spaces(heading: str) -> None:
    h = heading_of(Line([heading], 1))
    assert h is not None and h[0] == 1


def test_options_that_contradict_the_report_are_noted() -> None:
    r = parse_text(seed_text("000"), agency="别的镇人民政府", year=2023)
    assert (r.agency, r.year) == ("别的镇人民政府", 2023)
    notes = {f.rule: f for f in r.findings if f.severity == "warning"}
    assert "拉西瓦镇人民政府" in notes["S-AGENCY"].message
    assert 2019 in notes["S-YEAR"].actual and 2023 in notes["S-YEAR"].actual


def test_year_from_the_body_prefers_the_opening_and_warns_when_unsure() -> None:
    body = "2023年，测试县东镇认真落实。与2022年相比，2022年主动公开信息10条，2022年依申请5件。"
    r = parse_text(f"测试县东镇人民政府信息公开工作年度报告\n一、总体情况\n{body}")
    assert r.year == 2023 and r.year_from == "body"
    assert any(f.rule == "S-YEAR" and "2022 (3×)" in f.message for f in r.findings)


def test_official_titles_as_subheadings_of_section_one() -> None:
    """总体情况 with sub-headings 二、主动公开政府信息情况 / 三、收到和处理…: the real sections
    are the ones with tables under them."""
    sub = "二、主动公开政府信息情况\n主动公开信息20条。\n三、收到和处理政府信息公开申请情况\n共收到申请0件。"
    text = seed_text("000").replace("（一）加强组织领导", sub + "\n（一）加强组织领导", 1)
    r = parse_text(text)
    assert len(r.figures) == 198
    assert "主动公开信息20条" in r.sections[1].body


def test_a_row_after_an_all_blank_row_is_not_taken_for_its_continuation() -> None:
    """规章 printed with no cells, then a non-template row: its numbers are not 规章's."""
    proactive = "\n".join(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章",
                           "其他主动公开文件", "3", "4", "5", "行政规范性文件", "1", "2", "6"])
    r = parse_text(_report(proactive, "", ""))
    assert {r.figures[f"proactive.regulations.{c}"].kind for c in ("made", "repealed", "in_force")} == {BLANK}
    assert r.figures["proactive.normative_docs.in_force"].value == 6
    assert any(f.rule == "S-LABEL" and "其他主动公开文件" in f.message for f in r.findings)


def test_a_caption_above_the_reviews_row_does_not_take_its_numbers() -> None:
    reviews = "单位：件\n" + "\t".join(str(i) for i in range(1, 16))
    r = parse_text(_report("", "", reviews))
    assert r.figures["reviews.review.upheld"].value == 1
    assert r.figures["reviews.litigation_after_review.total"].value == 15
    assert not any(f.rule == "S-CELLS" and f.section == 4 for f in r.findings)


def test_a_row_label_in_a_header_row_does_not_take_the_row() -> None:
    apps = ("| 项目 | 本年新收 | 予以公开 | 部分公开 |\n"
            "| 一、本年新收政府信息公开申请数量 | 1 | 2 | 3 | 4 | 5 | 6 | 21 |\n"
            "| （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |")
    r = parse_text(_report("", apps, ""))
    assert r.figures["applications.granted.natural_person"].value == 2
    assert r.figures["applications.granted.total"].value == 3
    assert any(f.rule == "S-LABEL" and "first without numbers" in f.message for f in r.findings)


def test_a_row_of_wu_in_one_cell_keeps_its_cells() -> None:
    apps = "1.本机关不掌握相关政府信息 无 无 无 无 无 无 无"  # PDF text: one cell
    r = parse_text(_report("", apps, ""))
    f = r.figures["applications.unavailable.not_held.total"]
    assert f.kind == PLACEHOLDER and f.raw == "无"


def test_a_grid_cell_that_is_not_a_number_keeps_its_place_as_unreadable() -> None:
    apps = "| 一、本年新收政府信息公开申请数量 | 1 | 0 | 约2 | 0 | 0 | 0 | 3 |"
    r = parse_text(_report("", apps, ""))
    f = r.figures["applications.new_received.research"]
    assert f.kind == UNREADABLE and f.value is None and f.raw == "约2"
    assert r.figures["applications.new_received.natural_person"].value == 1
    assert r.figures["applications.new_received.total"].value == 3  # nothing shifted
    assert any(x.rule == "S-VALUE" and x.severity == "warning" and "约2" in x.message
               for x in r.findings)


def test_a_title_with_full_width_digits_gives_the_year() -> None:
    text = seed_text("000")
    first = text.splitlines()[0]
    r = parse_text(text.replace(first, "拉西瓦镇人民政府２０１９年政府信息公开工作年度报告", 1))
    assert r.year == 2019 and r.year_from == "title"
