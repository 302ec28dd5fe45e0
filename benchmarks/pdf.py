"""PDF benchmark: the real PDFs of ../shared/corpus, a generated 6-page PDF printed with
publishers' habits (fake bold, a stamp on every page, page numbers, a table continued under a
repeated header) and a long prose report (``--pages``, 500 by default: pages of prose and no
table, the kind that once ran past the time limit), each read and parsed; best of a few runs,
wall and CPU time, and the page rate.

    python benchmarks/pdf.py            # 5 runs each (the long report: one)
    python benchmarks/pdf.py --runs 10 --pages 200

The generated PDF needs reportlab (the ``test`` extra); without it that line is skipped.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from goitui.parse.report import parse_document
from goitui.readers import read_path

ROOT = Path(__file__).resolve().parents[1]


def measure(path: Path, runs: int) -> tuple[float, float, int, int]:
    """Best wall and CPU seconds to read and parse ``path``; its pages and figures."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    wall = cpu = float("inf")
    figures = 0
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        report = parse_document(read_path(path))
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
        figures = len(report.figures)
    return wall, cpu, pages, figures


def generated(folder: Path) -> Path | None:
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import pdfmaker
    except ImportError:
        return None
    if pdfmaker.available() is not None:
        return None
    traits = pdfmaker.Traits(bold=frozenset({"headings", "total_row"}), watermark="某某县政府网站 2024-01-05",
                             page_numbers="— {n} —", break_after=8, repeat_header=True, prose_repeat=11)
    return pdfmaker.make_pdf(traits, seed=121).write(folder, "generated-6-pages.pdf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", type=int, default=500, help="pages of the long prose report (0: none)")
    args = ap.parse_args()
    corpus = ROOT.parent / "shared" / "corpus"
    paths = sorted(corpus.glob("*.pdf")) if corpus.is_dir() else []
    with tempfile.TemporaryDirectory() as tmp:
        made = generated(Path(tmp))
        if made is None:
            print("pdf  generated report: reportlab not installed, skipped")
        for path in [*paths, *([made] if made else [])]:
            wall, cpu, pages, figures = measure(path, args.runs)
            print(f"pdf  {path.name}: {pages} pages read and parsed in {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU ({figures} figures; best of {args.runs})")
        if args.pages:
            from goitui.testing.hostile import prose_pdf

            long = prose_pdf(Path(tmp) / f"prose-{args.pages}-pages.pdf", args.pages)
            wall, cpu, pages, _figures = measure(long, 1)
            print(f"pdf  {long.name}: {pages} pages read and parsed in {wall:.1f} s wall, "
                  f"{cpu:.1f} s CPU: {pages / cpu:.1f} pages per CPU second")


if __name__ == "__main__":
    main()
