"""PDFs as governments really print them: each kind read exactly, or refused with its reason.

Every report here is generated (``tests/pdfmaker.py``: reportlab, its built-in STSong-Light CID
font) with other agencies, years, figures and row positions than the shared cases, and printed
with one publisher's habit at a time (or several): fake bold, digits spread across their cell,
owner-password encryption, a font with no Unicode map, a sideways table, horizontal rules only,
a diagonal stamp, page numbers and running headers, continued and split tables. A figure is
read exactly or not at all: a doubled or shifted number is never stored.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pdfplumber
import pytest

from goitui.importer import import_file
from goitui.model import Report
from goitui.parse.report import parse_document
from goitui.readers import ReadError, read_path
from goitui.readers.base import NeedsOcr
from goitui.readers.layout import text_to_document
from goitui.testing import generate

pdfmaker = pytest.importorskip("pdfmaker", reason="tests/pdfmaker.py needs reportlab")
if (_why := pdfmaker.available()) is not None:
    pytest.skip(_why, allow_module_level=True)

Traits = pdfmaker.Traits
CORPUS = Path("/work/shared/corpus")


def _read(tmp_path: Path, traits: Traits, seed: int) -> tuple[pdfmaker.Made, Report, str]:
    made = pdfmaker.make_pdf(traits, seed=seed)
    doc = read_path(made.write(tmp_path, f"report-{seed}.pdf"))
    return made, parse_document(doc), doc.text


def _exact(made: pdfmaker.Made, report: Report) -> None:
    assert (report.agency, report.year) == (made.agency, made.year)
    wrong = {k: (v, report.value(k)) for k, v in made.figures.items() if report.value(k) != v}
    assert not wrong, wrong
    extra = {k for k, f in report.figures.items() if k not in made.figures and f.value is not None}
    assert not extra
    problems = [f"{f.rule}: {f.message}" for f in report.findings
                if f.rule.startswith("S-") and f.severity != "info"]
    assert not problems


def _raw_text(made: pdfmaker.Made) -> str:
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.mark.parametrize(("bold", "offset", "seed"), [
    (frozenset({"headings"}), 0.3, 11),
    (frozenset({"total_row"}), 0.5, 12),
    (frozenset({"total_column"}), 0.25, 13),
    (frozenset({"headings", "total_row", "total_column"}), 0.6, 14),
])
def test_fake_bold_is_read_once(tmp_path: Path, bold: frozenset[str], offset: float, seed: int) -> None:
    made, report, text = _read(tmp_path, Traits(bold=bold, bold_offset=offset), seed)
    raw = _raw_text(made)
    if "total_column" in bold:  # the naive text layer doubles every digit of the totals
        total = str(made.figures["applications.new_received.total"])
        assert "".join(ch * 2 for ch in total) in raw
    if "headings" in bold:
        assert "一一、、" in raw and "一、总体情况" in text and "一一、、" not in text
    _exact(made, report)


@pytest.mark.parametrize("seed", [21, 22])
def test_digits_spread_across_their_cell_are_one_number(tmp_path: Path, seed: int) -> None:
    made, report, _ = _read(tmp_path, Traits(spread=True), seed)
    spread = [v for k, v in made.figures.items() if k.startswith("applications.")
              and isinstance(v, int) and v >= 10]
    assert spread  # the trait is exercised: numbers of two digits and more
    _exact(made, report)


def test_owner_password_copy_protected(tmp_path: Path) -> None:
    from pypdf import PdfReader

    made, report, _ = _read(tmp_path, Traits(encrypt=True), 31)
    assert PdfReader(io.BytesIO(made.data)).is_encrypted
    assert "(cid:" in _raw_text(made)  # pdfminer cannot name these glyphs; PDFium does
    _exact(made, report)


def test_copy_protected_with_fake_bold_and_stamp(tmp_path: Path) -> None:
    traits = Traits(encrypt=True, bold=frozenset({"total_column"}), watermark="示例市政府网站 2023-02-01")
    made, report, _ = _read(tmp_path, traits, 32)
    _exact(made, report)


def test_font_without_unicode_map_is_refused_for_ocr(tmp_path: Path) -> None:
    made = pdfmaker.make_pdf(Traits(no_unicode_map=True), seed=41)
    path = made.write(tmp_path)
    with pytest.raises(NeedsOcr) as err:
        read_path(path)
    assert err.value.kind == "no-unicode-map"
    assert isinstance(err.value, ReadError)
    assert "no Unicode map" in str(err.value) and "OCR" in str(err.value)
    # not embedded, it renders in a stand-in font: refused, OCR installed or not
    assert "not embedded" in str(err.value) and "STSong-Light" in str(err.value)


def test_font_without_unicode_map_import_says_why(tmp_path: Path) -> None:
    from goitui.archive.store import Archive

    path = pdfmaker.make_pdf(Traits(no_unicode_map=True, bold=frozenset({"headings"})), seed=42).write(tmp_path)
    with Archive(tmp_path / "a.db") as archive:
        results = import_file(archive, path)
    assert [r.outcome for r in results] == ["error"]
    assert "Unicode map" in results[0].reason and "agency" not in results[0].reason


@pytest.mark.parametrize(("turn", "seed"), [(90, 51), (270, 52)])
def test_sideways_table_is_turned_back(tmp_path: Path, turn: int, seed: int) -> None:
    made, report, _ = _read(tmp_path, Traits(sideways=turn, page_numbers="- {n} -"), seed)
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        assert any(not c["upright"] for page in pdf.pages for c in page.chars)
    _exact(made, report)


@pytest.mark.parametrize(("traits", "seed"), [
    (Traits(horizontal_rules=True), 61),
    (Traits(horizontal_rules=True, label_width=46), 62),  # labels wrap over more lines
    (Traits(horizontal_rules=True, break_after=7), 63),  # continued on the next page
    (Traits(horizontal_rules=True, break_after=14, repeat_header=True, page_numbers="第{n}页"), 64),
    (Traits(horizontal_everywhere=True), 65),  # tables 二 and 四 too, one under the other
    (Traits(horizontal_everywhere=True, split_reviews=True, break_after=4, label_width=44), 66),
])
def test_horizontal_rules_only(tmp_path: Path, traits: Traits, seed: int) -> None:
    made, report, _ = _read(tmp_path, traits, seed)
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        # table 三 really has no column lines: pdfplumber's grid finder does not see it
        assert not any("自然人" in str(t.extract()) for page in pdf.pages for t in page.find_tables())
    _exact(made, report)


def test_pale_stamp_up_the_margin_is_left_out(tmp_path: Path) -> None:
    stamp = "本文件下载自某某市政务网站"
    made, report, text = _read(tmp_path, Traits(margin_stamp=stamp, watermark="某某市政务网站"), 74)
    assert stamp[:5] not in text and "某某市政务" not in text
    _exact(made, report)


@pytest.mark.parametrize(("stamp", "angle", "seed"), [
    ("某某县人民政府门户网站 2024-04-01", 35.0, 71),
    ("内部资料 2025年1月", 52.0, 72),
    ("仅供参阅", -30.0, 73),
])
def test_diagonal_watermark_is_left_out(tmp_path: Path, stamp: str, angle: float, seed: int) -> None:
    made, report, text = _read(tmp_path, Traits(watermark=stamp, watermark_angle=angle), seed)
    assert stamp[:4] not in text
    _exact(made, report)


@pytest.mark.parametrize(("numbers", "seed"), [("— {n} —", 81), ("- {n} -", 82), ("第{n}页", 83),
                                               ("第 {n} 页", 84)])
def test_page_numbers_and_running_headers_are_never_read(tmp_path: Path, numbers: str, seed: int) -> None:
    header = "政府信息公开工作年度报告（公开版）"
    made, report, text = _read(tmp_path, Traits(page_numbers=numbers, running_header=header), seed)
    assert numbers.format(n=2) not in text and header not in text
    _exact(made, report)


@pytest.mark.parametrize(("after", "repeat", "seed"), [(5, True, 91), (12, False, 92), (17, True, 93)])
def test_table_continued_on_the_next_page(tmp_path: Path, after: int, repeat: bool, seed: int) -> None:
    traits = Traits(break_after=after, repeat_header=repeat, page_numbers="— {n} —",
                    running_header="某某局年度报告")
    made, report, _ = _read(tmp_path, traits, seed)
    _exact(made, report)


@pytest.mark.parametrize(("order", "seed"), [((0, 1, 2), 101), ((2, 0, 1), 102)])
def test_reviews_printed_as_three_tables(tmp_path: Path, order: tuple[int, ...], seed: int) -> None:
    made, report, _ = _read(tmp_path, Traits(split_reviews=True, reviews_order=order), seed)
    _exact(made, report)


def test_many_habits_at_once(tmp_path: Path) -> None:
    traits = Traits(bold=frozenset({"headings", "total_row"}), spread=True, watermark="网站 2022-12-30",
                    page_numbers="— {n} —", running_header="年度报告", break_after=10,
                    repeat_header=True, split_reviews=True)
    made, report, _ = _read(tmp_path, traits, 111)
    _exact(made, report)


@pytest.mark.parametrize("name", ["hongze-2023.pdf", "hongze-2024.pdf", "huaian-2024.pdf"])
def test_corpus_text_extracted_by_pypdf_reads_to_the_same_figures(name: str) -> None:
    """What another tool copies out of a PDF (cells separated by spaces, labels split around
    their numbers, page numbers between rows) is read to the figures goi reads from the PDF."""
    from pypdf import PdfReader

    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not available")
    from_pdf = parse_document(read_path(path))
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    from_text = parse_document(text_to_document(text, name=name))
    assert from_pdf.figures and from_pdf.figures_json() == from_text.figures_json()


@pytest.mark.parametrize("seed", [131, 132])
def test_prose_lines_kept_as_printed_and_read_as_paragraphs(tmp_path: Path, seed: int) -> None:
    """A paragraph wrapped over lines (and over a page break) is whole in its section's body,
    which the prose rules, the diff and the browser read; the source keeps the printed lines."""
    traits = Traits(page_numbers="— {n} —", running_header="某某局政府信息公开年度报告", prose_repeat=3)
    made = pdfmaker.make_pdf(traits, seed=seed)
    doc = read_path(made.write(tmp_path))
    report = parse_document(doc)
    bodies = generate.default_prose(made.figures, made.agency, made.year, random.Random(0))
    long_paragraph = bodies[1].split("\n")[0]  # 认真贯彻落实《条例》… wraps over two lines or more
    assert not any(long_paragraph in ln.text for ln in doc.lines)
    assert any(ln.joins for ln in doc.lines)
    assert long_paragraph in report.sections[1].body.split("\n")
    assert long_paragraph not in report.text and report.text == doc.text
    _exact(made, report)
