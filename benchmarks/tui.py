"""``goi browse`` on 20,000 reports: time to first paint, and the time of a search.

    python benchmarks/tui.py                  # 20,000 reports (built once, then cached)
    python benchmarks/tui.py --reports 2000   # smaller

The archive: a few dozen generated reports (``goitui.generate``) imported as ``goi import``
does, then cloned in SQL under new agency names until there are ``--reports`` of them (the
FTS triggers index every clone). First paint is measured in a fresh process, from its start
(Python and Textual imports included) to the archive screen showing its first page of rows.
Targets: first paint under 1.5 s; a search (trigram index) well under a second.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goitui.archive.search import search
from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.testing.generate import write_corpus

SEED_REPORTS = 60

FIRST_PAINT = r"""
import asyncio, sys, time
t0 = time.perf_counter()
from goitui.tui.app import GoiApp

async def main():
    app = GoiApp(sys.argv[1])
    async with app.run_test(size=(100, 30)) as pilot:
        while True:
            await pilot.pause(0.005)
            screen = app.screen
            if getattr(screen, "loaded", None) is not None:
                break
        await pilot.pause()
        print(f"{time.perf_counter() - t0:.3f}")
        print(screen.loaded.page.total)

asyncio.run(main())
"""


def build(path: Path, n: int) -> None:
    """Import a small generated corpus, then clone its reports under new agencies to ``n``."""
    src = Path(tempfile.mkdtemp(prefix="goi-bench-src-"))
    write_corpus(src, SEED_REPORTS, seed=7)
    with Archive(path) as arch:
        import_paths(arch, [str(src)])
        base = arch.q("SELECT count(*) AS n FROM reports")[0]["n"]
        agencies = arch.q("SELECT id, name, created_at FROM agencies ORDER BY id")
        copies = -(-n // base) - 1
        print(f"cloning {base} reports ×{copies} …", file=sys.stderr)
        with arch.writing():
            for k in range(1, copies + 1):
                for a in agencies:
                    new = arch.conn.execute(
                        "INSERT INTO agencies (name, created_at) VALUES (?, ?)",
                        [f"{a['name']}{k}分局", a["created_at"]]).lastrowid
                    arch.conn.execute("INSERT INTO agency_names (name, agency_id, core) "
                                      "VALUES (?, ?, ?)", [f"{a['name']}{k}分局", new,
                                                           f"{a['name']}{k}分局"])
                    for r in arch.q("SELECT id FROM reports WHERE agency_id = ?", [a["id"]]):
                        _clone(arch, r["id"], new, f"{k}")
        extra = arch.q("SELECT count(*) AS n FROM reports")[0]["n"] - n
        if extra > 0:
            arch.conn.execute("DELETE FROM reports WHERE id IN (SELECT id FROM reports "
                              "ORDER BY id DESC LIMIT ?)", [extra])
            arch.conn.commit()


def _clone(arch: Archive, rid: int, agency_id: int, tag: str) -> None:
    cols = ("year, version, is_current, agency_name, agency_from, year_from, title, template, "
            "source_path, format, size, imported_at, status, errors, warnings, infos, text")
    new = arch.conn.execute(
        f"INSERT INTO reports (agency_id, sha256, {cols}) SELECT ?, sha256 || ?, {cols} "
        "FROM reports WHERE id = ?", [agency_id, tag, rid]).lastrowid
    for table in ("sections", "figures"):
        names = [r["name"] for r in arch.q(f"PRAGMA table_info({table})")][1:]
        arch.conn.execute(f"INSERT INTO {table} SELECT ?, {', '.join(names)} FROM {table} "
                          "WHERE report_id = ?", [new, rid])
    arch.conn.execute(
        "INSERT INTO findings (report_id, origin, rule, severity, message, keys, section, "
        "expected, actual, source, line, fingerprint) SELECT ?, origin, rule, severity, "
        "message, keys, section, expected, actual, source, line, fingerprint FROM findings "
        "WHERE report_id = ?", [new, rid])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=20_000)
    p.add_argument("--db", type=Path, default=None)
    args = p.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"goi-bench-tui-{args.reports}.db"
    if not db.exists():
        t = time.perf_counter()
        build(db, args.reports)
        print(f"built {db} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    out = subprocess.run([sys.executable, "-c", FIRST_PAINT, str(db)], capture_output=True,
                         text=True, check=True).stdout.split()
    print(f"first paint: {float(out[0]):.2f} s  ({int(out[1]):,} reports)")
    with Archive(db) as arch:
        for query in ("政府信息公开", "行政复议 结果纠正", "专区", "复议"):
            t = time.perf_counter()
            r = search(arch, query)
            print(f"search {query!r}: {(time.perf_counter() - t) * 1000:.0f} ms, "
                  f"{r.count:,} reports, {r.mode}")


if __name__ == "__main__":
    main()
