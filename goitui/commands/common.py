"""Options and output shared by every command: ``--db``, ``--format``, errors and exit codes.

A ``GoiError`` raised anywhere under a command becomes one message on stderr and exit code 2
in one place, ``GoiGroup.invoke``: commands do not catch the library's errors themselves.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import lru_cache
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from goitui.commands.usage import USAGE_ERROR, GoiContext, Translated, shown_usage_error
from goitui.errors import Ambiguous, GoiError
from goitui.i18n import _, shown
from goitui.text import one_line, visible

if TYPE_CHECKING:
    from goitui.archive.store import Archive

OK, FINDINGS, ERROR = 0, 1, 2


class Format(str, Enum):
    text = "text"
    json = "json"


DbOption = Annotated[
    Path | None,
    typer.Option("--db", envvar="GOI_DB", help=_("Archive file (default: per-user data dir; or set GOI_DB)."), show_default=False),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help=_("Output: text or json."))]
AgencyArg = Annotated[str, typer.Argument(help=_("Agency: any of its names or an unambiguous part."))]


def say(message: str) -> None:
    """Messages go to stderr; stdout carries data only. A message may quote a name, a path or
    report text: its control characters are shown escaped, never obeyed (``visible``)."""
    typer.echo(visible(message), err=True)


def fail(message: str, code: int = ERROR) -> NoReturn:
    say(_("goi: {message}").format(message=one_line(message)))
    raise typer.Exit(code)


def tell(error: GoiError) -> NoReturn:
    """What a person reads for an error of the library, and exit code 2; an ambiguous name
    lists its candidates one a line."""
    if isinstance(error, Ambiguous) and error.candidates:
        say(_("goi: {query!r} is ambiguous; it matches:").format(query=error.query))
        for candidate in error.candidates:
            say(f"  {candidate}")
        raise typer.Exit(ERROR)
    said = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
    fail(shown(said))


class GoiGroup(Translated, TyperGroup):
    """The ``goi`` group: every command (and sub-group) runs inside its ``invoke``, so a
    library error or a usage error anywhere below is shown here, in the interface's language
    (``commands/usage.py``); one on ``goi``'s own options, in its ``parse_args``."""

    context_class = GoiContext

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except USAGE_ERROR as e:
            if shown_usage_error(e):
                raise typer.Exit(ERROR) from None
            raise

    def invoke(self, ctx: Any) -> Any:  # a Context of the click that typer vendors (private)
        try:
            return super().invoke(ctx)
        except GoiError as e:
            tell(e)
        except USAGE_ERROR as e:
            if shown_usage_error(e):
                raise typer.Exit(ERROR) from None
            raise
YesOption = Annotated[bool, typer.Option("--yes", "-y", help=_(
    "Do it without asking. Without it, what would be done is shown and, unless you say yes "
    "at a terminal, nothing changes (exit code 1)."))]


def confirmed(yes: bool, question: str) -> None:
    """Go on when ``--yes`` was given or a person at a terminal says yes; else stop after what
    would be done was shown, with exit code 1: the preview is what was asked (no error, not
    2), yet nothing changed, and a script (``goi remove … && …``) must not go on as if it had
    — a difference between what was asked for and what was done (0 ok, 1 findings or
    differences, 2 error)."""
    if yes:
        return
    if sys.stdin.isatty() and typer.confirm(question, default=False, err=True):
        return
    say(_("nothing changed; give --yes to do it"))
    raise typer.Exit(FINDINGS)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


_INFINITY = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def _float_text(number: float) -> str:
    return "NaN" if number != number else _INFINITY.get(number) or float.__repr__(number)


#: how ``json`` writes a value of exactly these types (a subclass goes the long way)
_SCALAR: dict[type, Callable[[Any], str]] = {
    str: encode_basestring, int: int.__repr__, float: _float_text,
    type(None): lambda _none: "null", bool: lambda flag: "true" if flag else "false"}


def json_text(data: Any, level: int = 0) -> str:
    """``_json(data)`` with every line after the first indented ``level`` steps more, as it
    sits inside ``level`` containers: the same bytes, in half the time. ``json.dumps`` runs
    its C encoder only without ``indent``; with it, a Python generator per value is what
    ``goi validate --format json`` spent most of its time in. Scalars are written by the
    functions ``json`` itself uses (``encode_basestring``, ``int.__repr__``, ``float.__repr__``)."""
    scalar = _SCALAR.get(type(data))
    if scalar is not None:
        return scalar(data)
    inner = "\n" + "  " * (level + 1)
    if isinstance(data, dict):
        if not data:
            return "{}"
        parts = []
        for key, value in data.items():
            scalar = _SCALAR.get(type(value))
            parts.append(f"{_json_key(key)}: "
                         + (scalar(value) if scalar is not None else json_text(value, level + 1)))
        return "{" + inner + ("," + inner).join(parts) + "\n" + "  " * level + "}"
    if isinstance(data, list | tuple):
        return ("[" + inner + ("," + inner).join([json_text(v, level + 1) for v in data])
                + "\n" + "  " * level + "]") if data else "[]"
    for kind in (str, bool, int, float):  # subclasses, in the order ``json`` tries them
        if isinstance(data, kind):
            return _SCALAR[kind](data)
    return json_text(str(data), level)  # default=str


