"""Further instances of the shared case kinds, each with a variation of the trick itself.

The shared cases (`/work/shared/cases`) show one instance of each thing publishers do; goi is
judged on others of the same kind. Each test here is another instance, with other agencies
(ministries, archives, weather stations, towns), other years and figures, and another form
of the same trick: a title split or letter-spaced, the year on a line of its own, a whole
report in traditional characters with Taiwan's words, Big5 bytes under a GB declaration or
none, a web archive (.mht), a footnote's mark after a number, a unit in brackets, a page
number left between two table rows, headings numbered 壹、 by a Word list, fake bold painted
diagonally or three times, a stamp made faint by transparency rather than grey.
"""

from __future__ import annotations

import base64
import quopri
import random
import zipfile
from pathlib import Path

import pytest
from conftest import parse_text
from lxml import etree

from goitui import labels
from goitui.parse.report import parse_document, parse_reports
from goitui.readers import read_path
from goitui.readers.html import decode_html
from goitui.readers.layout import text_to_document
from goitui.readers.textfile import decode
from goitui.testing import generate
from goitui.text import in_column, parse_value

zhconv = pytest.importorskip("zhconv")

SECTIONS = ("二、主动公开政府信息情况\n规章\t0\t0\t0\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n公开内容有待丰富。\n"
            "六、其他需要报告的事项\n无。")


def _opening(*lines: str) -> str:
    return "\n".join(lines) + "\n" + SECTIONS


def _report(agency: str, year: int, seed: str, template: str = labels.T2021,
            layout: str = generate.TABS) -> tuple[str, dict]:
    figures = generate.make_figures(template, random.Random(seed))
    return generate.render(figures, template, layout, agency=agency, year=year), figures


# ------------------------------------------------------------------ agency and year (page-*)


@pytest.mark.parametrize(("lines", "agency", "year"), [
    # a ministry ends in 部; an archive in 馆, with the year in Chinese numerals (○, not 〇)
    (["中华人民共和国农业农村部2021年政府信息公开工作年度报告"], "中华人民共和国农业农村部", 2021),
    (["嵊州市档案馆二○二三年度政府信息公开工作年度报告"], "嵊州市档案馆", 2023),
    (["瑞安市供销合作社2022年政府信息公开工作年度报告"], "瑞安市供销合作社", 2022),
    # a region's body with an unusual ending: never …政府 taken from 政府信息公开
    (["苍南县气象台2024年政府信息公开工作年度报告"], "苍南县气象台", 2024),
    # the year on a line of its own, above the title or in brackets below it
    (["2020年度", "永嘉县科学技术局政府信息公开工作年度报告"], "永嘉县科学技术局", 2020),
    (["温州市鹿城区民族宗教事务局政府信息公开工作年度报告", "（2025年度）"], "温州市鹿城区民族宗教事务局", 2025),
    # a title printed letter-spaced, copied out of a PDF one character apart
    (["泰 顺 县 人 力 资 源 和 社 会 保 障 局", "2 0 2 2 年政府信息公开工作年度报告"], "泰顺县人力资源和社会保障局", 2022),
    # converted with Taiwan's words: 政府資訊公開
    (["文成縣藍田鄉2023年度政府資訊公開工作年度報告"], "文成縣藍田鄉", 2023),
])
def test_titles_of_other_agencies_and_forms(lines: list[str], agency: str, year: int) -> None:
    r = parse_text(_opening(*lines, "一、总体情况", "本年度，我单位认真落实《条例》。"))
    assert (r.agency, r.year) == (agency, year)


@pytest.mark.parametrize(("lines", "agency", "year"), [
    # the year in brackets after the title, without 年
    (["平阳县水头镇政府信息公开工作年度报告（2024）"], "平阳县水头镇", 2024),
    # the statistics period in Chinese numerals, or with 元月 for January; no year in the title
    (["平阳县腾蛟镇政府信息公开工作年度报告", "本报告统计期限为二〇二〇年一月一日至二〇二〇年十二月三十一日。"],
     "平阳县腾蛟镇", 2020),
    (["平阳县山门镇政府信息公开工作年度报告", "本报告所列数据统计期限为2023年元月1日至2023年12月31日。"],
     "平阳县山门镇", 2023),
    # no title line: a notice names the report in book-title marks
    (["各科室、各下属单位：", "现将《平阳县南麂镇2021年政府信息公开工作年度报告》予以公布，请遵照执行。"],
     "平阳县南麂镇", 2021),
])
def test_years_in_other_forms(lines: list[str], agency: str, year: int) -> None:
    r = parse_text(_opening(*lines, "一、总体情况", "全年主动公开政府信息。"))
    assert (r.agency, r.year) == (agency, year)


