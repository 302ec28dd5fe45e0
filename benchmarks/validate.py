"""``goi validate`` speed over a large archive.

    python benchmarks/validate.py                 # 5,000 reports
    python benchmarks/validate.py --reports 500   # smaller
    python benchmarks/validate.py --recheck       # also time re-running every rule
    python benchmarks/validate.py --db a.db --before main   # an archive, goi of main against this one

The archive is built from ``goitui.generate`` and stored through ``Archive.store`` as
``goi import`` does (so validation runs on import); every seventh report has one cell broken
and every eleventh a few cells blank, so that the output has reports that are not clean. It
is cached under the temp folder: a second run only measures. The target: the whole command
(``goi validate``, a new process, text and JSON) under 10 s.

With ``--before REV``, goi's code at that git revision and this tree's run the same commands on
the same archive (read only), taking turns ``--rounds`` times as the machine's load drifts:
each a whole process (start-up included, shown on its own row), its CPU time and peak memory
from ``os.wait4``; the medians are printed with after/before and whether the output was the
same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goitui.archive.findings import check_archive
from goitui.archive.store import Archive
from goitui.parse.report import parse_document
from goitui.pipeline import store_report
from goitui.readers.layout import text_to_document
from goitui.testing import generate

TARGET_S = 10.0
ROOT = Path(__file__).resolve().parents[1]


def build(path: Path, n: int, seed: int = 0) -> None:
    """An archive of ``n`` generated reports, some broken, some with blanks."""
    with Archive(path) as arch:
        if arch.q("SELECT count(*) AS n FROM reports")[0]["n"] >= n:
            return
        t = time.perf_counter()
        for i, e in enumerate(generate.corpus_plan(n, seed=seed)):
            rng = random.Random(seed * 1_000_003 + i)
            figs: dict = dict(e.figures)
            layout = e.layout
            if i % 7 == 3:
                key = rng.choice(sorted(k for k in figs if k.startswith("applications.")))
                figs[key] = int(figs[key]) + 1
            if i % 11 == 5:
                figs = generate.punch(figs, rng, blanks=3)
                layout = generate.TABS  # a layout that keeps blank cells in place
            text = generate.render(figs, e.template, layout, agency=e.agency, year=e.year, rng=rng)
            report = parse_document(text_to_document(text, name=e.name), e.agency, e.year)
            store_report(arch, report, path=e.name, sha=f"bench-validate-{seed}-{i}", size=len(text))
            if i % 500 == 499:
                print(f"  stored {i + 1}/{n} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)


def timed(cmd: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    return time.perf_counter() - t, proc.returncode


#: what ``--before`` compares: goi's arguments (``--db`` follows)
COMMANDS = {"start-up (goi --version)": ["--version"], "validate (text)": ["validate"],
            "validate --all --info": ["validate", "--all", "--info"],
            "validate --format json": ["validate", "--format", "json"],
            "list (to a pipe)": ["list"]}


def measured(code: Path, args: list[str]) -> tuple[float, float, float, str]:
    """``goi ARGS`` with goi's code at ``code``: wall s, CPU s, peak MB, and a hash of what
    it printed (read as it comes: nothing held)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "from goitui.cli import main; main()", *args],
                            env={**os.environ, "PYTHONPATH": str(code), "GOI_LANG": "en"},
                            cwd=code, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    digest = hashlib.sha1()
    while chunk := proc.stdout.read(1 << 16):
        digest.update(chunk)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024, digest.hexdigest())


def compare(db: Path, before: str, rounds: int) -> None:
    """Each command with the code of ``before`` and of this tree, in turns."""
    from search import checkout  # benchmarks/search.py: goi's code at a revision

    with tempfile.TemporaryDirectory() as tmp:
        sides = {"before": checkout(before, Path(tmp)), "after": ROOT}
        runs: dict[tuple[str, str], list[tuple[float, float, float, str]]] = {}
        for _ in range(rounds):
            for label, args in COMMANDS.items():
                for side, code in sides.items():
                    extra = [] if args == ["--version"] else ["--db", str(db.resolve())]
                    runs.setdefault((label, side), []).append(measured(code, [*args, *extra]))
    load = os.getloadavg()
    print(f"{db}: goi {before} → this tree, median of {rounds}; load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    print(f"{'':26}{'before: CPU s, wall s, MB':>28}{'after':>26}{'CPU after/before':>18}  same")
    for label in COMMANDS:
        cells, cpu = [], {}
        for side in sides:
            got = runs[(label, side)]
            cpu[side] = statistics.median(r[1] for r in got)
            cells.append(f"{cpu[side]:6.2f} {statistics.median(r[0] for r in got):7.2f} "
                         f"{max(r[2] for r in got):6.0f}")
        same = {r[3] for side in sides for r in runs[(label, side)]}
        print(f"{label:26}{cells[0]:>28}{cells[1]:>26}{cpu['after'] / cpu['before']:>17.2f}×"
              f"  {'yes' if len(same) == 1 else 'NO'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--recheck", action="store_true", help="also time --recheck")
    ap.add_argument("--db", type=Path, help="an archive already built (read only)")
    ap.add_argument("--before", help="also run goi at this git revision, taking turns")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if args.db is not None and args.before:
        compare(args.db, args.before, args.rounds)
        return
    path = args.db or Path(tempfile.gettempdir()) / f"goi-bench-validate-{args.reports}.db"
    if args.db is None:
        build(path, args.reports)

    with Archive(path) as arch:
        stored = arch.q("SELECT count(*) AS n FROM reports")[0]["n"]
        t = time.perf_counter()
        res = check_archive(arch)
        lib = time.perf_counter() - t
    s = res.summary()
    goi = [str(Path(sys.executable).parent / "goi")]  # the installed command, as a user runs it
    text_s, code = timed([*goi, "validate", "--db", str(path)])
    json_s, _ = timed([*goi, "validate", "--format", "json", "--db", str(path)])
    one_s, _ = timed([*goi, "validate", res.reports[0].agency, "--db", str(path)])
    print(f"archive: {stored} reports stored, {s['reports']} current ({s['pass']} pass, {s['warn']} warn, {s['fail']} "
          f"fail; {s['error']} errors, {s['warning']} warnings, {s['info']} info)")
    print(f"library check_archive:        {lib:6.2f} s")
    print(f"goi validate (text):          {text_s:6.2f} s   exit {code}")
    print(f"goi validate --format json:   {json_s:6.2f} s")
    print(f"goi validate AGENCY (one):    {one_s:6.2f} s")
    if args.recheck:
        re_s, _ = timed([*goi, "validate", "--recheck", "--db", str(path)])
        print(f"goi validate --recheck:       {re_s:6.2f} s")
    worst = max(text_s, json_s)
    print(f"target < {TARGET_S:g} s: {'met' if worst < TARGET_S else 'MISSED'} "
          f"({worst:.2f} s)")


if __name__ == "__main__":
    main()
