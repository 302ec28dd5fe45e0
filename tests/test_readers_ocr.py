"""The OCR reader on scans made here: generated reports printed with a CJK font, skewed,
grainy, stamped, packed as an image-only PDF — every figure exact or flagged by S-OCR.

OCR takes seconds a page: the tests that run it read a few pages each; the corpus check
(every page of the real PDFs) is marked ``slow`` (``pytest -m slow``).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import labels
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.model import NUMBER, Report
from goitui.parse.report import parse_document
from goitui.readers import read_path, sniff
from goitui.testing import generate
from goitui.validate.report import validate_report

pytest.importorskip("rapidocr_onnxruntime", reason="OCR is goi's ocr extra")
scan = pytest.importorskip("goitui.testing.scan")

AGENCY, YEAR = "白沙坪乡人民政府", 2020


@pytest.fixture(scope="module")
def font() -> Path:
    found = scan.cjk_font()
    if found is None:
        pytest.skip("no CJK font to print test pages (apt-get install fonts-wqy-microhei)")
    return found


@pytest.fixture(scope="module")
def truth() -> dict:
    return generate.make_figures(labels.T2019, random.Random(2020))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory, font: Path, truth: dict) -> Path:
    pages = scan.scanned_report(truth, labels.T2019, agency=AGENCY, year=YEAR,
                                rng=random.Random(5), font=font)
    return scan.image_pdf(pages, tmp_path_factory.mktemp("scan") / "白沙坪乡2020年报.pdf")


def outcome(report: Report, truth: dict) -> tuple[list[str], list[str], list[str]]:
    """Keys read exactly, keys flagged by S-OCR, keys wrong without a finding."""
    findings = report.findings if report.id else report.findings + validate_report(report, None)
    flagged = {k for f in findings if f.rule == "S-OCR" for k in f.keys}
    exact, doubted, wrong = [], [], []
    for key, value in truth.items():
        f = report.figures.get(key)
        if f is not None and f.kind == NUMBER and f.value == value:
            exact.append(key)
        else:
            (doubted if key in flagged else wrong).append(key)
    return exact, doubted, wrong


def test_images_are_sniffed_by_their_bytes() -> None:
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image"
    assert sniff(b"\xff\xd8\xff\xe0") == "image"
    assert sniff(b"II*\x00") == sniff(b"MM\x00*") == "image"


def test_skew_is_measured(font: Path) -> None:
    """The angle at which the rows of ink are sharpest is the page's tilt."""
    import numpy as np

    from goitui.readers.ocr import skew_angle

    page = scan.render_pages(generate.make_figures(labels.T2021, random.Random(3)),
                             labels.T2021, agency="金河镇人民政府", year=2023, font=font)[0]
    for angle in (0.0, 2.4, -3.1):
        tilted = page.rotate(angle, fillcolor="white").convert("L")
        assert skew_angle(np.asarray(tilted)) == pytest.approx(angle, abs=0.15)


def test_a_scanned_report_reads_every_figure_exactly_or_flags_it(scanned: Path, truth: dict,
                                                                 tmp_path: Path) -> None:
    """Imported: agency, year and template read; every figure exact or doubted by S-OCR,
    none wrong without a finding; the confidence and the box stored with each figure."""
    db = tmp_path / "a.db"
    # no time limit: the machine running the tests may be shared, and OCR is CPU-bound
    res = CliRunner().invoke(app, ["import", str(scanned), "--db", str(db), "--time-limit", "0"])
    assert res.exit_code == 0, res.output
    assert f"archived   {AGENCY} {YEAR} v1  template 2019" in res.stdout
    assert "OCR" not in res.stderr  # the page progress is shown on a terminal only
    with Archive(db) as arch:
        report = arch.find_report(AGENCY, YEAR)
    assert report.format == "ocr"
    exact, doubted, wrong = outcome(report, truth)
    assert wrong == []
    assert len(exact) >= 0.95 * len(truth)
    read = [f for f in report.figures.values() if f.kind == NUMBER]
    assert all(0 < (f.confidence or 0) <= 1 and f.box.count(",") == 3 for f in read)
    assert all(f.source.startswith("page ") for f in read)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM figures WHERE confidence IS NULL "
                            "AND kind = 'number'").fetchone() == (0,)