@pytest.mark.parametrize(("sentence", "agency"), [
    ("如有疑问请联系：乐清市城市管理局办公室，地址：乐清市建设路8号，电话：0577-6111111。", "乐清市城市管理局"),
    ("如对本报告有疑问，请与柳市镇人民政府党政综合办公室联系（电话：0577-6222222）。", "柳市镇人民政府"),
    ("联系单位：平阳县市场监督管理局（电话：0577-6333333）。", "平阳县市场监督管理局"),
])
def test_the_contact_sentence_in_other_forms(sentence: str, agency: str) -> None:
    r = parse_text(_opening("一、总体情况", "本报告统计期限自2021年1月1日起至2021年12月31日止。" + sentence))
    assert (r.agency, r.agency_from, r.year) == (agency, "contact sentence", 2021)


# ------------------------------------------------------------- traditional characters, charsets


@pytest.mark.parametrize(("variant", "taiwan_words"), [("zh-tw", False), ("zh-hk", False),
                                                       ("zh-tw", True)])
def test_a_whole_report_in_traditional_characters_reads_every_figure(variant: str, taiwan_words: bool) -> None:
    """Not only the opening: every row label (屬於國家秘密, 補正後申請內容仍不明確 …) matches."""
    text, figures = _report("龙港市舥艚镇人民政府", 2022, f"trad-{variant}-{taiwan_words}")
    text = zhconv.convert(text, variant)
    if taiwan_words:
        text = text.replace("信息", "資訊")  # OpenCC's s2twp
    report = parse_text(text)
    assert report.year == 2022 and report.agency == zhconv.convert("龙港市舥艚镇人民政府", variant)
    assert report.figures_json() == figures
    assert not [f for f in report.findings if f.rule in ("S-LABEL", "S-CELLS") and f.severity != "info"]


def _big5(text: str) -> bytes:
    return zhconv.convert(text, "zh-tw").encode("cp950")


def test_a_big5_text_file_is_not_read_as_gb18030(tmp_path: Path) -> None:
    text, figures = _report("洞头区霓屿街道办事处", 2024, "big5-text")
    data = _big5(text)
    data.decode("gb18030")  # the trap: Big5 bytes decode as GB18030 too, into other characters
    assert decode(data)[1] == "big5"
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == ("洞頭區霓嶼街道辦事處", 2024)
    assert report.figures_json() == figures


def test_gbk_text_stays_gbk() -> None:
    text, _figures = _report("文成县黄坦镇人民政府", 2021, "gbk-text")
    data = text.encode("gbk")
    assert decode(data) == (text, "gb18030")


@pytest.mark.parametrize("meta", ["charset=gb2312", ""])
def test_a_big5_page_under_a_gb_declaration_or_none(tmp_path: Path, meta: str) -> None:
    figures = generate.make_figures(labels.T2021, random.Random(f"big5-page{meta}"))
    page = generate.render_html(figures, labels.T2021, agency="瑞安市塘下镇人民政府", year=2023).decode()
    page = page.replace("charset=utf-8", meta) if meta else page.replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "")
    data = _big5(page)
    text, how = decode_html(data)
    assert "big5" in how and "瑞安市塘下鎮人民政府" in text
    path = tmp_path / "page.html"
    path.write_bytes(data)
    report = parse_document(read_path(path))
    assert report.agency == "瑞安市塘下鎮人民政府" and report.figures_json() == figures


def test_a_gbk_page_declared_big5() -> None:
    figures = generate.make_figures(labels.T2021, random.Random("gbk-as-big5"))
    page = generate.render_html(figures, labels.T2021, agency="平阳县鳌江镇人民政府", year=2020,
                                encoding="gbk").replace(b"charset=gb2312", b"charset=big5")
    text, how = decode_html(page)
    assert "平阳县鳌江镇人民政府" in text and how.startswith("gb18030") and "big5" in how


def test_a_utf8_page_with_a_pasted_gbk_piece_is_read_as_utf8(tmp_path: Path) -> None:
    figures = generate.make_figures(labels.T2021, random.Random("stray-gbk"))
    page = generate.render_html(figures, labels.T2021, agency="永嘉县岩头镇人民政府", year=2022)
    page = page.replace("及时更新".encode(), "及时更新".encode("gbk"), 1).replace(b"charset=utf-8",
                                                                        b"charset=gb2312")
    text, how = decode_html(page)
    assert "永嘉县岩头镇人民政府" in text and "U+FFFD" in how
    path = tmp_path / "page.html"
    path.write_bytes(page)
    assert parse_document(read_path(path)).figures_json() == figures


