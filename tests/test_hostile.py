"""Hostile files: time and memory bounded by the file's size, caps that refuse with the reason,
names and paths that are data, never terminal commands.

Every input here is generated in the test, smaller than the files that showed each problem but
large enough that the old quadratic code would take minutes where the linear code takes well
under a second: each bound below is generous for linear work and far below quadratic work.
"""

from __future__ import annotations

import time

from goitui.parse.report import parse_document
from goitui.readers.base import ReadError
from goitui.readers.html import read_html
from goitui.readers.textfile import read_text

_TITLES = ("总体情况", "主动公开情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况",
           "存在的主要问题及改进情况", "其他需要报告的事项")


def _elapsed(work, *args):  # noqa: ANN001, ANN202 - a timing helper
    start = time.perf_counter()
    result = work(*args)
    return time.perf_counter() - start, result


def test_heading_search_is_linear_in_heading_like_lines() -> None:
    # 30,000 lines that all look like section headings: the chain search compared every pair
    lines = ["淮阴区某街道办事处2022年政府信息公开工作年度报告"]
    lines += [f"{'一二三四五六'[i % 6]}、{_TITLES[i % 6]}" for i in range(30_000)]
    seconds, report = _elapsed(lambda: parse_document(read_text("\n".join(lines).encode())))
    assert seconds < 10  # pairwise: over a minute
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def _page(body: str) -> bytes:
    return (f"<html><head><meta charset='utf-8'></head><body>"
            f"<h1>某镇人民政府2022年政府信息公开工作年度报告</h1>{body}</body></html>").encode()


def test_deep_nesting_reads_each_element_once() -> None:
    # blocks of 200 nested <div>: every element walked its whole subtree (4.5 MB: 110 s)
    block = "<div>" * 200 + "<p>一、总体情况</p><p>本镇2022年稳步推进。</p>" + "</div>" * 200
    page = _page(block * 150)  # 0.4 MB
    seconds, doc = _elapsed(read_html, page)
    assert seconds < 10  # walking subtrees: about 40 s
    assert sum(line.text == "一、总体情况" for line in doc.lines) == 150


def test_nesting_deeper_than_recursion_reads() -> None:
    # 1,500 levels: libxml2 dropped all below 255 silently; recursion would stop at 1,000
    page = _page("<div>" * 1500 + "<p>一、总体情况</p><p>全年无申请。</p><p>二、主动公开情况</p>"
                 + "</div>" * 1500)
    assert any(line.text == "全年无申请。" for line in read_html(page).lines)


def test_nesting_deeper_than_the_parser_keeps_is_refused() -> None:
    page = _page("<p>一、总体情况</p>" + "<div>" * 5000 + "<p>全年无申请。</p>" + "</div>" * 5000)
    assert "nested more than 2,000 deep" in _refusal(page)


def test_huge_rowspans_are_refused_by_the_grid_budget() -> None:
    # every cell spans every row below and 1,000 columns: 131 KB took 172 s and 3.8 GB
    rows = "".join(f'<tr><td rowspan="100000" colspan="1000">本年新收{i}</td></tr>'
                   for i in range(400))
    seconds, error = _elapsed(_refusal, _page(f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table>"))
    assert seconds < 10
    assert "table cells once merged cells are spread" in error


def test_honest_spans_are_read() -> None:
    rows = ('<tr><td colspan="2">一、本年新收政府信息公开申请数量</td><td>5</td></tr>'
            '<tr><td rowspan="3">三、本年度办理结果</td><td>（一）予以公开</td><td>4</td></tr>'
            '<tr><td>（二）部分公开</td><td>1</td></tr><tr><td>（三）不予公开</td><td>0</td></tr>')
    doc = read_html(_page(f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table>"))
    grid = [line.cells for line in doc.lines if line.grid]
    assert grid == [["一、本年新收政府信息公开申请数量", "5"],
                    ["三、本年度办理结果", "（一）予以公开", "4"],
                    ["三、本年度办理结果", "（二）部分公开", "1"],
                    ["三、本年度办理结果", "（三）不予公开", "0"]]


def _refusal(page: bytes) -> str:
    try:
        read_html(page)
    except ReadError as error:
        return str(error)
    raise AssertionError("the page was read")
