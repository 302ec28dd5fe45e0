"""The commands of ``goi``: each module registers its commands on the Typer app.

They are thin: parse options, call the library, print its result (text or JSON), and turn
its exceptions into messages and exit codes (0 ok, 1 findings or differences, 2 error).
Their help texts are translated when they are defined, so ``--lang`` is read from the command
line here, before any of them is imported.

Start-up (ARCHITECTURE.md): a module here imports at its top only what its options and help
need; the library a command calls is imported inside the command. And a module that defines
commands does not use ``from __future__ import annotations``: Typer reads the annotations of
every command it builds (all of them for ``goi --help``), and string annotations are compiled
and evaluated one by one, 20 ms of ``goi --help``. A name imported for type checking only is
quoted where it annotates.
"""

from __future__ import annotations

import sys

from goitui import i18n


def _language_from_argv(argv: list[str]) -> str | None:
    """The value of ``--lang`` on the command line, read before the commands are registered.

    Help texts are translated when a command is registered (Typer reads them then), which is
    before Typer parses the options; so ``goi --lang zh import --help`` needs it this early.
    """
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


if (_chosen := _language_from_argv(sys.argv[1:])) is not None:
    i18n.set_language(_chosen)
