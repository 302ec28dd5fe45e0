"""Same figures and findings before and after a change: two git revisions import the same files.

    python benchmarks/equivalence.py                         # 1b6f062 (before the rooms) vs HEAD
    python benchmarks/equivalence.py --old A --new B -n 1000 --speed 3

Each revision is checked out with ``git worktree add`` under a temporary folder and runs its
own ``goi import`` (its own readers, parser, rules and migrations) on the same inputs: the
sample reports, the corpus of real files (../shared/corpus) and N reports made by the newer
revision's generator. Every current report's figures (value, kind, cell as printed, unit) and
findings (rule, severity, keys, section, expected, actual, message) are then read from the two
archives with sqlite3 and compared. A restructuring must show no difference; a difference is
listed with the file, the figure or finding, and both sides.

``--speed K`` also runs each revision's own ``benchmarks/import.py -n N`` K times, the two
revisions in turn (old, new, old, new, …) so that both see the same machine, and prints the
reports per second of each run (wall, and CPU: on a shared machine the CPU figure is the
import's own).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")

Row = tuple[Any, ...]


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def checkout(rev: str, into: Path) -> Path:
    """A worktree of ``rev`` (reused when it is there already)."""
    sha = git("rev-parse", rev)
    tree = into / sha[:12]
    if not (tree / "goitui").is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), sha],
                       check=True, capture_output=True)
    return tree


def environment(tree: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), GOI_LANG="en", LANG="C.UTF-8", NO_COLOR="1")
    env.pop("GOI_DB", None)
    return env


def goi_import(tree: Path, inputs: list[Path], db: Path) -> list[str]:
    """``goi import`` of one revision; its stdout lines (one per file)."""
    code = ("import sys\nfrom goitui.cli import main\n"
            "sys.argv = ['goi', 'import', *sys.argv[1:]]\nmain()")
    run = subprocess.run([sys.executable, "-c", code, *map(str, inputs), "--db", str(db)],
                         cwd=tree, env=environment(tree), capture_output=True, text=True)
    if run.returncode not in (0, 2):
        raise SystemExit(f"goi import failed at {tree}:\n{run.stderr[-2000:]}")
    return run.stdout.splitlines()


def generate(tree: Path, into: Path, n: int) -> None:
    """N reports (every text layout, both templates) by ``tree``'s generator."""
    code = ("import sys\nfrom goitui.testing.generate import write_corpus\n"
            "write_corpus(sys.argv[1], int(sys.argv[2]), seed=0, formats=['text'])")
    subprocess.run([sys.executable, "-c", code, str(into), str(n)], cwd=tree,
                   env=environment(tree), check=True)


def read_archive(db: Path) -> dict[tuple[str, str, int], dict[str, Any]]:
    """Every current report: its figures and findings, by (file name, agency, year)."""
    conn = sqlite3.connect(db)
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    reports = conn.execute("SELECT id, source_path, agency_name, year, template, status "
                           "FROM reports WHERE is_current").fetchall()
    for rid, source, agency, year, template, status in reports:
        figures = {k: (v, kind, raw, unit) for k, v, kind, raw, unit in conn.execute(
            "SELECT key, value, kind, raw, unit FROM figures WHERE report_id = ?", [rid])}
        findings = sorted(conn.execute(
            "SELECT rule, severity, keys, section, expected, actual, message FROM findings "
            "WHERE report_id = ?", [rid]).fetchall(), key=repr)
        key = (Path(source).name, agency, year)
        out[key] = {"template": template, "status": status, "figures": figures,
                    "findings": findings}
    conn.close()
    return out


def refusals(lines: Iterable[str]) -> dict[str, str]:
    """File → the reason it was not imported (the lines ``goi import`` starts with error)."""
    out = {}
    for line in lines:
        m = re.match(r"error\s+(.*?): (.*)", line)
        if m:
            out[Path(m[1]).name] = m[2]
    return out


