"""``goi import``: files, folders (recursive) and globs into the archive."""

from __future__ import annotations

from typing import Annotated

import typer

from goitui.commands.common import DbOption, Format, FormatOption, archive, emit_json, say
from goitui.i18n import _
from goitui.importer import FAILED, FileResult, exit_code, import_paths
from goitui.text import one_line


def import_(
    paths: Annotated[list[str], typer.Argument(help=_("Files, folders (searched recursively) or globs."))],
    agency: Annotated[str | None, typer.Option(help=_("The agency, when the report does not say it (or says it wrongly: a finding notes the difference)."))] = None,
    year: Annotated[int | None, typer.Option(help=_("The report year, when the report does not say it (or says it wrongly: a finding notes the difference)."))] = None,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Import reports (text, HTML, Word, PDF) into the archive, one line per file.

    Exit code 0 when every file was archived (or already was), 2 when any was not.
    """

    def show(r: FileResult) -> None:
        if format == Format.text:
            if r.outcome == FAILED:
                say(r.line())
            else:
                typer.echo(r.line())

    with archive(db, create=True) as arch:
        results = import_paths(arch, paths, agency=agency, year=year, on_result=show)
        where = arch.path
    if format == Format.json:
        emit_json([r.to_dict() for r in results])
    n = {o: sum(1 for r in results if r.outcome == o) for o in ("archived", "unchanged", "error")}
    say(_("{archived} archived, {unchanged} unchanged, {failed} failed  → {where}").format(
        archived=n["archived"], unchanged=n["unchanged"], failed=n["error"], where=one_line(str(where))))
    raise typer.Exit(exit_code(results))


def register(app: typer.Typer) -> None:
    app.command("import", help=_(
        "Import reports (text, HTML, Word, PDF) into the archive, one line per file.\n\n"
        "Exit code 0 when every file was archived (or already was), 2 when any was not."))(
        import_)
