"""Agency, year and where a report ends, as real published pages give them (issue 11).

Each kind of page the shared cases show (`page-*`, `txt-two-reports-*`, `txt-title-year-*`) is
tested here with other agencies, years and layouts: site chrome around the title, titles split
or reordered, no title at all, traditional characters, the year's sources disagreeing, and
several reports in one file.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import parse_text
from typer.testing import CliRunner

from goitui import labels
from goitui.cli import app
from goitui.names import same_agency
from goitui.parse import meta
from goitui.parse.report import parse_reports
from goitui.readers.html import read_html
from goitui.readers.layout import text_to_document
from goitui.testing import generate

runner = CliRunner()

SECTIONS = ("二、主动公开政府信息情况\n规章\t0\t0\t0\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n"
            "六、其他需要报告的事项\n无。")


def opening(*lines: str) -> str:
    """A report's opening lines followed by the rest of its sections."""
    return "\n".join(lines) + "\n" + SECTIONS


def meta_of(text: str, name: str = "report.txt") -> tuple[str | None, str, int | None, str]:
    r = parse_text(text, name=name)
    return r.agency, r.agency_from, r.year, r.year_from


# --------------------------------------------------------------------------- site chrome


def test_chrome_before_the_title_is_never_the_title_or_the_agency() -> None:
    text = opening(
        "关怀版 | 无障碍阅读", "简 | 繁", "您现在所在的位置：首页 > 信息公开 > 政府信息公开年报",
        "河湾县卫生健康委员会2023年度政府信息公开工作年度报告",
        "发布时间：2024-01-30 10:12  来源：县卫健委  浏览次数：88  字号：【大 中 小】",
        "分享到：  打印本页  关闭窗口",
        "一、总体情况", "2023年，我委严格落实政务公开各项要求，统计期限为2023年1月1日至2023年12月31日。")
    assert meta_of(text) == ("河湾县卫生健康委员会", "title", 2023, "statistics period")
    r = parse_text(text)
    assert r.title == "河湾县卫生健康委员会2023年度政府信息公开工作年度报告"


@pytest.mark.parametrize("line", [
    "无障碍浏览 长者模式", "当前位置：首页 > 政务公开 > 年度报告", "发布日期：2022-01-20 信息来源：区司法局",
    "主办单位：某某县人民政府办公室 网站标识码：1234567890", "首页 政务公开 互动交流 办事服务",
    "字号：[ 大 中 小 ]", "索引号：000014349/2023-00012",
])
def test_chrome_lines(line: str) -> None:
    assert meta.is_chrome(line)
    assert not meta.is_chrome("松岭县水务局2021年政府信息公开工作年度报告")


def test_the_title_only_in_the_pages_title_and_h1_without_the_sites_suffix() -> None:
    page = """<html><head><meta charset="utf-8">
<title>南岗区市场监督管理局2021年政府信息公开工作年度报告_南岗区人民政府</title></head><body>
<div class="crumb">当前位置：首页 &gt; 信息公开</div>
<div class="article"><div class="info">发布时间：2022-01-27 来源：区市场监管局</div>
<div class="content"><p>根据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式的要求编制本报告。</p>
<p>一、总体情况</p><p>2021年，区市场监督管理局主动公开政府信息41条。</p>
<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><p>本年新收申请2件。</p>
<p>四、政府信息公开行政复议、行政诉讼情况</p><p>无。</p></div></div>
<div class="footer">主办单位：南岗区人民政府办公室</div></body></html>"""
    r = parse_reports(read_html(page.encode(), "page.html"))[0]
    assert (r.agency, r.agency_from, r.year) == ("南岗区市场监督管理局", "title", 2021)
    assert "_南岗区人民政府" not in r.title


# --------------------------------------------------------------------------- title forms


