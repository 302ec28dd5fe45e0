"""Import benchmark: generate N reports (every text layout, both templates), import them into a
fresh archive, and print reports per second, peak memory, and whether every figure came back exact.

    python benchmarks/import.py            # N=5000
    python benchmarks/import.py -n 500 --formats text html docx   # HTML and Word throughput

It also reads and parses the real PDFs of ../shared/corpus and prints the time of each.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.parse.report import parse_document
from goitui.readers import read_path
from goitui.testing.generate import corpus_plan, write_corpus


def peak_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=5000, help="how many reports (default 5000)")
    ap.add_argument("--formats", nargs="+", default=["text"], choices=["text", "html", "docx"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--generate-into", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_into:
        write_corpus(args.generate_into, args.n, seed=args.seed, formats=args.formats)
        return

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "reports"
        t0 = time.perf_counter()
        # generated in another process, so that the memory figure is the import's alone
        subprocess.run([sys.executable, __file__, "-n", str(args.n), "--seed", str(args.seed),
                        "--formats", *args.formats, "--generate-into", str(src)], check=True)
        gen = time.perf_counter() - t0
        before = peak_mb()
        arch = Archive.open(Path(tmp) / "bench.db")
        t0, c0 = time.perf_counter(), time.process_time()
        results = import_paths(arch, [str(src)])
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        import_peak = peak_mb()
        failed = [r for r in results if r.outcome != "archived"]

        plan = {e.name: e for e in corpus_plan(args.n, seed=args.seed, formats=args.formats)}
        wrong = total = 0
        for r in results:
            if r.report_id is None:
                continue
            entry = plan[Path(r.path).name]
            got = arch.load(r.report_id).figures_json()
            for key, value in entry.figures.items():
                total += 1
                wrong += got.get(key) != value
        arch.close()

    print(f"reports generated   {args.n} ({', '.join(args.formats)}) in {gen:.1f} s")
    print(f"import              {len(results) - len(failed)} archived, {len(failed)} failed "
          f"in {took:.2f} s wall, {cpu:.2f} s CPU (one process, one core)")
    print(f"throughput          {args.n / took:.0f} reports/s wall, {args.n / cpu:.0f} reports/s CPU")
    print(f"peak memory         {import_peak:.0f} MB during the import "
          f"({before:.0f} MB before it)")
    print(f"figures exact       {total - wrong}/{total}")
    for r in failed[:5]:
        print(f"  failed: {r.path}: {r.reason}")
    pdf_throughput()


def pdf_throughput() -> None:
    """The real PDFs of ../shared/corpus (PDF cannot be generated here), each read and parsed."""
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    pdfs = sorted(corpus.glob("*.pdf")) if corpus.is_dir() else []
    if not pdfs:
        print("pdf                 ../shared/corpus not found: skipped")
        return
    for pdf in pdfs:
        t0 = time.perf_counter()
        report = parse_document(read_path(pdf))
        took = time.perf_counter() - t0
        pages = report.text.count("\n") and _pages(pdf)
        print(f"pdf                 {pdf.name}: {pages} pages read and parsed in {took:.2f} s "
              f"({len(report.figures)} figures)")


def _pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


if __name__ == "__main__":
    main()
