"""Word files as publishers really save them: each kind read to the exact figures.

Every fixture is a generated report (other agency, year and figures than the shared cases)
whose ``word/document.xml`` is then rewritten the way Word, WPS or a web page saved as Word
writes it: a layout table, list-numbered headings, a text box, tracked changes, an embedded page.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from goitui import labels
from goitui.importer import import_paths
from goitui.model import status_of
from goitui.parse.report import parse_document
from goitui.readers import read_path
from goitui.readers.numbering import ListNumbering, chinese_counting, format_number
from goitui.testing.generate import make_figures, render_docx, render_html
from goitui.validate.report import validate_report

AGENCY = "柳河镇人民政府"
YEAR = 2023
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS}
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _base(tmp_path: Path, seed: str, template: str = labels.T2021) -> tuple[Path, dict]:
    figures = make_figures(template, random.Random(seed))
    path = render_docx(figures, template, agency=AGENCY, year=YEAR, path=tmp_path / "r.docx")
    return path, figures


def _rewrite(path: Path, edit, extra: dict[str, bytes] | None = None) -> None:
    """Apply ``edit`` to the body of ``word/document.xml``; add or replace other parts."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    edit(root.find(W + "body"))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _w(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(W + tag)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def _figures_of(path: Path) -> tuple[dict, object]:
    report = parse_document(read_path(path))
    assert (report.agency, report.year) == (AGENCY, YEAR)
    return report.figures_json(), report


def test_report_inside_a_layout_table(tmp_path: Path) -> None:
    path, figures = _base(tmp_path, "layout")

    def edit(body):
        blocks = [el for el in body if el.tag != W + "sectPr"]
        tbl = _w("tbl")
        tr = etree.SubElement(tbl, W + "tr")
        cell = etree.SubElement(tr, W + "tc")
        for el in blocks:
            cell.append(el)
        etree.SubElement(cell, W + "p")  # a cell always ends with a paragraph
        side = etree.SubElement(tr, W + "tc")  # a narrow column of site links beside the page
        etree.SubElement(etree.SubElement(etree.SubElement(side, W + "p"), W + "r"),
                         W + "t").text = "相关链接：政务公开"
        body.insert(0, tbl)

    _rewrite(path, edit)
    got, report = _figures_of(path)
    assert got == figures
    assert not [f for f in report.findings if f.severity in ("error", "warning")]


_NUMBERING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{ns}">
 <w:abstractNum w:abstractNumId="7"><w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 </w:abstractNum>
 <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
