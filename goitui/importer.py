"""``goi import``: files, folders and globs into the archive, one transaction per report.

A bad file is reported by name with its reason and the batch goes on; re-importing the
same bytes changes nothing; a changed file for the same agency and year becomes the
current version and the earlier one is kept.
"""

from __future__ import annotations

import gc
import glob
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from goitui.archive.search import refresh_index
from goitui.archive.store import Archive
from goitui.i18n import _
from goitui.names import same_agency
from goitui.parse.report import parse_document
from goitui.pipeline import store_report
from goitui.readers import READABLE_SUFFIXES, ReadError, read_path
from goitui.readers.base import check_size

ARCHIVED, UNCHANGED, FAILED = "archived", "unchanged", "error"


@dataclass
class FileResult:
    path: str
    outcome: str  # archived | unchanged | error
    reason: str = ""
    agency: str | None = None
    year: int | None = None
    version: int | None = None
    template: str | None = None
    status: str | None = None
    report_id: int | None = None
    agency_match: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """The one line ``goi import`` prints for this file."""
        if self.outcome == FAILED:
            return f"error      {self.path}: {self.reason}"
        what = f"{self.agency} {self.year}"
        if self.outcome == UNCHANGED:
            return f"unchanged  {what} v{self.version}  {self.path}"
        c = self.counts
        tally = ", ".join(f"{c[k]} {k}{'s' if c[k] != 1 else ''}" for k in ("error", "warning")
                          if c.get(k))
        return (f"archived   {what} v{self.version}  template {self.template}  {self.status}"
                f"{' (' + tally + ')' if tally else ''}  {self.path}"
                + (f"  [{self.agency_match}]" if self.agency_match not in ("", "existing") else ""))


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
                missing.append(FileResult(item, FAILED, "no file matches this pattern"))
        else:
            missing.append(FileResult(item, FAILED, "no such file or folder"))
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
                year: int | None = None, real: Path | None = None) -> FileResult:
    """Read, parse and archive one file; every failure is a FileResult with a reason.

    ``real``: the file's resolved path, when the caller has it already.
    """
    name = str(path)
    try:
        check_size(path.stat().st_size)  # before reading a huge file into memory to hash it
        data = path.read_bytes()
    except ReadError as e:
        return FileResult(name, FAILED, str(e))
    except OSError as e:
        return FileResult(name, FAILED, f"cannot read the file ({e.strerror or e})")
    sha = hashlib.sha256(data).hexdigest()
    known = archive.by_sha(sha)
    if known is not None:
        if (year is not None and year != known["year"]) or (
                agency and not any(same_agency(agency, n) for n in known["names"])):
            return FileResult(name, FAILED, f"this file is already archived as {known['agency']} "
                              f"{known['year']} v{known['version']}; --agency/--year do not "
                              "re-file it (goi agencies merge/rename fix an agency)")
        return FileResult(name, UNCHANGED, agency=known["agency"], year=known["year"],
                          version=known["version"], report_id=known["id"])
    try:
        doc = read_path(path, data)
    except ReadError as e:
        return FileResult(name, FAILED, str(e))
    report = parse_document(doc, agency=agency, year=year)
    if report.agency is None or report.year is None:
        missing = [w for w, v in (("agency", report.agency), ("year", report.year)) if v is None]
        how = " and ".join(f"--{w}" for w in missing)
        return FileResult(name, FAILED, f"the {' and the '.join(missing)} could not be determined "
                          f"(title, body, file name); give {'them' if len(missing) > 1 else 'it'} "
                          f"with {how}")
    if not report.sections and not report.figures:
        if any(line.grid for line in doc.lines):
            return FileResult(name, FAILED, _(
                "not a report: it has tables, but no section heading of the annual report "
                "format and no row of the report's tables was found in them"))
        return FileResult(name, FAILED, "not a report: no section of the annual report format "
                          "and no table was found")
    # the archive keeps where the file is from anywhere; the line printed keeps what was typed
    stored = store_report(archive, report, path=str(real or path.resolve()), sha=sha,
                          size=len(data))
    return FileResult(name, ARCHIVED, agency=stored.agency, year=report.year,
                      version=stored.version, template=report.template, status=stored.status,
                      report_id=stored.report_id, agency_match=stored.joined,
                      counts=stored.counts)


def import_paths(archive: Archive, inputs: Iterable[str], *, agency: str | None = None,
                 year: int | None = None,
                 on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Import everything ``inputs`` names; the batch goes on past any bad file."""
    files, results = expand(inputs)
    for r in results:
        if on_result:
            on_result(r)
    with _batch_gc():
        for path, real in files:
            try:
                r = import_file(archive, path, agency, year, real)
            except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
                r = FileResult(str(path), FAILED,
                               f"internal error while importing: {type(e).__name__}: {e}")
            results.append(r)
            if on_result:
                on_result(r)
    refresh_index(archive)  # the full-text index, in one go for the whole batch
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


