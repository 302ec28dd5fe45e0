"""OCR: seconds per page, peak memory, and the share of figures read exactly from scans.

    python benchmarks/ocr.py              # 3 generated reports, printed and scanned
    python benchmarks/ocr.py --reports 6  # more
    python benchmarks/ocr.py --corpus     # also the real PDFs of ../shared/corpus, rasterized

Each generated report (both templates in turn, figures known) is printed on A4 pages with a
CJK font, scanned (skew, grain, specks, a red seal over a table's corner) and packed as an
image-only PDF (``goitui.testing.scan``); the OCR reader reads it, the parser and the rules
(S-OCR) run, and every figure is counted as exact, doubted by an S-OCR finding, or wrong
without a finding (the last must be none). Peak memory is the process's maximum resident
size (the models and onnxruntime's buffers are not Python objects).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from goitui import labels
from goitui.model import NUMBER, Report
from goitui.parse.report import parse_document
from goitui.readers import read_path
from goitui.readers.ocr import render_pdf
from goitui.testing import generate, scan
from goitui.validate.report import validate_report

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def tally(report: Report, truth: dict) -> tuple[int, int, list[str]]:
    """Figures exact, figures doubted by S-OCR, keys wrong without a finding."""
    findings = report.findings + validate_report(report, None)
    flagged = {k for f in findings if f.rule == "S-OCR" for k in f.keys}
    exact = doubted = 0
    wrong = []
    for key, value in truth.items():
        f = report.figures.get(key)
        if f is not None and f.kind == NUMBER and f.value == value:
            exact += 1
        elif key in flagged:
            doubted += 1
        else:
            wrong.append(key)
    return exact, doubted, wrong


CPU = [0.0]  # seconds of CPU (every thread of the process) spent reading, over all files


def measure(path: Path, truth: dict) -> tuple[float, int, tuple[int, int, list[str]]]:
    """Seconds, pages and the tally of one scanned PDF. The seconds are the wall clock's; the
    CPU seconds (in ``CPU``) do not grow when other processes share the machine."""
    pages = len(render_pdf(path))
    start, cpu = time.perf_counter(), time.process_time()
    report = parse_document(read_path(path))
    seconds = time.perf_counter() - start
    CPU[0] += time.process_time() - cpu
    return seconds, pages, tally(report, truth)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=3)
    parser.add_argument("--corpus", action="store_true")
    args = parser.parse_args()
    if scan.cjk_font() is None:
        print("no CJK font (apt-get install fonts-wqy-microhei)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="goi-ocr-"))
    total_s = total_pages = exact = doubted = figures = 0
    wrong: list[str] = []
    for i in range(args.reports):
        template = (labels.T2019, labels.T2021)[i % 2]
        rng = random.Random(1000 + i)
        truth = generate.make_figures(template, rng)
        agency = generate.agency_names(1, rng)[0]
        pages = scan.scanned_report(truth, template, agency=agency, year=2019 + i, rng=rng)
        path = scan.image_pdf(pages, folder / f"report{i}.pdf")
        seconds, n, (ok, doubt, bad) = measure(path, truth)
        total_s, total_pages = total_s + seconds, total_pages + n
        exact, doubted, figures = exact + ok, doubted + doubt, figures + len(truth)
        wrong += bad
        print(f"report {i + 1} ({template}, {n} pages): {seconds / n:.1f} s/page; {ok} exact, "
              f"{doubt} doubted (S-OCR), {len(bad)} wrong without a finding of {len(truth)}")
    print(f"generated: {total_s / total_pages:.1f} s per page ({CPU[0] / total_pages:.1f} s of CPU) "
          f"over {total_pages} pages at load {os.getloadavg()[0]:.1f}; "
          f"{exact} of {figures} figures exact ({100 * exact / figures:.1f}%), {doubted} doubted "
          f"by S-OCR, {len(wrong)} wrong without a finding; peak memory {peak_mb():.0f} MB")
    if args.corpus:
        corpus(folder)
    return 1 if wrong else 0


def corpus(folder: Path) -> None:
    """The real PDFs, every page rendered to an image and packed as an image-only PDF."""
    from PIL import Image

    for pdf in sorted(CORPUS.glob("*.pdf")):
        expected = parse_document(read_path(pdf))
        truth = {k: f.value for k, f in expected.figures.items() if f.kind == NUMBER}
        images = [Image.fromarray(a[:, :, ::-1]) for a, _chars in render_pdf(pdf)]
        scanned = folder / pdf.name
        images[0].save(scanned, "PDF", resolution=144, save_all=True, append_images=images[1:])
        seconds, n, (ok, doubt, bad) = measure(scanned, truth)
        print(f"{pdf.name} ({n} pages): {seconds / n:.1f} s/page; {ok} of {len(truth)} figures "
              f"as the text layer, {doubt} doubted (S-OCR), {len(bad)} different without a "
              f"finding {bad[:5]}; peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
