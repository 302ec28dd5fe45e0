"""The ``goi`` command: a thin Typer layer over the library.

Each module of ``goitui.commands`` registers its commands; none of them imports Textual
except inside ``goi browse``, so the other commands start fast.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from enum import Enum

import typer
from typer.core import TyperCommand

from goitui import __version__, commands, i18n
from goitui.commands import usage
from goitui.commands.common import GoiGroup
from goitui.commands.usage import GoiCommand
from goitui.i18n import _


class Language(str, Enum):
    zh = "zh"
    en = "en"


app = typer.Typer(
    name="goi",
    cls=GoiGroup,
    help=_("Import, validate, diff and browse 政府信息公开工作年度报告 "
           "(government information disclosure annual reports)."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_ORDER = ("importing", "reports", "agencies")


#: commands whose start is timed (``goi browse``: its first screen in under a second,
#: benchmarks/tui.py): when one of them is what the command line asks for, only its module
#: is imported, not the importer, the validators and the renderers every other one brings
_ALONE = ("browse",)


def _command_word(argv: list[str]) -> str | None:
    """The command the command line names: its first word that is no option (``--lang``
    takes the word after it)."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _register() -> None:
    names = [m.name for m in pkgutil.iter_modules(commands.__path__)
             if m.name not in ("common", "usage")]
    if (word := _command_word(sys.argv[1:])) in _ALONE:
        names = [word]
    for name in sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else 99, n)):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(app)


def _use_goi_classes(typer_app: typer.Typer) -> None:
    """Every command and sub-group in goi's classes (``GoiCommand``, ``GoiGroup``), which
    speak Typer's own words in the interface's language; a command that brings its own class
    derives it from ``GoiCommand``."""
    for info in typer_app.registered_commands:
        if info.cls in (None, TyperCommand):  # Typer's default
            info.cls = GoiCommand
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            group.cls = group.typer_instance.info.cls = GoiGroup
            _use_goi_classes(group.typer_instance)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"goi {__version__}")
        raise typer.Exit()


def _language(value: Language | None) -> None:
    if value is not None:
        i18n.set_language(value.value)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help=_("Show the version and exit.")),
    lang: Language | None = typer.Option(
        None, "--lang", callback=_language, is_eager=True, show_default=False,
        help=_("Language of messages: zh or en (default: GOI_LANG, else the locale: "
               "LC_ALL, LC_MESSAGES, LANG).")),
) -> None:
    """goi: government information disclosure annual reports in a SQLite archive."""


def _translate_docstrings(typer_app: typer.Typer) -> None:
    """A command documented only by its docstring gets it translated as its help (the
    docstrings are in the catalogue: ``goitui.testing.catalogs.command_docstrings``)."""
    infos = [*typer_app.registered_commands]
    if typer_app.registered_callback is not None:
        infos.append(typer_app.registered_callback)  # type: ignore[arg-type]
    for info in infos:
        doc = inspect.getdoc(info.callback) if info.callback is not None else None
        if info.help is None and doc:
            info.help = _(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _translate_docstrings(group.typer_instance)


_register()
_translate_docstrings(app)
_use_goi_classes(app)
usage.bind_typer()


def main() -> None:
    app()
