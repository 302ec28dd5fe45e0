"""``goi diff`` speed on a large archive, and the generated second year of a seed agency.

    python benchmarks/diff.py                 # 5,000 reports; prints the time of one diff
    python benchmarks/diff.py --reports 500   # smaller
    python benchmarks/diff.py --write-sample  # (re)writes sample_reports/generated-八道沟镇-2021.txt

The archive is built from ``goitui.generate`` (figures and prose of every report known) and
stored through ``Archive.store`` as ``goi import`` does; it is cached under the temp folder,
so a second run only measures. The target: one diff (load two reports, compare, render the
text and the JSON) under 200 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goitui import labels
from goitui.archive.store import Archive
from goitui.diff.compare import diff_reports
from goitui.parse.report import parse_document
from goitui.pipeline import store_report
from goitui.readers.layout import text_to_document
from goitui.render.diff import diff_text
from goitui.testing import generate

ROOT = Path(__file__).resolve().parents[1]
SEED_2020 = ROOT / "sample_reports" / "002_61210818c995e981.txt"
SAMPLE = ROOT / "sample_reports" / "generated-八道沟镇-2021.txt"
TARGET_MS = 200.0


def build(path: Path, n: int, seed: int = 0) -> Archive:
    """An archive of ``n`` generated reports (2–4 consecutive years per agency)."""
    arch = Archive(path)
    if arch.q("SELECT count(*) AS n FROM reports")[0]["n"] >= n:
        return arch
    t = time.perf_counter()
    for i, e in enumerate(generate.corpus_plan(n, seed=seed)):
        text = generate.render(e.figures, e.template, e.layout, agency=e.agency, year=e.year,
                        rng=random.Random(seed * 1_000_003 + i))
        report = parse_document(text_to_document(text, name=e.name), e.agency, e.year)
        store_report(arch, report, path=e.name, sha=f"bench-{seed}-{i}", size=len(text))
        if i % 500 == 499:
            print(f"  stored {i + 1}/{n} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    return arch


def bench(n: int, runs: int) -> float:
    path = Path(tempfile.gettempdir()) / f"goi-bench-diff-{n}.db"
    build(path, n).close()
    arch = Archive(path)  # measured on a freshly opened archive, as a ``goi diff`` run is
    pairs = arch.q("SELECT a.name AS agency, r.year FROM reports r JOIN agencies a "
                   "ON a.id = r.agency_id WHERE r.is_current AND EXISTS (SELECT 1 FROM reports p "
                   "WHERE p.agency_id = r.agency_id AND p.year = r.year - 1) ORDER BY r.id")
    rng = random.Random(1)
    times = []
    for _ in range(runs):
        p = rng.choice(pairs)
        t = time.perf_counter()
        old = arch.find_report(p["agency"], p["year"] - 1)
        new = arch.find_report(p["agency"], p["year"])
        d = diff_reports(old, new)
        diff_text(d)
        d.to_dict()
        times.append((time.perf_counter() - t) * 1000)
    total = arch.q("SELECT count(*) AS n FROM reports")[0]["n"]
    med, worst = statistics.median(times), max(times)
    print(f"goi diff on an archive of {total} reports ({path}): first {times[0]:.1f} ms, "
          f"median {med:.1f} ms, max {worst:.1f} ms over {runs} diffs "
          f"(target < {TARGET_MS:.0f} ms)")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from goitui.cli import main; main()", "diff",
                    p["agency"], "--db", str(path)],
                   capture_output=True, check=False)
    print(f"  the whole command (a new Python process, imports included): "
          f"{(time.perf_counter() - t) * 1000:.0f} ms")
    return worst


# ---------------------------------------------------------------------------------------------
# the sample second year

#: the first line: the title, saying at once that this is generated (the title must stay one
#: line of at most 60 characters without 。, so goi import still reads agency and year from it)
TITLE = "八道沟镇人民政府2021年度政府信息公开工作年度报告（goi生成的示例，非已发布报告）"
NOTE = ("说明：本文件由 goi 的报告生成器（goitui.generate，见 benchmarks/diff.py --write-sample）"
        "以样例 002（八道沟镇人民政府 2020 年度报告）为底稿生成，仅用于演示 goi diff；"
        "其中的数字和文字均为虚构，不是任何机关发布的政府信息公开工作年度报告。")


def sample_figures(previous: dict[str, int | float | None]) -> dict[str, int | float | str]:
    """A small town's 2021 figures: mostly 0, a few applications; carried over = 2020's
    carried forward, so X-CARRY holds and every arithmetic identity does too."""
    figs: dict[str, int | float | str] = {k: 0 for k in labels.keys_for(labels.T2021)}
    for c in ("made", "repealed", "in_force"):
        figs[f"proactive.regulations.{c}"] = "/"  # no rule-making power: printed as /
    figs.update({"proactive.normative_docs.made": 1, "proactive.normative_docs.in_force": 3,
                 "proactive.licensing.decisions": 12, "proactive.penalty.decisions": 3})
    app = "applications."
    for col in ("natural_person", "total"):
        figs[f"{app}carried_over.{col}"] = previous.get(f"{app}carried_forward.{col}") or 0
        figs.update({f"{app}new_received.{col}": 2, f"{app}granted.{col}": 1,
                     f"{app}unavailable.not_held.{col}": 1,
                     f"{app}total_processed.{col}": 2 + figs[f"{app}carried_over.{col}"],
                     f"{app}carried_forward.{col}": 0})
    return figs


def sample_prose(old: dict[int, str]) -> dict[int, str]:
    """Section 一 partly rewritten, 五 repeated nearly word for word (X-REUSE), 六 updated."""
    one = old[1].replace("2020", "2021").replace("[bookmark: _GoBack]", "")
    one = one.replace("共计主动公开的信息有57条。其中：机构信息1条、指南和报告各1条、公开制度信息2条、"
                      "其他公开信息52条。",
                      "共计主动公开的信息有64条。其中：机构信息1条、指南和报告各1条、公开制度信息3条、"
                      "其他公开信息59条。")
    one = one.replace("二是政府信息公开年度工作报告制度，对政府信息公开年报作出具体的要求。",
                      "二是政府信息公开年度工作报告制度，对政府信息公开年报作出具体的要求。"
                      "三是依申请公开办理制度，明确受理、审核、答复各环节的时限和责任人。")
    one += ("\n（五）依申请公开。2021年，共收到政府信息公开申请2件，上年结转0件，办结2件，"
            "结转下年度继续办理0件。")
    five = old[5].replace("2020", "2021")
    six = "2021年度，八道沟镇人民政府未收取信息处理费，无其他需要报告的事项。"
    return {1: one, 5: five, 6: six}


def write_sample() -> Path:
    seed = parse_document(text_to_document(SEED_2020.read_text(encoding="utf-8"),
                                           name=SEED_2020.name))
    prev = {k: f.value for k, f in seed.figures.items()}
    text = generate.render(sample_figures(prev), labels.T2021, generate.TABCELLS, agency="八道沟镇人民政府",
                    year=2021, rng=random.Random(2021),
                    prose=sample_prose({n: s.body for n, s in seed.sections.items()}))
    body = text.split("一、总体情况", 1)[1]  # the generator's own title is replaced by TITLE
    SAMPLE.write_text(f"{TITLE}\n{NOTE}\n\n一、总体情况{body}", encoding="utf-8")
    return SAMPLE


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--write-sample", action="store_true")
    args = ap.parse_args()
    if args.write_sample:
        print(write_sample())
        return 0
    return 0 if bench(args.reports, args.runs) < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
