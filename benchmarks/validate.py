"""``goi validate`` speed over a large archive.

    python benchmarks/validate.py                 # 5,000 reports
    python benchmarks/validate.py --reports 500   # smaller
    python benchmarks/validate.py --recheck       # also time re-running every rule

The archive is built from ``goitui.generate`` and stored through ``Archive.store`` as
``goi import`` does (so validation runs on import); every seventh report has one cell broken
and every eleventh a few cells blank, so that the output has reports that are not clean. It
is cached under the temp folder: a second run only measures. The target: the whole command
(``goi validate``, a new process, text and JSON) under 10 s.
"""

from __future__ import annotations

import argparse
import random
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--recheck", action="store_true", help="also time --recheck")
    args = ap.parse_args()
    path = Path(tempfile.gettempdir()) / f"goi-bench-validate-{args.reports}.db"
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
