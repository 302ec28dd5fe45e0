"""What importing a file needs no archive for: reading it, hashing it, parsing it, and the
checks that need only the report itself.

``goi import --jobs N`` runs this in N worker processes while the main process, the only one
that writes, stores what comes back in file order (``goitui.importer``): the year-to-year
checks, which need the archive as it is when the report is stored, run there. With one job
the importer calls the same functions itself. Everything a worker runs is a top-level
function of picklable arguments, so workers may be spawned (no fork of a process holding an
SQLite connection).
"""

from __future__ import annotations

import copyreg
import hashlib
import multiprocessing
import queue
import re
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import Any

from goitui import limits
from goitui.archive.store import Archive
from goitui.errors import GoiError, os_reason
from goitui.i18n import _, ngettext
from goitui.model import Document, Figure, Line, Report
from goitui.parse.report import parse_reports
from goitui.readers import PAGE_SUFFIXES, ReadError, read_path
from goitui.readers.attachments import Attachment, page_attachments, page_title
from goitui.readers.base import check_size
from goitui.validate.report import Alone, check_alone

#: told of each page OCR reads: (the file as named, page number, number of pages)
PageProgress = Callable[[str, int, int], None]
#: how the batch being imported reads scanned pages: by OCR or not, and who is told of each page
reading: ContextVar[tuple[bool, PageProgress | None]] = ContextVar("goi_ocr", default=(True, None))

#: words that make a link on a saved page the report itself
REPORT_NAME = re.compile(r"年度报告|年报|工作报告")


@dataclass(frozen=True)
class FileTask:
    """One file of a batch, with what the command line says about it; ``page``: the saved web
    page whose attachment it is, ``page_title`` that page's title."""

    path: Path
    real: Path | None = None
    agency: str | None = None
    year: int | None = None
    page: Path | None = None
    page_title: str | None = None
    part: int | None = None  # agency and year are for this report of the file only

    @property
    def name(self) -> str:
        """The file as the line printed for it names it."""
        if self.page is None:
            return str(self.path)
        return _("{file} (attachment of {page})").format(file=self.path, page=self.page)


@dataclass
class Prepared:
    """A file read, parsed and checked by itself: what the writer needs to store it.

    ``unread``: why the file could not even be read (it has no hash); ``parsed`` is False for
    a file that was archived already when it was read (not parsed again); ``failure``: why
    it could not be parsed. ``alone`` holds each report's findings of ``check_alone``."""

    task: FileTask
    unread: str = ""
    sha: str = ""
    size: int = 0
    where: str = ""  # where the file is from anywhere (its resolved path)
    parsed: bool = False
    failure: str = ""
    reports: list[Report] = field(default_factory=list)
    alone: list[Alone] = field(default_factory=list)
    tables: bool = False  # the document has tables (the reason a non-report is refused says so)


@dataclass
class PageSurvey:
    """A saved web page: the files it links as attachments, its title, and the page itself
    prepared when no attachment is named as the report (then the page is tried first)."""

    task: FileTask
    attachments: list[Attachment] = field(default_factory=list)
    title: str | None = None
    prepared: Prepared | None = None


#: the parser: ``parse_reports``, or what the caller gives in its place
Parse = Callable[..., list[Report]]


def prepare_file(task: FileTask, archived: Callable[[str], bool] | None = None,
                 parse: Parse = parse_reports) -> Prepared:
    """Read, hash, parse and check one file; ``archived(sha)`` True skips the parsing of a file
    already in the archive (the writer says it is unchanged)."""
    try:
        check_size(task.path.stat().st_size)  # before reading a huge file into memory to hash it
        data = task.path.read_bytes()
    except ReadError as e:
        return Prepared(task, unread=str(e))
    except OSError as e:
        return Prepared(task, unread=_("cannot read the file ({reason})").format(
            reason=os_reason(e)))
    sha = hashlib.sha256(data).hexdigest()
    # the archive keeps where the file is from anywhere; the line printed keeps what was typed
    prepared = Prepared(task, sha=sha, size=len(data), where=str(task.real or task.path.resolve()))
    if archived is not None and archived(sha):
        return prepared
    prepared.parsed = True
    seconds = limits.per_file.get()
    try:
        with limits.time_limit(seconds):
            doc, prepared.reports = _read_and_parse(task, data, parse)
    except ReadError as e:
        prepared.failure = str(e)
        return prepared
    except limits.TimeLimit:
        prepared.failure = too_long(seconds)
        return prepared
    if task.part is not None and task.part > len(prepared.reports):
        prepared.failure = no_part(task.part, len(prepared.reports))
        return prepared
    prepared.tables = any(line.grid for line in doc.lines)
    prepared.alone = [check_alone(report) for report in prepared.reports]
    return prepared


