"""``goi import``: files, folders (recursive) and globs into the archive."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from goitui.commands.common import ERROR, DbOption, Format, FormatOption, archive, emit_json, say
from goitui.i18n import _
from goitui.limits import FILE_SECONDS
from goitui.render.progress import Progress
from goitui.text import one_line

if TYPE_CHECKING:
    from goitui.importer import FileResult


def import_(
    paths: Annotated[list[str], typer.Argument(help=_("Files, folders (searched recursively) or globs."))],
    agency: Annotated[str | None, typer.Option(help=_("The agency, when the report does not say it (or says it wrongly: a finding notes the difference)."))] = None,
    year: Annotated[int | None, typer.Option(help=_("The report year, when the report does not say it (or says it wrongly: a finding notes the difference)."))] = None,
    part: Annotated[int | None, typer.Option("--part", min=1, help=_("For a file that holds several reports: --agency and --year are for report N only (its place in the file, as in 'report N of M'); without it they are for every report of the file."))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_(
        "Only failures and the summary line: no line per archived file, no progress."))] = False,
    time_limit: Annotated[float, typer.Option("--time-limit", help=_("Seconds one file may take to be read and parsed before it is reported and skipped (0: no limit)."))] = FILE_SECONDS,
    as_one: Annotated[bool, typer.Option("--as-one", help=_("The files are the page images of one report, in the order given (without it, every file is a report)."))] = False,
    ocr: Annotated[bool, typer.Option("--ocr/--no-ocr", help=_("Read scanned pages (page images, PDFs without a usable text layer) by OCR; --no-ocr refuses them instead."))] = True,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, show_default=False, help=_("Processes that read and parse files while one stores them, in the files' order (default: one per core for a batch of 50 files or more, else 1)."))] = None,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Import reports (text, HTML, Word, PDF, scanned pages) into the archive, one line per file.

    A file archived already, given again with other --agency/--year, is re-filed there (all
    its reports, or report N with --part N; recorded in goi history, goi undo puts it back).
    On a terminal a progress line (count, rate, time left) stays below the file lines.
    Exit code 0 when every file was archived (or already was), 2 when any was not.
    """
    from goitui.importer import FAILED, exit_code, import_paths  # the readers: for import only

    progress = Progress(enabled=None if format == Format.text and not quiet else False)
    results: list[FileResult] = []

    def show(r: "FileResult") -> None:
        results.append(r)
        progress.step()
        if format != Format.text:
            return
        if r.outcome == FAILED:
            progress.echo(r.line(), sys.stderr)
        elif not quiet:
            progress.echo(r.line(), sys.stdout)

    where = db
    try:
        with archive(db, create=True) as arch:
            where = arch.path
            import_paths(arch, paths, agency=agency, year=year, on_result=show,
                         on_start=progress.start, seconds_per_file=time_limit or None,
                         as_one=as_one, ocr=ocr,
                         progress=progress.page if progress.enabled else None, jobs=jobs,
                         part=part)
    except KeyboardInterrupt:
        progress.clear()
        say(_summary(results, where) + "  " + _("(interrupted: what is archived stays; run the "
                                                 "same command again to go on)"))
        raise typer.Exit(ERROR) from None
    progress.clear()
    if format == Format.json:
        emit_json([r.to_dict() for r in results])
    say(_summary(results, where))
    raise typer.Exit(exit_code(results))


def _summary(results: "list[FileResult]", where: object) -> str:
    n = {o: sum(1 for r in results if r.outcome == o)
         for o in ("archived", "unchanged", "refiled", "error")}
    return _("{archived} archived, {unchanged} unchanged, {failed} failed  → {where}").format(
        archived=n["archived"], unchanged=n["unchanged"], failed=n["error"], where=one_line(str(where))) + (
        _("; {refiled} refiled").format(refiled=n["refiled"]) if n["refiled"] else "")


def register(app: typer.Typer) -> None:
    app.command("import")(
        import_)