@pytest.mark.parametrize("lines,agency,year", [
    # a date line in brackets after a title without 工作: the date is not the year
    (["来源：柳营镇 发布时间：2022-02-14", "江北市安平县柳营镇2021年政府信息公开年度报告", "（2022年2月14日）"],
     "江北市安平县柳营镇", 2021),
    # the title over two lines, the agency on the first
    (["松岭县水务局", "2020年政府信息公开工作年度报告"], "松岭县水务局", 2020),
    # the year first
    (["2019年度 梅岭镇人民政府政府信息公开工作年度报告"], "梅岭镇人民政府", 2019),
    # the year after the words of the title
    (["丰宁县统计局政府信息公开工作年度报告（2023年）"], "丰宁县统计局", 2023),
])
def test_title_forms(lines: list[str], agency: str, year: int) -> None:
    text = opening(*lines, "一、总体情况", "本年度，我单位认真落实《条例》。")
    assert meta_of(text) == (agency, "title", year, "title")


# --------------------------------------------------------------------------- no title: the body


def test_the_announcement_names_the_agency_in_its_fullest_form() -> None:
    text = opening(
        "依据《条例》规定，现向社会公布桂林路街道办事处2022年度政府信息公开工作年度报告。",
        "一、总体情况", "2022年，桂林路街道办事处坚持公开为常态。",
        "如对本报告有疑问，请联系滨江区桂林路街道办事处（地址：滨江区桂林路8号）。")
    assert meta_of(text)[:2] == ("滨江区桂林路街道办事处", "body")


def test_the_subject_at_a_sentence_start() -> None:
    text = opening("一、总体情况", "2021年，白沙县交通运输局按照县政府统一部署，全面推进政务公开。",
                   "（一）主动公开", "2021年度，白沙县交通运输局共发布信息52条。")
    assert meta_of(text) == ("白沙县交通运输局", "body", 2021, "body")


def test_a_short_form_in_the_body_becomes_the_fullest_form_the_report_prints() -> None:
    text = opening("根据《条例》，石门县市场监督管理局编制本报告。", "一、总体情况",
                   "2022年，县市场监督管理局坚持以公开为常态，不断完善工作机制。",
                   "2022年，县市场监督管理局严格执行保密审查。")
    assert meta_of(text)[0] == "石门县市场监督管理局"
    assert meta.fullest("县市场监督管理局", "在本县市场监督管理局工作") == "县市场监督管理局"


def test_the_contact_sentence_names_the_agency() -> None:
    text = opening("2023年，街道认真贯彻上级部署。", "一、总体情况", "（一）主动公开信息共计93条。",
                   "如对本报告有疑问，请联系平湖市当湖街道办事处（办公地址：平湖市当湖路1号，电话：0000-0000000）。")
    assert meta_of(text)[:2] == ("平湖市当湖街道办事处", "contact sentence")


def test_a_source_line_only_when_nothing_else_names_the_agency() -> None:
    only = opening("信息来源：城南镇 发布时间：2023-01-16", "一、总体情况", "2022年，我镇主动公开政府信息80条。")
    assert meta_of(only)[:2] == ("城南镇", "source line")
    titled = opening("信息来源：县教育局 发布时间：2023-01-16", "丰宁县教育局2022年政府信息公开工作年度报告",
                     "一、总体情况", "2022年，我局主动公开政府信息80条。")
    assert meta_of(titled)[:2] == ("丰宁县教育局", "title")


def test_only_we_is_refused_with_how_to_give_the_agency(tmp_path: Path) -> None:
    path = tmp_path / "baogao.txt"
    path.write_text(opening("一、总体情况", "2021年，我乡在县政府办指导下开展信息公开工作。"), encoding="utf-8")
    r = runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "a.db")])
    assert r.exit_code == 2 and "--agency" in r.stderr and "我乡" in r.stderr
    r = runner.invoke(app, ["import", str(path), "--agency", "龙泉乡", "--db", str(tmp_path / "a.db")])
    assert r.exit_code == 0 and "龙泉乡 2021" in r.stdout


