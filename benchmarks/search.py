"""Archive size and search speed: bytes per report by table, and ``goi search`` before/after.

    python benchmarks/search.py -n 2000             # generate and import 2,000 reports
    python benchmarks/search.py --db archive.db     # an archive already built (read only)
    python benchmarks/search.py --db archive.db --before 6065def   # and goi at that revision

Terms are chosen by what they find in the archive: of a few candidates, the one held by the
share of its reports nearest to every report, a tenth and a hundredth, for a term of one
trigram (3 characters: the index alone) and of more; then two common terms together, 1 and
2 characters (the pair index) and a term found nowhere. Each is timed on the CPU in a
process of its own for each revision, the revisions taking turns (``--rounds``) as the
machine's load drifts; the median is printed with the count and whether the first page of
hits is the same before and after. "next page": the second page of the same search, after
the first (goi keeps what a search found). ``--before`` runs goi's code of that git
revision (``git archive``) on the same archive, read only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from rich.cells import cell_len

from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.testing.generate import write_corpus

ROOT = Path(__file__).resolve().parents[1]
#: candidates for each share, and the terms timed as they are
SHARED = {
    "every report, 4+ characters": ["政府信息公开", "行政复议", "依申请公开"],
    "every report, 3 characters": ["依申请", "政务公", "年度报"],
    "~10 %, 4+ characters": ["云乡人民", "政府信息38", "结转下年度继续办理4", "上年结转3"],
    "~1 %, 4+ characters": ["上年结转39", "收到政府信息公开申请1", "政府信息38", "临永县"],
}
SHARES = {"every": 1.0, "~10 %": 0.1, "~1 %": 0.01}
FIXED = {"two common terms": "行政复议 结果纠正", "1 character": "的", "2 characters": "公开",
         "found nowhere": "不存在的词语"}


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


def measure(db: Path, terms: list[str], repeat: int) -> dict[str, dict[str, object]]:
    """In this process (goi as imported): each term's search, ``repeat`` times with nothing
    kept from the last (the median CPU), then its second page."""
    import goitui.archive.search as searching

    kept = getattr(searching, "_FOUND", None)
    out: dict[str, dict[str, object]] = {}
    with Archive(db, create=False, write=False) as arch:
        for term in terms:
            times = []
            for _ in range(repeat):
                if kept is not None:
                    kept.clear()
                start = time.process_time()
                result = searching.search(arch, term)
                times.append(time.process_time() - start)
            start = time.process_time()
            searching.search(arch, term, offset=50)
            out[term] = {"ms": statistics.median(times) * 1000, "count": result.count,
                         "mode": result.mode, "next_ms": (time.process_time() - start) * 1000,
                         "first": [h.report_id for h in result.hits]}
    return out


def child(code: Path, db: Path, terms: list[str], repeat: int) -> dict[str, dict[str, object]]:
    """``measure`` in a new process running the goi of ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--db", str(db),
                          "--measure", json.dumps(terms), "--repeat", str(repeat)],
                         env=env, capture_output=True, text=True, check=True)
    result: dict[str, dict[str, object]] = json.loads(run.stdout)
    return result


def checkout(revision: str, folder: Path) -> Path:
    """goi's code (the package and its migrations) at ``revision``, unpacked in ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "goitui",
                              "migrations"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def chosen(db: Path) -> dict[str, str]:
    """Each row's term: for a share, the candidate held by the nearest share of reports."""
    candidates = sorted({t for terms in SHARED.values() for t in terms})
    found = measure(db, candidates, 1)
    with Archive(db, create=False, write=False) as arch:
        current = arch.q("SELECT count(*) AS n FROM reports WHERE is_current = 1")[0]["n"] or 1
    rows = {}
    for row, terms in SHARED.items():
        share = next(v for k, v in SHARES.items() if row.startswith(k))
        rows[row] = min(terms, key=lambda t: abs(int(str(found[t]["count"])) / current - share))
    return {**rows, **FIXED}


def compare(db: Path, before: str | None, rounds: int, repeat: int) -> None:
    rows = chosen(db)
    terms = list(dict.fromkeys(rows.values()))
    sides = {"after": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if before:
            sides = {"before": checkout(before, Path(tmp)), **sides}
        runs: dict[str, list[dict[str, dict[str, object]]]] = {side: [] for side in sides}
        for _ in range(rounds):  # the revisions take turns
            for side, code in sides.items():
                runs[side].append(child(code, db, terms, repeat))
    load = os.getloadavg()
    print(f"goi search, CPU ms (median of {rounds}×{repeat}); load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    head = ["what", "term", "reports"] + [f"{s} ms" for s in sides] + ["next page", "same"]
    table = [head]
    for row, term in rows.items():
        last = {side: runs[side][-1][term] for side in sides}
        cells = [row, term, f"{last['after']['count']:,}"]
        cells += [f"{statistics.median(float(str(r[term]['ms'])) for r in runs[side]):.1f}"
                  for side in sides]
        cells.append(f"{statistics.median(float(str(r[term]['next_ms'])) for r in runs['after']):.1f}")
        cells.append("" if not before else "yes" if (
            last["before"]["count"], last["before"]["first"]) == (
            last["after"]["count"], last["after"]["first"]) else "count" if
            last["before"]["count"] == last["after"]["count"] else "NO")
        table.append(cells)
    widths = [max(cell_len(r[i]) for r in table) for i in range(len(head))]
    for n, r in enumerate(table):
        pads = [" " * (w - cell_len(c)) for c, w in zip(r, widths)]
        print("  ".join(c + pad if i < 2 else pad + c for i, (c, pad) in
                        enumerate(zip(r, pads))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    if before:
        print("same: yes = the same count and first page; count = the same count, another "
              "order (a changed rank); NO = other reports")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="generated reports (default 2000)")
    ap.add_argument("--db", type=Path, help="an archive already built, opened read-only")
    ap.add_argument("--before", help="a git revision of goi to time beside this one")
    ap.add_argument("--rounds", type=int, default=3, help="turns of each revision (3)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of a search in a turn (3)")
    ap.add_argument("--no-sizes", action="store_true", help="skip the sizes (dbstat reads "
                    "the whole file)")
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # a child: JSON terms → JSON times
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.db, json.loads(args.measure), args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build(args.n, Path(tmp))
        if not args.no_sizes:
            with Archive(db, create=False, write=args.db is None) as arch:
                sizes(arch)
        compare(db, args.before, args.rounds, args.repeat)


if __name__ == "__main__":
    main()
