"""Web pages as they are saved: a charset declared wrong, a page saved before its script ran."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import labels
from goitui.cli import app
from goitui.parse.report import parse_document
from goitui.readers import ReadError, read_path
from goitui.readers.html import decode_html
from goitui.testing.generate import make_figures, render_html

AGENCY = "桃源县住房和城乡建设局"
YEAR = 2021


def _page(encoding: str, seed: str) -> tuple[bytes, dict]:
    figures = make_figures(labels.T2021, random.Random(seed))
    return render_html(figures, labels.T2021, agency=AGENCY, year=YEAR, encoding=encoding), figures


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "gb18030", "big5", "iso-8859-1"])
def test_utf8_bytes_under_a_wrong_meta_charset(tmp_path: Path, declared: str) -> None:
    page, figures = _page("utf-8", f"meta{declared}")
    page = page.replace(b"charset=utf-8", f"charset={declared}".encode())
    assert f"charset={declared}".encode() in page
    path = tmp_path / "page.html"
    path.write_bytes(page)
    doc = read_path(path)
    assert any("utf-8" in n and declared.lower() in n for n in doc.notes), doc.notes
    report = parse_document(doc)
    assert (report.agency, report.year) == (AGENCY, YEAR)
    assert report.figures_json() == figures


def test_goi_import_says_which_encoding_it_used(tmp_path: Path) -> None:
    """The import line and its JSON say how a page was decoded, so a wrong declaration is seen."""
    page, _ = _page("utf-8", "import-says-encoding")
    path = tmp_path / "公开年报.html"
    path.write_bytes(page.replace(b"charset=utf-8", b"charset=gbk"))
    db = str(tmp_path / "a.db")
    shown = CliRunner().invoke(app, ["--lang", "en", "import", "--db", db, str(path)])
    assert shown.exit_code == 0, shown.output
    assert "the page declares gbk, but its bytes are UTF-8" in shown.stdout
    again = CliRunner().invoke(app, ["--lang", "zh", "import", "--db", str(tmp_path / "b.db"),
                                     "-f", "json", str(path)])
    (result,) = json.loads(again.stdout)
    assert any("gbk" in note for note in result["notes"]) and result["outcome"] == "archived"


def test_gbk_bytes_under_a_utf8_meta_are_detected(tmp_path: Path) -> None:
    page, figures = _page("gbk", "gbk-as-utf8")
    page = page.replace(b"charset=gb2312", b"charset=utf-8")
    text, how = decode_html(page)
    assert "detected" in how and "utf-8" in how
    assert AGENCY in text
    path = tmp_path / "page.htm"
    path.write_bytes(page)
    assert parse_document(read_path(path)).figures_json() == figures


def test_declared_charset_kept_when_it_decodes() -> None:
    page, _figures = _page("gbk", "gbk-right")
    text, how = decode_html(page)
    assert how == "gb2312 (meta)" and AGENCY in text
    assert decode_html(b"<p>abc</p>")[1] != ""


SAVED_EARLY = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title}</title>{head}</head><body>
<div class="top"><a href="/">首页</a> 政务公开</div>
<h2>{title}</h2><div id="info"></div>{body}
<div class="footer">主办单位：某市人民政府办公室</div></body></html>"""


@pytest.mark.parametrize(("head", "body", "words"), [
    ("<script>fetch('/api/article?id=88').then(r => r.json()).then(d => "
     "{document.getElementById('info').innerHTML = d.html})</script>", "", ["script"]),
    ('<script src="/js/vue.min.js"></script><script>new Vue({el: "#info"})</script>', "",
     ["script"]),
    ("", '<iframe src="https://www.example.gov.cn/art/2022/3/1/art_88.html"></iframe>',
     ["iframe", "art_88.html"]),
])
def test_page_saved_before_its_content_loaded(tmp_path: Path, head: str, body: str,
                                              words: list[str]) -> None:
    title = f"{AGENCY}{YEAR}年政府信息公开工作年度报告"
    path = tmp_path / "saved.html"
    path.write_text(SAVED_EARLY.format(title=title, head=head, body=body), encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_path(path)
    reason = str(err.value)
    assert all(w in reason for w in words), reason
    assert "save the page after it has loaded" in reason and "attachment" in reason


def test_a_page_about_something_else_is_not_blamed_on_script(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(SAVED_EARLY.format(title="天气预报", head="<script>$.get('/w')</script>",
                                       body="<p>晴</p>"), encoding="utf-8")
    with pytest.raises(ReadError, match="no report found"):
        read_path(path)
