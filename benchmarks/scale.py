"""Scale: an archive of N generated reports, measured before and after, in one run, one table.

    python benchmarks/scale.py --reports 2000          # a quick run (minutes)
    nice -n 10 python benchmarks/scale.py              # 100,000 reports (an hour or more)
    python benchmarks/scale.py --baseline HEAD~5       # "before" is another commit

"Before" is the code of a reference commit (``--baseline``), checked out into a temporary
``git worktree`` and run with PYTHONPATH pointing at it; "after" is this working tree. Each
builds its own archive (the schema may differ) from the same generated reports, and every
figure is measured in a process of its own (``subprocess``, PYTHONPATH = that code), so the two
never share an import, a cache or a connection.

- **Build** (cached): ``goitui.testing.generate`` writes 0.9·N reports and, with another seed,
  a segment of 0.1·N; each code imports the 0.9·N into an archive with the library's own
  ``import_paths`` in one process. The archives are kept under ``--cache`` (the baseline's by
  its commit, this tree's by its migrations), so a rerun skips the build.
- **Import, first and last 10 %**: the segment is imported twice, chunk by chunk, alternately
  into an empty archive (the first 10 %) and into a copy of the 0.9·N archive (the last
  10 %, which makes it N): the two rates are measured in the same minutes, so the machine's
  drift falls on both alike. CPU ms per report; the ratio of each pair of chunks (imported
  one after the other) says how much the drift moved it. Like with like: the segment's
  agencies are printed under a region the corpus never uses (``REGION``), so its reports
  are of agencies new to both archives. Without it the generator's few thousand township
  names repeat: half the segment's reports were of agencies the big archive had, a third
  of its very agency and year (archived as a second version, with its neighbours' years
  checked again), work the empty archive never did. The table says how many segment
  reports the big archive still filed under an agency it had (a region joins a county's
  name: 青山市江阳县… is 江阳县…).
- **Reads** on the N-report archive: ``goi list`` (first page on a terminal, a pty; all of it
  to a pipe), ``goi validate`` text and ``--format json`` (time and peak memory), ``goi
  search`` with a 2-character and a 6-character term, ``goi browse`` in a pseudo-terminal
  as benchmarks/tui.py drives it (first screen from the process's start, then each key to
  the frame that shows its answer, and to its count), ``goi diff``, ``goi show``, and name
  resolution (an exact name, a name without its suffix, a part, a name not in the archive).

Whole commands are timed from the process's start (wall seconds; CPU and peak RSS from
``os.wait4`` of that process); ``goi diff``, ``goi show`` and names are timed inside the
process after its imports (the start-up is its own row). Finally a million-report archive is
projected from the measured slopes: size per report, and import hours with 1, 2, 8 and 32
cores from the first and last segments' rates (the rate falling linearly with the size).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pty
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BASELINE = "98c6fed"
SEED = 11
#: printed before every agency of the segment (``corpus_plan``'s region), never in the 0.9·N
#: corpus: each segment report is of an agency new to both archives (see the docstring)
REGION = "青山市"
FIRST_PAGE_LINES = 40

# ------------------------------------------------------------------ scripts run in a child

GENERATE = r"""
import json, sys
from goitui.testing.generate import corpus_plan, write_corpus
directory, n, seed, region = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
write_corpus(directory, n, seed=seed, region=region)
"""

BUILD = r"""
import sys, time
from goitui.archive.store import Archive
from goitui.importer import import_paths
import goitui
db, corpus = sys.argv[1], sys.argv[2]
print(f"  with {goitui.__file__}", file=sys.stderr, flush=True)
done = 0
t0 = time.process_time()
def tell(result):
    global done
    done += 1
    if done % 5000 == 0:
        print(f"  {done:,} reports, {(time.process_time() - t0) / done * 1000:.1f} ms each",
              file=sys.stderr, flush=True)
with Archive(db) as arch:
    import_paths(arch, [corpus], on_result=tell)
    arch.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
