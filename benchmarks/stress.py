"""Stress: an archive shared, killed and resumed — and whether anything was lost or half-written.

    python benchmarks/stress.py                 # every group, 2,000 reports, 20 kills
    python benchmarks/stress.py -n 300 --kills 5 --groups kill

Each group of trials is one function (``GROUPS``) returning ``Outcome``s; the script prints, per
group, the trials, the failures (with why) and the worst time and memory, then the totals the
README quotes: lost files, tracebacks, inconsistent archives.

- ``sharing``: two ``goi import`` processes into one new archive, a browser-like loop of
  searches and page reads, and a process writing reviews, all at once; afterwards every file
  must be archived once, no process may have printed a traceback or an internal error, and the
  archive must be consistent.
- ``kill``: an import killed with SIGKILL at a random moment, N times; after each kill
  ``pragma integrity_check``, the consistency check, and the same import resumed, which must
  archive exactly what was missing.
- ``hostile``: each kind of hostile file at the size it was found at (50,000 heading-like
  lines, huge rowspans, deep ``<div>`` nesting, a .docx whose zip headers lie, a PDF stream
  inflating to 1 GiB, 60 MB of ``document.xml``, a 500-page PDF, terminal escapes and bidi
  characters in names, a line break in a file name, a password, a stray NUL), each imported by
  a fresh ``goi import``: it must end with one line per file (archived, or refused with the
  reason), no traceback, within the time limit and a bounded memory.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import Process, Queue
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from goitui.testing import hostile as hostile_files  # noqa: E402
from goitui.testing.generate import write_corpus  # noqa: E402

GOI = [sys.executable, "-c", "from goitui.cli import main; main()"]


@dataclass
class Outcome:
    """One trial: its name, what went wrong (empty when nothing did), time and memory."""

    group: str
    name: str
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_mb: float = 0.0
    lost: int = 0
    tracebacks: int = 0
    inconsistent: int = 0


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "GOI_LANG": "en"}


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def crashed(text: str) -> bool:
    return "Traceback" in text or "internal error" in text


# ------------------------------------------------------------------ checks


def consistency(db: Path, *, indexed: bool = True) -> list[str]:
    """Every report has its figures and sections, exactly one current version per agency and
    year, SQLite finds no damage, and (``indexed``: after an import finished) every report is
    in the full-text index, which matches its content. An import killed before its last step
    leaves reports not indexed yet (searches scan them): that is checked after the resume."""
    con = sqlite3.connect(db)
    try:
        problems = []
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'reports'").fetchone():
            return problems  # killed before the archive was created: nothing to check yet
        bare = con.execute("SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM "
                           "figures f WHERE f.report_id = r.id) OR NOT EXISTS (SELECT 1 FROM "
                           "sections s WHERE s.report_id = r.id)").fetchone()[0]
        if bare:
            problems.append(f"{bare} reports without figures or sections")
        slots = con.execute("SELECT count(*) FROM (SELECT agency_id, year FROM reports GROUP BY "
                            "agency_id, year HAVING sum(is_current) != 1)").fetchone()[0]
        if slots:
            problems.append(f"{slots} agency-years without exactly one current report")
        if not indexed:
            return problems
        upto, top = con.execute("SELECT indexed_upto, (SELECT coalesce(max(id), 0) FROM "
                                "reports) FROM search_state").fetchone()
        if upto != top:
            problems.append(f"reports {upto + 1}–{top} not in the full-text index")
        try:
            con.execute("INSERT INTO report_fts (report_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as e:
            problems.append(f"full-text index: {e}")
        con.rollback()
        return problems
    finally:
        con.close()


def archived(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT count(*) FROM reports").fetchone()[0])
    finally:
        con.close()


# ------------------------------------------------------------------ sharing


def _browse(db: str, stop: float, out: Queue) -> None:
    """What the browser does while others write: searches and pages, read-only."""
    from goitui.archive import queries
    from goitui.archive.search import search
    from goitui.archive.store import Archive

    runs, errors = 0, []
    while time.monotonic() < stop and not os.path.exists(db + ".stop"):
        try:
            with Archive(db, create=False, write=False) as arch, arch.reading():
                search(arch, random.choice(["信息公开", "政府", "申请", "行政复议"]))
                queries.report_page(arch, queries.ReportFilter(), offset=0, limit=50)
            runs += 1
        except Exception as e:  # noqa: BLE001 - counted and reported, that is the point
            if "no archive" not in str(e) and "empty" not in str(e):
                errors.append(f"browse: {type(e).__name__}: {e}")
        time.sleep(0.05)
    out.put(("browse", runs, errors))


def _review(db: str, stop: float, out: Queue) -> None:
    """A person reviewing findings while imports run."""
    from goitui.archive.store import Archive
    from goitui.errors import GoiError

    runs, errors = 0, []
    while time.monotonic() < stop and not os.path.exists(db + ".stop"):
        try:
            with Archive(db, create=False) as arch:
                rows = arch.q("SELECT r.id FROM reports r JOIN findings f ON f.report_id = r.id "
                              "WHERE r.is_current ORDER BY random() LIMIT 1")
                if rows:
                    report = arch.load(rows[0]["id"])
                    arch.set_review(report, report.findings[0], "acknowledged", "stress")
                    runs += 1
        except GoiError as e:
            if "no archive" not in str(e) and "empty" not in str(e):
                errors.append(f"review: {e}")
        except Exception as e:  # noqa: BLE001
            errors.append(f"review: {type(e).__name__}: {e}")
        time.sleep(0.1)
    out.put(("review", runs, errors))


def sharing(args: argparse.Namespace, work: Path) -> list[Outcome]:
    """Two writers, a browser and a reviewer at once on one new archive."""
    files = write_corpus(work / "reports", args.n, seed=args.seed)
    halves = [work / "one", work / "two"]
    for folder, part in zip(halves, (files[::2], files[1::2])):
        folder.mkdir()
        for f in part:
            f.rename(folder / f.name)
    db = work / "shared.db"
    started = time.monotonic()
    out: Queue = Queue()
    helpers = [Process(target=fn, args=(str(db), started + args.limit, out))
               for fn in (_browse, _review)]
    for h in helpers:
        h.start()
    writers = [subprocess.Popen([*GOI, "import", str(folder), "--db", str(db)], env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for folder in halves]
    outputs = [w.communicate(timeout=args.limit) for w in writers]
    Path(str(db) + ".stop").touch()
    for h in helpers:
        h.join(timeout=60)
    outcome = Outcome("sharing", f"2 imports of {args.n} reports + browse + review",
                      seconds=time.monotonic() - started, peak_mb=children_peak_mb())
    for w, (stdout, stderr) in zip(writers, outputs):
        if w.returncode != 0:
            outcome.problems.append(f"an import exited {w.returncode}: {stderr[-300:]}")
        if crashed(stdout + stderr):
            outcome.tracebacks += 1
    while not out.empty():
        what, runs, errors = out.get()
        outcome.name += f"; {what} ×{runs}"
        outcome.tracebacks += len(errors)
        outcome.problems += errors[:3]
    outcome.lost = args.n - archived(db)
    problems = consistency(db)
    outcome.inconsistent = int(bool(problems))
    outcome.problems += problems + ([f"{outcome.lost} files lost"] if outcome.lost else [])
    return [outcome]


# ------------------------------------------------------------------ kill -9


def kill(args: argparse.Namespace, work: Path) -> list[Outcome]:
    """Imports killed at random moments, each checked and resumed."""
    folder = work / "kill-reports"
    write_corpus(folder, args.kill_files, seed=args.seed + 1)
    db = work / "killed.db"
    rng = random.Random(args.seed)
    # how long an uninterrupted import takes, to kill anywhere inside one
    timed = time.monotonic()
    subprocess.run([*GOI, "import", str(folder), "--db", str(work / "timing.db")], env=env(),
                   capture_output=True, timeout=args.limit)
    span = time.monotonic() - timed
    outcomes = []
    for trial in range(args.kills):
        if trial % 4 == 0 and db.exists():  # a new archive now and then: kills during creation
            for p in work.glob("killed.db*"):
                p.unlink()
        started = time.monotonic()
        proc = subprocess.Popen([*GOI, "import", str(folder), "--db", str(db)], env=env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        outcome = Outcome("kill", f"kill -9 #{trial + 1}")
        if db.exists():
            outcome.problems += consistency(db, indexed=False)
        resumed = subprocess.run([*GOI, "import", str(folder), "--db", str(db)], env=env(),
                                 capture_output=True, text=True, timeout=args.limit)
        if resumed.returncode != 0 or crashed(resumed.stdout + resumed.stderr):
            outcome.tracebacks += int(crashed(resumed.stdout + resumed.stderr))
            outcome.problems.append(f"resumed import exited {resumed.returncode}: "
                                    f"{resumed.stderr[-300:]}")
        after = consistency(db)
        outcome.lost = args.kill_files - archived(db)
        outcome.inconsistent = int(bool(outcome.problems or after))
        outcome.problems += after + ([f"{outcome.lost} files lost"] if outcome.lost else [])
        outcome.seconds, outcome.peak_mb = time.monotonic() - started, children_peak_mb()
        outcomes.append(outcome)
    return outcomes


# ------------------------------------------------------------------ hostile files

#: what one hostile file may cost a fresh ``goi import`` at most
HOSTILE_SECONDS, HOSTILE_MB = 120.0, 500.0

_PEAK = ("import re, sys\nfrom pathlib import Path\nfrom goitui.cli import main\ntry:\n    main()\n"
         "finally:\n    status = Path('/proc/self/status').read_text()\n"
         "    print('PEAK', int(re.search(r'VmHWM:\\s*(\\d+)', status)[1]) // 1024, file=sys.stderr)")


def _text(make: Callable[[], str]) -> Callable[[Path], list[Path]]:
    def write(path: Path) -> list[Path]:
        path.write_text(make(), encoding="utf-8")
        return [path]
    return write


def _words(megabytes: int) -> int:
    """Paragraphs of ``hostile_files.docx`` that make this much ``document.xml``."""
    return (megabytes << 20) // len(hostile_files.PARAGRAPH)


#: each hostile kind at the size it was found at (``goitui.testing.hostile`` makes them):
#: (how to make it, what the import must say about it)
HOSTILE: dict[str, tuple[Callable[[Path], list[Path]], str]] = {
    "heading-lines.txt": (_text(lambda: hostile_files.heading_lines(50_000)), ""),
    "rowspans.html": (_text(lambda: hostile_files.rowspans(2_700)),
                      "table cells once merged cells are spread"),
    "deep-divs.html": (_text(lambda: hostile_files.deep_divs(1_600, depth=250)), ""),
    "lying-headers.docx": (lambda p: [hostile_files.docx(p, _words(1024), declared=4096)],
                           "damaged Word file"),
    "stream-bomb.pdf": (lambda p: [hostile_files.stream_bomb(p, 1 << 30)], "inflates to more than"),
    "long-document-xml.docx": (lambda p: [hostile_files.docx(p, _words(60))], ""),
    "prose-500-pages.pdf": (lambda p: [hostile_files.prose_pdf(p, 500)], ""),
    "names": (lambda p: [hostile_files.names(p)], ""),
    "password.pdf": (lambda p: [hostile_files.password_pdf(p, "secret")],
                     "encrypted PDF (needs a password)"),
}


def hostile(args: argparse.Namespace, work: Path) -> list[Outcome]:
    """Each hostile kind at full size, imported by a fresh ``goi import``."""
    outcomes = []
    for name, (make, expected) in HOSTILE.items():
        paths = make(work / name)
        size = sum(p.stat().st_size if p.is_file() else sum(
            f.stat().st_size for f in p.iterdir()) for p in paths)
        outcome = Outcome("hostile", f"{name} ({size / 1e6:.2f} MB)")
        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-c", _PEAK, "import", *map(str, paths),
                                   "--db", str(work / "hostile.db")], capture_output=True,
                                  text=True, env=env(), timeout=args.limit)
        except subprocess.TimeoutExpired:
            outcome.problems.append(f"still running after {args.limit:.0f} s")
            outcomes.append(outcome)
            continue
        outcome.seconds = time.monotonic() - started
        said = done.stdout + done.stderr
        peak = [line for line in done.stderr.splitlines() if line.startswith("PEAK ")]
        outcome.peak_mb = float(peak[-1].split()[1]) if peak else 0.0
        lines = [line for line in said.splitlines() if line.startswith(("archived", "error",
                                                                        "unchanged"))]
        if crashed(said):
            outcome.tracebacks += 1
            outcome.problems.append("a traceback or internal error")
        if "\x1b" in said or "\u202e" in said:
            outcome.problems.append("a control or bidi character printed raw")
        if expected and expected not in said:
            outcome.problems.append(f"does not say {expected!r}: {lines[:1]}")
        if outcome.seconds > HOSTILE_SECONDS or outcome.peak_mb > HOSTILE_MB:
            outcome.problems.append(f"{outcome.seconds:.0f} s, {outcome.peak_mb:.0f} MB")
        print(f"  {outcome.name}: {outcome.seconds:.1f} s, {outcome.peak_mb:.0f} MB; "
              + " | ".join(line[:110] for line in lines[:5]), flush=True)
        outcomes.append(outcome)
    return outcomes


#: the groups of trials, in the order they run; each takes the options and a work folder
GROUPS: dict[str, Callable[[argparse.Namespace, Path], list[Outcome]]] = {
    "sharing": sharing,
    "kill": kill,
    "hostile": hostile,
}


def report(outcomes: list[Outcome]) -> int:
    for group in dict.fromkeys(o.group for o in outcomes):
        mine = [o for o in outcomes if o.group == group]
        failed = [o for o in mine if o.problems]
        print(f"{group}: {len(mine)} trials, {len(failed)} failures, worst "
              f"{max(o.seconds for o in mine):.1f} s, {max(o.peak_mb for o in mine):.0f} MB")
        for o in mine:
            if o.problems or len(mine) == 1:
                print(f"  {o.name}: " + ("; ".join(o.problems) or "ok"))
    lost = sum(o.lost for o in outcomes)
    tracebacks = sum(o.tracebacks for o in outcomes)
    inconsistent = sum(o.inconsistent for o in outcomes)
    print(f"total: {len(outcomes)} trials, {sum(bool(o.problems) for o in outcomes)} failures; "
          f"{lost} lost files, {tracebacks} tracebacks, {inconsistent} inconsistent archives")
    return 1 if lost or tracebacks or inconsistent else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="reports for the sharing trial")
    ap.add_argument("--kills", type=int, default=20, help="kill -9 trials")
    ap.add_argument("--kill-files", type=int, default=60, help="reports in each killed import")
    ap.add_argument("--groups", nargs="+", default=list(GROUPS), choices=list(GROUPS))
    ap.add_argument("--limit", type=float, default=1800, help="seconds any one step may take")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.groups:
            work = Path(tmp) / name
            work.mkdir()
            outcomes += GROUPS[name](args, work)
    sys.exit(report(outcomes))


if __name__ == "__main__":
    main()