def compare(group: str, old: dict, new: dict, old_lines: list[str], new_lines: list[str],
            show: int) -> int:
    """Print how the two archives of one group differ; the number of differences."""
    differences: list[str] = []
    o_out, n_out = refusals(old_lines), refusals(new_lines)
    for name in sorted(set(o_out) | set(n_out)):
        if o_out.get(name) != n_out.get(name):
            differences.append(f"{name} not imported: {o_out.get(name)!r} → {n_out.get(name)!r}")
    figures = findings = 0
    for key in sorted(set(old) | set(new), key=repr):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            differences.append(f"{key}: only in the {'new' if a is None else 'old'} revision")
            continue
        figures += len(b["figures"])
        findings += len(b["findings"])
        for field in ("template", "status"):
            if a[field] != b[field]:
                differences.append(f"{key} {field}: {a[field]} → {b[field]}")
        for k in sorted(set(a["figures"]) | set(b["figures"])):
            if a["figures"].get(k) != b["figures"].get(k):
                differences.append(f"{key} figure {k}: {a['figures'].get(k)} → "
                                   f"{b['figures'].get(k)}")
        if a["findings"] != b["findings"]:
            gone = [f for f in a["findings"] if f not in b["findings"]]
            came = [f for f in b["findings"] if f not in a["findings"]]
            differences += [f"{key} finding only old: {f}" for f in gone]
            differences += [f"{key} finding only new: {f}" for f in came]
    print(f"{group}: {len(new)} reports, {figures} figures, {findings} findings; "
          f"{len(differences)} difference(s)")
    for line in differences[:show]:
        print(f"    {line}")
    if len(differences) > show:
        print(f"    … {len(differences) - show} more")
    return len(differences)


def speed(trees: list[tuple[str, Path]], n: int, runs: int) -> None:
    """Each revision's own import benchmark, in turn; reports per second of each run."""
    rates: dict[str, list[float]] = {label: [] for label, _ in trees}
    for _ in range(runs):
        for label, tree in trees:
            run = subprocess.run([sys.executable, str(tree / "benchmarks" / "import.py"),
                                  "-n", str(n)], cwd=tree, env=environment(tree),
                                 capture_output=True, text=True, check=True)
            m = re.search(r"([\d.]+) reports/s wall, ([\d.]+) reports/s CPU", run.stdout)
            wall, cpu = (float(m[1]), float(m[2])) if m else (float("nan"), float("nan"))
            rates[label].append(cpu)
            print(f"  {label}: {wall:.0f} reports/s wall, {cpu:.0f} reports/s CPU")
    for label, values in rates.items():
        values = sorted(values)
        print(f"{label}: CPU best {values[-1]:.0f}, median {values[len(values) // 2]:.0f} "
              f"reports/s over {len(values)} run(s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", default="1b6f062", help="the revision before (default 1b6f062)")
    ap.add_argument("--new", default="HEAD", help="the revision after (default HEAD)")
    ap.add_argument("-n", type=int, default=1000, help="generated reports (default 1000)")
    ap.add_argument("--speed", type=int, default=0, metavar="K",
                    help="also run each revision's import benchmark K times, in turn")
    ap.add_argument("--show", type=int, default=20, help="differences listed per group")
    ap.add_argument("--keep", action="store_true", help="keep the worktrees and archives")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="goi-equivalence-"))
    try:
        old_tree, new_tree = checkout(args.old, work), checkout(args.new, work)
        print(f"old {args.old} = {old_tree.name}, new {args.new} = {new_tree.name}")
        generated = work / "generated"
        generate(new_tree, generated, args.n)
        groups = {
            "sample reports": sorted((new_tree / "sample_reports").iterdir()),
            "corpus": sorted(CORPUS.iterdir()) if CORPUS.is_dir() else [],
            f"{args.n} generated": [generated],
        }
        total = 0
        for group, inputs in groups.items():
            if not inputs:
                print(f"{group}: nothing to import")
                continue
            slug = re.sub(r"\W+", "-", group)
            old_db, new_db = work / f"old-{slug}.db", work / f"new-{slug}.db"
            old_lines = goi_import(old_tree, inputs, old_db)
            new_lines = goi_import(new_tree, inputs, new_db)
            total += compare(group, read_archive(old_db), read_archive(new_db), old_lines,
                             new_lines, args.show)
        print(json.dumps({"old": old_tree.name, "new": new_tree.name, "differences": total}))
        if args.speed:
            speed([(f"old {args.old}", old_tree), (f"new {args.new}", new_tree)], args.n,
                  args.speed)
        if total:
            raise SystemExit(1)
    finally:
        if not args.keep:
            for tree in work.iterdir():
                if (tree / "goitui").is_dir():
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                    str(tree)], capture_output=True)
            shutil.rmtree(work, ignore_errors=True)
            git("worktree", "prune")


if __name__ == "__main__":
    main()
