"""``goi search``: full-text search over every report's text (the browser's search, headless)."""

from typing import Annotated, Any

import typer

from goitui.commands.common import (
    FINDINGS,
    DbOption,
    Format,
    FormatOption,
    archive,
    emit_json,
    say,
)
from goitui.commands.usage import GoiCommand
from goitui.i18n import _, ngettext
from goitui.render.display import STATUS_MARK, pad
from goitui.text import visible


def search_(
    query: Annotated[str, typer.Argument(help=_("Text to find; several terms (space-separated) "
                                                "must all occur."))],
    year: Annotated[int | None, typer.Option(help=_("Only reports of this year."))] = None,
    agency: Annotated[str | None, typer.Option(
        help=_("Only this agency (any name or part)."))] = None,
    limit: Annotated[int, typer.Option(help=_("At most this many reports."))] = 50,
    db: DbOption = None,
    format: FormatOption = Format.text,
) -> None:
    """Reports whose text contains QUERY, with the match in a snippet.

    Terms of 3+ characters use the trigram full-text index; shorter ones an index of
    character pairs (the output says which ran). Exit code 0 with matches, 1 with none.
    """
    from goitui.archive.search import search

    with archive(db) as arch:
        result = search(arch, query, year=year, agency=agency, limit=limit)
    if format == Format.json:
        emit_json(result.to_dict())
    else:
        for h in result.hits:
            snippet = "".join(f"«{visible(h.snippet[a:b])}»" if i % 2 else visible(h.snippet[a:b])
                              for i, (a, b) in enumerate(_pieces(h.snippet, h.highlights)))
            typer.echo(f"{STATUS_MARK.get(h.status, ' ')} {pad(visible(h.agency), 28)} "
                       f"{h.year}  " + pad(_("line {line}").format(line=h.line), 11)
                       + f"{h.matches:>3}×  {snippet}")
    count = result.count
    assert count is not None  # counted: only the browser asks for a page before its count
    shown = (_(", showing {count}").format(count=len(result.hits))
             if len(result.hits) < count else "")
    say(ngettext("{count} report", "{count} reports", count).format(count=count)
        + f"{shown} · {result.mode_shown}")
    if not count:
        raise typer.Exit(FINDINGS)


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Alternating plain / matched spans covering ``text`` (plain first, maybe empty)."""
    out, at = [], 0
    for a, b in spans:
        out += [(at, a), (a, b)]
        at = b
    return out + [(at, len(text))]


#: Typer carries its own copy of click: its UsageError is the base of typer.BadParameter
_USAGE_ERROR: type[Any] = typer.BadParameter.__mro__[1]


class _SearchCommand(GoiCommand):
    """``goi search -term`` searches for ``-term``: an option goi does not have is a term. A
    term that starts like an option it has (``-fee`` reads as ``-f ee``) gets a hint."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        given = list(args)  # parsing consumes the list
        try:
            return super().make_context(info_name, args, parent, **extra)
        except _USAGE_ERROR as error:
            dashed = next((a for a in given if a.startswith("-") and a != "--"), None)
            if dashed is not None and "--" not in given:
                error.message += "\n" + _("To search for text that starts with '-', put -- "
                                          "before it: goi search [OPTIONS] -- {term}").format(
                                              term=dashed)
            raise


def register(app: typer.Typer) -> None:
    app.command("search", cls=_SearchCommand,
                context_settings={"ignore_unknown_options": True})(search_)