def test_no_ocr_refuses_scans_with_the_reason(scanned: Path, tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "page1.png"
    Image.new("RGB", (200, 300), "white").save(image)
    res = CliRunner().invoke(app, ["import", "--no-ocr", str(scanned), str(image),
                                   "--db", str(tmp_path / "a.db")])
    assert res.exit_code == 2
    assert "scanned PDF with no text layer (needs OCR) (--no-ocr was given)" in res.stderr
    assert "page1.png: a scanned page image: it needs OCR (--no-ocr was given)" in res.stderr


def test_page_images_as_one_report_in_the_order_given(font: Path, tmp_path: Path) -> None:
    figs = generate.make_figures(labels.T2021, random.Random(2024))
    pages = scan.scanned_report(figs, labels.T2021, agency="龙湾街道办事处", year=2024,
                                rng=random.Random(9), font=font)[:2]
    paths = []
    for n, page in enumerate(pages, start=1):
        paths.append(tmp_path / f"p{n}.jpg")
        page.save(paths[-1])
    db = str(tmp_path / "a.db")
    res = CliRunner().invoke(app, ["import", "--as-one", *map(str, paths), "--db", db])
    assert res.exit_code == 0, res.output
    (line,) = res.stdout.splitlines()
    assert line.startswith("archived   龙湾街道办事处 2024 v1") and "p1.jpg + " in line
    with sqlite3.connect(db) as conn:
        (source,) = conn.execute("SELECT source_path FROM reports").fetchone()
        pages_read = {s.split(",")[0] for (s,) in conn.execute("SELECT source FROM figures")}
    assert source.endswith("p2.jpg") and " + " in source
    assert pages_read <= {"page 1", "page 2"} and "page 2" in pages_read
    again = CliRunner().invoke(app, ["import", "--as-one", *map(str, paths), "--db", db])
    assert again.stdout.startswith("unchanged")
    not_pages = CliRunner().invoke(app, ["import", "--as-one", db, "--db", db])
    assert not_pages.exit_code == 2 and "--as-one takes page images" in not_pages.stderr


def test_a_page_scanned_sideways_is_turned(font: Path) -> None:
    import numpy as np

    from goitui.readers.ocr import _new_page, _upright

    page = scan.render_pages(generate.make_figures(labels.T2019, random.Random(4)),
                             labels.T2019, agency="东山镇人民政府", year=2019, font=font)[0]
    turned = _new_page(np.asarray(page.rotate(90, expand=True)))
    boxes = _upright(turned)
    h, w = turned.image.shape
    assert h > w  # upright A4 again
    assert sum(b.x1 - b.x0 > b.height for b in boxes) > 0.8 * len(boxes)


@pytest.mark.slow
def test_corpus_pdfs_rasterized_read_as_their_text_layer(corpus_dir: Path,
                                                         tmp_path: Path) -> None:
    """Every page of the real PDFs as an image: the figures their text layer gives, or
    S-OCR findings — with the page and the box — where they differ. (Before OCR read tables
    cut by a page break, and thin lone digits, 8 of 572 figures differed without a finding.)"""
    import pypdfium2 as pdfium
    from PIL import Image

    counts = {}
    for pdf_path in sorted(corpus_dir.glob("*.pdf")):
        expected = parse_document(read_path(pdf_path))
        pdf = pdfium.PdfDocument(str(pdf_path))
        images = [Image.fromarray(page.render(scale=2).to_numpy()[:, :, ::-1]) for page in pdf]
        pdf.close()
        scanned = tmp_path / pdf_path.name
        images[0].save(scanned, "PDF", resolution=144, save_all=True, append_images=images[1:])
        report = parse_document(read_path(scanned))
        assert report.format == "ocr"
        truth = {k: f.value for k, f in expected.figures.items() if f.kind == NUMBER}
        exact, doubted, wrong = outcome(report, truth)
        counts[pdf_path.name] = (len(exact), len(doubted), len(wrong), len(truth))
        assert wrong == [], (pdf_path.name, wrong)
        assert len(exact) >= 0.9 * len(truth), pdf_path.name
        findings = report.findings + validate_report(report, None)
        for key in doubted:
            said = [f for f in findings if f.rule == "S-OCR" and key in f.keys]
            assert any(f.source.startswith("page ") and "box " in f.source for f in said), key
    print("corpus read by OCR (exact, doubted, wrong, figures):", counts)


def test_pages_being_read_are_shown_on_a_terminal(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The progress line names the file and the page OCR is at; blank pages keep it cheap
    (they are refused as holding no text, after the line has said so)."""
    from PIL import Image

    from goitui.render.progress import Progress

    def on_a_terminal(stream: object = None, enabled: bool | None = None) -> Progress:
        return Progress(enabled=True if enabled is None else enabled)  # type: ignore[arg-type]

    monkeypatch.setattr("goitui.commands.importing.Progress", on_a_terminal)
    paths = []
    for n in (1, 2):
        paths.append(tmp_path / f"扫描{n}.png")
        Image.new("RGB", (240, 320), "white").save(paths[-1])
    res = CliRunner().invoke(app, ["import", "--as-one", *map(str, paths),
                                   "--db", str(tmp_path / "a.db")])
    assert "[0/1] 0%" in res.stderr  # one report, not two files
    assert f"OCR {paths[0]} + {paths[1]}: page 1 of 2…" in res.stderr
    assert f"OCR {paths[0]} + {paths[1]}: page 2 of 2…" in res.stderr
    assert "OCR found no text on its pages" in res.stderr and res.exit_code == 2
