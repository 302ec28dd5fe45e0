"""Only ``goi browse`` may import Textual: every other command must start without it."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_cli_does_not_import_textual() -> None:
    mods = _modules_after("import goitui.cli")
    assert "goitui.commands.browse" in mods
    assert not [m for m in mods if m.startswith("textual")]


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
