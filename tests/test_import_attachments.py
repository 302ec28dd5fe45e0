"""A saved web page whose report is its attachment: one report, named by the page's title."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from lxml import etree

from goitui import labels
from goitui.importer import import_paths
from goitui.readers.attachments import page_attachments, page_title
from goitui.testing.generate import make_figures, render_docx

AGENCY = "青龙乡人民政府"
YEAR = 2020
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title}_青龙乡人民政府门户网站</title></head><body>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
<h1>{title}</h1><div class="info">发布时间：{next}-01-20</div>
<div class="content"><p>附件：<a href="{href}">{text}</a></p>
<p><a href="http://www.example.gov.cn/zwgk/sqb.doc">政府信息公开申请表.doc</a></p></div>
<div class="footer">网站地图</div></body></html>"""


def _attachment(path: Path, seed: str) -> dict:
    """A Word report whose own title is gone: only the page says whose report it is."""
    figures = make_figures(labels.T2019, random.Random(seed))
    render_docx(figures, labels.T2019, agency=AGENCY, year=YEAR, path=path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(W + "body")
    body.remove(body.find(W + "p"))
    for t in body.iter(W + "t"):  # nor does the body name the agency
        t.text = (t.text or "").replace(AGENCY, "我乡")
    parts["word/document.xml"] = etree.tostring(root)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return figures


def _page(folder: Path, href: str, text: str) -> Path:
    title = f"{AGENCY}{YEAR}年政府信息公开工作年度报告"
    page = folder / "青龙乡年报.html"
    page.write_text(PAGE.format(title=title, href=href, text=text, next=YEAR + 1),
                    encoding="utf-8")
    return page


def test_folder_with_page_and_attachment_is_one_report(tmp_path: Path, archive) -> None:
    folder = tmp_path / "saved"
    (folder / "青龙乡年报_files").mkdir(parents=True)
    figures = _attachment(folder / "青龙乡年报_files" / "P020210120.docx", "attach1")
    _page(folder, "http://www.example.gov.cn/attach/P020210120.docx", "2020年度报告.docx")
    results = import_paths(archive, [str(folder)])
    assert [r.outcome for r in results] == ["archived"], [r.line() for r in results]
    assert (results[0].agency, results[0].year) == (AGENCY, YEAR)
    assert "attachment of" in results[0].path
    assert archive.find_report(AGENCY, YEAR).figures_json() == figures


def test_page_named_alone_finds_its_attachment_beside_it(tmp_path: Path, archive) -> None:
    _attachment(tmp_path / "青龙乡2020年政府信息公开工作年度报告.docx", "attach2")
    page = _page(tmp_path, "/u/cms/P0.docx", "青龙乡2020年政府信息公开工作年度报告.docx")
    results = import_paths(archive, [str(page)])
    assert [(r.outcome, r.agency, r.year) for r in results] == [("archived", AGENCY, YEAR)]


def test_links_never_leave_the_page_folder(tmp_path: Path) -> None:
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4")
    folder = tmp_path / "page"
    folder.mkdir()
    page = _page(folder, "../secret.pdf", "附件")
    data = page.read_bytes()
    assert page_attachments(page, data) == []
    assert page_title(data) == f"{AGENCY}{YEAR}年政府信息公开工作年度报告"


def test_a_page_without_its_attachment_on_disk_fails_as_a_page(tmp_path: Path, archive) -> None:
    page = _page(tmp_path, "http://www.example.gov.cn/a/report.pdf", "附件下载")
    [result] = import_paths(archive, [str(page)])
    assert result.outcome == "error" and result.path == str(page)
