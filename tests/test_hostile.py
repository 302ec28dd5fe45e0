"""Hostile files: time and memory bounded by the file's size, caps that refuse with the reason,
names and paths that are data, never terminal commands.

Every input here is generated in the test, smaller than the files that showed each problem but
large enough that the old quadratic code would take minutes where the linear code takes well
under a second: each bound below is generous for linear work and far below quadratic work.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from goitui.cli import app
from goitui.names import same_agency
from goitui.parse.report import parse_reports
from goitui.readers import read_path
from goitui.readers.base import Inflation, ReadError, inflate
from goitui.readers.html import read_html
from goitui.readers.textfile import read_text
from goitui.testing import generate
from goitui.text import fold, one_line, visible

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
    seconds, reports = _elapsed(lambda: parse_reports(read_text("\n".join(lines).encode())))
    assert seconds < 10  # pairwise: over a minute (the chain search, then the report starts)
    assert sorted(reports[0].sections) == [1, 2, 3, 4, 5, 6]


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


def _report(agency: str, year: int, seed: int = 5) -> str:
    figures = generate.make_figures("2021", random.Random(seed))
    return generate.render(figures, "2021", "tabs", agency=agency, year=year,
                           rng=random.Random(seed))


def _goi(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_a_title_with_terminal_commands_is_printed_escaped(tmp_path: Path) -> None:
    # ESC[8m hides what follows; OSC 0 renames the terminal window, OSC 52 writes the clipboard
    path = tmp_path / "report.txt"
    path.write_text(_report("临泽\x1b[8m县人民政府", 2022), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(_report("临泽县人民政府", 2023), encoding="utf-8")
    db = str(tmp_path / "a.db")
    result = _goi("import", str(path), "--db", db)
    named = _goi("import", str(other), "--agency", "\x1b]0;pwned\x07\x1b]52;c;aGk=\x07临泽县", "--db", db)
    for output in (result.output, named.output):
        assert "\x1b" not in output and "\x07" not in output
    assert "临泽\\x1b[8m县人民政府 2022" in result.output
    assert "\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07临泽县" in named.output


def test_a_line_break_in_a_file_name_keeps_the_result_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "临泽县\n2022\terror      fake.txt"
    path.write_text(_report("临泽县人民政府", 2022), encoding="utf-8")
    bad = tmp_path / "坏\n文件.txt"
    bad.write_bytes(b"\x00" * 4000)
    result = _goi("import", str(path), str(bad), "--db", str(tmp_path / "a.db"))
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["archived", "error", "1"]
    assert "临泽县\\x0a2022\\x09error" in lines[0] and "坏\\x0a文件.txt" in lines[1]


def test_invisible_characters_in_an_agency_name_are_folded_out_and_shown(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    for year, agency in ((2021, "临泽\u200b县人民政府"), (2022, "临泽县人民政\u202e府"),
                         (2023, "临泽县人民政府")):
        (tmp_path / f"{year}.txt").write_text(_report(agency, year, seed=year), encoding="utf-8")
    _goi("import", str(tmp_path), "--db", db)
    listing = _goi("agencies", "--db", db, "--format", "json")
    assert len(json.loads(listing.output)) == 1  # one agency, not three look-alikes
    shown = _goi("show", "临泽县人民政府", "2022", "--db", db)
    assert shown.exit_code in (0, 1)
    assert "\u202e" not in shown.output and "\\u202e" in shown.output
    assert same_agency("临泽\u200d县", "临泽县") and fold("a\u2066b\u2069") == "ab"
    assert visible("x\u202ey") == "x\\u202ey" and one_line("a\r\nb") == "a\\x0d\\x0ab"


def test_a_stray_nul_byte_does_not_reject_a_text_report() -> None:
    text = _report("临泽县人民政府", 2022).replace("总体情况", "总体\x00情况", 1)
    for encoding in ("utf-8", "gb18030"):
        doc = read_text(text.encode(encoding))
        assert any("总体\ufffd情况" in line.text for line in doc.lines)
        assert "1 NUL bytes read as U+FFFD" in doc.notes[-1]


def test_a_nul_inside_a_figure_makes_it_unreadable_not_another_number() -> None:
    from goitui.text import parse_value

    assert parse_value("12\ufffd34").kind == "unreadable"


def test_many_nul_bytes_are_still_binary() -> None:
    with pytest.raises(ReadError, match="binary"):
        read_text(("一、总体情况\x00" * 300).encode())


def _pdf(path: Path, user_password: str) -> Path:
    from pypdf import PdfWriter
    from reportlab.pdfgen import canvas

    plain = path.with_suffix(".plain.pdf")
    page = canvas.Canvas(str(plain))
    page.drawString(72, 720, "2021")
    page.save()
    writer = PdfWriter(clone_from=plain)
    writer.encrypt(user_password=user_password, owner_password="owner-only", algorithm="AES-128")
    writer.write(path)
    return path


def test_a_password_protected_pdf_says_it_needs_a_password(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^encrypted PDF \(needs a password\)$"):
        read_path(_pdf(tmp_path / "locked.pdf", "let-me-in"))


def test_an_owner_password_alone_is_not_called_encrypted(tmp_path: Path) -> None:
    try:
        read_path(_pdf(tmp_path / "owner.pdf", ""))
    except ReadError as error:  # it has no report in it; what matters is why it is refused
        assert "encrypted" not in str(error) and "damaged" not in str(error)


def test_search_for_a_term_that_starts_with_a_dash(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    (tmp_path / "r.txt").write_text(_report("临泽县人民政府", 2022).replace(
        "总体情况", "总体情况 -电子政务-", 1), encoding="utf-8")
    _goi("import", str(tmp_path / "r.txt"), "--db", db)
    found = _goi("search", "-电子政务-", "--db", db)
    assert found.exit_code == 0 and "1 report" in found.output
    clash = _goi("search", "-fee", "--db", db)  # reads as -f ee: the error says what to do
    assert clash.exit_code == 2 and "goi search [OPTIONS] -- -fee" in clash.output
    assert _goi("search", "--db", db, "--", "-电子政务-").exit_code == 0


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path: Path, paragraphs: int, declared: int | None = None) -> Path:
    """A .docx whose document.xml holds ``paragraphs`` empty paragraphs; ``declared``: the
    size its central directory claims instead of the true one."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {_W}><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>".encode())
            block = b'<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t></w:t></w:r></w:p>' * 1000
            for _ in range(paragraphs // 1000):
                part.write(block)
            part.write(b"</w:body></w:document>")
    if declared is not None:
        data = bytearray(path.read_bytes())
        at = data.find(b"PK\x01\x02")  # the central directory's entry: its uncompressed size
        data[at + 24:at + 28] = declared.to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


def _peak_megabytes(path: Path) -> tuple[float, str]:
    """Peak memory of a fresh process reading ``path``, and what reading it said."""
    # VmHWM, not ru_maxrss: Linux carries the forking process's peak into ru_maxrss
    code = ("import re, sys\nfrom pathlib import Path\nfrom goitui.readers import read_path\n"
            "try:\n    said = f'{len(read_path(Path(sys.argv[1])).lines)} lines'\n"
            "except Exception as error:\n    said = str(error)\n"
            "status = Path('/proc/self/status').read_text()\n"
            "print(int(re.search(r'VmHWM:\\s*(\\d+)', status)[1]) / 1024, said)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    peak, said = out.split(" ", 1)
    return float(peak), said.strip()


def test_a_docx_whose_headers_lie_is_inflated_in_counted_chunks(tmp_path: Path) -> None:
    # 70 MB of XML declared as 2 KB: zipfile inflated it all at once before looking (2.1 GB)
    path = _docx(tmp_path / "lies.docx", 800_000, declared=2048)
    peak, said = _peak_megabytes(path)
    assert "damaged Word file" in said
    assert peak < 200


def test_a_large_document_xml_is_read_block_by_block(tmp_path: Path) -> None:
    # 13 MB of paragraphs from a 50 KB file: one lxml tree of it took ~200 MB
    path = _docx(tmp_path / "long.docx", 150_000)
    peak, said = _peak_megabytes(path)
    assert said == "1 lines"
    assert peak < 120


def test_inflation_is_counted_as_it_happens() -> None:
    bomb = zlib.compress(b"0" * (8 * 1024 * 1024))  # the file's running count: 4 MB
    with pytest.raises(ReadError, match="inflate to more than 4.0 MB"):
        inflate(bomb, Inflation(4 * 1024 * 1024))
    assert inflate(bomb, Inflation()) == b"0" * (8 * 1024 * 1024)
    with pytest.raises(zlib.error):
        inflate(bomb[:-8], Inflation())


def _pdf_with_stream(path: Path, inflated: int) -> Path:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of spaces."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(b" " * (1024 * 1024)) for _ in range(inflated // (1024 * 1024))]
    stream = b"".join(parts) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_stream_bomb_is_refused_as_it_inflates(tmp_path: Path) -> None:
    # 200 MB of content from a 0.2 MB file: pdfminer inflated the whole stream at once
    path = _pdf_with_stream(tmp_path / "bomb.pdf", 200 * 1024 * 1024)
    peak, said = _peak_megabytes(path)
    assert "a compressed stream inflates to more than 64 MB" in said
    assert peak < 200


def test_a_pdf_with_more_pages_than_the_cap_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen import canvas

    from goitui.readers import pdf

    path = tmp_path / "pages.pdf"
    pages = canvas.Canvas(str(path))
    for number in range(5):
        pages.drawString(72, 720, f"page {number}")
        pages.showPage()
    pages.save()
    monkeypatch.setattr(pdf, "MAX_PAGES", 4)
    with pytest.raises(ReadError, match="a PDF of 5 pages: more than goi reads from one file"):
        read_path(path)


def test_a_file_past_the_time_limit_is_reported_and_the_batch_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from goitui import importer

    parse = importer.parse_reports

    def stuck(doc, **options):  # noqa: ANN001, ANN202 - a parser that never ends, for one file
        while doc.name == "stuck.txt":
            pass
        return parse(doc, **options)

    monkeypatch.setattr(importer, "parse_reports", stuck)
    (tmp_path / "stuck.txt").write_text(_report("临泽县人民政府", 2021), encoding="utf-8")
    (tmp_path / "fine.txt").write_text(_report("临泽县人民政府", 2022), encoding="utf-8")
    start = time.perf_counter()
    result = _goi("import", str(tmp_path), "--time-limit", "0.5", "--db", str(tmp_path / "a.db"))
    assert time.perf_counter() - start < 30
    assert "took longer than 0.5 s, the time limit per file" in result.output
    assert "archived   临泽县人民政府 2022" in result.output
    assert result.exit_code == 2