# ------------------------------------------------------------------------ web archives (.mht)


def _web_archive(page: bytes, charset: str, transfer: str) -> bytes:
    body = quopri.encodestring(page) if transfer == "quoted-printable" else base64.encodebytes(page)
    return (b"From: <Saved by Windows Internet Explorer 11>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related; type="text/html"; boundary="----=_NextPart_000_0001"\r\n\r\n'
            b"This is a multi-part message in MIME format.\r\n\r\n------=_NextPart_000_0001\r\n"
            + f'Content-Type: text/html; charset="{charset}"\r\nContent-Transfer-Encoding: {transfer}\r\n'
              "Content-Location: http://www.example.gov.cn/art/2024/1/18/art_7.html\r\n\r\n".encode()
            + body + b"\r\n------=_NextPart_000_0001\r\nContent-Type: image/gif\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n\r\n------=_NextPart_000_0001--\r\n")


@pytest.mark.parametrize(("suffix", "encoding", "transfer"), [
    (".mht", "gbk", "quoted-printable"), (".mhtml", "utf-8", "base64")])
def test_a_page_saved_as_a_web_archive(tmp_path: Path, suffix: str, encoding: str, transfer: str) -> None:
    figures = generate.make_figures(labels.T2019, random.Random(f"mht{suffix}"))
    page = generate.render_html(figures, labels.T2019, agency="苍南县灵溪镇人民政府", year=2020,
                                encoding=encoding)
    path = tmp_path / f"年报{suffix}"
    path.write_bytes(_web_archive(page, "gb2312" if encoding == "gbk" else encoding, transfer))
    doc = read_path(path)
    assert any("web archive" in note for note in doc.notes)
    report = parse_document(doc)
    assert (report.agency, report.year) == ("苍南县灵溪镇人民政府", 2020)
    assert report.figures_json() == figures


def test_a_word_file_whose_body_is_an_embedded_web_archive(tmp_path: Path) -> None:
    from test_readers_docx_kinds import _body_is_a_chunk

    shell = generate.make_figures(labels.T2021, random.Random("mht-shell"))
    path = generate.render_docx(shell, labels.T2021, agency="苍南县钱库镇人民政府", year=2023,
                                path=tmp_path / "r.docx")
    figures = generate.make_figures(labels.T2021, random.Random("mht-chunk"))
    page = generate.render_html(figures, labels.T2021, agency="苍南县钱库镇人民政府", year=2023,
                                encoding="gbk")
    _body_is_a_chunk(path, "afchunk.mht", _web_archive(page, "gb2312", "quoted-printable"))
    report = parse_document(read_path(path))
    assert report.figures_json() == figures


# ---------------------------------------------------------------- cells with notes and units


@pytest.mark.parametrize(("raw", "value", "unit"), [
    ("7①", 7, None), ("15⑵", 15, None), ("4注1", 4, None), ("9※", 9, None), ("11[2]", 11, None),
    ("4800（元）", 4800, "元"), ("0.48(万元)", 0.48, "万元"), ("4800元整", 4800, "元"),
    ("￥4,800.00", 4800.0, "元"), ("人民币4800元", 4800, "元"), ("0.48万", 0.48, "万元"),
])
def test_marks_and_units_around_a_number(raw: str, value: float, unit: str | None) -> None:
    v = parse_value(raw)
    assert (v.kind, v.value, v.unit, v.raw) == ("number", value, unit, raw)


def test_a_unit_in_brackets_under_a_wan_column_is_converted() -> None:
    text, figures = _report("瑞安市飞云街道办事处", 2023, "fee-brackets")
    fee = figures["proactive.fees.amount_wan"]
    cell = generate.number_text(fee)
    yuan = int(round(fee * 10000)) if isinstance(fee, float) else fee * 10000
    text = text.replace(f"行政事业性收费\t{cell}", f"行政事业性收费\t{yuan}（元）", 1)
    report = parse_text(text)
    assert report.value("proactive.fees.amount_wan") == pytest.approx(yuan / 10000)
    assert in_column(parse_value(f"{yuan}（元）"), "proactive.fees.amount_wan")[1] == "converted"