#: the same few keys recur in every record: each written once
_string_key = lru_cache(maxsize=4096)(encode_basestring)


def _json_key(key: Any) -> str:
    """A dictionary key as ``json.dumps`` writes it: always a string."""
    if isinstance(key, str):
        return _string_key(key)
    if isinstance(key, bool) or key is None:
        return f'"{json_text(key)}"'
    if isinstance(key, int | float):
        return encode_basestring(int.__repr__(key) if isinstance(key, int) else _float_text(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def echo_lines(lines: Iterable[str], batch: int = 1000) -> None:
    """``typer.echo("\\n".join(lines))`` as the lines come: a thousand at a time, so a long
    listing starts at once and is never held whole."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= batch:
            typer.echo("\n".join(chunk))
            chunk = []
    if chunk:
        typer.echo("\n".join(chunk))


def emit_json(data: Any) -> None:
    sys.stdout.write(_json(data) + "\n")


def emit_json_stream(items: Iterable[Any], head: dict[str, Any] | None = None,
                     key: str = "") -> None:
    """What ``emit_json(list(items))`` prints — or, given ``head``, ``emit_json({**head, key:
    list(items)})`` — written an item at a time: the memory of one item, whatever the
    number of items, and byte for byte the same text (each item indented as ``json.dumps``
    indents it inside the list; strings hold no raw line break, JSON escapes them)."""
    write = sys.stdout.write
    indent, after = "  ", ""  # the list's items are one level in; nothing follows it
    if head is not None:
        whole = _json({**head, key: []})
        assert whole.endswith(f'"{key}": []\n}}'), "the streamed list must be the last key"
        write(whole[:-len("[]\n}")])
        indent, after = "    ", "\n}"
    first = True
    for item in items:
        write(("[\n" if first else ",\n") + indent + json_text(item, len(indent) // 2))
        first = False
    write(("[]" if first else "\n" + indent[2:] + "]") + after + "\n")


@contextmanager
def archive(db: Path | None, create: bool = False, write: bool = False) -> Iterator[Archive]:
    """Open the archive; an archive error becomes one line and exit code 2.

    Only ``goi import`` creates an archive (``create``): any other command given a path where
    there is none (a typo, a fresh machine) says so instead of answering from an empty one.
    A read command (not ``write``) opens it read-only and reads in one snapshot, so an import
    running meanwhile is neither waited for nor seen half-way, and a read-only archive can be
    read. Damage, a full disk or a lost lock met later end the same way: one line, exit 2.
    """
    from goitui.archive.database import problem  # the archive's code: not for --help
    from goitui.archive.store import Archive, default_path

    path = db if db is not None else default_path()
    try:
        arch = Archive(path, create=create, write=write or create)
    except GoiError as e:
        fail(str(e))
    try:
        if write or create:
            yield arch
        else:
            with arch.reading():
                yield arch
    except GoiError as e:
        tell(e)
    except sqlite3.DatabaseError as e:
        fail(str(problem(e, path)))
    finally:
        try:
            arch.close()
        except sqlite3.DatabaseError:
            pass  # already said: the archive is damaged or gone


class TableFormat(str, Enum):
    """Output of commands whose result is a table: text and JSON, or a sheet to hand over."""

    text = "text"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xlsx = "xlsx"


TableFormatOption = Annotated[TableFormat, typer.Option(
    "--format", "-f", help=_("Output: text, json, csv (UTF-8 with BOM, for Excel), tsv or xlsx."))]
BomOption = Annotated[bool, typer.Option("--bom/--no-bom", help=_("CSV: start with a UTF-8 byte-order mark so Excel reads Chinese right."))]
RegionOption = Annotated[str | None, typer.Option(
    "--region", help=_("Only agencies of this roster region and everything under it."))]


def emit_sheets(sheets: list[Any], format: TableFormat, bom: bool = True) -> None:
    """Write sheets (``goitui.export.writers.Sheet``) to stdout as CSV, TSV or XLSX bytes.

    XLSX is binary: refused on a terminal (redirect it to a file)."""
    from goitui.export.writers import to_bytes

    if format == TableFormat.xlsx and sys.stdout.isatty():
        fail(_("xlsx is binary: redirect it to a file (goi … --format xlsx > out.xlsx)"))
    data = to_bytes(sheets, format.value, bom)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