"""

SEGMENTS = r"""
import json, os, sys, time
from pathlib import Path
from goitui.archive.store import Archive
from goitui.importer import import_paths
first_db, last_db, segment, chunk, out = sys.argv[1:6]
chunk = int(chunk)
files = sorted(str(p) for p in Path(segment).iterdir())
took = {"first": [], "last": []}  # CPU seconds of each chunk, in the order imported
counted = {"first": 0, "last": 0}
load = [os.getloadavg()[0]]
with Archive(first_db) as first, Archive(last_db) as last:
    # what the big archive held before: a segment report of an agency it had is not new
    agencies, reports = last.conn.execute(
        "SELECT (SELECT coalesce(max(id), 0) FROM agencies), "
        "(SELECT coalesce(max(id), 0) FROM reports)").fetchone()
    for k, start in enumerate(range(0, len(files), chunk)):
        part = files[start:start + chunk]
        order = [("first", first), ("last", last)]
        for name, arch in (order if k % 2 == 0 else order[::-1]):
            t = time.process_time()
            results = import_paths(arch, part)
            took[name].append(time.process_time() - t)
            counted[name] += sum(r.outcome == "archived" for r in results)
        load.append(os.getloadavg()[0])
    continuing = last.conn.execute(
        "SELECT count(*), count(DISTINCT agency_id) FROM reports WHERE id > ? AND agency_id <= ?",
        [reports, agencies]).fetchone()
    for arch in (first, last):
        arch.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
with open(out, "w") as f:
    json.dump({**{name: {"ms": sum(took[name]) / max(1, counted[name]) * 1000,
                         "reports": counted[name], "chunks": took[name]} for name in took},
               "continuing": list(continuing), "load": load}, f)
"""

#: a command run inside one process after its imports: the command's own time
IN_PROCESS = r"""
import json, os, sys, time
args, out = json.loads(sys.argv[1]), sys.argv[2]
from goitui.cli import app
sink = open(os.devnull, "w")
real, sys.stdout = sys.stdout, sink
wall, cpu = time.perf_counter(), time.process_time()
code = 0
try:
    app(args, prog_name="goi")
except SystemExit as e:
    code = e.code
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
sys.stdout = real
with open(out, "w") as f:
    json.dump({"wall": wall, "cpu": cpu, "code": code}, f)
"""

NAMES = r"""
import json, sys, time
from goitui.archive.store import Archive
from goitui.archive import queries
from goitui.errors import GoiError
db, asked, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
found = {}
with Archive(db, create=False, write=False) as arch:
    for label, kind, text in asked:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            if kind == "find":
                answer = arch.find_agency(text)["name"]
            else:
                answer = len(queries.agency_ids(arch, text) or [])
        except GoiError as e:
            answer = type(e).__name__
        found[label] = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                        "answer": answer}
with open(out, "w") as f:
    json.dump(found, f, ensure_ascii=False)
"""

# ------------------------------------------------------------------ measuring children


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int
    out_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def env_for(code: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(code), "GOI_LANG": "en", "PYTHONHASHSEED": "0",
            "COLUMNS": "100"}


def popen(code: Path, argv: list[str], **kw: Any) -> subprocess.Popen[bytes]:
    """``python argv`` on ``code``: run from that folder, since ``python -c`` puts the
    current folder before PYTHONPATH (from this checkout, "before" would run this code)."""
    return subprocess.Popen([sys.executable, *argv], env=env_for(code), cwd=code, **kw)


def run(code: Path, argv: list[str], *, quiet: bool = True) -> Run:
    """A child process, its output read and counted; wall time, and CPU and peak memory of
    that process alone (``os.wait4``)."""
    start = time.perf_counter()
    proc = popen(code, argv, stdout=subprocess.PIPE,
                 stderr=subprocess.DEVNULL if quiet else None)
    assert proc.stdout is not None
    count = 0
    while chunk := proc.stdout.read(1 << 16):
        count += len(chunk)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, proc.returncode, count)


def goi(*args: str) -> list[str]:
    return ["-c", "from goitui.cli import main; main()", *args]


def first_page(code: Path, args: list[str], lines: int = FIRST_PAGE_LINES) -> Run:
    """Wall time until a terminal (a pty) shows ``lines`` lines of ``goi …``; then the
    process is stopped (the rest would scroll past)."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = popen(code, goi(*args), stdout=slave, stderr=subprocess.DEVNULL,
                 stdin=subprocess.DEVNULL)
    os.close(slave)
    seen, took = b"", None
    try:
        while took is None:
            ready, _w, _x = select.select([master], [], [], 600)
            if not ready:
                break
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                took = time.perf_counter() - start
                break
            seen += chunk
            if seen.count(b"\n") >= lines:
                took = time.perf_counter() - start
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        _pid, status, usage = os.wait4(proc.pid, 0)
        os.close(master)
    return Run(took if took is not None else float("nan"), usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, 0, len(seen))