</w:numbering>"""


@pytest.mark.parametrize(("fmt", "text"), [("chineseCounting", "%1、"),
                                           ("chineseCountingThousand", "%1、"),
                                           ("decimal", "%1.")])
def test_headings_numbered_by_word_lists(tmp_path: Path, fmt: str, text: str) -> None:
    path, figures = _base(tmp_path, f"numbered{fmt}", labels.T2019)

    def edit(body):
        for p in body.iter(W + "p"):
            ts = p.findall(".//w:t", NS)
            full = "".join(t.text or "" for t in ts)
            if full in labels.SECTION_TITLES.values():
                ts[0].text = full.split("、", 1)[1]
                for t in ts[1:]:
                    t.text = ""
                ppr = p.find(W + "pPr")
                if ppr is None:
                    ppr = _w("pPr")
                    p.insert(0, ppr)
                num = etree.SubElement(ppr, W + "numPr")
                num.append(_w("ilvl", val="0"))
                num.append(_w("numId", val="3"))

    numbering = _NUMBERING.format(ns=W_NS, fmt=fmt, text=text).encode()
    _rewrite(path, edit, {"word/numbering.xml": numbering})
    doc = read_path(path)
    first = "1.总体情况" if fmt == "decimal" else "一、总体情况"
    assert [first] in [ln.cells for ln in doc.lines]
    got, report = _figures_of(path)
    assert got == figures
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def test_bare_official_titles_are_headings(tmp_path: Path) -> None:
    """Without numbering.xml (the list lost), the exact official titles still mark sections."""
    path, figures = _base(tmp_path, "bare")

    def edit(body):
        for t in body.iter(W + "t"):
            if t.text in labels.SECTION_TITLES.values():
                t.text = t.text.split("、", 1)[1]

    _rewrite(path, edit)
    got, report = _figures_of(path)
    assert got == figures
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]


def test_list_numbers_of_heading_styles_and_levels() -> None:
    numbering = etree.fromstring(_NUMBERING.format(ns=W_NS, fmt="chineseCounting",
                                                   text="%1、").encode())
    styles = etree.fromstring(
        f'<w:styles xmlns:w="{W_NS}"><w:style w:type="paragraph" w:styleId="H1">'
        '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>'
        '</w:styles>'.encode())
    lists = ListNumbering(numbering, styles)

    def para(style: str | None = None, ilvl: str | None = None) -> etree._Element:
        p = _w("p")
        ppr = etree.SubElement(p, W + "pPr")
        if style:
            ppr.append(_w("pStyle", val=style))
        if ilvl is not None:
            num = etree.SubElement(ppr, W + "numPr")
            num.append(_w("ilvl", val=ilvl))
            num.append(_w("numId", val="3"))
        return p

    got = [lists.label(p)[0] for p in (para("H1"), para(ilvl="1"), para(ilvl="1"), para("H1b"),
                                       para(ilvl="1"), para(), para(ilvl="0"))]
    assert got == ["一、", "（一）", "（二）", "二、", "（一）", "", "三、"]
    assert [chinese_counting(n) for n in (1, 10, 11, 20, 21, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百零五", "一百一十"]
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(12, "decimalFullWidth") == "１２"


def _text_box(tbl: etree._Element) -> etree._Element:
    """A paragraph anchoring a floating text box holding ``tbl``, with Word's VML fallback."""
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    p = _w("p")
    run = etree.SubElement(p, W + "r")
    alt = etree.SubElement(run, f"{{{MC_NS}}}AlternateContent")
    choice = etree.SubElement(alt, f"{{{MC_NS}}}Choice", Requires="wps")
    drawing = etree.SubElement(choice, W + "drawing")
    box = etree.SubElement(etree.SubElement(drawing, f"{{{wps}}}txbx"), W + "txbxContent")
    box.append(tbl)
    etree.SubElement(box, W + "p")
    fallback = etree.SubElement(alt, f"{{{MC_NS}}}Fallback")
    pict = etree.SubElement(fallback, W + "pict")
    vml_box = etree.SubElement(etree.SubElement(pict, "{urn:schemas-microsoft-com:vml}shape"),
                               "{urn:schemas-microsoft-com:vml}textbox")
    copy = etree.SubElement(vml_box, W + "txbxContent")
    copy.append(etree.fromstring(etree.tostring(tbl)))
    etree.SubElement(run, W + "t").text = "注："  # the anchor's own text is read too
    return p


@pytest.mark.parametrize("which", [0, 2])
def test_table_in_a_text_box_is_read_once(tmp_path: Path, which: int) -> None:
    path, figures = _base(tmp_path, f"box{which}")

    def edit(body):
        tbl = body.findall(W + "tbl")[which]
        at = list(body).index(tbl)
        body.remove(tbl)
        body.insert(at, _text_box(tbl))

    _rewrite(path, edit)
    doc = read_path(path)
    assert sum(ln.text == "注：" for ln in doc.lines) == 1
    got, report = _figures_of(path)
    assert got == figures
    assert not [f for f in report.findings if f.rule == "S-LABEL" and f.severity == "warning"]


def test_tracked_changes_read_in_their_final_state(tmp_path: Path) -> None:
    path, figures = _base(tmp_path, "tracked")
    key = "applications.granted.total"
    final = figures[key]

    def edit(body):
        apps = body.findall(W + "tbl")[1]
        rows = apps.findall(W + "tr")
        # a number retyped: the old one deleted, the new one inserted
        for t in apps.iter(W + "t"):
            if t.text == str(final) and t.getparent().getparent().getparent().getparent() \
                    is next(r for r in rows if "（一）予以公开" in "".join(r.itertext())):
                run = t.getparent()
                p = run.getparent()
                deleted = _w("del", id="1", author="审核")
                old = _w("r")
                etree.SubElement(old, W + "delText").text = str(final + 40)
                deleted.append(old)
                inserted = _w("ins", id="2", author="审核")
                p.replace(run, inserted)
                inserted.append(run)
                p.insert(list(p).index(inserted), deleted)
                break
        else:
            raise AssertionError("the granted total was not found")
        # a row moved: the source (a deleted row wrapped in moveFrom) stays in the file
        moved = next(r for r in rows if "（二）部分公开" in "".join(r.itertext()))
        source = etree.fromstring(etree.tostring(moved))
        trpr = source.find(W + "trPr")
        if trpr is None:
            trpr = _w("trPr")
            source.insert(0, trpr)
        trpr.append(_w("del", id="3", author="审核"))
        for p in source.iter(W + "p"):
            wrap = _w("moveFrom", id="4", author="审核")
            for run in p.findall(W + "r"):
                wrap.append(run)
            p.append(wrap)
        rows[-1].addnext(source)
        # a paragraph with a deleted sentence
        para = next(p for p in body.findall(W + "p") if "".join(p.itertext()).startswith("二、"))
        gone = _w("del", id="5", author="审核")
        etree.SubElement(etree.SubElement(gone, W + "r"), W + "delText").text = "（草稿）"
        para.append(gone)

    _rewrite(path, edit)
    got, report = _figures_of(path)
    assert got == figures
    assert report.sections[2].title == labels.SECTION_TITLES[2]
    findings = report.findings + validate_report(report, None)
    assert status_of(findings) == "pass", [f.message for f in findings if f.severity != "info"]


