"""``goi import``: files, folders and globs into the archive, one transaction per report.

A bad file is reported by name with its reason and the batch goes on; re-importing the
same bytes changes nothing; a changed file for the same agency and year becomes the
current version and the earlier one is kept.

Reading, parsing and the checks a report needs no other year for happen in
``goitui.prepare`` (in worker processes with ``jobs`` > 1); this module is the one writer:
it stores each file's reports in the files' order, running the year-to-year checks against
the archive as it is then, so the findings are the same whatever the number of workers.
"""

from __future__ import annotations

import gc
import glob
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from goitui import limits
from goitui.archive.search import refresh_index
from goitui.archive.store import Archive
from goitui.errors import ArchiveBusy, ArchiveProblem, os_reason
from goitui.i18n import _, ngettext, shown
from goitui.model import Document, Report, check_report_year, decided, status_name, template_name
from goitui.names import same_agency
from goitui.parse import meta
from goitui.parse.report import parse_reports
from goitui.pipeline import store_report
from goitui.prepare import (
    FileTask,
    PageProgress,
    Pending,
    Prepared,
    Preparer,
    named,
    no_part,
    prepare_file,
    preparer,
    reading,
    too_long,
)
from goitui.readers import (
    IMAGE_SUFFIXES,
    PAGE_SUFFIXES,
    READABLE_SUFFIXES,
    ReadError,
    read_pages,
)
from goitui.readers.base import check_size
from goitui.text import one_line

ARCHIVED, UNCHANGED, REFILED, FAILED = "archived", "unchanged", "refiled", "error"


