"""Hostile files: time and memory bounded by the file's size, caps that refuse with the reason,
names and paths that are data, never terminal commands.

Every input is made by ``goitui.testing.hostile`` (which ``benchmarks/stress.py`` makes at full
size). Time is never asserted in seconds: each kind is read at a size and at four times that
size, and the cost (CPU time, the least of three runs) must grow about linearly — under 8×,
where quadratic work grows 16× — which a busy machine does not change.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from goitui.cli import app
from goitui.names import same_agency
from goitui.parse.report import parse_reports
from goitui.readers import read_path
from goitui.readers.base import Inflation, ReadError, inflate
from goitui.readers.html import read_html
from goitui.readers.textfile import read_text
from goitui.testing import hostile
from goitui.text import fold, one_line, visible

#: the most 4× the input may cost: linear work costs ~4×, quadratic 16×
LINEAR = 8.0


def _parse_text(text: str) -> list:
    return parse_reports(read_text(text.encode()))


def test_heading_search_is_linear_in_heading_like_lines() -> None:
    # lines that all look like section headings: the chain search compared every pair
    assert hostile.growth(_parse_text, hostile.heading_lines, 4_000) < LINEAR
    reports = _parse_text(hostile.heading_lines(4_000))
    assert sorted(reports[0].sections) == [1, 2, 3, 4, 5, 6]


def _page(body: str) -> bytes:
    return hostile.page(body).encode()


def test_deep_nesting_reads_each_element_once() -> None:
    # blocks of nested <div>: every element walked its whole subtree (4.5 MB: 110 s)
    def read(page: str) -> object:
        return read_html(page.encode())

    assert hostile.growth(read, lambda blocks: hostile.deep_divs(blocks, depth=200), 40) < LINEAR
    doc = read_html(hostile.deep_divs(150, depth=200).encode())
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
    def refuse(page: str) -> str:
        return _refusal(page.encode())

    # past the budget the cost is the budget's, whatever the rows: it does not grow
    assert hostile.growth(refuse, hostile.rowspans, 400) < LINEAR
    assert "table cells once merged cells are spread" in refuse(hostile.rowspans(400))


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
    return hostile.report(agency, year, seed)


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
    # an option naming another agency than the title wins, and is printed as given: escaped
    named = _goi("import", str(other), "--agency", "\x1b]0;pwned\x07\x1b]52;c;aGk=\x07高台县", "--db", db)
    for output in (result.output, named.output):
        assert "\x1b" not in output and "\x07" not in output
    assert "临泽\\x1b[8m县人民政府 2022" in result.output
    assert "\\x1b]0;pwned\\x07\\x1b]52;c;aGk=\\x07高台县" in named.output


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


@pytest.mark.parametrize("printed", [
    "宁陕\x1b[1;31m县\x1b[0m人民政府",          # colour on and off (CSI)
    "\x1b]0;窗口标题\x07宁陕县人民政府",           # the window's title (OSC ending in BEL)
    "宁陕县\x1b]52;c;5a6B\x1b\\人民政府",        # the clipboard (OSC ending in ST)
    "\x9b7m宁陕县人民政府\x9b27m",               # the 8-bit form of CSI
    "宁\x1b(B陕\x01县\x7f人民政府\x9c",          # a charset switch, SOH, DEL, a C1 control
    "\u2067宁陕县\u2069\u200d人民\ufeff政府",    # bidi isolate, zero-width joiner, BOM
])
def test_a_name_with_escapes_is_found_by_what_it_shows(tmp_path: Path, printed: str) -> None:
    from goitui.names import core

    assert core(printed) == core("宁陕县人民政府") == "宁陕县" and same_agency(printed, "宁陕县")
    assert core("宁\x00陕县\x85") == "宁陕县"  # NUL and NEL: a reader turns them into other text
    db = str(tmp_path / "a.db")
    (tmp_path / "hostile.txt").write_text(_report(printed, 2021), encoding="utf-8")
    (tmp_path / "plain.txt").write_text(_report("宁陕县人民政府", 2022, seed=9), encoding="utf-8")
    assert _goi("import", str(tmp_path / "hostile.txt"), "--agency", printed,
                "--db", db).exit_code == 0
    assert _goi("import", str(tmp_path / "plain.txt"), "--db", db).exit_code == 0
    agencies = json.loads(_goi("agencies", "--db", db, "--format", "json").output)
    assert len(agencies) == 1 and agencies[0]["name"] == printed  # kept as published
    shown = _goi("show", "宁陕县", "2021", "--db", db, "--format", "json")
    assert json.loads(shown.output)["agency_as_written"] == printed
    assert "\x1b" not in _goi("agencies", "--db", db).output


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


_pdf = hostile.password_pdf


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


_docx = hostile.docx


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


def test_a_pdf_stream_bomb_is_refused_as_it_inflates(tmp_path: Path) -> None:
    # 200 MB of content from a 0.2 MB file: pdfminer inflated the whole stream at once
    path = hostile.stream_bomb(tmp_path / "bomb.pdf", 200 * 1024 * 1024)
    peak, said = _peak_megabytes(path)
    assert "a compressed stream inflates to more than 64 MB" in said
    assert peak < 200


@pytest.mark.parametrize("filters", [("LZWDecode",), ("RunLengthDecode",),
                                     ("ASCII85Decode", "LZWDecode"), ("FlateDecode", "LZWDecode")])
def test_every_filter_that_inflates_is_counted(tmp_path: Path, filters: tuple[str, ...]) -> None:
    # only Flate was counted: 150 KB of LZW decoded to 200 MB, then went to OCR (730 MB)
    path = hostile.stream_bomb(tmp_path / "bomb.pdf", 200 * 1024 * 1024, filters)
    peak, said = _peak_megabytes(path)
    assert "a compressed stream inflates to more than 64 MB" in said
    assert peak < 200


@given(st.lists(st.one_of(st.binary(min_size=1, max_size=128).map(lambda b: bytes([len(b) - 1]) + b),
                          st.tuples(st.integers(129, 255), st.integers(0, 255)).map(bytes)),
                max_size=40), st.booleans())
def test_the_counted_run_length_decoder_reads_what_pdfminer_reads(runs: list[bytes],
                                                                   ended: bool) -> None:
    from pdfminer.runlength import rldecode

    from goitui.readers import pdfstreams

    data = b"".join(runs) + (b"\x80" if ended else b"")
    assert pdfstreams._run_length(data) == rldecode(data)
    lzw = hostile.FILTERS["LZWDecode"](len(data) * 40 + 1)
    assert pdfstreams._lzw(lzw) == b" " * (len(data) * 40 + 1)


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
    _stuck_parser(monkeypatch, "stuck.txt")
    (tmp_path / "stuck.txt").write_text(_report("临泽县人民政府", 2021), encoding="utf-8")
    (tmp_path / "fine.txt").write_text(_report("临泽县人民政府", 2022), encoding="utf-8")
    result = _goi("import", str(tmp_path), "--time-limit", "0.5", "--db", str(tmp_path / "a.db"))
    assert "took longer than 0.5 s, the time limit per file" in result.output
    assert "archived   临泽县人民政府 2022" in result.output
    assert result.exit_code == 2


def _in_a_thread(work):  # noqa: ANN001, ANN202 - runs work() in a worker thread, its result
    import threading

    box: list = []
    worker = threading.Thread(target=lambda: box.append(work()), daemon=True)
    worker.start()
    worker.join(120)  # a safety net for a broken guard, not a bound on the work
    assert not worker.is_alive(), "the time limit did not stop the worker thread"
    return box[0]


def _stuck_parser(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    from goitui import importer

    parse = importer.parse_reports

    def stuck(doc, **options):  # noqa: ANN001, ANN202 - never ends for one file
        while doc.name == name:
            pass
        return parse(doc, **options)

    monkeypatch.setattr(importer, "parse_reports", stuck)


def test_the_time_limit_holds_when_a_worker_thread_imports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # signals reach only the main thread: a program importing from a worker thread was unguarded
    from goitui.archive.store import Archive
    from goitui.importer import import_paths

    _stuck_parser(monkeypatch, "hangs.txt")
    (tmp_path / "hangs.txt").write_text(_report("甘泉县人民政府", 2020), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(_report("甘泉县人民政府", 2021), encoding="utf-8")

    def work():  # noqa: ANN202
        with Archive(tmp_path / "t.db") as arch:
            return import_paths(arch, [str(tmp_path)], seconds_per_file=0.3)

    results = {Path(r.path).name: r for r in _in_a_thread(work)}
    assert "took longer than 0.3 s" in results["hangs.txt"].reason
    assert results["ok.txt"].outcome == "archived"


def test_readers_check_the_deadline_where_no_timer_can_interrupt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # without a way to interrupt a thread (not CPython), the parser's own checks stop the file
    from goitui import limits
    from goitui.archive.store import Archive
    from goitui.importer import import_paths

    monkeypatch.setattr(limits, "_set_async_exc", None)
    path = tmp_path / "huibian.txt"
    path.write_text("\n（2024年1月20日）\n\n".join(
        _report(f"{place}人民政府", 2023, seed) for seed, place in
        enumerate(("甘泉县", "宜川县", "黄龙县", "洛川县"))), encoding="utf-8")

    def work():  # noqa: ANN202
        with Archive(tmp_path / "t.db") as arch:
            return import_paths(arch, [str(path)], seconds_per_file=1e-6)

    assert "took longer than" in _in_a_thread(work)[0].reason
    with pytest.raises(limits.TimeLimit), limits.time_limit(1e-6):
        while True:
            limits.check()


def test_a_time_limit_that_ends_in_time_leaves_nothing_behind() -> None:
    from goitui import limits

    def many() -> int:  # a timer that fires as the block ends must not escape it
        stopped = 0
        for _ in range(300):
            try:
                with limits.time_limit(1e-4):
                    sum(range(2000))
            except limits.TimeLimit:
                stopped += 1
        for _ in range(200_000):  # time for a late exception to show up, outside any limit
            pass
        return stopped

    assert _in_a_thread(many) <= 300
