"""``goi browse``: the archive in the terminal (Textual), imported only when this runs."""

from __future__ import annotations

from typing import Annotated

import typer

from goitui.commands.common import DbOption, archive
from goitui.i18n import _


def browse(
    db: DbOption = None,
    theme: Annotated[str | None, typer.Option(
        envvar="GOI_THEME", help=_("Colour theme; textual-ansi uses the terminal's own colours "
                                   "(best over SSH and in 16-colour terminals)."))] = None,
) -> None:
    """Browse the archive: reports, findings, diffs and full-text search (F1 for keys)."""
    with archive(db) as arch:  # opens (and migrates) it, or says why not
        path = arch.path
    from goitui.tui.app import GoiApp  # Textual only here: the other commands start without it

    GoiApp(path, theme=theme).run()


def register(app: typer.Typer) -> None:
    app.command("browse")(browse)