@dataclass
class FileResult:
    path: str
    outcome: str  # archived | unchanged | refiled | error
    reason: str = ""
    agency: str | None = None
    year: int | None = None
    version: int | None = None
    template: str | None = None
    status: str | None = None
    report_id: int | None = None
    agency_match: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    agency_from: str = ""  # how the agency was decided: title, body, …, option
    year_from: str = ""  # how the year was decided: statistics period, title, …, option
    part: int = 1  # the report's place in a file that holds several
    parts: int = 1
    notes: list[str] = field(default_factory=list)  # what the reader said: encoding used, OCR…

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The one line ``goi import`` prints for this file (for each report it holds).

        Names and paths are data: a title or file name holding escape sequences or line breaks
        is printed escaped (``one_line``), never obeyed, and never splits the line."""
        if self.outcome == FAILED:
            return _("error      {path}: {reason}").format(path=one_line(self.path), reason=one_line(self.reason))
        what = f"{one_line(self.agency or '')} {self.year}"
        where = one_line(self.path) + (_(" (report {part} of {parts})").format(part=self.part, parts=self.parts)
                             if self.parts > 1 else "")
        if self.outcome == UNCHANGED:
            return _("unchanged  {report} v{version}  {where}").format(
                report=what, version=self.version, where=where)
        if self.outcome == REFILED:
            return _("refiled    {report} v{version}  {where}  [{how}]").format(
                report=what, version=self.version, where=where, how=one_line(self.agency_match))
        c = self.counts
        tally = _(", ").join(
            ngettext("{count} error", "{count} errors", c[k]).format(count=c[k]) if k == "error"
            else ngettext("{count} warning", "{count} warnings", c[k]).format(count=c[k])
            for k in ("error", "warning") if c.get(k))
        return (_("archived   {report} v{version}  template {template}  {status}").format(
                    report=what, version=self.version, template=template_name(self.template or ""),
                    status=status_name(self.status or ""))
                + (_(" ({tally})").format(tally=tally) if tally else "") + f"  {where}"
                + (f"  [{one_line(shown(self.agency_match))}]"
                   if self.agency_match not in ("", "existing") else "")
                + _("  ({decided})").format(decided=self.decided()))

    def decided(self) -> str:
        """How the agency and the year were decided (``agency from title, year from statistics
        period``), then what the reader said of the file (the encoding it decoded, OCR): a page
        whose declared charset was wrong says so here."""
        return _("; ").join([decided(self.agency_from, self.year_from),
                          *(one_line(note) for note in self.notes)])


def expand(inputs: Iterable[str]) -> tuple[list[tuple[Path, Path]], list[FileResult]]:
    """Files to import from paths, folders (recursive) and globs, each as (the path as found,
    the real path); what matched nothing."""
    files: list[Path] = []
    missing: list[FileResult] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            # a folder is searched for what the readers read; a file named is always tried
            files += sorted(f for f in p.rglob("*") if f.is_file() and not _hidden(f, p)
                            and f.suffix.lower() in READABLE_SUFFIXES)
        elif p.is_file():
            files.append(p)
        elif any(ch in item for ch in "*?["):
            hits = sorted(Path(h) for h in glob.glob(item, recursive=True) if Path(h).is_file())
            files += hits
            if not hits:
                missing.append(FileResult(item, FAILED, _("no file matches this pattern")))
        else:
            missing.append(FileResult(item, FAILED, _("no such file or folder")))
    seen: set[Path] = set()
    unique = []
    for f in files:
        real = f.resolve()
        if real not in seen:
            seen.add(real)
            unique.append((f, real))
    return unique, missing


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def import_file(archive: Archive, path: Path, agency: str | None = None,
                year: int | None = None, real: Path | None = None,
                page: Path | None = None, page_title: str | None = None,
                part: int | None = None) -> list[FileResult]:
    """Read, parse and archive one file: a result for each report it holds, or one failure
    with its reason. A file's reports are all archived or none is.

    ``real``: the file's resolved path, when the caller has it already. ``page``: the saved web
    page this file is the attachment of, whose ``page_title`` names the agency and year when
    the attachment does not. ``part``: ``agency`` and ``year`` are for this report of a file
    that holds several (its place in the file), not for all of them.

    A file archived already is not read again: given other ``agency``/``year`` its reports
    (or report ``part``) are re-filed there (``repair.refile_reports``).
    """
    task = FileTask(path, real, agency, year, page, page_title, part)
    return _results(archive, prepare_file(task, _archived_in(archive), _parse))


def _parse(doc: Document, **options: Any) -> list[Report]:
    """The parser files read in this process go through: this module's ``parse_reports``, so
    that a test replacing it here reaches them."""
    return parse_reports(doc, **options)


def _archived_in(archive: Archive) -> Callable[[str], bool]:
    """Whether bytes of this sha256 are archived (their file need not be parsed)."""
    return lambda sha: archive.by_sha(sha) is not None


def _results(archive: Archive, prepared: Prepared) -> list[FileResult]:
    """Store a prepared file (the writer's part): a result for each report, or the failure.

    The archive is asked again whether the file is in it: a file read in a worker may have
    been archived meanwhile (the same bytes earlier in the batch), and then it is unchanged
    whatever its parsing gave."""
    task = prepared.task
    name = task.name
    if prepared.unread:
        return [FileResult(name, FAILED, prepared.unread)]
    known = archive.by_sha(prepared.sha)
    if known is not None:
        return _known(archive, name, known["reports"], task.agency, task.year, task.part)
    if not prepared.parsed:  # archived when it was read, removed since: parsed now
        return _results(archive, prepare_file(task, parse=_parse))
    if prepared.failure:
        return [FileResult(name, FAILED, prepared.failure)]
    return _archive_reports(archive, prepared, name, task.year if task.part is None else None)


def _known(archive: Archive, name: str, reports: list[dict[str, Any]],
           agency: str | None, year: int | None, part: int | None) -> list[FileResult]:
    """A file archived already: unchanged, or its reports re-filed under the ``agency`` and
    ``year`` given (report ``part`` only, when given; every report of the file otherwise; one
    history entry, so one ``goi undo``)."""
    if part is not None and part > len(reports):
        return [FileResult(name, FAILED, no_part(part, len(reports)))]
    chosen = [k for k in reports if part is None or k["part"] == part]
    moving = [k for k in chosen if (year is not None and year != k["year"]) or (
        agency and not any(same_agency(agency, n) for n in k["names"]))]
    if not moving:
        return [_unchanged(name, k) for k in reports]
    from goitui.repair import RepairError, refile_reports

    try:
        moved = refile_reports(archive, [k["id"] for k in chosen], agency=agency, year=year)
    except RepairError as e:
        return [FileResult(name, FAILED, str(e))]
    done = {m["id"]: m for m in moved if m["changed"]}
    return [FileResult(name, REFILED, agency=m["agency"], year=m["year"],
                       version=m["version"], report_id=k["id"], part=k["part"], parts=k["parts"],
                       agency_match=f"was {k['agency']} {k['year']} v{k['version']}")
            if (m := done.get(k["id"])) else _unchanged(name, k) for k in reports]


def _unchanged(name: str, known: dict[str, Any]) -> FileResult:
    return FileResult(name, UNCHANGED, agency=known["agency"], year=known["year"],
                      version=known["version"], report_id=known["id"], part=known["part"],
                      parts=known["parts"])


def import_pages(archive: Archive, paths: list[Path], agency: str | None = None,
                 year: int | None = None) -> list[FileResult]:
    """Page images as one report, in the order given (``goi import --as-one``).

    The report's bytes are its pages' in that order: the same pages in another order are
    another report.
    """
    name = " + ".join(str(p) for p in paths)
    not_images = [str(p) for p in paths if p.suffix.lower() not in IMAGE_SUFFIXES]
    if not paths or not_images:
        return [FileResult(name, FAILED, _("--as-one takes page images (.jpg, .jpeg, .png, "
                                           ".tif); not one: {files}").format(
                                               files=", ".join(not_images) or "none given"))]
    try:
        datas = []
        for p in paths:
            check_size(p.stat().st_size)
            datas.append(p.read_bytes())
    except ReadError as e:
        return [FileResult(name, FAILED, str(e))]
    except OSError as e:
        return [FileResult(name, FAILED, _("cannot read the file ({reason})").format(
            reason=os_reason(e)))]
    sha = hashlib.sha256(b"".join(hashlib.sha256(d).digest() for d in datas)).hexdigest()
    known = archive.by_sha(sha)
    if known is not None:
        return [_unchanged(name, k) for k in known["reports"]]
    ocr, progress = reading.get()
    seconds = limits.per_file.get()
    seconds = seconds * len(paths) if seconds else None  # the limit is per page image
    try:
        with limits.time_limit(seconds):
            doc = read_pages(paths, datas, ocr=ocr, name=paths[0].name, progress=(
                lambda n, total: progress(name, n, total)) if progress else None)
            reports = parse_reports(doc, agency=agency, year=year)
    except ReadError as e:
        return [FileResult(name, FAILED, str(e))]
    except limits.TimeLimit:
        return [FileResult(name, FAILED, too_long(seconds))]
    prepared = Prepared(FileTask(paths[0], agency=agency, year=year), sha=sha,
                        size=sum(map(len, datas)), parsed=True,
                        where=" + ".join(str(p.resolve()) for p in paths),
                        reports=reports, tables=any(line.grid for line in doc.lines))
    return _archive_reports(archive, prepared, name, year)


def _archive_reports(archive: Archive, prepared: Prepared, name: str,
                     year: int | None) -> list[FileResult]:
    """Archive a file's reports: all of them, or none with the reason."""
    reports, sha = prepared.reports, prepared.sha
    problem = _refusal(archive, prepared.tables, reports, sha, year)
    if problem:
        return [FileResult(name, FAILED, problem)]
    results = []
    for i, report in enumerate(reports):
        stored = store_report(archive, report, path=prepared.where,
                              sha=_report_sha(sha, report.part), size=prepared.size,
                              file_sha=sha, alone=prepared.alone[i] if prepared.alone else None)
        results.append(FileResult(
            name, UNCHANGED if stored.existing else ARCHIVED, agency=stored.agency, year=report.year, version=stored.version,
            template=report.template, status=stored.status, report_id=stored.report_id,
            agency_match=stored.joined, counts=stored.counts, agency_from=report.agency_from,
            year_from=report.year_from, part=report.part, parts=report.parts,
            notes=report.notes))
    return results


def _report_sha(file_sha: str, part: int) -> str:
    """A report's identity in the archive: its file's sha256, or for the second and later
    reports of a file, the sha256 of that followed by ``#`` and the report's place."""
    if part == 1:
        return file_sha
    return hashlib.sha256(f"{file_sha}#{part}".encode()).hexdigest()


def _refusal(archive: Archive, tables: bool, reports: list[Report], sha: str,
             year: int | None) -> str:
    """Why a file's reports cannot be archived as read (all of them, or none), or ''
    (``tables``: whether the file's document has tables)."""
    several = len(reports) > 1
    if several and year is not None:
        return _("the file holds {count} reports; --year would file them all under one year: "
                 "import it without --year, or give --part N with it for report N "
                 "only").format(count=len(reports))
    keys: dict[tuple[str, int], int] = {}
    for report in reports:
        where = (_("report {part} of {parts} (line {line}): ").format(
            part=report.part, parts=report.parts, line=_first_line(report)) if several else "")
        if report.agency is None or report.year is None:
            return where + _undetermined(report) + (_(" and --part {part}").format(
                part=report.part) if several else "")
        if not report.sections and not report.figures:
            if tables:
                return where + _(
                    "not a report: it has tables, but no section heading of the annual report "
                    "format and no row of the report's tables was found in them")
            return where + _("not a report: no section of the annual report format "
                             "and no table was found")
        same = next((p for (a, y), p in keys.items() if y == report.year
                     and same_agency(a, report.agency)), None)
        if same is not None:
            return _("reports {first} and {second} of this file are both {agency} {year}").format(
                first=same, second=report.part, agency=report.agency, year=report.year)
        keys[(report.agency, report.year)] = report.part
        if (clash := _title_year_clash(archive, report, sha)):
            return where + clash
    return ""


def _undetermined(report: Report) -> str:
    """What could not be determined of a report, and the option that gives it."""
    if report.agency is None and report.year is None:
        return _("the agency and the year could not be determined (title, body, file name); "
                 "give them with --agency and --year")
    if report.agency is None and (we := meta.self_reference(report.text)):
        return _("the agency could not be determined: the report names itself only as {we} "
                 "(title, body, file name); give it with --agency").format(we=we)
    if report.agency is None:
        return _("the agency could not be determined (title, body, file name); give it with "
                 "--agency")
    return _("the year could not be determined (title, body, file name); give it with --year")


def _title_year_clash(archive: Archive, report: Report, sha: str) -> str:
    """A report without a statistics period whose title and body give different years is
    filed under the title's year, but never so that it silently becomes the current report
    of a year already archived from another file."""
    seen = report.year_sources
    if report.year_from != "title" or "body" not in seen or seen["body"] == seen["title"]:
        return ""
    assert report.agency is not None and report.year is not None
    current = archive.current_of(report.agency, report.year)
    if current is None or current["file_sha256"] == sha:
        return ""
    return _("title {title}, body {body}: give --year (as {title} it would replace the current "
             "{agency} {title} report, from {source})").format(
        title=seen["title"], body=seen["body"], agency=current["agency"],
        source=Path(current["source"]).name)


def _first_line(report: Report) -> int:
    lines = [s.line_start for s in report.sections.values() if s.line_start is not None]
    return min(lines) if lines else 1


def import_paths(archive: Archive, inputs: Iterable[str], *, agency: str | None = None,
                 year: int | None = None,
                 on_result: Callable[[FileResult], None] | None = None,
                 on_start: Callable[[int], None] | None = None,
                 seconds_per_file: float | None = limits.FILE_SECONDS, as_one: bool = False,
                 ocr: bool = True, progress: PageProgress | None = None,
                 jobs: int | None = 1, part: int | None = None) -> list[FileResult]:
    """Import everything ``inputs`` names; the batch goes on past any bad file, and past a
    file that takes longer than ``seconds_per_file`` to read (``None``: no limit).

    ``on_start`` is told how many files were found before the first is read (for a progress
    display); ``on_result`` gets each file's result as soon as it is known, in the files'
    order. ``as_one``: the files are the pages of one report, in the order given (a folder's
    in name order); ``ocr``: read scanned pages by OCR, ``progress`` told of each page.
    ``jobs``: worker processes that read, parse and check files while this process stores
    them (1: all in this process; None: ``default_jobs``). ``part``: ``agency`` and ``year``
    are for that report of a file that holds several. ``BadFilter`` for a ``year`` no report
    can be for (before 2008 or after this year)."""
    if year is not None:
        check_report_year(year)
    token = limits.per_file.set(seconds_per_file)
    scanned = reading.set((ocr, progress))
    try:
        if as_one:
            return _import_pages(archive, inputs, agency, year, on_result, on_start)
        return _import_all(archive, inputs, agency, year, on_result, on_start, jobs, part)
    finally:
        reading.reset(scanned)
        limits.per_file.reset(token)


def _import_pages(archive: Archive, inputs: Iterable[str], agency: str | None,
                  year: int | None, on_result: Callable[[FileResult], None] | None,
                  on_start: Callable[[int], None] | None = None) -> list[FileResult]:
    """``--as-one``: with a page missing, no report is made of the others."""
    files, results = expand(inputs)
    if on_start:
        on_start(1)  # one report, however many page files: the progress counts reports
    done = [] if results or not files else import_pages(archive, [p for p, _r in files],
                                                        agency, year)
    for r in results + done:
        if on_result:
            on_result(r)
    refresh_index(archive)
    return results + done


def _import_all(archive: Archive, inputs: Iterable[str], agency: str | None, year: int | None,
                on_result: Callable[[FileResult], None] | None,
                on_start: Callable[[int], None] | None, jobs: int | None,
                part: int | None = None) -> list[FileResult]:
    """Every file in order, each stored in its own transaction as soon as it is prepared
    (read, parsed, checked by itself: ahead of time by ``jobs`` worker processes)."""
    files, results = expand(inputs)
    if on_start:
        on_start(len(files))
    for r in results:
        if on_result:
            on_result(r)
    # saved pages first: a page whose report is its attachment takes that file out of the batch
    files.sort(key=lambda f: f[0].suffix.lower() not in PAGE_SUFFIXES)
    taken: set[Path] = set()
    with _batch_gc(), preparer(archive, _workers(jobs, len(files)), _parse) as ahead:
        for path, real, prepared in ahead.in_order(files, agency, year, taken, part):
            try:
                done = _file_results(archive, ahead, prepared, path, real, agency, year, taken,
                                     part)
            except (ArchiveBusy, ArchiveProblem, sqlite3.DatabaseError):
                raise  # the archive's trouble, not the file's: the batch cannot go on
            except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
                done = [FileResult(str(path), FAILED,
                                   _("internal error while importing: {kind}: {error}").format(
                                       kind=type(e).__name__, error=e))]
            results += done
            if on_result:
                for r in done:
                    on_result(r)
    try:
        refresh_index(archive)  # the full-text index, in one go for the whole batch
    except ArchiveBusy:
        pass  # every report is archived; the next import indexes them, searches scan them
    return results


#: with the default number of jobs, a batch of fewer files is read in one process: starting
#: the workers (each imports the readers and the parser) takes about a second
SMALL_BATCH = 50


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _workers(jobs: int | None, files: int) -> int:
    """Worker processes for a batch: ``jobs`` (None: ``default_jobs()`` unless the batch is
    small), never more than the files."""
    if jobs is None:
        jobs = default_jobs() if files >= SMALL_BATCH else 1
    return max(1, min(jobs, files))


def _file_results(archive: Archive, ahead: Preparer, prepared: Pending, path: Path, real: Path,
                  agency: str | None, year: int | None, taken: set[Path],
                  part: int | None = None) -> list[FileResult]:
    """One file of a batch; for a saved web page, the report it links as an attachment.

    A page whose attachment (present on disk) names a report is that report's page: the
    attachment is imported, with the page's title as a source of agency and year, and the
    page is not reported on its own. A page with other attachments is imported itself; only
    when it holds no report are its attachments tried in its place. Attachments imported so
    are ``taken`` out of the batch: a folder with a page and its attachment is one report.
    """
    found = ahead.result(prepared)
    if isinstance(found, Prepared):
        return _results(archive, found)
    attachments = [a for a in found.attachments
                   if a.path.resolve() not in taken and a.path.resolve() != real]

    def own() -> list[FileResult]:
        page = found.prepared or ahead.result(ahead.submit(FileTask(path, real, agency, year,
                                                                    part=part)))
        assert isinstance(page, Prepared)
        return _results(archive, page)

    if not attachments:
        return own()
    chosen = named(attachments)
    if not chosen:
        mine = own()
        if all(r.outcome != FAILED for r in mine):
            return mine
    linked = chosen or attachments
    for attachment in linked:
        taken.add(attachment.path.resolve())
    waiting = [ahead.submit(FileTask(a.path, None, agency, year, page=path,
                                     page_title=found.title, part=part)) for a in linked]
    results = []
    for handle in waiting:
        attached = ahead.result(handle)
        assert isinstance(attached, Prepared)
        results += _results(archive, attached)
    return results


@contextmanager
def _batch_gc() -> Iterator[None]:
    """Each report allocates thousands of objects and keeps few, while the program's own
    objects (modules, caches) stay put: during a batch the collector leaves the latter
    alone (``gc.freeze``) and runs less often. It cost 3–4% of an import."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def exit_code(results: list[FileResult]) -> int:
    """0 when every file was archived (or already was), 2 when any was not."""
    return 2 if any(r.outcome == FAILED for r in results) else 0


