"""``goi import --jobs N``: files read and parsed in worker processes, stored by one writer in
the files' order, with the same lines, findings and archive as one process gives."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui import labels
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.importer import _workers, import_paths
from goitui.prepare import FileTask, Prepared, Workers
from goitui.testing.generate import make_figures, render

AGENCY = "白沙县青林镇人民政府"


def _two_years(folder: Path, first: int) -> None:
    """An agency's 2022 and 2023 reports, ``first`` in the file that sorts first; 2023 does
    not carry over what 2022 carried forward, and one figure jumps, so the year-to-year
    checks find something; a third agency's single year and a file that is no report."""
    rng = random.Random(31)
    earlier = make_figures(labels.T2021, rng)
    later = make_figures(labels.T2021, rng, previous=earlier)
    carried = next(k for k in later if k.startswith("applications.carried_over."))
    later[carried] = int(later[carried]) + 7
    other = make_figures(labels.T2021, rng)
    texts = {2022: render(earlier, labels.T2021, "tabs", agency=AGENCY, year=2022),
             2023: render(later, labels.T2021, "cells", agency=AGENCY, year=2023)}
    folder.mkdir()
    (folder / "a.txt").write_text(texts[first], encoding="utf-8")
    (folder / "b.txt").write_text(texts[2022 if first == 2023 else 2023], encoding="utf-8")
    (folder / "c.txt").write_text(render(other, labels.T2021, "pipes", agency="河口乡人民政府",
                                         year=2023), encoding="utf-8")
    (folder / "d.txt").write_text("这不是一份年度报告。\n", encoding="utf-8")


def _findings(db: Path) -> dict[tuple[str, int], list[tuple[object, ...]]]:
    with Archive(db, create=False, write=False) as archive:
        found = {}
        for row in archive.list_reports():
            report = archive.load(row["id"])
            found[(row["agency"], row["year"])] = [
                (f.rule, f.severity, f.message, tuple(f.keys), str(f.expected), str(f.actual),
                 f.origin) for f in report.findings] + [(row["status"],)]
        return found


@pytest.mark.parametrize("first", [2022, 2023])
def test_findings_are_the_same_with_one_process_and_with_workers(tmp_path: Path, first: int) -> None:
    _two_years(tmp_path / "reports", first)
    runs = {}
    for jobs in (1, 2):
        db = tmp_path / f"jobs{jobs}.db"
        result = CliRunner().invoke(app, ["import", str(tmp_path / "reports"), "--jobs",
                                          str(jobs), "--db", str(db)])
        assert result.exit_code == 2, result.output  # d.txt is no report
        runs[jobs] = (result.output.replace(str(db), "DB"), _findings(db))
    assert runs[1] == runs[2]
    output, findings = runs[2]
    lines = [line for line in output.splitlines() if line.strip()]
    # one line per file, in the files' order; the failure names its file and the batch goes on
    assert [next(n for n in ("a.txt", "b.txt", "c.txt", "d.txt") if n in line)
            for line in lines[:4]] == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert "d.txt" in lines[3] and "could not be determined" in lines[3]
    compared = [f[2] for f in findings[(AGENCY, 2023)] if f[0] == "X-CARRY"]
    assert compared and "2022" in compared[0] and "not assessed" not in compared[0]


def test_a_file_given_twice_in_a_batch_is_unchanged_the_second_time(tmp_path: Path) -> None:
    _two_years(tmp_path / "reports", 2022)
    (tmp_path / "reports" / "e.txt").write_bytes((tmp_path / "reports" / "a.txt").read_bytes())
    with Archive(tmp_path / "a.db") as archive:
        results = import_paths(archive, [str(tmp_path / "reports")], jobs=2)
    assert [r.outcome for r in results] == ["archived", "archived", "archived", "error",
                                            "unchanged"]


def test_files_already_archived_are_not_parsed_again_by_the_workers(tmp_path: Path) -> None:
    _two_years(tmp_path / "reports", 2022)
    with Archive(tmp_path / "a.db") as archive:
        import_paths(archive, [str(tmp_path / "reports" / "a.txt")])
        with Workers(archive, 2) as workers:
            found = workers.result(workers.submit(FileTask(tmp_path / "reports" / "a.txt")))
            fresh = workers.result(workers.submit(FileTask(tmp_path / "reports" / "b.txt")))
    assert isinstance(found, Prepared) and not found.parsed and found.sha
    assert isinstance(fresh, Prepared) and fresh.parsed and len(fresh.reports) == 1


def test_stopping_ends_the_workers_at_once(tmp_path: Path) -> None:
    _two_years(tmp_path / "reports", 2022)
    with Archive(tmp_path / "a.db") as archive:
        workers = Workers(archive, 2)
        workers.result(workers.submit(FileTask(tmp_path / "reports" / "a.txt")))
        processes = list(workers.pool._processes.values())
        workers.stop()
    assert processes and not any(p.is_alive() for p in processes)


def test_the_default_reads_small_batches_in_one_process() -> None:
    assert _workers(None, 3) == 1
    assert _workers(4, 3) == 3  # never more workers than files
    assert _workers(1, 500) == 1
    assert _workers(None, 500) >= 1


def test_pages_read_by_ocr_in_a_worker_are_told_to_the_writer(tmp_path: Path) -> None:
    """A worker's OCR reports each page through a queue that the writer drains while it waits
    (the progress line says which page of which file is being read)."""
    from goitui.prepare import reading

    _two_years(tmp_path / "reports", 2022)
    told: list[tuple[str, int, int]] = []
    token = reading.set((True, lambda name, page, pages: told.append((name, page, pages))))
    try:
        with Archive(tmp_path / "a.db") as archive, Workers(archive, 2) as workers:
            workers.pages.put(("scan.png", 1, 3))  # as a worker's OCR would
            time.sleep(0.5)  # the queue's feeder thread passes it on
            workers.result(workers.submit(FileTask(tmp_path / "reports" / "a.txt")))
    finally:
        reading.reset(token)
    assert told == [("scan.png", 1, 3)]


def test_the_time_limit_per_file_holds_in_the_workers(tmp_path: Path) -> None:
    """Each worker runs its files in its main thread, where the timer interrupts reading and
    parsing: with a limit no file can meet, every file is reported with it, none is lost."""
    _two_years(tmp_path / "reports", 2023)
    result = CliRunner().invoke(app, ["import", str(tmp_path / "reports"), "--jobs", "2",
                                      "--time-limit", "0.0005", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert result.output.count("took longer than 0.0005 s, the time limit per file") == 4
    assert "0 archived, 0 unchanged, 4 failed" in result.output
