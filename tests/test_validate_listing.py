"""``goi validate`` and ``goi list`` over a whole archive, against what each report says.

The listing reads its counts and messages straight from the rows (``ArchiveFindings.briefs``
and ``records``, no ``Finding`` made); here every line and every JSON record is worked out
again from the reports loaded one by one (``Archive.load``, its findings with their reviews),
on a generated archive with errors, warnings and info, blank cells, several versions, and
findings acknowledged and dismissed — a report whose only errors were dismissed passes, and
``goi list`` says ``✓ pass · N dismissed``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from goitui.archive.findings import Filter, review
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.commands.validation import _message_lines
from goitui.importer import import_paths
from goitui.model import Finding, Report
from goitui.render.display import path_shower, placed, shown_path
from goitui.testing import generate
from goitui.validate.rules import RANK, sort_key

runner = CliRunner()
MARK = {"pass": "✓", "warn": "!", "fail": "✗"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty-three generated reports: every fifth with a cell one too many (errors), every
    seventh with blank cells, one imported twice (version 2); one report's errors all
    dismissed, warnings and info acknowledged or dismissed with and without a note."""
    root = tmp_path_factory.mktemp("listing")
    folder = root / "reports"
    folder.mkdir()
    for i, e in enumerate(generate.corpus_plan(33, seed=71)):
        rng = random.Random(7100 + i)
        figures: dict[str, Any] = dict(e.figures)
        layout = e.layout
        if i % 5 == 2:
            key = rng.choice(sorted(k for k in figures if k.startswith("applications.")))
            figures[key] = int(figures[key]) + 1
        if i % 7 == 4:
            figures = dict(generate.punch(figures, rng, blanks=2))
            layout = generate.TABS  # keeps a blank cell in its place
        text = generate.render(figures, e.template, layout, agency=e.agency, year=e.year, rng=rng)
        (folder / e.name).write_text(text, encoding="utf-8")
    db = root / "archive.db"
    with Archive(db) as arch:
        assert all(r.outcome == "archived" for r in import_paths(arch, [str(folder)]))
        again = folder / "again" / sorted(p.name for p in folder.iterdir() if p.is_file())[3]
        again.parent.mkdir()
        again.write_text((folder / again.name).read_text(encoding="utf-8") + "\n\n附：更正。\n",
                         encoding="utf-8")
        assert import_paths(arch, [str(again)])[0].outcome == "archived"
        rows = arch.q("SELECT a.name, r.year, f.severity, f.rule, f.fingerprint FROM findings f "
                      "JOIN reports r ON r.id = f.report_id JOIN agencies a ON a.id = r.agency_id "
                      "WHERE r.is_current = 1 ORDER BY a.name, r.year, f.id")
        failing = [(r["name"], r["year"]) for r in rows if r["severity"] == "error"]
        assert len(set(failing)) >= 3, "the generator gave too few reports with errors"
        quiet = failing[0]  # every error of it dismissed: it passes, one reviewed apart
        for r in rows:
            if (r["name"], r["year"]) == quiet and r["severity"] == "error":
                review(arch, r["name"], r["year"], r["fingerprint"], "dismissed", "checked")
        others = [r for r in rows if (r["name"], r["year"]) != quiet]
        for n, r in enumerate([r for r in others if r["severity"] != "error"][::9][:8]):
            review(arch, r["name"], r["year"], r["fingerprint"],
                   "acknowledged" if n % 2 else "dismissed", f"seen {n}" if n % 3 else None)
        error = next(r for r in others if r["severity"] == "error")
        review(arch, error["name"], error["year"], error["fingerprint"], "acknowledged")
    return db


def goi(*args: str) -> tuple[str, int]:
    result = runner.invoke(app, list(args), env={"GOI_LANG": "en", "COLUMNS": "100"})
    assert result.exit_code in (0, 1), result.output
    return result.stdout, result.exit_code


def current(arch: Archive) -> Iterator[tuple[Report, dict[str, Any]]]:
    """Every current report, loaded on its own, in the order listed, with its row."""
    for row in arch.q("SELECT r.id, a.name, r.source_path, r.version FROM reports r JOIN "
                      "agencies a ON a.id = r.agency_id WHERE r.is_current = 1 "
                      "ORDER BY a.name, r.year, r.version"):
        yield arch.load(row["id"]), row


