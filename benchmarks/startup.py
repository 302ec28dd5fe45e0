"""Start-up: how long each ``goi`` command takes on the clock, Python's own start included.

    python benchmarks/startup.py                      # this code
    python benchmarks/startup.py --before f56dc7a     # and goi at that revision, side by side

Each command runs in a new process, as a person starts it (``goi CMD …``), over a small
archive (``--reports``, generated; one archive built by each revision's own ``goi import``):
``CMD --help`` for every command (its start-up alone: the imports and the app), then the
commands that read a page (``list``, ``show``, ``diff``, ``search``, ``validate``), whose work
on so small an archive is a few milliseconds. The revisions take turns, run after run, as the
machine's load drifts; the median of ``--runs`` is printed, on the clock and in CPU (the
process's user + system time), with whether both printed the same (stdout and exit code).

Bytecode is compiled once, in a folder of its own per revision (``PYTHONPYCACHEPREFIX``), as an
installed goi has it: otherwise each run would compile every module it imports again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from goitui.testing.generate import write_corpus

ROOT = Path(__file__).resolve().parents[1]
#: ``goi`` as the console script starts it (``sys.argv[0]`` is the program's name in help)
GOI = "import sys; sys.argv[0] = 'goi'; from goitui.cli import main; sys.exit(main())"
#: every command and group of goi, timed with ``--help``
HELPS = ["import", "list", "show", "diff", "search", "validate", "rules", "review", "agencies",
         "roster", "coverage", "export", "versions", "remove", "history", "undo", "browse"]
#: what a term to search for is: in every generated report
TERM = "行政复议"


def checkout(revision: str, folder: Path) -> Path:
    """goi's code (the package and its migrations) at ``revision``, unpacked in ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "goitui",
                              "migrations"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


class Side:
    """One revision of goi: its code, its bytecode folder and the archive it built."""

    def __init__(self, name: str, code: Path, work: Path):
        self.name = name
        self.code = code
        self.db = work / f"{name}.db"
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env.update(PYTHONPATH=str(code), PYTHONPYCACHEPREFIX=str(work / f"pyc-{name}"),
                        GOI_LANG="en", GOI_DB=str(self.db), NO_COLOR="1")

    def run(self, args: list[str], cwd: Path) -> tuple[float, float, str]:
        """``goi args``: (seconds on the clock, CPU seconds, what it printed and its exit code)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", GOI, *args] if args != ["pass"]
                              else [sys.executable, "-c", "pass"],
                              env=self.env, cwd=cwd, capture_output=True, text=True)
        clock = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return clock, cpu, f"{done.returncode}\n{done.stdout}"


def commands(side: Side, cwd: Path) -> dict[str, list[str]]:
    """What is timed, by the label printed: each command's help, then the reading commands
    with an agency of several years from the archive."""
    _, _, printed = side.run(["list", "--format", "json"], cwd)
    rows = json.loads(printed.split("\n", 1)[1])
    years: dict[str, list[int]] = {}
    for row in rows:
        years.setdefault(row["agency"], []).append(row["year"])
    agency = max(years, key=lambda a: (len(years[a]), a))
    timed = {"python -c pass (the interpreter alone)": ["pass"], "goi --help": ["--help"]}
    timed.update({f"goi {name} --help": [name, "--help"] for name in HELPS})
    timed.update({
        "goi list": ["list"],
        "goi show AGENCY": ["show", agency],
        "goi diff AGENCY": ["diff", agency],
        "goi search TERM": ["search", TERM],
        "goi validate": ["validate"],
    })
    return timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="a git revision of goi to time beside this one")
    ap.add_argument("--runs", type=int, default=7, help="runs of each command (7)")
    ap.add_argument("--reports", type=int, default=20, help="reports in the archive (20)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        write_corpus(work / "reports", args.reports, seed=5)
        sides = [Side("after", ROOT, work)]
        if args.before:
            sides.insert(0, Side("before", checkout(args.before, work / "before"), work))
        for side in sides:  # each revision's own archive; its bytecode compiled on the way
            subprocess.run([sys.executable, "-c", GOI, "import", "-q", str(work / "reports")],
                           env=side.env, cwd=work, capture_output=True, check=False)
            if not side.db.exists():
                sys.exit(f"{side.name}: goi import built no archive")
        timed = commands(sides[-1], work)
        clock: dict[tuple[str, str], list[float]] = {}
        cpu: dict[tuple[str, str], list[float]] = {}
        printed: dict[tuple[str, str], str] = {}
        for side in sides:  # a warm-up: the bytecode and the file cache of every command
            for command in timed.values():
                side.run(command, work)
        for _ in range(args.runs):
            for label, command in timed.items():
                for side in sides:  # the revisions take turns
                    seconds, used, printed[side.name, label] = side.run(command, work)
                    clock.setdefault((side.name, label), []).append(seconds)
                    cpu.setdefault((side.name, label), []).append(used)
        report(sides, timed, clock, cpu, printed, args.runs)


def report(sides: list[Side], timed: dict[str, list[str]],
           clock: dict[tuple[str, str], list[float]], cpu: dict[tuple[str, str], list[float]],
           printed: dict[tuple[str, str], str], runs: int) -> None:
    load = os.getloadavg()
    print(f"goi start-up, ms on the clock (CPU), median of {runs}; load average {load[0]:.1f} "
          f"{load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    names = [s.name for s in sides]
    head = ["command", *names] + (["after/before", "same output"] if len(sides) == 2 else [])
    table = [head]
    for label in timed:
        cells = [label]
        for name in names:
            cells.append(f"{statistics.median(clock[name, label]) * 1000:.0f} "
                         f"({statistics.median(cpu[name, label]) * 1000:.0f})")
        if len(sides) == 2:
            ratio = (statistics.median(clock["after", label])
                     / statistics.median(clock["before", label]))
            cells.append(f"{ratio:.2f}")
            cells.append("yes" if printed["before", label] == printed["after", label] else "NO")
        table.append(cells)
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
