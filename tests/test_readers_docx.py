"""Word files: body order, merged cells on the grid, hostile archives refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from goitui.readers import ReadError, read_path

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _lines(path: Path) -> list[tuple[list[str], bool]]:
    return [(ln.cells, ln.grid) for ln in read_path(path).lines]


def _report(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=4, cols=5)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "一、本年新收"
    for c, v in zip(range(2, 5), ["3", "", "3"], strict=True):
        t.cell(0, c).text = v
    t.cell(1, 0).merge(t.cell(3, 0)).text = "三、本年度办理结果"
    rows = [("（一）予以公开", "1", "\u3000", "1"), ("（二）部分公开", "2", "0", "2"),
            ("（七）总计", "3", "0", "3")]
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            t.cell(r, c).text = v
    t.cell(1, 4).merge(t.cell(2, 4)).text = "1"  # a number spanning rows is not repeated
    p = t.cell(1, 1).paragraphs[0]
    p.text = ""
    p.add_run("（一）予以")
    p.add_run("公开")
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    d.save(str(path))


def test_merged_cells_and_body_order(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    _report(path)
    doc = read_path(path)
    assert doc.format == "docx"
    assert [(ln.cells, ln.grid) for ln in doc.lines] == [
        (["三、收到和处理政府信息公开申请情况"], False),
        (["一、本年新收", "3", "", "3"], True),
        (["三、本年度办理结果", "（一）予以公开", "1", "", "1"], True),
        (["三、本年度办理结果", "（二）部分公开", "2", "0"], True),
        (["三、本年度办理结果", "（七）总计", "3", "0", "3"], True),
        (["四、政府信息公开行政复议、行政诉讼情况"], False),
    ]
    assert [ln.source for ln in doc.lines][:3] == ["paragraph 1", "table 1, row 1", "table 1, row 2"]


def test_blank_template_reads_as_labels_and_blanks() -> None:
    path = CORPUS / "template-2021-blank.docx"
    if not path.exists():
        pytest.skip("corpus not available")
    doc = read_path(path)
    rows = {ln.cells[-8] if len(ln.cells) >= 8 else ln.cells[0]: ln.cells
            for ln in doc.lines if ln.grid}
    assert rows["一、本年新收政府信息公开申请数量"] == ["一、本年新收政府信息公开申请数量"] + [""] * 7
    assert (["三、本年度办理结果", "（六）其他处理", "3.其他"] + [""] * 7) in [ln.cells for ln in doc.lines]
    assert ["规章", "", "", ""] in [ln.cells for ln in doc.lines]
    assert ["行政许可", ""] in [ln.cells for ln in doc.lines]
    assert [""] * 15 in [ln.cells for ln in doc.lines]
    values = [c for ln in doc.lines if ln.grid for c in ln.cells if c and c.isdigit()]
    assert values == []
    assert doc.lines[1].cells == ["一、总体情况"]


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text("this is not a word file", encoding="utf-8")
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value) == "not a Word file (.docx is not a zip archive)"


def test_zip_without_document(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ReadError, match="no word/document.xml"):
        read_path(path)


def test_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("word/document.xml", "w") as f:
        for _ in range(400):
            f.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value).startswith("zip bomb: 400 MB uncompressed")


def test_damaged_xml(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w:document><w:body>")
    with pytest.raises(ReadError, match="damaged Word file"):
        read_path(path)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.docx"
    with path.open("wb") as f:
        f.truncate(150 * 1024 * 1024)
    with pytest.raises(ReadError, match=r"file too large \(150 MB; limit 100 MB\)"):
        read_path(path)


def test_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(ReadError) as err:
        read_path(path)
    assert str(err.value) == ".doc needs converting: install LibreOffice (`soffice`) or save it as .docx"
