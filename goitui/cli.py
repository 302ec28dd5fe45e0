"""The ``goi`` command: a thin Typer layer over the library.

Each module of ``goitui.commands`` registers its commands. ``goi CMD`` imports only the module
of CMD (``main``), and each module imports the library a command needs inside that command: so
``goi --help`` and a command that reads a page start without the importer, the parsers, the
validators or Textual (ARCHITECTURE.md, "Start-up"). ``goitui.cli.app`` (tests, Python users) is
the whole app, every command registered, built when first asked for.
"""

import importlib
import inspect
import pkgutil
import sys
from collections.abc import Iterable
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


#: the whole app: every command registered (``__getattr__`` builds it when first asked for)
app: typer.Typer

_ORDER = ("importing", "reports", "agencies")

#: the module of ``goitui.commands`` that registers each command and group of ``goi``: the one
#: ``goi CMD`` imports (``tests/test_startup.py`` checks it against what the modules register).
#: A command missing here still works: ``goi`` then registers every module, as for ``--help``.
COMMANDS = {
    "import": "importing", "list": "reports", "show": "reports", "agencies": "agencies",
    "browse": "browse", "coverage": "roster", "diff": "diffing", "export": "exporting",
    "history": "repair", "remove": "repair", "undo": "repair", "versions": "repair",
    "review": "validation", "rules": "validation", "validate": "validation",
    "roster": "roster", "search": "searching",
}


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


def command_modules(word: str | None = None) -> list[str]:
    """The modules of ``goitui.commands`` to register: the one of command ``word``; else (no
    command, ``--help``, a word that is no command) every one, in the order help lists them."""
    if word in COMMANDS:
        return [COMMANDS[word]]
    names = [m.name for m in pkgutil.iter_modules(commands.__path__)
             if m.name not in ("common", "usage")]
    return sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else 99, n))


def build(modules: Iterable[str]) -> typer.Typer:
    """The ``goi`` app with the commands of ``modules`` (``command_modules``) registered."""
    built = typer.Typer(
        name="goi",
        cls=GoiGroup,
        help=_("Import, validate, diff and browse 政府信息公开工作年度报告 "
               "(government information disclosure annual reports)."),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    built.callback()(_main)
    for name in modules:
        importlib.import_module(f"{commands.__name__}.{name}").register(built)
    _translate_docstrings(built)
    _use_goi_classes(built)
    usage.bind_typer()
    return built


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


def __getattr__(name: str) -> typer.Typer:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    whole = globals()["app"] = build(command_modules())
    return whole


def main() -> None:
    """``goi``: the app with only the module of the command asked for."""
    build(command_modules(_command_word(sys.argv[1:])))()
