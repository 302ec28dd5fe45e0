"""``goi browse``: the archive in the terminal (Textual), imported only when this runs."""

import gc
import os
from collections.abc import Mapping
from typing import Annotated

import typer

from goitui.commands.common import DbOption, archive, fail
from goitui.i18n import _


def browse(
    db: DbOption = None,
    theme: Annotated[str | None, typer.Option(
        envvar="GOI_THEME", help=_("Colour theme; textual-ansi uses the terminal's own colours "
                                   "(best over SSH and in 16-colour terminals)."))] = None,
) -> None:
    """Browse the archive: reports, findings, diffs and full-text search (F1 for keys)."""
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        fail(_("goi browse needs a terminal that can draw (TERM={term}); the other commands "
               "(goi list, goi validate, goi show) work on any terminal").format(
                   term=os.environ.get("TERM")))
    with archive(db) as arch:  # opens (and migrates) it, or says why not
        path = arch.path
    from goitui.tui.app import ANSI_THEME, GoiApp  # Textual only here: others start without it

    # the modules and classes loaded so far live as long as the browser: left out of the
    # garbage collector's rounds, which otherwise walk them on every screen built (a quarter
    # of the time of opening a report; benchmarks/tui.py)
    gc.freeze()
    GoiApp(path, theme=theme or (None if many_colours() else ANSI_THEME)).run()


def many_colours(environ: Mapping[str, str] | None = None) -> bool:
    """True on a terminal of 256 colours or more; fewer get the terminal's own palette (warnings
    in its yellow, errors in its red) instead of colours it would round."""
    environ = os.environ if environ is None else environ
    term, colorterm = environ.get("TERM", ""), environ.get("COLORTERM", "")
    return colorterm in ("truecolor", "24bit") or "256" in term or "direct" in term


def register(app: typer.Typer) -> None:
    app.command("browse")(browse)