def in_process(code: Path, script: str, *args: str) -> dict[str, Any]:
    """Run a timing script in a child; it writes its figures as JSON to a file."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = f.name
    try:
        done = subprocess.run([sys.executable, "-c", script, *args, out], env=env_for(code),
                              cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{script.splitlines()[1][:40]}…: {done.stderr[-2000:]}")
        return json.loads(Path(out).read_text(encoding="utf-8"))
    finally:
        os.unlink(out)


# ------------------------------------------------------------------ building


def generate(directory: Path, n: int, seed: int, region: str = "") -> Path:
    """Generated reports, written once into the cache (both codes import the same files);
    ``region`` printed before every agency's name (``corpus_plan``)."""
    done = directory.with_suffix(".done")
    if not done.exists():
        shutil.rmtree(directory, ignore_errors=True)
        t = time.perf_counter()
        print(f"generating {n:,} reports into {directory} …", file=sys.stderr)
        subprocess.run([sys.executable, "-c", GENERATE, str(directory), str(n), str(seed),
                        region],
                       env=env_for(ROOT), cwd=ROOT, check=True)
        done.touch()
        print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return directory


def schema_key(code: Path) -> str:
    """What a cached archive of this code depends on: its migrations."""
    digest = hashlib.sha256()
    for path in sorted((code / "migrations").glob("*.sql")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def build(code: Path, db: Path, corpus: Path) -> float:
    """The 0.9·N archive of this code, imported in one process; CPU seconds (cached: 0)."""
    if db.exists():
        return 0.0
    partial = db.with_suffix(".partial")
    for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        p.unlink(missing_ok=True)
    print(f"building {db.name} …", file=sys.stderr)
    t = time.perf_counter()
    took = run(code, ["-c", BUILD, str(partial), str(corpus)], quiet=False)
    if took.code != 0:
        raise SystemExit(f"building {db} failed (exit {took.code})")
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(db)
    print(f"  {time.perf_counter() - t:.0f} s wall, {took.cpu:.0f} s CPU", file=sys.stderr)
    return took.cpu


def archive_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


# ------------------------------------------------------------------ one code, every figure


@dataclass
class Subject:
    """Names to ask for, read from the generated corpus: one agency with several years."""

    name: str
    years: list[int]
    part: str
    core: str
    missing: str = "不存在县无名镇人民政府"


def subject_of(db: Path) -> Subject:
    """An agency in the middle of the archive with two or more years, its name unique."""
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        total = con.execute("SELECT count(*) FROM agencies").fetchone()[0]
        for (agency_id, name) in con.execute(
                "SELECT id, name FROM agencies WHERE id >= ? AND name LIKE '%县%镇人民政府' "
                "ORDER BY id", [total // 2]):
            years = [y for (y,) in con.execute(
                "SELECT year FROM reports WHERE agency_id = ? ORDER BY year", [agency_id])]
            if len(years) >= 2:
                core = name.removesuffix("人民政府")
                town = core.split("县", 1)[1]
                county = core.split("县", 1)[0] + "县"
                return Subject(name, years, county + town[:1], core)
    finally:
        con.close()
    raise SystemExit(f"{db}: no agency with two years")


def measure(label: str, code: Path, db: Path, subject: Subject) -> dict[str, Any]:
    """Every read figure of one code on its N-report archive."""
    out: dict[str, Any] = {}
    d = str(db)

    def note(key: str, value: Any) -> None:
        out[key] = value
        print(f"  {label:<7}{key:<36}{cell(value)}", file=sys.stderr)

    note("start-up (goi --version)", run(code, goi("--version")))
    note("list, first page (terminal)", first_page(code, ["list", "--db", d]))
    note("list to a pipe", run(code, goi("list", "--db", d)))
    note("validate (text)", run(code, goi("validate", "--db", d)))
    note("validate --format json", run(code, goi("validate", "--db", d, "--format", "json")))
    note("search, 2 characters", run(code, goi("search", "复议", "--db", d)))
    note("search, 6 characters", run(code, goi("search", "政府信息公开", "--db", d)))
    for key, args in (("diff", ["diff", subject.name, "--db", d]),
                      ("show", ["show", subject.name, str(subject.years[-1]), "--db", d])):
        note(key, in_process(code, IN_PROCESS, json.dumps(args)))
    asked = [("name: exact", "find", subject.name), ("name: without suffix", "find", subject.core),
             ("name: a part", "find", subject.part), ("name: not there", "find", subject.missing),
             ("browser filter (fuzzy)", "ids", subject.part)]
    for key, value in in_process(code, NAMES, d, json.dumps(asked, ensure_ascii=False)).items():
        note(key, value)
    for key, value in browse(code, db, subject.part):
        note(f"browse: {key}", value)
    return out


#: the line under the archive's list: ``1–100 of 90,000 reports · page 1/900 · order: …``
INFO_LINE = re.compile(r"^.*\d reports · .*$", re.MULTILINE)
LIST_HEADER = re.compile(r" status +agency")
FINDINGS_SHOWN = re.compile(r"\d–[\d,]+ of .*findings")
FINDINGS_COUNTED = re.compile(r"\d–[\d,]+ of [\d,]+ findings")


def browse(code: Path, db: Path, text: str) -> Iterator[tuple[str, str]]:
    """``goi browse`` of this code in a pseudo-terminal (benchmarks/tui.py's ``Terminal``):
    the first screen from the process's start, then each key until the screen shows its
    answer (the line under the list changed) and until that answer is counted (no "…
    (counting)"), with goi's CPU. A step that never shows its answer is said, and ends the
    browser's steps (Textual's test pilot waited for ever at 100,000 reports)."""
    import tui

    def info(screen: tui.Screen) -> str:
        """The list's filter, facets and the line under it: what each key changes."""
        found = INFO_LINE.search(screen.text())
        if not found:
            return ""
        above = screen.text()[:found.start()].split("\n")
        header = next((i for i, line in enumerate(above) if LIST_HEADER.match(line)), 0)
        return "\n".join([*above[:header], found.group(0)])

    def changed(was: str, counted: bool = False) -> Callable[[tui.Screen], bool]:
        """The list's state is another than ``was`` (and counted)."""
        return lambda screen: info(screen) not in ("", was) and not (
            counted and "(counting)" in info(screen))

    term = tui.Terminal(db, env={"PYTHONPATH": str(code)})
    try:
        first = term.first_screen(changed("", counted=True))
        yield "first screen (from start)", seconds(first)
        steps: list[tuple[str, bytes, bytes]] = [
            ("key ] (next page)", b"", b"]"), ("key y (year facet)", b"", b"y"),
            ("key s (status facet)", b"", b"s"), ("key o (order)", b"", b"o"),
            ("key x (clear)", b"", b"x"), ("filter typed", b"f" + text[:-1].encode(),
                                          text[-1].encode())]
        for label, before, keys in steps:
            if before:
                term.send(before)
            was = info(term.view)
            (shown, counted), cpu = term.press_all(keys, [changed(was), changed(was, True)])
            yield label, f"{shown:.0f} ms, counted {counted:.0f} ms ({cpu:.0f} ms CPU)"
        term.send(b"\r")  # from the filter to the list
        (shown, counted), cpu = term.press_all(b"v", [
            lambda s: FINDINGS_SHOWN.search(s.text()) is not None,
            lambda s: FINDINGS_COUNTED.search(s.text()) is not None])
        yield "key v (findings screen)", (f"{shown:.0f} ms, counted {counted:.0f} ms "
                                          f"({cpu:.0f} ms CPU)")
    except TimeoutError as e:
        yield "never shown", str(e).splitlines()[0]
    finally:
        term.close()


# ------------------------------------------------------------------ the table


def seconds(x: float) -> str:
    if x != x:  # NaN
        return "—"
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def cell(value: Any) -> str:
    if isinstance(value, Run):
        text = f"{seconds(value.wall)} ({value.cpu:.2f} s CPU, {value.peak_mb:.0f} MB)"
        return text + (f" exit {value.code}" if value.code not in (0, 1) else "")
    if isinstance(value, dict) and "wall" in value:
        return seconds(value["wall"]) + (f" → {value['answer']}" if "answer" in value else "")
    if isinstance(value, float):
        return seconds(value)
    return str(value)


def table(rows: list[tuple[str, str, str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for k, r in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
        if k == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def projection(per_report: int, first_ms: float, last_ms: float, n: int) -> list[str]:
    """A million reports: disk, and import hours if the cost per report keeps growing as it
    did between the first and the last 10 % (linear in the archive's size)."""
    million = 1_000_000
    slope = (last_ms - first_ms) / (0.9 * n)  # ms per report, per report already archived
    # a cost that did not grow (within the noise) is taken as flat, never as shrinking
    total_ms = first_ms * million + max(slope, 0.0) * million * million / 2
    lines = [f"a million reports: {per_report * million / 1e9:.1f} GB on disk; import at "
             f"{first_ms:.1f} ms a report growing {slope * 100_000:+.2f} ms per 100,000 "
             f"archived → {total_ms / 3.6e6:.1f} h on one core"]
    lines += [f"  with {cores} cores (if reading and parsing spread over them): "
              f"{total_ms / 3.6e6 / cores:.1f} h" for cores in (2, 8, 32)]
    return lines


# ------------------------------------------------------------------ main


def worktree(ref: str, cache: Path) -> tuple[Path, str]:
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", ref], capture_output=True,
                         text=True, check=True).stdout.strip()
    tree = Path(tempfile.mkdtemp(prefix=f"goi-baseline-{sha[:8]}-", dir=cache))
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), sha],
                   check=True, capture_output=True)
    return tree, sha


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000, help="N (default 100,000)")
    ap.add_argument("--baseline", default=DEFAULT_BASELINE,
                    help=f"the commit measured as 'before' (default {DEFAULT_BASELINE})")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "goi-scale",
                    help="where generated reports and built archives are kept")
    ap.add_argument("--chunk", type=int, default=0,
                    help="reports per interleaved import chunk (default N/100, at least 20)")
    ap.add_argument("--only", choices=["before", "after"], help="measure one code only")
    ap.add_argument("--build-only", action="store_true",
                    help="generate and build the cached archives, measure nothing")
    ap.add_argument("--import-only", action="store_true",
                    help="measure the import segments only, not the commands reading")
    args = ap.parse_args()
    n = args.reports
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    segment_n = max(10, n // 10)
    corpus = generate(cache / f"corpus-{SEED}-{n - segment_n}", n - segment_n, SEED)
    segment = generate(cache / f"segment-{SEED + 1}-{segment_n}-{REGION}", segment_n,
                       SEED + 1, REGION)
    chunk = args.chunk or max(20, n // 100)

    tree, sha = worktree(args.baseline, cache)
    codes = {"before": (tree, f"base-{sha[:10]}"), "after": (ROOT, f"tree-{schema_key(ROOT)}")}
    if args.only:
        codes = {args.only: codes[args.only]}
    results: dict[str, dict[str, Any]] = {}
    try:
        for code, key in codes.values():
            build(code, cache / f"{key}-{n - segment_n}.db", corpus)
        if args.build_only:
            return
        work = Path(tempfile.mkdtemp(prefix="goi-scale-work-", dir=cache))
        try:
            for label, (code, key) in codes.items():
                base = cache / f"{key}-{n - segment_n}.db"
                first, last = work / f"{label}-first.db", work / f"{label}-last.db"
                shutil.copyfile(base, last)
                print(f"{label}: importing the segments ({segment_n:,} reports each) …",
                      file=sys.stderr)
                seg = in_process(code, SEGMENTS, str(first), str(last), str(segment), str(chunk))
                size = archive_bytes(last)
                results[label] = {"import first": seg["first"], "import last": seg["last"],
                                  "continuing": seg["continuing"], "load": seg["load"],
                                  "bytes": size, "reports": n}
                print(f"  {label:<7}{import_text(results[label])}", file=sys.stderr)
                if not args.import_only:
                    results[label].update(measure(label, code, last, subject_of(last)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True)
        shutil.rmtree(tree, ignore_errors=True)
    report(results, n, sha)


def pair_ratios(result: dict[str, Any]) -> list[float]:
    """Last over first, chunk by chunk: each pair was imported one after the other."""
    return [last / first for first, last in zip(result["import first"]["chunks"],
                                                result["import last"]["chunks"]) if first > 0]


def ratio_text(result: dict[str, Any]) -> str:
    """The last 10 % against the first: overall, and the median and range of the pairs."""
    overall = result["import last"]["ms"] / result["import first"]["ms"]
    pairs = sorted(pair_ratios(result))
    if not pairs:
        return f"{overall:.2f}"
    return (f"{overall:.2f} ({statistics.median(pairs):.2f}, {pairs[0]:.2f}–{pairs[-1]:.2f})")


def import_text(result: dict[str, Any]) -> str:
    """One line: the two rates, their ratio, the agencies the big archive had, the load."""
    reports, agencies = result["continuing"]
    load = result["load"]
    return (f"{result['import first']['ms']:.2f} → {result['import last']['ms']:.2f} ms CPU "
            f"a report, last / first {ratio_text(result)}; {reports} of the last 10 %'s "
            f"reports ({agencies} agencies) filed under an agency the big archive had; "
            f"load average {load[0]:.1f} → {load[-1]:.1f} (highest {max(load):.1f})")


def report(results: dict[str, dict[str, Any]], n: int, sha: str) -> None:
    labels = list(results)
    rows = [("what", *(f"{lab} ({sha[:7]})" if lab == "before" else lab for lab in labels))]
    keys = [k for k in next(iter(results.values()))
            if k not in ("bytes", "reports", "continuing", "load")]
    for k in keys:
        if k.startswith("import"):
            rows.append((f"{k} 10 %, CPU per report",
                         *(f"{results[lab][k]['ms']:.2f} ms" for lab in labels)))
            if k == "import last":
                rows.append(("import last / first (chunk pairs: median, range)",
                             *(ratio_text(results[lab]) for lab in labels)))
        else:
            rows.append((k, *(cell(results[lab][k]) for lab in labels)))
    rows.append(("archive, bytes per report",
                 *(f"{results[lab]['bytes'] / n / 1024:.1f} KB "
                   f"({results[lab]['bytes'] / 1e9:.2f} GB)" for lab in labels)))
    if len(labels) == 1:
        rows = [(r[0], r[1], "") for r in rows]
    print(f"\n{n:,} generated reports; wall time (CPU seconds, peak RSS) of a whole command, "
          "or the command's own time after its imports\n")
    print(table(rows))  # type: ignore[arg-type]
    print(f"\nImport: the segment's {results[labels[0]]['import first']['reports']:,} "
          f"reports, agencies printed under {REGION} (new to both archives)")
    for lab in labels:
        print(f"  {lab}: {import_text(results[lab])}")
    for lab in labels:
        r = results[lab]
        print(f"\n{lab}: " + "\n".join(projection(r["bytes"] // n, r["import first"]["ms"],
                                                  r["import last"]["ms"], n)))


if __name__ == "__main__":
    main()