def too_long(seconds: float | None) -> str:
    """Why a file past the time limit per file was not imported."""
    return _("reading and parsing took longer than {seconds:g} s, the time limit per file "
             "(--time-limit): not imported").format(seconds=seconds)


def no_part(part: int, parts: int) -> str:
    """Why ``--part`` names no report of the file."""
    return ngettext("--part {part}: the file holds {parts} report",
                    "--part {part}: the file holds {parts} reports", parts).format(
        part=part, parts=parts)


def _read_and_parse(task: FileTask, data: bytes, parse: Parse) -> tuple[Document, list[Report]]:
    """The file's document and the reports in it: the work the time limit per file guards."""
    ocr, progress = reading.get()
    path, agency, year = task.path, task.agency, task.year
    doc = read_path(path, data, ocr=ocr, progress=(
        lambda n, total: progress(str(path), n, total)) if progress else None)
    reports = parse(doc, agency=agency, year=year, part=task.part)
    if task.page_title and len(reports) == 1 and reports[0].agency_from != "title":
        titled = Document(lines=[Line([task.page_title], 0, source=_(
            "title of the page {page}").format(page=task.page.name if task.page else "")),
            *doc.lines], format=doc.format, name=doc.name, notes=doc.notes)
        retry = parse(titled, agency=agency, year=year, part=task.part)
        if len(retry) == 1 and retry[0].agency is not None and retry[0].year is not None:
            reports = retry
    return doc, reports


def survey_page(task: FileTask, archived: Callable[[str], bool] | None = None,
                parse: Parse = parse_reports) -> PageSurvey:
    """What a saved web page links as attachments (files present beside it), its title, and,
    unless an attachment is named as the report, the page itself prepared."""
    survey = PageSurvey(task)
    seconds = limits.per_file.get()
    try:
        check_size(task.path.stat().st_size)
        data = task.path.read_bytes()
        with limits.time_limit(seconds):  # the page is read for its links and title
            survey.attachments = page_attachments(task.path, data)
            if survey.attachments:
                survey.title = page_title(data)
    except (ReadError, OSError):
        survey.attachments = []
    except limits.TimeLimit:
        survey.attachments = []
        survey.prepared = Prepared(task, unread=too_long(seconds))
        return survey
    if not named(survey.attachments):
        survey.prepared = prepare_file(task, archived, parse)
    return survey


def named(attachments: list[Attachment]) -> list[Attachment]:
    """The attachments whose link or file name names an annual report."""
    return [a for a in attachments if REPORT_NAME.search(f"{a.text} {a.path.name}")]


# ------------------------------------------------------------------ worker processes

_FIGURE_FIELDS = attrgetter(*(f.name for f in fields(Figure) if f.init))


def _figure_values(figure: Figure) -> tuple[type[Figure], tuple[Any, ...]]:
    """A figure pickled as its fields' values: the two hundred figures of a report reach the
    writer in a third of the time dataclasses' generic pickling takes (most of what the one
    writer spends on a report it did not parse)."""
    return Figure, _FIGURE_FIELDS(figure)


copyreg.pickle(Figure, _figure_values)

_worker: dict[str, Any] = {}  # this worker's read-only archive, when it could open one