def chosen(report: Report, flt: Filter) -> tuple[list[Finding], list[Finding]]:
    """The report's findings under the filter: live ones, reviewed ones, each in shown order."""
    wanted = [f for f in report.findings if (flt.rule_ids is None or f.rule in flt.rule_ids)
              and (flt.severity is None or RANK[f.severity] <= RANK[flt.severity])]
    return (sorted((f for f in wanted if f.review is None), key=sort_key),
            sorted((f for f in wanted if f.review is not None), key=sort_key))


def counted(report: Report, flt: Filter) -> tuple[dict[str, int], str, list[Finding]]:
    live, reviewed = chosen(report, flt)
    counting = live + (reviewed if flt.include_reviewed else [])
    counts = {s: sum(f.severity == s for f in counting) for s in ("error", "warning", "info")}
    status = "fail" if counts["error"] else "warn" if counts["warning"] else "pass"
    return counts, status, counting


def words(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {s}" + ("" if n == 1 or s == "info" else "s")
                     for s, n in counts.items())


def expected_text(arch: Archive, flt: Filter, show_info: bool) -> str:
    lines: list[str] = []
    statuses = {"pass": 0, "warn": 0, "fail": 0}
    totals = {"error": 0, "warning": 0, "info": 0}
    reviewed = reports = 0
    for report, row in current(arch):
        counts, status, counting = counted(report, flt)
        reports += 1
        statuses[status] += 1
        reviewed += len(chosen(report, flt)[1])
        for s, n in counts.items():
            totals[s] += n
        shown = [f for f in counting if show_info or f.severity != "info"]
        if status == "pass" and not (show_info and shown):
            continue
        lines += ["", f"{MARK[status]} {row['name']} {report.year}  {status}: {words(counts)}"
                  + (f"  (v{row['version']})" if row["version"] > 1 else "")]
        for f in shown:
            lines += _message_lines(f.severity, f.rule, f.message)
    scope = "; ".join(p for p in (
        f"rules {', '.join(sorted(flt.rule_ids))}" if flt.rule_ids else "",
        f"severity {flt.severity} and above" if flt.severity else "") if p)
    head = (f"{reports} reports" + (f" (counting only {scope})" if scope else "")
            + f": {statuses['pass']} pass, {statuses['warn']} warn, {statuses['fail']} fail"
            + f" · {words(totals)}"
            + (f" · {reviewed} reviewed, not counted"
               if reviewed and not flt.include_reviewed else ""))
    return "\n".join([head, *lines]) + "\n"


OPTIONS = [[], ["--all"], ["--info"], ["--all", "--info"], ["--severity", "warning"],
           ["--severity", "info"], ["--rule", "A"], ["--rule", "X-CARRY", "--all"]]


def filter_of(options: list[str]) -> Filter:
    at = {o: options[i + 1] for i, o in enumerate(options[:-1]) if o.startswith("--")}
    return Filter(rules=[at["--rule"]] if "--rule" in at else None,
                  severity=at.get("--severity"), include_reviewed="--all" in options)


@pytest.mark.parametrize("options", OPTIONS)
def test_validate_text_is_what_each_report_says(built: Path, options: list[str]) -> None:
    out, code = goi("validate", "--db", str(built), *options)
    flt = filter_of(options)
    with Archive(built, create=False, write=False) as arch:
        assert out == expected_text(arch, flt, "--info" in options or flt.severity == "info")
        fails = any(counted(r, flt)[1] == "fail" for r, _row in current(arch))
    assert code == int(fails)


@pytest.mark.parametrize("options", OPTIONS)
def test_validate_json_is_what_each_report_says(built: Path, options: list[str]) -> None:
    out, code = goi("validate", "--db", str(built), "--format", "json", *options)
    flt = filter_of(options)
    got = json.loads(out)
    records = []
    with Archive(built, create=False, write=False) as arch:
        for report, row in current(arch):
            counts, status, _counting = counted(report, flt)
            live, reviewed = chosen(report, flt)
            records.append({"id": report.id, "agency": row["name"], "year": report.year,
                            "version": row["version"], "template": report.template,
                            "source": row["source_path"], "status": status, "counts": counts,
                            "findings": [f.to_dict() for f in live],
                            "reviewed": [f.to_dict() for f in reviewed]})
    assert got["reports"] == records
    assert got["filter"] == flt.to_dict() and got["exit_code"] == code
    summary = got["summary"]
    assert summary["reports"] == len(records)
    for status in ("pass", "warn", "fail"):
        assert summary[status] == sum(r["status"] == status for r in records)
    for severity in ("error", "warning", "info"):
        assert summary[severity] == sum(r["counts"][severity] for r in records)
    assert summary["reviewed"] == sum(len(r["reviewed"]) for r in records)
    assert code == int(summary["fail"] > 0)