def test_traditional_characters_are_read_and_kept_as_printed() -> None:
    text = opening("寶山區民政局2021年政府信息公開工作年度報告",
                   "本報告所列數據的統計期限自2021年1月1日起至2021年12月31日止。",
                   "一、總體情況", "2021年，我局全年主動公開政府信息45條。")
    assert meta_of(text) == ("寶山區民政局", "title", 2021, "statistics period")
    assert same_agency("寶山區民政局", "宝山区民政局")
    body_only = opening("一、總體情況", "2021年，寶山區民政局認真貫徹落實《條例》。")
    assert meta_of(body_only)[:2] == ("寶山區民政局", "body")


# --------------------------------------------------------------------------- the year


def test_the_statistics_period_wins_and_a_publish_date_is_never_the_year() -> None:
    text = opening("发布时间：2025-01-21", "云溪县林业局政府信息公开工作年度报告",
                   "本报告统计期限为2024年1月1日至2024年12月31日。", "一、总体情况", "全年公开信息30条。")
    assert meta_of(text)[2:] == (2024, "statistics period")
    no_period = opening("发布时间：2025-01-21", "云溪县林业局政府信息公开工作年度报告", "一、总体情况",
                        "2024年，云溪县林业局坚持公开为常态。")
    assert meta_of(no_period)[2:] == (2024, "body")


def test_years_that_disagree_are_named_each_with_its_source() -> None:
    text = opening("云溪县林业局2023年政府信息公开工作年度报告", "一、总体情况",
                   "2024年，云溪县林业局坚持公开为常态。本报告数据统计期限自2024年1月1日起至12月31日止。")
    r = parse_text(text)
    assert (r.year, r.year_from) == (2024, "statistics period")
    assert r.year_sources == {"statistics period": 2024, "title": 2023, "body": 2024}
    notes = [f for f in r.findings if f.rule == "S-YEAR"]
    assert notes and all(w in notes[0].message for w in ("statistics period 2024", "title 2023"))


def _year_report(agency: str, title_year: int, body_year: int) -> str:
    figures = generate.make_figures(labels.T2021, random.Random(title_year * 7 + body_year))
    text = generate.render(figures, labels.T2021, generate.TABS, agency=agency, year=body_year)
    return text.replace(f"{agency} {body_year} 年", f"{agency} {title_year} 年", 1)


