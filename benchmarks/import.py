"""Import benchmark: generate N reports (every text layout, both templates), import them into a
fresh archive, and print reports per second, peak memory, and whether every figure came back exact.

    python benchmarks/import.py            # N=5000
    python benchmarks/import.py -n 500 --formats text html docx   # HTML and Word throughput
    python benchmarks/import.py --flat 18000 --segment 2000        # import into 0 vs 18,000
    python benchmarks/import.py --jobs 2 -n 2000                    # one process vs 2 workers

It also reads and parses the real PDFs of ../shared/corpus and prints the time of each.

``--flat N``: does importing get slower as the archive grows? One archive is filled with N
reports first; then the same ``--segment`` reports (agencies of other regions, so that both
archives do the same work) are imported in chunks (one ``import_paths`` each, as one ``goi
import``) into a new archive and into the full one, alternately, so that the machine's drift
falls on both alike; the two rates are printed side by side.

``--jobs N``: the same reports imported into new archives with one process and with N worker
processes, in the order 1, N, N, 1 (the drift falls on both alike), with the peak memory of
the importing process and its workers together.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
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
    ap.add_argument("--flat", type=int, metavar="N",
                    help="compare importing into a new archive and into one of N reports")
    ap.add_argument("--segment", type=int, default=2000,
                    help="with --flat: reports imported into each archive (default 2000)")
    ap.add_argument("--chunk", type=int, default=500,
                    help="with --flat: reports per import (default 500)")
    ap.add_argument("--jobs", type=int, metavar="N",
                    help="compare one process with N worker processes")
    ap.add_argument("--generate-into", help=argparse.SUPPRESS)
    ap.add_argument("--region", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_into:
        write_corpus(args.generate_into, args.n, seed=args.seed, formats=args.formats,
                     region=args.region)
        return
    if args.flat is not None:
        flat(args.flat, args.segment, args.chunk, args.seed)
        return
    if args.jobs is not None:
        compare_jobs(args.n, args.jobs, args.seed)
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


def flat(base: int, segment: int, chunk: int, seed: int) -> None:
    """Import rate into a new archive and into one of ``base`` reports, measured in turns."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        _generate(work / "base", base, seed, "青山市")
        full = Archive.open(work / "full.db")
        import_paths(full, [str(work / "base")])
        full.close()
        print(f"base archive        {base} reports generated and imported in "
              f"{time.perf_counter() - t0:.0f} s")
        # the same reports for both archives, under other regions than the base's
        chunks = {name: _chunked(_generate(work / name, segment, seed + 1, region), chunk)
                  for name, region in (("new", "白水市"), ("full", "金河市"))}
        took = {name: [0.0, 0.0] for name in chunks}  # CPU, wall
        for turn in range(len(chunks["new"])):
            for name in ("new", "full") if turn % 2 == 0 else ("full", "new"):
                with Archive.open(work / f"{name}.db") as arch:
                    c0, w0 = time.process_time(), time.perf_counter()
                    import_paths(arch, [str(chunks[name][turn])])
                    took[name][0] += time.process_time() - c0
                    took[name][1] += time.perf_counter() - w0
        sizes = {name: (work / f"{name}.db").stat().st_size for name in chunks}
    cpu = {name: segment / took[name][0] for name in took}
    wall = {name: segment / took[name][1] for name in took}
    print(f"into a new archive  {cpu['new']:.0f} reports/s CPU, {wall['new']:.0f} wall "
          f"(0 → {segment} reports, {sizes['new'] / 2**20:.0f} MB)")
    print(f"into the full one   {cpu['full']:.0f} reports/s CPU, {wall['full']:.0f} wall "
          f"({base} → {base + segment} reports, {sizes['full'] / 2**20:.0f} MB)")
    print(f"full / new          {cpu['full'] / cpu['new']:.1%} CPU, "
          f"{wall['full'] / wall['new']:.1%} wall ({segment // chunk} imports of {chunk} "
          f"into each, in turns)")


def compare_jobs(n: int, jobs: int, seed: int) -> None:
    """Reports per second (wall) and peak memory with one process and with ``jobs`` workers."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _generate(work / "reports", n, seed, "")
        took: dict[int, list[float]] = {1: [], jobs: []}
        cpu: dict[int, list[float]] = {1: [0.0, 0.0], jobs: [0.0, 0.0]}  # this process, workers
        peak: dict[int, float] = {1: 0.0, jobs: 0.0}
        for run, count in enumerate((1, jobs, jobs, 1)):
            with Archive.open(work / f"run{run}.db") as arch, _PeakMemory() as memory:
                t0, c0, w0 = time.perf_counter(), time.process_time(), _children_cpu()
                results = import_paths(arch, [str(work / "reports")], jobs=count)
                took[count].append(time.perf_counter() - t0)
                cpu[count][0] += time.process_time() - c0
                cpu[count][1] += _children_cpu() - w0
            assert all(r.outcome == "archived" for r in results), "a report was not archived"
            peak[count] = max(peak[count], memory.peak)
    rate = {count: n * len(times) / sum(times) for count, times in took.items()}
    for count in (1, jobs):
        print(f"--jobs {count:<13} {rate[count]:.0f} reports/s wall, {peak[count]:.0f} MB peak "
              f"(the importing process and its workers together; two runs)")
        print(f"  CPU per report    {cpu[count][0] / 2 / n * 1000:.1f} ms in the importing "
              f"process, {cpu[count][1] / 2 / n * 1000:.1f} ms in workers")
    writer = cpu[jobs][0] / 2 / n
    total = (cpu[jobs][0] + cpu[jobs][1]) / 2 / n
    print(f"speed-up            {rate[jobs] / rate[1]:.2f}× with {jobs} workers "
          f"({n} reports, runs in the order 1, {jobs}, {jobs}, 1; load "
          f"{os.getloadavg()[0]:.1f})")
    print(f"on {jobs} idle cores   at most {min(jobs / total, 1 / writer):.0f} reports/s: the "
          f"CPU per report over the cores, and never more than the one writer stores")


class _PeakMemory:
    """The largest sum of resident memory of this process and its children, sampled every
    20 ms while the block runs (Linux /proc)."""

    def __enter__(self) -> _PeakMemory:
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            pids = [os.getpid(), *_children(os.getpid())]
            self.peak = max(self.peak, sum(_resident_mb(pid) for pid in pids))


def _children_cpu() -> float:
    """CPU seconds of the worker processes that have ended (the pool's, at its shutdown)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found + [g for c in found for g in _children(c)]


def _resident_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((ln for ln in status.splitlines() if ln.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) / 1024


def _generate(folder: Path, n: int, seed: int, region: str) -> list[Path]:
    """Reports written by another process (the generator's memory is not the import's)."""
    subprocess.run([sys.executable, __file__, "-n", str(n), "--seed", str(seed), "--region",
                    region, "--generate-into", str(folder)], check=True)
    plan = corpus_plan(n, seed=seed, region=region)
    return [folder / e.name for e in plan]


def _chunked(paths: list[Path], size: int) -> list[Path]:
    """The files moved into folders of ``size`` each, in order (an agency's years together)."""
    folders = []
    for start in range(0, len(paths), size):
        folder = paths[0].parent / f"chunk{start // size:04d}"
        folder.mkdir()
        for path in paths[start:start + size]:
            path.rename(folder / path.name)
        folders.append(folder)
    return folders


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
