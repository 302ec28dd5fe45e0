"""The ``goi`` command: a thin Typer layer over the library.

Each module of ``goitui.commands`` registers its commands; none of them imports Textual
except inside ``goi browse``, so the other commands start fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from goitui import __version__, commands

app = typer.Typer(
    name="goi",
    help="Import, validate, diff and browse 政府信息公开工作年度报告 "
    "(government information disclosure annual reports).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_ORDER = ("importing", "reports", "agencies")


def _register() -> None:
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if m.name != "common"]
    for name in sorted(names, key=lambda n: (_ORDER.index(n) if n in _ORDER else 99, n)):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"goi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """goi: government information disclosure annual reports in a SQLite archive."""


_register()


def main() -> None:
    app()