def test_a_wrong_title_year_never_replaces_another_files_report(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    real = tmp_path / "2019.txt"
    real.write_text(_year_report("鹤山县审计局", 2019, 2019), encoding="utf-8")
    copied = tmp_path / "copied.txt"
    copied.write_text(_year_report("鹤山县审计局", 2019, 2020), encoding="utf-8")
    assert runner.invoke(app, ["import", str(real), "--db", db]).exit_code == 0
    r = runner.invoke(app, ["import", str(copied), "--db", db])
    assert r.exit_code == 2 and "title 2019, body 2020: give --year" in r.stderr
    shown = json.loads(runner.invoke(app, ["show", "鹤山县审计局", "2019", "--db", db,
                                           "--format", "json"]).stdout)
    assert shown["version"] == 1 and shown["source"].endswith("2019.txt")
    r = runner.invoke(app, ["import", str(copied), "--year", "2020", "--db", db])
    assert r.exit_code == 0 and "鹤山县审计局 2020" in r.stdout


def test_a_title_year_that_takes_no_other_files_place_is_filed_with_a_warning(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    copied = tmp_path / "copied.txt"
    copied.write_text(_year_report("鹤山县审计局", 2019, 2020), encoding="utf-8")
    r = runner.invoke(app, ["import", str(copied), "--db", db])
    assert r.exit_code == 0 and "鹤山县审计局 2019" in r.stdout and "year from title" in r.stdout
    shown = json.loads(runner.invoke(app, ["show", "鹤山县审计局", "2019", "--db", db,
                                           "--format", "json"]).stdout)
    assert any(f["rule"] == "S-YEAR" and "title 2019" in f["message"] and "body 2020" in f["message"]
               for f in shown["findings"])
    assert shown["year_sources"] == {"title": 2019, "body": 2020}


# --------------------------------------------------------------------------- several reports


def _two(first: tuple[str, int], second: tuple[str, int], layout: str = generate.TABS) -> tuple[str, list]:
    rng = random.Random(f"{first}{second}")
    figs = [generate.make_figures(labels.T2021, rng) for _ in range(2)]
    texts = [generate.render(f, labels.T2021, layout, agency=a, year=y) for f, (a, y) in
             zip(figs, (first, second))]
    return texts[0] + "\n（2023年1月12日）\n\n" + texts[1], figs


@pytest.mark.parametrize("layout", [generate.TABS, generate.CELLS, generate.PIPE_ROWS])
def test_two_reports_of_one_agency_in_one_file_are_each_archived(tmp_path: Path, layout: str) -> None:
    text, figs = _two(("金沙县住房和城乡建设局", 2021), ("金沙县住房和城乡建设局", 2020), layout)
    reports = parse_reports(text_to_document(text, "both.txt"))
    assert [(r.agency, r.year, r.part, r.parts) for r in reports] == [
        ("金沙县住房和城乡建设局", 2021, 1, 2), ("金沙县住房和城乡建设局", 2020, 2, 2)]
    for report, figures in zip(reports, figs):
        assert report.figures_json() == figures
        assert "六、其他需要报告的事项" not in report.sections[6].body
    second = reports[1].figures["applications.new_received.total"]
    assert second.line is not None and second.line > len(text.split("（2023年1月12日）")[0].splitlines())


def test_a_compilation_of_agencies_archives_each_and_reimports_unchanged(tmp_path: Path) -> None:
    text, figs = _two(("东湖镇人民政府", 2022), ("西岭乡人民政府", 2022))
    path = tmp_path / "huibian.txt"
    path.write_text("某某县2022年度各乡镇政府信息公开工作年度报告汇编\n\n" + text, encoding="utf-8")
    db = str(tmp_path / "a.db")
    r = runner.invoke(app, ["import", str(path), "--db", db])
    assert r.exit_code == 0, r.output
    assert "(report 1 of 2)" in r.stdout and "(report 2 of 2)" in r.stdout
    for agency, figures in zip(("东湖镇人民政府", "西岭乡人民政府"), figs):
        shown = json.loads(runner.invoke(app, ["show", agency, "2022", "--db", db,
                                               "--format", "json"]).stdout)
        assert shown["figures"] == figures and shown["parts"] == 2
        assert shown["agency_from"] == "title"
    shown = runner.invoke(app, ["show", "西岭乡人民政府", "2022", "--db", db]).stdout
    assert "(report 2 of 2)" in shown and "agency from title, year from" in shown
    again = runner.invoke(app, ["import", str(path), "--db", db])
    assert again.exit_code == 0 and again.stdout.count("unchanged") == 2


def test_a_compilations_own_title_names_no_report() -> None:
    text = opening("平阳县2022年度部门政府信息公开工作年度报告汇编", "一、总体情况",
                   "2022年，平阳县民政局坚持以公开为常态。")
    assert meta_of(text)[:2] == ("平阳县民政局", "body")


def test_a_file_of_several_reports_is_archived_all_or_none(tmp_path: Path) -> None:
    text, _ = _two(("东湖镇人民政府", 2022), ("西岭乡人民政府", 2022))
    path = tmp_path / "two.txt"
    path.write_text(text.replace("西岭乡人民政府", "我乡"), encoding="utf-8")
    db = str(tmp_path / "a.db")
    r = runner.invoke(app, ["import", str(path), "--db", db])
    assert r.exit_code == 2 and "report 2 of 2" in r.stderr and "--agency" in r.stderr
    assert runner.invoke(app, ["list", "--db", db, "--format", "json"]).stdout.strip() in ("[]", "")
    r = runner.invoke(app, ["import", str(path), "--year", "2022", "--db", db])
    assert r.exit_code == 2 and "--year" in r.stderr


def test_a_contents_list_or_an_introduction_is_not_a_report_of_its_own() -> None:
    contents = "\n".join(["目录", "一、总体情况", "1", "二、主动公开政府信息情况", "2",
                          "三、收到和处理政府信息公开申请情况", "3", "四、政府信息公开行政复议、行政诉讼情况", "4"])
    figures = generate.make_figures(labels.T2021, random.Random(5))
    body = generate.render(figures, labels.T2021, generate.TABS, agency="青禾县档案局", year=2022)
    text = body.replace("年度报告\n", "年度报告\n" + contents + "\n", 1)
    reports = parse_reports(text_to_document(text, "x.txt"))
    assert len(reports) == 1 and reports[0].figures_json() == figures


def test_import_says_how_agency_and_year_were_decided(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(opening("梧桐县司法局2022年政府信息公开工作年度报告",
                            "本报告统计期限自2022年1月1日起至2022年12月31日止。", "一、总体情况", "全年公开信息9条。"),
                    encoding="utf-8")
    db = str(tmp_path / "a.db")
    r = runner.invoke(app, ["import", str(path), "--db", db])
    assert "agency from title, year from statistics period" in r.stdout
    shown = json.loads(runner.invoke(app, ["show", "梧桐县司法局", "2022", "--db", db,
                                           "--format", "json"]).stdout)
    assert (shown["agency_from"], shown["year_from"]) == ("title", "statistics period")


@pytest.mark.parametrize("lines,agency,year", [
    # a page's information table and a field label before the title
    (["索引号：11320000/2023-00012 | 发布机构：泗洪县发展和改革委员会 | 成文日期：2023-01-10",
      "名称：泗洪县发展和改革委员会2022年政府信息公开工作年度报告"], "泗洪县发展和改革委员会", 2022),
    # the year in Chinese numerals
    (["您当前的位置：首页 / 政务公开 / 年报", "桃溪镇二〇二一年政府信息公开工作年度报告"], "桃溪镇", 2021),
    # a notice that publishes the report; an attachment number; a note in brackets after the name
    (["关于印发青田县商务局2020年政府信息公开工作年度报告的通知"], "青田县商务局", 2020),
    (["附件2：东岙镇2022年政府信息公开工作年度报告"], "东岙镇", 2022),
    (["大源县人民政府办公室（县政务服务管理办公室）2022年政府信息公开工作年度报告"], "大源县人民政府办公室", 2022),
    # names that begin like 本… / 全… are names all the same
    (["本溪市财政局2023年政府信息公开工作年度报告"], "本溪市财政局", 2023),
    # the site's name before the title, as some pages' <title> put it
    (["柏林县人民政府-柏林县审计局2021年政府信息公开工作年度报告"], "柏林县审计局", 2021),
])
def test_more_title_forms(lines: list[str], agency: str, year: int) -> None:
    text = opening(*lines, "一、总体情况", "本年度，我单位认真落实《条例》。")
    assert meta_of(text)[0::2] == (agency, year)


def test_a_dotted_statistics_period_and_an_office_in_the_contact_sentence() -> None:
    text = opening("一、总体情况", "本报告统计期限为2020.1.1-2020.12.31。",
                   "如有疑问，请联系北川县统计局办公室（电话：0000-0000000）。")
    assert meta_of(text) == ("北川县统计局", "contact sentence", 2020, "statistics period")


def test_two_reports_on_one_web_page() -> None:
    rng = random.Random(3)
    figs = [generate.make_figures(labels.T2021, rng) for _ in range(2)]
    pages = [generate.render_html(f, labels.T2021, agency="云岭县交通运输局", year=y).decode()
             for f, y in zip(figs, (2023, 2022))]
    second = pages[1][pages[1].index("<h1"):pages[1].index("</div></div>")].replace("h1", "h2")
    page = pages[0].replace("</div></div>", "</div>" + second + "</div></div>", 1)
    reports = parse_reports(read_html(page.encode(), "page.html"))
    assert [(r.agency, r.year) for r in reports] == [("云岭县交通运输局", 2023), ("云岭县交通运输局", 2022)]
    assert [r.figures_json() for r in reports] == figs