def test_dismissed_errors_pass_and_say_so(built: Path) -> None:
    """The report whose errors were all dismissed: clean in the listing (shown only with
    ``--all``, failing again), ``✓ pass 0/W · N dismissed`` in ``goi list``."""
    with Archive(built, create=False, write=False) as arch:
        quiet = [(report, row) for report, row in current(arch)
                 if any(f.severity == "error" for f in report.findings)
                 and all(f.review == "dismissed" for f in report.findings if f.severity == "error")]
    assert len(quiet) == 1
    report, row = quiet[0]
    errors = sum(f.severity == "error" for f in report.findings)
    warnings = sum(f.severity == "warning" and f.review is None for f in report.findings)
    listed = [line for line in goi("list", "--db", str(built))[0].splitlines()
              if line.startswith(row["name"]) and f" {report.year} " in line]
    assert len(listed) == 1
    assert f"✓ pass 0/{warnings} · {errors} dismissed" in listed[0]
    head = f"{row['name']} {report.year}  "
    assert head not in goi("validate", "--db", str(built))[0] or warnings
    assert f"✗ {head}fail: {errors} error" in goi("validate", "--db", str(built), "--all")[0]


def test_list_text_is_each_reports_status(built: Path) -> None:
    """Every current report on its line: its status, its live errors/warnings, what was
    dismissed, and its version when it is not the first."""
    lines = goi("list", "--db", str(built))[0].splitlines()[1:]
    with Archive(built, create=False, write=False) as arch:
        reports = list(current(arch))
        assert len(lines) == len(reports)
        for line, (report, row) in zip(lines, reports, strict=True):
            counts, status, _counting = counted(report, Filter())
            dismissed = sum(f.review == "dismissed" for f in report.findings)
            said = (f"{MARK[status]} {status} {counts['error']}/{counts['warning']}"
                    + (f" · {dismissed} dismissed" if dismissed else ""))
            assert line.startswith(row["name"]) and f"  {said}  " in line, line
            assert line.endswith(shown_path(row["source_path"], built)
                                 + (f"  (v{row['version']})" if row["version"] > 1 else ""))
    assert any(line.endswith("  (v2)") for line in lines)


def test_paths_shown_in_a_listing_are_those_shown_one_by_one(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """``path_shower`` resolves the folders once: the same answers as ``shown_path``."""
    (tmp_path / "work" / "in").mkdir(parents=True)
    (tmp_path / "store").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    archive = tmp_path / "store" / "a.db"
    paths = [str(tmp_path / "work" / "in" / "r.txt"), str(tmp_path / "store" / "s.txt"),
             "/elsewhere/t.txt", "relative/u.txt", str(tmp_path / "other.txt")]
    shown = path_shower(archive)
    assert [shown(p) for p in paths] == [shown_path(p, archive) for p in paths] == [
        "in/r.txt", "s.txt", "/elsewhere/t.txt", "relative/u.txt", str(tmp_path / "other.txt")]
    assert [path_shower()(p) for p in paths[:1]] == ["in/r.txt"]


pieces = st.sampled_from(["work", "in", "store", "..", ".", "", "r.txt", "报告 2023", "w"])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@example(["work", "in", "."], "PREFIX", False)
@example(["work", "in"], "PREFIX", True)
@example(["work"], "PREFIX", False)
@example(["work", "..", "store", "r.txt"], "PREFIX", False)
@example(["store", ".", "r.txt"], "PREFIX", False)
@example(["work", "", "in"], "PREFIX", False)
@example(["tmp"], "//", False)
@given(st.lists(pieces, max_size=6), st.sampled_from(["", "/", "//", "///", "PREFIX"]),
       st.booleans())
def test_any_path_is_shown_as_pathlib_places_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 parts: list[str], lead: str,
                                                 trailing: bool) -> None:
    """Paths written oddly (``//``, ``/./``, ``..``, a trailing ``/``), relative or absolute,
    under the working folder, the archive's or neither: as ``pathlib`` places them."""
    work = (tmp_path / "work").resolve()
    (work / "in").mkdir(parents=True, exist_ok=True)
    (tmp_path / "store").mkdir(exist_ok=True)
    monkeypatch.chdir(work)
    archive = tmp_path / "store" / "a.db"
    path = (str(tmp_path) + "/" if lead == "PREFIX" else lead) + "/".join(parts) + (
        "/" if trailing else "")
    bases = [work, archive.parent.resolve()]
    assert path_shower(archive)(path) == placed(path, bases)
    assert path_shower()(path) == placed(path, bases[:1])
