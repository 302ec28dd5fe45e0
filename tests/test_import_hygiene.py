"""Only ``goi browse`` may import Textual: every other command must start without it."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code
                          + "\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_cli_does_not_import_textual() -> None:
    mods = _modules_after("from goitui.cli import app")  # the whole app: every command
    assert "goitui.commands.browse" in mods
    assert not [m for m in mods if m.startswith("textual")]


def _goi_modules(*args: str) -> list[str]:
    """The modules loaded once ``goi ARGS`` has run (``main``, as the ``goi`` script starts)."""
    return _modules_after(f"sys.argv = ['goi', *{list(args)!r}]\nfrom goitui.cli import main\n"
                          "try:\n    main()\nexcept SystemExit:\n    pass")


def test_goi_browse_registers_only_itself() -> None:
    """``goi browse`` starts with its own command alone (its first screen is timed): not the
    importer and the validators the other commands bring; the rest are there otherwise."""
    alone = _goi_modules("--lang", "en", "browse", "--help")
    assert "goitui.commands.browse" in alone
    assert "goitui.importer" not in alone and "goitui.commands.importing" not in alone
    every = _goi_modules("--lang", "browse", "--help")  # a language, not the command
    assert "goitui.commands.importing" in every


def test_the_command_word_skips_options_and_the_language() -> None:
    from goitui.cli import _command_word

    assert _command_word(["--lang", "zh", "browse"]) == "browse"
    assert _command_word(["--lang=zh", "browse", "--db", "a.db"]) == "browse"
    assert _command_word(["--version"]) is None
    assert _command_word(["show", "browse"]) == "show"


def test_search_and_queries_do_not_import_textual() -> None:
    mods = _modules_after("import goitui.archive.search, goitui.archive.queries")
    assert not [m for m in mods if m.startswith("textual")]


def test_no_module_imports_itself_back() -> None:
    """No import cycle between any two modules of goitui (lint-imports checks the rooms'
    order; this checks every module, inside rooms too)."""
    grimp = __import__("pytest").importorskip("grimp")
    graph = grimp.build_graph("goitui")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append((module, imported))
    assert not cycles, cycles
