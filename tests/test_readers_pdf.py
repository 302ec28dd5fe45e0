"""PDFs: table rows from the ruled grid on the three corpus reports; broken files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from goitui.model import Document
from goitui.parse.report import parse_document
from goitui.readers import ReadError, read_path

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    return path


_CACHE: dict[str, Document] = {}


def _doc(name: str) -> Document:
    if name not in _CACHE:
        _CACHE[name] = read_path(_corpus(name))
    return _CACHE[name]


def _row(doc: Document, label: str) -> list[str]:
    rows = [ln.cells for ln in doc.lines if ln.grid and label in ln.cells]
    assert len(rows) == 1, (label, rows)
    return rows[0]


def test_hongze_2023_table3() -> None:
    doc = _doc("hongze-2023.pdf")
    assert _row(doc, "一、本年新收政府信息公开申请数量") == [
        "一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"]
    assert _row(doc, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == [
        "三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "4", "0", "0", "0", "0", "0", "4"]
    # continued on page 4: the category labels of the page-3 part go on
    assert _row(doc, "3.补正后申请内容仍不明确") == [
        "三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确",
        "0", "0", "0", "0", "0", "0", "0"]
    assert _row(doc, "（七）总计") == ["三、本年度办理结果", "（七）总计",
                                      "21", "0", "0", "0", "0", "0", "21"]
    t4 = [ln.cells for ln in doc.lines if ln.grid and len(ln.cells) == 15 and ln.cells[0].isdigit()]
    assert t4 == [["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]]


def test_hongze_2023_every_result_row_is_labelled() -> None:
    doc = _doc("hongze-2023.pdf")
    results = [ln.cells for ln in doc.lines if ln.grid and ln.cells[0] == "三、本年度办理结果"]
    assert len(results) == 20  # the 2019-style table: （六） is one row
    assert all(all(c.isdigit() for c in cells[-7:]) and not cells[-8].isdigit() for cells in results)


def test_prose_and_headings() -> None:
    doc = _doc("hongze-2023.pdf")
    prose = [ln.cells[0] for ln in doc.lines if not ln.grid]
    for title in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                  "六、其他需要报告的事项"):
        assert title in prose
    assert prose[:2] == ["洪泽区人民政府", "2023 年政府信息公开工作年度报告"]
    assert not any(p.strip("- ").isdigit() for p in prose)  # page numbers dropped
    # lines stay as printed; a paragraph cut by the page break is whole in its section's body
    assert not any("严格执行“分级审核、先审后发”程序" in p for p in prose)
    cut = next(ln for ln in doc.lines if ln.text.startswith("级审核、先审后发"))
    assert cut.joins and cut.source.startswith("page 2, paragraph")
    body = parse_document(doc).sections[1].body
    assert "严格执行“分级审核、先审后发”程序，落实“三审三校”制度" in body
    assert "2023 年全区受理政府信息公开申请 21 件" in body  # the 2023 / 年全区受理
    assert "\n级审核" not in body and not _doc("hongze-2023.pdf").lines[2].joins
    assert all(len(ln.cells) == 1 for ln in doc.lines if not ln.grid)
    assert [ln.line for ln in doc.lines] == list(range(1, len(doc.lines) + 1))


def test_hongze_2023_table2_and_sources() -> None:
    doc = _doc("hongze-2023.pdf")
    assert _row(doc, "行政规范性文件") == ["行政规范性文件", "0", "5", "5"]
    assert _row(doc, "行政事业性收费") == ["行政事业性收费", "7730.28"]
    line = next(ln for ln in doc.lines if ln.cells[:1] == ["行政许可"])
    assert line.source == "page 2, table 1, row 7"


def test_hongze_2024() -> None:
    doc = _doc("hongze-2024.pdf")
    assert _row(doc, "一、本年新收政府信息公开申请数量")[-7:] == ["95", "0", "0", "0", "0", "0", "95"]
    assert _row(doc, "2.没有现成信息需要另行制作") == [
        "三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作",
        "1", "0", "0", "0", "0", "0", "1"]
    t4 = [ln.cells for ln in doc.lines if ln.grid and len(ln.cells) == 15 and ln.cells[0].isdigit()]
    assert t4 == [["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]]


def test_huaian_2024() -> None:
    doc = _doc("huaian-2024.pdf")
    assert _row(doc, "1.本机关不掌握相关政府信息") == [
        "三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息",
        "746", "12", "0", "0", "10", "1", "769"]
    # （四）无法提供 is cut by the page break: the two halves are one label
    assert _row(doc, "2.没有现成信息需要另行制作")[:2] == ["三、本年度办理结果", "（四）无法提供"]
    assert _row(doc, "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") == [
        "三、本年度办理结果", "（六）其他处理",
        "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "67", "3", "0", "0", "1", "0", "71"]
    t4 = [ln.cells for ln in doc.lines if ln.grid and len(ln.cells) == 15 and ln.cells[0].isdigit()]
    assert t4 == [["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6",
                   "20"]]
    results = [ln.cells for ln in doc.lines if ln.grid and ln.cells[0] == "三、本年度办理结果"]
    assert len(results) == 22
    assert _row(doc, "行政处罚") == ["行政处罚", "3985758"]


def test_truncated(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(_corpus("hongze-2023.pdf").read_bytes()[:1000])
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value) == "truncated or damaged PDF"


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"\x00\x01\x02\x03" + b"\x01" * 100)
    with pytest.raises(ReadError, match="not a PDF file .binary data"):
        read_path(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 100)  # an image, whatever its name
    with pytest.raises(ReadError, match="not a readable image|needs OCR"):
        read_path(path)


def _pdf(content: bytes) -> bytes:
    """A one-page PDF drawing ``content``, with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_scanned_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(b"0 0 0 rg 100 100 200 300 re f"))
    with pytest.raises(ReadError) as err:
        read_path(path, ocr=False)
    assert str(err.value) == "scanned PDF with no text layer (needs OCR) (--no-ocr was given)"
    with pytest.raises(ReadError) as err:
        read_path(path)  # read by OCR where it is installed: a black box holds no text
    assert str(err.value).startswith("scanned PDF with no text layer (needs OCR)")
