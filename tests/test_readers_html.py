"""HTML pages: the report found among navigation, Word-pasted tables read as grids."""

from __future__ import annotations

from pathlib import Path

import pytest

from goitui.readers import ReadError, read_path

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>某县人民政府</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a>政务公开</a></li></ul></div>
<div class="main">
 <h1>某县2023年政府信息公开工作年度报告</h1>
 <div class="content">
  <p><span>一、</span><span>总体情况</span></p>
  <p>本年度共受理申请<b>21</b>件。</p>
  <p><span>三、收到和处理</span>
     <span>政府信息公开申请情况</span></p>
  <table border="1"><tbody>
   <tr><td colspan="3" rowspan="2">（本列数据的勾稽关系）</td><td colspan="7">申请人情况</td></tr>
   <tr><td><p>商业</p><p>企业</p></td><td>科研机构</td><td>社会公益组织</td>
       <td>法律服务机构</td><td>其他</td><td>总计</td><td>x</td></tr>
   <tr><td colspan="3"><span>一、本年新收</span><font>政府信息公开申请数量</font></td>
       <td>21</td><td>&nbsp;</td><td><o:p></o:p></td><td>0</td><td>0</td><td>0</td><td>21</td></tr>
   <tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（<span>一</span>）予以公开</td>
       <td>5</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
   <tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td>
       <td rowspan="2">0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
   <tr><td>2.其他法律行政法规<br>禁止公开</td>
       <td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>15</td></tr>
  </tbody></table>
  <p>四、政府信息公开行政复议、行政诉讼情况</p>
 </div>
</div>
<div class="footer">版权所有 <a>网站地图</a></div>
</body></html>
"""

EXPECTED = [
    (["某县2023年政府信息公开工作年度报告"], False),
    (["一、总体情况"], False),
    (["本年度共受理申请21件。"], False),
    (["三、收到和处理政府信息公开申请情况"], False),
    (["（本列数据的勾稽关系）", "申请人情况"], True),
    (["（本列数据的勾稽关系）", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
      "x"], True),
    (["一、本年新收政府信息公开申请数量", "21", "", "", "0", "0", "0", "21"], True),
    (["三、本年度办理结果", "（一）予以公开", "5", "0", "0", "0", "0", "0", "5"], True),
    (["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"], True),
    # the rowspan'd number is not repeated; the labels are
    (["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "1", "2", "3", "4", "5", "15"],
     True),
    (["四、政府信息公开行政复议、行政诉讼情况"], False),
]


def _lines(path: Path) -> list[tuple[list[str], bool]]:
    return [(ln.cells, ln.grid) for ln in read_path(path).lines]


def test_page_with_merged_cells(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    assert _lines(path) == EXPECTED
    doc = read_path(path)
    assert doc.format == "html"
    assert doc.lines[6].source == "table 1, row 3"


def test_gbk_page(tmp_path: Path) -> None:
    path = tmp_path / "report.htm"
    path.write_bytes(PAGE.format(charset="gbk").encode("gbk"))
    doc = read_path(path)
    assert [(ln.cells, ln.grid) for ln in doc.lines] == EXPECTED
    assert "encoding: gbk (meta)" in doc.notes


def test_gbk_page_without_meta(tmp_path: Path) -> None:
    page = PAGE.replace('<meta charset="{charset}">', "")
    path = tmp_path / "report.html"
    path.write_bytes(page.encode("gb18030"))
    assert _lines(path) == EXPECTED


def test_table_split_in_two(tmp_path: Path) -> None:
    """Some sites cut table 3 into two tables: rows just keep coming as grid lines."""
    path = tmp_path / "split.html"
    path.write_text("""<html><body><div>
      <p>三、收到和处理政府信息公开申请情况</p>
      <table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td><td>&nbsp;</td></tr></table>
      <table><tr><td>二、上年结转政府信息公开申请数量</td><td>0</td><td>1</td></tr></table>
      <p>四、政府信息公开行政复议、行政诉讼情况</p>
      <table><tr><td colspan="5">行政复议</td></tr>
             <tr><td>1</td><td></td><td>0</td><td>0</td><td>1</td></tr></table>
    </div></body></html>""", encoding="utf-8")
    doc = read_path(path)
    assert [(ln.cells, ln.grid) for ln in doc.lines] == [
        (["三、收到和处理政府信息公开申请情况"], False),
        (["一、本年新收政府信息公开申请数量", "3", ""], True),
        (["二、上年结转政府信息公开申请数量", "0", "1"], True),
        (["四、政府信息公开行政复议、行政诉讼情况"], False),
        (["行政复议"], True),
        (["1", "", "0", "0", "1"], True),
    ]
    assert [ln.source for ln in doc.lines][1:3] == ["table 1, row 1", "table 2, row 1"]
    assert [ln.line for ln in doc.lines] == [1, 2, 3, 4, 5, 6]


def test_layout_table_is_not_a_grid(tmp_path: Path) -> None:
    """A page laid out in a table holding the report's tables: only the inner ones are grids."""
    path = tmp_path / "layout.html"
    path.write_text("""<html><body><table><tr><td><a>首页</a></td><td>
      <p>二、主动公开政府信息情况</p>
      <table><tr><td colspan="4">第二十条第（一）项</td></tr>
             <tr><td>规章</td><td>0</td><td></td><td>2</td></tr></table>
    </td></tr></table></body></html>""", encoding="utf-8")
    assert _lines(path) == [
        (["二、主动公开政府信息情况"], False),
        (["第二十条第（一）项"], True),
        (["规章", "0", "", "2"], True),
    ]


def test_page_without_report(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text("<html><body><p>今日新闻</p><table><tr><td>a</td></tr></table></body></html>",
                    encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value) == "no report found in the page"


def test_html_saved_as_doc_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "report.doc"
    path.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    assert _lines(path) == EXPECTED


def test_breadcrumb_is_not_the_title(tmp_path: Path) -> None:
    """Site navigation above the report (当前位置：首页 > 政务公开 > 年度报告) is not its title."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        "<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>"
        "<div class='content'><h1>测试县西镇人民政府2023年政府信息公开工作年度报告</h1>"
        "<p>一、总体情况</p><p>2023年，测试县西镇认真落实。</p><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table></div></body></html>",
        encoding="utf-8")
    from goitui.parse.report import parse_document

    doc = read_path(page)
    assert not any("当前位置" in ln.text for ln in doc.lines)
    assert parse_document(doc).agency == "测试县西镇人民政府"