def start_worker(archive_path: str | None, seconds: float | None, ocr: bool,
                 pages: Any = None) -> None:
    """Set up a worker process of ``goi import --jobs``: the batch's time limit and OCR
    choice, the archive opened read-only (to skip files already archived), and Ctrl-C left
    to the main process, which stops the workers itself and prints the summary."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limits.per_file.set(seconds)
    reading.set((ocr, (lambda name, page, count: pages.put((name, page, count)))
                   if pages is not None else None))
    if archive_path:
        try:
            _worker["archive"] = Archive(archive_path, create=False, write=False)
        except (GoiError, OSError):
            pass  # every file is parsed; the writer still finds those archived already


def _archived(sha: str) -> bool:
    archive = _worker.get("archive")
    return archive is not None and archive.by_sha(sha) is not None


def prepare_in_worker(task: FileTask) -> Prepared:
    """``prepare_file`` in a worker process."""
    return prepare_file(task, _archived)


def survey_in_worker(task: FileTask) -> PageSurvey:
    """``survey_page`` in a worker process."""
    return survey_page(task, _archived)


# ------------------------------------------------------------------ ahead of the writer

Found = Prepared | PageSurvey
#: a file being prepared: a worker's future, or (in this process) the call that prepares it
Pending = Future[Found] | Callable[[], Found]


class Preparer:
    """Prepares the files of a batch for the writer, in this process: each one when the
    writer asks for it (so that a file taken out of the batch is never read)."""

    window = 1  # files submitted ahead of the one being stored

    def __init__(self, archive: Archive, parse: Parse = parse_reports) -> None:
        self.archived: Callable[[str], bool] = lambda sha: archive.by_sha(sha) is not None
        self.parse = parse

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, task: FileTask, page: bool = False) -> Pending:
        """Start preparing a file (``page``: a saved web page, surveyed for attachments)."""
        return partial(survey_page if page else prepare_file, task, self.archived, self.parse)

    def result(self, pending: Pending) -> Found:
        """What a submitted file came to (waiting for it)."""
        assert callable(pending)
        return pending()

    def drop(self, pending: Pending) -> None:
        """Forget a submitted file the batch no longer imports."""

    def in_order(self, files: Iterable[tuple[Path, Path]], agency: str | None,
                 year: int | None, taken: set[Path],
                 part: int | None = None) -> Iterator[tuple[Path, Path, Pending]]:
        """Each file (as found, real path) with its pending preparation, in order, up to
        ``window`` submitted ahead; files ``taken`` out of the batch meanwhile are skipped."""
        ahead: deque[tuple[Path, Path, Pending]] = deque()
        files = iter(files)
        while True:
            for path, real in files:
                if real not in taken:
                    page = path.suffix.lower() in PAGE_SUFFIXES
                    task = FileTask(path, real, agency, year, part=part)
                    ahead.append((path, real, self.submit(task, page)))
                    if len(ahead) >= self.window:
                        break
            if not ahead:
                return
            path, real, pending = ahead.popleft()
            if real in taken:
                self.drop(pending)
            else:
                yield path, real, pending


class Workers(Preparer):
    """Prepares files in ``jobs`` spawned worker processes, a few per worker ahead of the
    writer (memory stays bounded however large the batch). The batch's time limit, OCR
    choice and page progress reach the workers; Ctrl-C stops them at once.

    A worker that dies (a reading library crashing on a file) breaks the pool: a new one is
    started, the file is tried once more alone, and if it kills that one too, it fails with
    the reason while the batch goes on.
    """

    def __init__(self, archive: Archive, jobs: int) -> None:
        super().__init__(archive)
        ocr, self.progress = reading.get()
        self.context = multiprocessing.get_context("spawn")
        self.pages: Any = self.context.Queue() if self.progress else None
        where = archive.path if archive.path.is_file() else None
        self.setup = (str(where) if where else None, limits.per_file.get(), ocr, self.pages)
        self.jobs, self.window = jobs, 3 * jobs
        self.pool = self._start()
        self.tasks: dict[Future[Found], tuple[Callable[[FileTask], Found], FileTask,
                                              ProcessPoolExecutor]] = {}

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.context,
                                   initializer=start_worker, initargs=self.setup)

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.pool.shutdown(wait=True)
        else:
            self.stop()

    def stop(self) -> None:
        """End the workers now (Ctrl-C, or the archive failing): no file is left half done,
        since only this process writes."""
        processes = list(getattr(self.pool, "_processes", {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(1)

    def submit(self, task: FileTask, page: bool = False) -> Pending:
        work: Callable[[FileTask], Found] = survey_in_worker if page else prepare_in_worker
        future: Future[Found] = self.pool.submit(work, task)
        self.tasks[future] = (work, task, self.pool)
        return future

    def drop(self, pending: Pending) -> None:
        assert isinstance(pending, Future)
        pending.cancel()
        self.tasks.pop(pending, None)

    def result(self, pending: Pending) -> Found:
        assert isinstance(pending, Future)
        work, task, pool = self.tasks.pop(pending)
        try:
            return self._wait(pending)
        except BrokenProcessPool:
            pass
        if pool is self.pool:
            self._restart()
        retry = self.pool.submit(work, task)
        try:
            return self._wait(retry)
        except BrokenProcessPool:
            self._restart()
            return Prepared(task, unread=_("the worker process reading it stopped abruptly (a "
                                           "reading library crashed on it): not imported"))

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start()

    def _wait(self, future: Future[Found]) -> Found:
        """The future's result; meanwhile the pages OCR reads in the workers are told."""
        if self.pages is None:
            return future.result()
        while True:
            try:
                return future.result(timeout=0.1)
            except TimeoutError:
                pass
            finally:
                self._tell_pages()

    def _tell_pages(self) -> None:
        while True:
            try:
                name, page, pages = self.pages.get_nowait()
            except queue.Empty:
                return
            assert self.progress is not None
            self.progress(name, page, pages)


def preparer(archive: Archive, jobs: int, parse: Parse = parse_reports) -> Preparer:
    """Worker processes for ``jobs`` > 1, else this process (with ``parse`` as the parser)."""
    return Workers(archive, jobs) if jobs > 1 else Preparer(archive, parse)