def test_a_footnote_mark_is_never_a_digit_of_the_number() -> None:
    text, figures = _report("乐清市虹桥镇人民政府", 2024, "footnote")
    made = figures["proactive.licensing.decisions"]
    text = text.replace(f"行政许可\t{made}", f"行政许可\t{made}①", 1)
    report = parse_text(text)
    assert report.value("proactive.licensing.decisions") == made
    assert report.figures["proactive.licensing.decisions"].raw == f"{made}①"


@pytest.mark.parametrize("number", ["3", "12"])
def test_a_page_number_left_between_two_table_rows(number: str) -> None:
    text, figures = _report("永嘉县瓯北街道办事处", 2021, f"page-{number}")
    lines = text.split("\n")
    at = next(i for i, ln in enumerate(lines) if "5.属于三类内部事务信息" in ln)
    report = parse_text("\n".join([*lines[:at], number, *lines[at:]]))
    assert report.figures_json() == figures
    assert any(f.rule == "S-VALUE" and "page number" in f.message for f in report.findings)


def test_a_value_wrapped_onto_the_next_line_is_still_the_rows() -> None:
    """The page-number rule never takes a value that completes its row."""
    text, figures = _report("永嘉县桥头镇人民政府", 2022, "wrapped")
    total = figures["applications.new_received.total"]
    text = text.replace(f"\t{total}\t\t\n", f"\n{total}\n", 1)
    report = parse_text(text)
    assert report.figures_json() == figures


def test_two_reports_of_different_templates_in_one_file_oldest_first() -> None:
    older, older_figures = _report("苍南县民政局", 2020, "two-2019", labels.T2019)
    newer, newer_figures = _report("苍南县民政局", 2021, "two-2021")
    reports = parse_reports(text_to_document(older + "\n\f" + newer, "both.txt"))
    assert [(r.year, r.template) for r in reports] == [(2020, labels.T2019), (2021, labels.T2021)]
    assert [r.figures_json() for r in reports] == [older_figures, newer_figures]


# ------------------------------------------------------------------------------------- Word


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize(("fmt", "first"), [("chineseLegalSimplified", "壹、总体情况"),
                                            ("ideographTraditional", "甲、总体情况")])
def test_headings_numbered_in_another_style_by_a_word_list(tmp_path: Path, fmt: str, first: str) -> None:
    from test_readers_docx_kinds import _NUMBERING, _rewrite, _w

    figures = generate.make_figures(labels.T2021, random.Random(fmt))
    path = generate.render_docx(figures, labels.T2021, agency="龙湾区海城街道办事处", year=2024,
                                path=tmp_path / "r.docx")

    def edit(body: etree._Element) -> None:
        for p in body.iter(f"{{{W_NS}}}p"):
            ts = p.findall(f".//{{{W_NS}}}t")
            full = "".join(t.text or "" for t in ts)
            if full in labels.SECTION_TITLES.values():
                ts[0].text = full.split("、", 1)[1]
                for t in ts[1:]:
                    t.text = ""
                ppr = p.find(f"{{{W_NS}}}pPr")
                if ppr is None:
                    ppr = _w("pPr")
                    p.insert(0, ppr)
                num = etree.SubElement(ppr, f"{{{W_NS}}}numPr")
                num.append(_w("ilvl", val="0"))
                num.append(_w("numId", val="3"))

    _rewrite(path, edit, {"word/numbering.xml": _NUMBERING.format(ns=W_NS, fmt=fmt, text="%1、").encode()})
    assert zipfile.is_zipfile(path)
    doc = read_path(path)
    assert [first] in [ln.cells for ln in doc.lines]
    report = parse_document(doc)
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert report.figures_json() == figures


# -------------------------------------------------------------------------------------- PDF


def _pdf_exact(tmp_path: Path, traits: object, seed: int) -> None:
    pdfmaker = pytest.importorskip("pdfmaker", reason="tests/pdfmaker.py needs reportlab")
    if (why := pdfmaker.available()) is not None:
        pytest.skip(why)
    made = pdfmaker.make_pdf(traits, seed=seed)
    report = parse_document(read_path(made.write(tmp_path)))
    assert (report.agency, report.year) == (made.agency, made.year)
    assert report.figures_json() == made.figures
    assert not [f for f in report.findings if f.rule.startswith("S-") and f.severity != "info"]


@pytest.mark.parametrize(("copies", "offset", "rise", "seed"), [(2, 0.3, 0.3, 301), (3, 0.2, 0.0, 302),
                                                                (2, 0.0, 0.4, 303)])