def _body_is_a_chunk(path: Path, target: str, data: bytes) -> None:
    """Make the whole body of ``path`` one altChunk of the part ``word/<target>``."""

    def edit(body):
        for el in [el for el in body if el.tag != W + "sectPr"]:
            body.remove(el)
        chunk = _w("altChunk")
        chunk.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
                  "rIdChunk")
        body.insert(0, chunk)

    with zipfile.ZipFile(path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdChunk" Type="http://schemas.'
                        'openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
                        f'Target="{target}"/></Relationships>')
    extension = target.rsplit(".", 1)[-1]
    types = types.replace("</Types>", f'<Default Extension="{extension}" '
                          'ContentType="application/octet-stream"/></Types>')
    _rewrite(path, edit, {f"word/{target}": data, "word/_rels/document.xml.rels": rels.encode(),
                          "[Content_Types].xml": types.encode()})


def test_embedded_html_body(tmp_path: Path) -> None:
    path, _figures = _base(tmp_path, "chunk-shell")
    figures = make_figures(labels.T2019, random.Random("chunk"))
    page = render_html(figures, labels.T2019, agency=AGENCY, year=YEAR, encoding="gbk")
    _body_is_a_chunk(path, "page1.html", page)
    doc = read_path(path)
    assert any("page1.html" in note for note in doc.notes)
    got, _report = _figures_of(path)
    assert got == figures


def test_unreadable_embedded_body_is_named(tmp_path: Path) -> None:
    path, _figures = _base(tmp_path, "chunk-rtf")
    _body_is_a_chunk(path, "part.rtf", b"{\\rtf1 x}")
    from goitui.readers import ReadError

    with pytest.raises(ReadError, match="part.rtf"):
        read_path(path)


def test_tables_without_headings_are_not_called_missing(tmp_path: Path, archive) -> None:
    """A file with tables whose headings goi cannot find is never said to have no table."""
    path, _figures = _base(tmp_path, "noheads")

    def edit(body):
        for p in body.findall(W + "p"):
            if "".join(p.itertext()) in labels.SECTION_TITLES.values():
                body.remove(p)
        for tbl in body.findall(W + "tbl"):
            for t in tbl.iter(W + "t"):
                t.text = "甲"

    _rewrite(path, edit)
    [result] = import_paths(archive, [str(path)], agency=AGENCY, year=YEAR)
    assert result.outcome == "error"
    assert "no table was found" not in result.reason and "tables" in result.reason


def test_embedded_word_body(tmp_path: Path) -> None:
    """The body is an embedded .docx (altChunk of a Word file): it is read as Word."""
    inner_figures = make_figures(labels.T2021, random.Random("inner-docx"))
    inner = render_docx(inner_figures, labels.T2021, agency=AGENCY, year=YEAR,
                        path=tmp_path / "inner.docx")
    path, _figures = _base(tmp_path, "outer-shell")
    _body_is_a_chunk(path, "afchunk.docx", inner.read_bytes())
    got, _report = _figures_of(path)
    assert got == inner_figures



def test_paragraphs_in_a_one_cell_frame_stay_paragraphs(tmp_path: Path) -> None:
    """A one-cell table framing the opening paragraphs (the tables follow outside it)."""
    path, figures = _base(tmp_path, "frame")

    def edit(body):
        blocks = list(body)
        first_table = next(i for i, el in enumerate(blocks) if el.tag == W + "tbl")
        tbl = _w("tbl")
        cell = etree.SubElement(etree.SubElement(tbl, W + "tr"), W + "tc")
        for el in blocks[:first_table]:
            cell.append(el)
        body.insert(0, tbl)

    _rewrite(path, edit)
    got, report = _figures_of(path)
    assert got == figures
    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
