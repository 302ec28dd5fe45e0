"""Archive size and search speed: bytes per report by table, and ``goi search`` by term length.

    python benchmarks/search.py -n 2000             # generate and import 2,000 reports
    python benchmarks/search.py --db archive.db     # an archive already built (read only)

Each search runs three times; the best CPU time is printed with the mode, the count and the
first hits, so that two revisions (or an archive before and after its upgrade) can be compared
term by term: the hits must be the same. Sizes come from SQLite's ``dbstat``: the pages each
table and index takes, and the bytes of them in use.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.testing.generate import write_corpus

TERMS = ["的", "政", "x", "公开", "申请", "公开 行政", "政府信息公开", "行政复议", "不存在的词语"]


def build(n: int, folder: Path) -> Path:
    db = folder / "search.db"
    write_corpus(folder / "reports", n, seed=7)
    with Archive(db) as arch:
        import_paths(arch, [str(folder / "reports")])
    return db


def sizes(arch: Archive) -> None:
    reports = arch.q("SELECT count(*) AS n FROM reports")[0]["n"] or 1
    rows = arch.q("SELECT name, sum(pgsize) AS size, sum(pgsize - unused) AS used FROM dbstat "
                  "GROUP BY name ORDER BY size DESC")
    total = sum(r["size"] for r in rows)
    print(f"{reports} reports, {total / reports:,.0f} bytes a report in all")
    for r in rows[:12]:
        print(f"  {r['name']:34} {r['size'] / reports:8,.0f} B a report ({r['used'] / reports:,.0f}"
              " in use)")


def timings(arch: Archive) -> None:
    name = arch.q("SELECT name FROM agencies ORDER BY id LIMIT 1 OFFSET 7")
    for term in [*TERMS, *(r["name"] for r in name)]:
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            result = search(arch, term)
            best = min(best, time.process_time() - start)
        first = [h.report_id for h in result.hits[:5]]
        print(f"  {term:>14} {result.mode:4} {result.count:7,} reports {best * 1000:8.1f} ms CPU"
              f"  first {first}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="generated reports (default 2000)")
    ap.add_argument("--db", type=Path, help="an archive already built, opened read-only")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build(args.n, Path(tmp))
        with Archive(db, create=False, write=args.db is None) as arch:
            sizes(arch)
            timings(arch)


if __name__ == "__main__":
    main()