def test_fake_bold_drawn_diagonally_vertically_or_three_times(tmp_path: Path, copies: int, offset: float,
                                                              rise: float, seed: int) -> None:
    from pdfmaker import Traits

    traits = Traits(bold=frozenset({"headings", "total_row", "total_column"}), bold_offset=offset,
                    bold_rise=rise, bold_copies=copies)
    _pdf_exact(tmp_path, traits, seed)


@pytest.mark.parametrize(("stamp", "alpha", "angle", "size", "seed"), [
    ("某某区人民政府网 2025-02-14", 0.15, 40.0, 30.0, 311), ("仅供公开查阅", 0.25, 0.0, 44.0, 312)])
def test_a_stamp_made_faint_by_transparency(tmp_path: Path, stamp: str, alpha: float, angle: float,
                                            size: float, seed: int) -> None:
    from pdfmaker import Traits

    _pdf_exact(tmp_path, Traits(watermark=stamp, watermark_alpha=alpha, watermark_angle=angle,
                                watermark_size=size), seed)


# -------------------------------------------------------------------------- saved web pages

_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">{meta}<title>{title}</title>{head}</head>
<body><div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 年报</div>{body}
<div class="footer">主办：某区人民政府办公室 电话：0577-61234567</div></body></html>"""
_CONTENT = ("<div class='content'><p>本报告统计期限自2022年1月1日起至2022年12月31日止。</p>"
            "<p>一、总体情况</p><p>本年度主动公开政府信息58条。</p><p>二、主动公开政府信息情况</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><p>本年新收申请3件。</p>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>无。</p></div>")


def test_the_title_only_in_the_cms_article_title_meta(tmp_path: Path) -> None:
    path = tmp_path / "detail.html"
    path.write_text(_PAGE.format(meta='<meta name="ArticleTitle" content="龙港市自然资源和规划局2022年'
                                      '政府信息公开工作年度报告">', title="详情页", head="",
                                 body=_CONTENT), encoding="utf-8")
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == ("龙港市自然资源和规划局", 2022)


def test_a_page_of_a_script_bundle_saved_before_it_ran(tmp_path: Path) -> None:
    from goitui.readers import ReadError

    path = tmp_path / "app.html"
    path.write_text(_PAGE.format(
        meta="", title="龙港市自然资源和规划局2022年政府信息公开工作年度报告",
        head='<script src="/static/js/chunk-vendors.5e1f.js"></script><script src="/static/js/app.77c0.js"></script>',
        body='<div id="app"></div><noscript>请开启JavaScript以浏览本页面</noscript>'), encoding="utf-8")
    with pytest.raises(ReadError, match="script"):
        read_path(path)


@pytest.mark.parametrize("between", ["<p>— 4 —</p>", "<p>第 4 页 共 7 页</p>", "<p>4</p>"])
def test_a_web_page_table_cut_in_two_with_a_page_number_between(between: str) -> None:
    """A document pasted whole into a page: table 三 cut at a page break, its header printed
    again, the page number a paragraph between the two parts (never a row's values)."""
    import re

    from goitui.readers.html import read_html

    figures = generate.make_figures(labels.T2021, random.Random(f"cut{between}"))
    page = generate.render_html(figures, labels.T2021, agency="乐清市北白象镇人民政府", year=2021).decode()
    start = page.index("<table", page.index("三、收到和处理"))
    header_end = [m.end() for m in re.finditer("</tr>", page[start:])][2] + start
    header = page[page.index("<tbody>", start) + len("<tbody>"):header_end]
    cut = re.search(r"<tr>(?:(?!</tr>).)*6\.属于四类过程性信息", page, re.S)
    assert cut is not None
    page = (page[:cut.start()] + f"</tbody></table>\n{between}\n<table border='1'><tbody>" + header
            + page[cut.start():])
    report = parse_reports(read_html(page.encode(), "page.html"))[0]
    assert report.figures_json() == figures


_PRE_BLOCKS = {"pre": "<pre>{}</pre>", "xmp": "<xmp>{}</xmp>",
               "pre-wrap, lines by <br>": "<div style='font-size:14px; WHITE-SPACE: pre-wrap'>{}</div>"}


@pytest.mark.parametrize("block", _PRE_BLOCKS)
@pytest.mark.parametrize(("layout", "template", "agency", "year"), [
    (generate.TABS, labels.T2021, "洞头区大门镇人民政府", 2022),
    (generate.PIPE_ROWS, labels.T2019, "泰顺县司前畲族镇人民政府", 2019),
    (generate.SPACED, labels.T2021, "鹿城区市场监督管理局", 2024),
    (generate.MARKDOWN, labels.T2021, "瓯海区娄桥街道办事处", 2023),
])
def test_a_report_pasted_as_plain_text_in_a_pre_block(tmp_path: Path, layout: str, template: str,
                                                      agency: str, year: int, block: str) -> None:
    """Some sites show the report as the text file it was: one ``<pre>`` (or an element styled
    ``white-space: pre-wrap``, its lines ended by ``<br>``) with the whole report, markup-escaped,
    a ``<b>`` around a heading, inside the site's chrome. Its lines are read as a text file's,
    each keeping its place in the block."""
    import html

    figures = generate.make_figures(template, random.Random(f"pre{layout}{year}"))
    text = generate.render(figures, template, layout, agency=agency, year=year)
    if block != "xmp":  # <xmp> holds its text as it is, markup unread
        text = html.escape(text).replace("一、总体情况", "<b>一、总体情况</b>", 1)
    if "<br>" in block:
        text = text.replace("\n", "<br>\n" if year % 2 else "<br>")
    path = tmp_path / "content.html"
    path.write_text(_PAGE.format(meta="", title=f"{agency}{year}年政府信息公开工作年度报告_门户网站",
                                 head="", body=f"<div class='article'>{_PRE_BLOCKS[block].format(text)}</div>"),
                    encoding="utf-8")
    document = read_path(path)
    report = parse_document(document)
    assert (report.agency, report.year) == (agency, year)
    assert report.figures_json() == figures
    assert not [line for line in document.lines if "当前位置" in line.text or "主办" in line.text]
    assert all(line.source.startswith("preformatted text 1, line ") for line in document.lines
               if line.source != "title")


def test_a_page_styled_pre_wrap_around_its_tables_is_read_as_html(tmp_path: Path) -> None:
    figures = generate.make_figures(labels.T2021, random.Random("pre-wrap-html"))
    page = generate.render_html(figures, labels.T2021, agency="文成县大峃镇人民政府", year=2021).decode()
    page = page.replace("<body>", "<body><div style='white-space: pre-wrap'>", 1).replace(
        "</body>", "</div></body>", 1)
    path = tmp_path / "styled.html"
    path.write_text(page, encoding="utf-8")
    assert parse_document(read_path(path)).figures_json() == figures


def test_a_pre_block_of_code_is_not_a_report(tmp_path: Path) -> None:
    from goitui.readers import ReadError

    path = tmp_path / "code.html"
    path.write_text(_PAGE.format(meta="", title="接口说明", head="",
                                 body="<pre>curl -X POST https://example.org/api\n{\"year\": 2023}</pre>"),
                    encoding="utf-8")
    with pytest.raises(ReadError, match="no report"):
        read_path(path)


@pytest.mark.parametrize(("algorithm", "seed"), [("RC4-128", 321), ("AES-128", 322), ("AES-256", 323)])
def test_copy_protected_by_other_tools_and_ciphers(tmp_path: Path, algorithm: str, seed: int) -> None:
    """Encrypted with an empty open password by pypdf, permissions all withheld (``/P 0``, which
    pdfminer reads as 2³² and fails on): opened through PDFium's decrypted copy, every figure
    read, and never called damaged."""
    import io

    pdfmaker = pytest.importorskip("pdfmaker", reason="tests/pdfmaker.py needs reportlab")
    pypdf = pytest.importorskip("pypdf")
    if (why := pdfmaker.available()) is not None:
        pytest.skip(why)
    made = pdfmaker.make_pdf(seed=seed)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(made.data)))
    writer.encrypt(user_password="", owner_password="owner-only", algorithm=algorithm,
                   permissions_flag=0)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "protected.pdf"
    path.write_bytes(out.getvalue())
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == (made.agency, made.year)
    assert report.figures_json() == made.figures


def test_a_title_set_on_two_lines_above_the_article(tmp_path: Path) -> None:
    """The page's <title> is generic and the report's title is two centred paragraphs above
    the content, neither of which names the report alone."""
    head = ("<p align='center'><strong><span>泰顺县罗阳镇2024年政府信息公开</span></strong></p>"
            "<p align='center'><strong>工作年度报告</strong></p>")
    path = tmp_path / "page.html"
    path.write_text(_PAGE.format(meta="", title="年度报告", head="",
                                 body=head + _CONTENT.replace("2022", "2024")), encoding="utf-8")
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == ("泰顺县罗阳镇", 2024)
