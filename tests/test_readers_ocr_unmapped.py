"""A PDF whose font has no Unicode map, read by OCR from its rendered pages — or refused.

A report printed with a CJK TrueType font that the PDF embeds as a subset (one-byte codes given
out glyph by glyph), its ToUnicode map taken out: the text layer gives glyph numbers, control
codes and Latin letters, but the pages render as printed, so OCR reads them. The same font not
embedded renders in a stand-in: refused with the reason, never archived half-read.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from typer.testing import CliRunner

from goitui.archive.store import Archive
from goitui.cli import app
from goitui.model import NUMBER
from goitui.readers import read_path
from goitui.readers.base import NeedsOcr

pdfmaker = pytest.importorskip("pdfmaker", reason="tests/pdfmaker.py needs reportlab")
scan = pytest.importorskip("goitui.testing.scan")


@pytest.fixture(scope="module")
def font() -> str:
    found = scan.cjk_font()
    if found is None or found.suffix.lower() not in (".ttf", ".ttc"):
        pytest.skip("no CJK TrueType font to embed (apt-get install fonts-wqy-microhei)")
    return str(found)


def unmapped_pdf(font: str, seed: int, embedded: bool = True) -> pdfmaker.Made:
    return pdfmaker.make_pdf(pdfmaker.Traits(font_file=font, no_unicode_map=True,
                                             font_embedded=embedded), seed=seed)


def test_the_text_layer_gives_no_characters_and_no_ocr_refuses_with_the_reason(
        font: str, tmp_path: Path) -> None:
    made = unmapped_pdf(font, 81)
    with pdfplumber.open(io.BytesIO(made.data)) as pdf:
        assert "(cid:" in (pdf.pages[0].extract_text() or "")
    with pytest.raises(NeedsOcr) as err:
        read_path(made.write(tmp_path), ocr=False)
    assert err.value.kind == "no-unicode-map" and "its font has no Unicode map" in str(err.value)


def test_the_font_not_embedded_is_refused_without_reading_a_page(font: str,
                                                                 tmp_path: Path) -> None:
    path = unmapped_pdf(font, 82, embedded=False).write(tmp_path)
    res = CliRunner().invoke(app, ["import", str(path), "--db", str(tmp_path / "a.db")])
    assert res.exit_code == 2
    assert "its font has no Unicode map" in res.stderr and "not embedded" in res.stderr


@pytest.mark.slow
def test_an_embedded_font_without_unicode_map_is_read_by_ocr(font: str, tmp_path: Path) -> None:
    """Imported from its rendered pages: every figure exact or doubted by S-OCR."""
    pytest.importorskip("rapidocr_onnxruntime", reason="OCR is goi's ocr extra")
    made = unmapped_pdf(font, 83)
    db = tmp_path / "a.db"
    res = CliRunner().invoke(app, ["import", str(made.write(tmp_path)), "--db", str(db),
                                   "--time-limit", "0"])
    assert res.exit_code == 0, res.output
    assert f"archived   {made.agency} {made.year} v1" in res.stdout
    with Archive(db) as archive:
        report = archive.find_report(made.agency, made.year)
    assert report.format == "ocr"
    flagged = {k for f in report.findings if f.rule == "S-OCR" for k in f.keys}
    exact = [k for k, v in made.figures.items() if report.figures.get(k) is not None
             and report.figures[k].kind == NUMBER and report.figures[k].value == v]
    wrong = [k for k in made.figures if k not in exact and k not in flagged]
    assert wrong == []
    assert len(exact) >= 0.9 * len(made.figures)
