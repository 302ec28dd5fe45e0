"""Options and output shared by every command: ``--db``, ``--format``, errors and exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from goitui.archive.store import Ambiguous, Archive, ArchiveError, default_path

OK, FINDINGS, ERROR = 0, 1, 2


class Format(str, Enum):
    text = "text"
    json = "json"


DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="GOI_DB", help="Archive file (default: per-user data dir; "
                 "or set GOI_DB).", show_default=False),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output: text or json.")]
AgencyArg = Annotated[str, typer.Argument(help="Agency: any of its names or an unambiguous part.")]


def say(message: str) -> None:
    """Messages go to stderr; stdout carries data only."""
    typer.echo(message, err=True)


def fail(message: str, code: int = ERROR) -> NoReturn:
    say(f"goi: {message}")
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def archive(db: Path | None, create: bool = False) -> Iterator[Archive]:
    """Open the archive; an archive error becomes a message and exit code 2.

    Only ``goi import`` creates an archive: any other command given a path where there is
    none (a typo, a fresh machine) says so instead of answering from an empty one.
    """
    path = db if db is not None else default_path()
    if not create and str(path) != ":memory:" and not Path(path).exists():
        fail(f"no archive at {path} (goi import creates it)")
    try:
        arch = Archive.open(path)
    except ArchiveError as e:
        fail(str(e))
    try:
        yield arch
    except Ambiguous as e:
        say(f"goi: {e.query!r} is ambiguous; it matches:")
        for c in e.candidates:
            say(f"  {c}")
        raise typer.Exit(ERROR) from None
    except ArchiveError as e:
        fail(str(e))
    finally:
        arch.close()
